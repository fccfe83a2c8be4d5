"""The LBF documents as Word files (.docx), in LBF's template structure.

Built from exactly the context the HTML/PDF template gets (``builders``): this module decides how a
document looks in Word, never what it contains. Headings carry Word's heading styles with LBF's
texts, the fields and tables are Word tables, and each activity's skema is a two-column table
(label | value), so ``word_import`` can read a file written here (or typed into LBF's template) back.

Nothing here fetches anything: the file holds text, tables and the plan's own organisationsdiagram (read
from the storage, where its upload was checked); the charts stay in the PDF, and the PDF bilag are listed
by title (Word cannot embed them; the samlet plan's PDF has them appended).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from agreements.attachments import AttachmentUnavailable, attachment_read
from agreements.models import PuljeText
from helhedsplan.formatting import format_date, format_kroner, format_number, format_percent

from . import builders
from .text import text_blocks

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: LBF's headings and labels; ``word_import`` recognises the same texts.
DELAFTALE_TITLE = "Delaftale for indsatsområdet "
FIELD_INITIATIVE = "Navn på den boligsociale indsats, som delaftalen vedrører"
FIELD_PERIOD = "Delaftalen gælder fra – til"
HEADING_PARTIES = "Delaftalens parter"
HEADING_SUBGOALS = "Delmål og indikatorer for indsatsområdet"
HEADING_ACTIVITIES = ("Aktiviteter, som skal bidrage til indfrielsen af delmålene for indsatsområdet og "
                      "understøtte opnåelsen af de overordnede mål jf. den strategiske samarbejdsaftale")
HEADING_STAFF = "Medarbejderressourcer for indsatsområdet"
HEADING_COHERENCE = "Sammenhæng med den kommunale indsats i boligområdet"
HEADING_ECONOMY = "Indsatsområdets økonomi i henhold til budget"
HEADING_CONFLICT = "Konflikthåndtering og underretning"
HEADING_REVISION = "Revision af delaftalen"
HEADING_APPENDICES = "Bilag"
APPENDICES_IN_PDF = "Bilagene findes bag i PDF-udgaven af den samlede plan."
HEADING_SKEMAS = "Aktiviteter, som skal bidrage til indfrielsen af delmålene for indsatsområdet"
COFINANCING_TAG = "del af den kommunale medfinansiering"
SKEMA_NAME = "Aktivitetsnavn"
SKEMA_FIELDS = (("purpose", "Formål"), ("target_group", "Målgruppe(r)"), ("content", "Indhold og praksis"),
                ("anchoring", "Forankring"), ("responsibilities", "Ansvars- og rollefordeling"),
                ("locations", "Lokaliteter"))
SKEMA_COFINANCING = "Finansiering"
PARTY_HEADER = ["Organisation", "Rolle/funktion"]
PARTY_CONTACTS = "Kontaktpersoner"
STAFF_HEADER = ["Funktion", "Andel", "Finansieret af", "Bemærkning"]
SUBGOAL_HEADER = ["Delmål", "Indikator", "Baseline boligområde/målgruppe", "Evt. anden baseline", "Baseline år",
                  "Datakilde"]
GOAL_HEADER = ["Mål", "Indikator", "Baseline boligområde", "Baseline kommune (evt. andet)", "Baseline år",
               "Datakilde"]
EMPTY = "Ikke udfyldt."

SAMARBEJDSAFTALE_TITLE = "Strategisk samarbejdsaftale om boligsocial indsats"
FIELD_AREA_NAME = "Områdets navn"
FIELD_AGREEMENT_PARTIES = "Aftalens parter"
FIELD_AGREEMENT_PERIOD = "Samarbejdsaftalen gælder fra – til"
FIELD_PULJE = "Pulje"
FIELD_JOURNAL_NUMBER = "LBF journalnummer"
HEADING_SIGNATURES = "Underskrifter"
HEADING_AGREEMENT_DOCUMENTS = "Aftaledokumenter"
DOCUMENTS_LEAD_IN = "Følgende dokumenter hører til denne strategiske samarbejdsaftale:"
PROBLEM_COMPLEX = "Problemkompleks for indsatsområdet"
SIGNATURE_HEADER = ["Part", "Dato", "Navn"]
HOUSING_HEADER = ["Boligområde", "Boligafdelinger"]
NO_GOALS = "Der er endnu ikke registreret overordnede mål og indikatorer."
NO_FOCUS_AREAS = "Der er ikke valgt indsatsområder."

DELAFTALE_INTRO = (
    "Bestyrelsen for den boligsociale indsats har ansvar for, at denne delaftale til hver en tid understøtter de "
    "overordnede mål i den strategiske samarbejdsaftale. Delaftalerne er således bilag til den strategiske aftale "
    "og skal altid ses i sammenhæng hermed. Bestyrelsen har ligeledes ansvar for, at delaftalen til hver en tid "
    "afspejler de aktiviteter og samarbejder, der gennemføres i boligområdet. Beskrivelsen af områdets "
    "problemkompleks inden for dette indsatsområde fremgår af den strategiske aftale.")
AGREEMENT_DOCUMENTS_TEXT = (
    "Som grundlag for aftaledokumenterne henvises til gældende regulativ om tilskud til boligsocial indsats i "
    "udsatte almene boligafdelinger og fondens vejledning herom. Aftalen forpligter kommune og boligorganisationer "
    "i forhold til samarbejde, herunder opfølgning på de fastsatte mål. Ændringer i den strategiske "
    "samarbejdsaftale skal godkendes af Landsbyggefonden.",
    "Konkrete aftaler om specifikke aktiviteter mellem den boligsociale indsats og de lokale kommunale "
    "institutioner, foreninger eller andre aktører fastlægges i særskilte delaftaler for hvert indsatsområde, der "
    "hører under den strategiske samarbejdsaftale.")
SECTIONS = (("section_1_area", "1. Kort om boligområdet"), ("section_2_vision", "2. Vision for boligområdet"),
            ("section_3_organisation", "3. Organisering"),
            ("section_4_interplay", "4. Samspil med centrale tiltag og indsatser i boligområdet"),
            (None, "5. Overordnede mål og indikatorer for den boligsociale indsats"),
            (None, "6. Indsatsområder"), ("section_7_evaluation", "7. Lokal evaluering"),
            ("section_8_revision", "8. Revision af samarbejdsaftalen"))
#: The sections whose introduction is the pulje's standard text (LBF's, printed before the plan's text).
SECTION_STANDARD_TEXTS = {"3.": PuljeText.Key.SECTION_3, "5.": PuljeText.Key.SECTION_5, "6.": PuljeText.Key.SECTION_6}


class Writer:
    """A Word document being written: headings, paragraphs, stored texts and tables."""

    def __init__(self) -> None:
        self.doc = new_docx()
        normal = self.doc.styles["Normal"]
        normal.font.name = "Calibri"  # LibreOffice prints it with the metric-compatible Carlito
        normal.font.size = Pt(10.5)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.2))
        self._started = False

    def new_part(self, *, landscape: bool = False) -> None:
        """Start a part on a new page (the first part uses the first page)."""
        if self._started:
            self.doc.add_page_break()
        self._started = True
        if landscape:
            section = self.doc.sections[-1]
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level=level)

    def paragraph(self, text: str, *, italic: bool = False, bold: bool = False, small: bool = False) -> None:
        paragraph = self.doc.add_paragraph()
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.italic, run.bold = italic or None, bold or None
            if small:
                run.font.size = Pt(9)
            if index < len(lines) - 1:
                run.add_break()

    def picture(self, content: bytes, caption: str) -> None:
        """A picture the width of the text (at most), with its caption below."""
        section = self.doc.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        self.doc.add_picture(BytesIO(content), width=width)
        self.paragraph(caption, small=True)

    def bullets(self, items: list[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def text(self, value: str | None, *, empty: str = EMPTY) -> None:
        """A stored plain text: its paragraphs and bullet lists; ``empty`` (italic) when there is none."""
        blocks = text_blocks(value)
        if not blocks:
            self.paragraph(empty, italic=True)
        for is_bullet, lines in blocks:
            if is_bullet:
                self.bullets(lines)
            else:
                self.paragraph("\n".join(lines))

    def table(self, rows: list[list[str]], *, header: list[str] | None = None, label_column: bool = False,
              font_size: float | None = None, widths: list[float] | None = None) -> None:
        """A bordered table; ``header`` is printed bold and repeated on each page, ``label_column``
        prints the first column bold (a field/value table); ``widths`` in cm per column."""
        width = len(header) if header else max((len(row) for row in rows), default=1)
        table = self.doc.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for index, values in enumerate(([header] if header else []) + rows):
            cells = table.add_row().cells
            for column, value in enumerate(values):
                paragraph = cells[column].paragraphs[0]
                lines = str(value).split("\n")
                for number, line in enumerate(lines):
                    run = paragraph.add_run(line)
                    if (header and index == 0) or (label_column and column == 0):
                        run.bold = True
                    if font_size:
                        run.font.size = Pt(font_size)
                    if number < len(lines) - 1:
                        run.add_break()
        if widths:
            table.autofit = False
            for column, width_cm in zip(table.columns, widths, strict=False):
                column.width = Cm(width_cm)
                for cell in column.cells:
                    cell.width = Cm(width_cm)
        for index, row in enumerate(table.rows):
            properties = row._tr.get_or_add_trPr()
            properties.append(_on("w:cantSplit"))  # a row stays on one page
            if header and index == 0:
                properties.append(_on("w:tblHeader"))  # repeated on each page
        self.doc.add_paragraph()

    def status(self, context: dict[str, Any]) -> None:
        """"Godkendt af bestyrelsen <dato>" or "Kladde – ikke godkendt …", and the print date."""
        approval = context.get("approval")
        printed = f"Udskrevet {format_date(context['generated_on'])}"
        if isinstance(approval, dict):  # a report, not approved
            self.paragraph(printed, small=True)
        elif approval:
            self.paragraph(f"Godkendt af bestyrelsen {format_date(approval.date)} · {printed}", small=True)
        else:
            self.paragraph(f"Kladde – ikke godkendt af bestyrelsen · {printed}", bold=True, small=True)

    def kicker(self, text: str) -> None:
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text)
        run.font.size = Pt(9)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT

    def save(self) -> bytes:
        buffer = BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _on(tag: str) -> OxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    return element


def _period(start, end) -> str:
    return f"{format_date(start)} – {format_date(end)}"


# --- Parts ----------------------------------------------------------------------------------------------

def contact_lines(contact) -> list[str]:
    """A contact person as the documents print it: name, then title, e-mail and phone, one a line."""
    return [line for line in (contact.name, contact.title, contact.email,
                              f"Tlf. {contact.phone}" if contact.phone else "") if line]


def contacts_cell(contacts) -> str:
    """The contact persons of a party, a blank line between two (``word_import`` reads them back)."""
    return "\n\n".join("\n".join(contact_lines(contact)) for contact in contacts)


def _agreement_party_text(party) -> str:
    contacts = party.contact_list
    if not contacts:
        return party.organisation.name
    label = "Kontaktperson" if len(contacts) == 1 else "Kontaktpersoner"
    return party.organisation.name + f"\n{label}: " + "; ".join(", ".join(contact_lines(c)) for c in contacts)


def _samarbejdsaftale(w: Writer, context: dict[str, Any], *, standalone: bool) -> None:
    plan, agreement, parties = context["plan"], context["agreement"], context["agreement_parties"]
    w.new_part()
    w.kicker(plan.name)
    w.heading(SAMARBEJDSAFTALE_TITLE, 0)
    if standalone:
        w.status(context)
    fields = [[FIELD_AREA_NAME, plan.area_name or plan.name],
              [FIELD_AGREEMENT_PARTIES, "\n".join(_agreement_party_text(party) for party in parties) or EMPTY],
              [FIELD_AGREEMENT_PERIOD, _period(plan.start_date, plan.end_date)],
              [FIELD_PULJE, plan.pulje.name]]
    if plan.lbf_journal_number:
        fields.append([FIELD_JOURNAL_NUMBER, plan.lbf_journal_number])
    w.table(fields, label_column=True)

    w.heading(HEADING_SIGNATURES, 1)
    if parties:
        rows = []
        for party in parties:
            signatory = party.signatory_name
            if signatory and party.signatory_title:
                signatory = f"{signatory}, {party.signatory_title}"
            name = party.organisation.name + (f"\n{party.role}" if party.role else "")
            rows.append([name, format_date(party.signed_date) if party.signed_date else "", signatory or ""])
        w.table(rows, header=SIGNATURE_HEADER)
    else:
        w.paragraph("Aftalens parter er ikke angivet.", italic=True)

    standard = context.get("pulje_texts", {})
    w.heading(HEADING_AGREEMENT_DOCUMENTS, 1)
    if standard.get(PuljeText.Key.AGREEMENT_DOCUMENTS):
        w.text(standard[PuljeText.Key.AGREEMENT_DOCUMENTS])
    else:
        for text in AGREEMENT_DOCUMENTS_TEXT:
            w.paragraph(text)
    if context["agreement_documents"]:
        w.paragraph(DOCUMENTS_LEAD_IN)
        w.bullets(list(context["agreement_documents"]))
    if context["plan_appendices"]:
        w.paragraph("Bilag til samarbejdsaftalen:")
        w.bullets([bilag.title for bilag in context["plan_appendices"]])

    for field_name, heading in SECTIONS:
        w.heading(heading, 1)
        introduction = standard.get(SECTION_STANDARD_TEXTS.get(heading[:2], ""))
        if introduction:
            w.text(introduction)
        if field_name:
            w.text(getattr(agreement, field_name, "") if agreement else "")
        if heading.startswith("1."):
            _housing_areas(w, context["housing_areas"])
        elif heading.startswith("3."):
            _organisation_diagrams(w, context["organisation_diagrams"])
        elif heading.startswith("5."):
            _goal_table(w, context["goal_rows"])
        elif heading.startswith("6."):
            if not context["focus_areas"]:
                w.paragraph(NO_FOCUS_AREAS, italic=True)
            for choice in context["focus_areas"]:
                w.heading(choice.focus_area.name, 2)
                w.heading(PROBLEM_COMPLEX, 3)
                w.text(choice.problem_complex)


def _organisation_diagrams(w: Writer, diagrams: list[dict]) -> None:
    for diagram in diagrams:
        try:
            content = attachment_read(diagram["attachment"])
        except AttachmentUnavailable as exc:
            w.paragraph(str(exc), italic=True)
            continue
        w.picture(content, diagram["title"])


def _housing_areas(w: Writer, housing_areas: list) -> None:
    if not housing_areas:
        return
    rows = []
    for area in housing_areas:
        departments = [
            f"{department.organisation.short_name or department.organisation.name} afd. {department.number}"
            + (f" ({department.name})" if department.name else "")
            for department in area.departments.all()]
        rows.append([area.name, ", ".join(departments) or "Ikke angivet"])
    w.table(rows, header=HOUSING_HEADER)


def _goal_table(w: Writer, rows: list[dict]) -> None:
    if not rows:
        w.paragraph(NO_GOALS, italic=True)
        return
    w.table([[row["goal_text"] if row["is_first"] else "",
              row["indicator_text"] if row["indicator"] else "Ingen indikator",
              row["baseline_area"] or "", _other_baseline(row), str(row["baseline_year"] or ""),
              row["data_source"] or ""] for row in rows], header=GOAL_HEADER, font_size=9)


def _other_baseline(row: dict) -> str:
    other, label = row["baseline_other"] or "", row.get("baseline_other_label") or ""
    return f"{other}\n{label}" if other and label and label not in other else other


def _subgoal_table(w: Writer, rows: list[dict]) -> None:
    w.heading(HEADING_SUBGOALS, 1)
    if not rows:
        w.paragraph("Der er endnu ikke registreret delmål og indikatorer for indsatsområdet.", italic=True)
        return
    w.paragraph("Alle indikatorer er årlige opgørelser.", small=True)
    table_rows = []
    for row in rows:
        if row["indicator"]:
            indicator = ("Akt.nær indikator: " if row["kind"] == "aktivitetsnaer" else "") + row["indicator_text"]
            # An indicator worded as its own target ("40 deltagere gennemfører mentorforløb") prints once.
            if row["target"] and row["target"] != row["indicator_text"]:
                indicator += "\n" + (row["target"] if row["monitoring"] else f"Mål: {row['target']}")
        else:
            indicator = "Ingen indikator"
        table_rows.append([row["sub_goal_text"] if row["is_first"] else "", indicator, row["baseline_area"] or "",
                           _other_baseline(row), str(row["baseline_year"] or ""), row["data_source"] or ""])
    w.table(table_rows, header=SUBGOAL_HEADER, font_size=9)


def _delaftale(w: Writer, context: dict[str, Any], entry: builders.DelaftaleEntry, *, standalone: bool) -> None:
    plan, sa = context["plan"], entry.sub_agreement
    w.new_part()
    w.kicker(plan.name)
    w.heading(DELAFTALE_TITLE + sa.focus_area.name, 0)
    if standalone:
        w.status(context)
    w.paragraph(DELAFTALE_INTRO)
    w.table([[FIELD_INITIATIVE, sa.initiative_name or plan.name],
             [FIELD_PERIOD, _period(sa.start_date, sa.end_date)]], label_column=True)

    w.heading(HEADING_PARTIES, 1)
    parties = list(sa.parties.all())
    if parties:
        header = PARTY_HEADER + ([PARTY_CONTACTS] if entry.parties_have_contacts else [])
        rows = []
        for party in parties:
            row = [party.organisation.name, party.role]
            if entry.parties_have_contacts:
                row.append(contacts_cell(party.contact_list))
            rows.append(row)
        w.table(rows, header=header)
    else:
        w.paragraph("Delaftalens parter er ikke angivet.", italic=True)

    _subgoal_table(w, entry.subgoal_rows)

    activities = list(sa.activities.all())
    w.heading(HEADING_ACTIVITIES, 1)
    if activities:
        w.bullets([activity_list_text(activity) + (f" ({COFINANCING_TAG})" if activity.municipal_cofinancing else "")
                   for activity in activities])
    else:
        w.paragraph("Der er ikke registreret aktiviteter.", italic=True)

    w.heading(HEADING_STAFF, 1)
    resources = list(sa.staff_resources.all())
    if resources:
        w.table([[resource.function, resource.share_display, resource.financed_by, resource.note]
                 for resource in resources], header=STAFF_HEADER)
    else:
        w.paragraph("Der er ikke registreret medarbejderressourcer.", italic=True)

    w.heading(HEADING_COHERENCE, 1)
    w.text(sa.municipal_coherence)

    w.heading(HEADING_ECONOMY, 1)
    economy = entry.economy
    if economy:
        w.table([["Landsbyggefonden", format_kroner(economy.lbf)],
                 ["Lokal medfinansiering", format_kroner(economy.local)],
                 ["Samlet budget for indsatsområdet", format_kroner(economy.total)]], label_column=True)
    else:
        w.paragraph("Budgettet for indsatsområdet er ikke udfyldt endnu.", italic=True)

    if sa.conflict_handling:
        w.heading(HEADING_CONFLICT, 1)
        w.text(sa.conflict_handling)

    w.heading(HEADING_REVISION, 1)
    w.text(sa.revision)

    if entry.appendices:
        w.heading(HEADING_APPENDICES, 1)
        w.bullets([bilag.title for bilag in entry.appendices])

    if activities:
        w.heading(HEADING_SKEMAS, 1)
        for activity in activities:
            _skema(w, activity)


def activity_list_text(activity) -> str:
    """An activity in the delaftale's list of activities: its name and, after a comma, its one-line description."""
    return activity.name + (f", {activity.short_description}" if activity.short_description else "")


def _skema(w: Writer, activity) -> None:
    """An activity's skema as LBF's template has it: label | value rows, starting with Aktivitetsnavn."""
    rows = [[SKEMA_NAME, activity.name]]
    for field_name, label in SKEMA_FIELDS:
        value = getattr(activity, field_name)
        if value or field_name not in ("anchoring", "locations"):
            rows.append([label, value or EMPTY])
    housing_areas = [area.name for area in activity.housing_areas.all()]
    if housing_areas:
        rows.append(["Boligområder", ", ".join(housing_areas)])
    organisations = [organisation.name for organisation in activity.responsible_organisations.all()]
    if organisations:
        rows.append(["Ansvarlige organisationer", ", ".join(organisations)])
    contacts = [f"{contact.name}{', ' + contact.title if contact.title else ''} ({contact.organisation.name})"
                for contact in activity.contacts.all()]
    if contacts:
        rows.append(["Kontaktpersoner", "; ".join(contacts)])
    if activity.municipal_cofinancing:
        rows.append([SKEMA_COFINANCING, "Del af den kommunale medfinansiering"])
    w.table(rows, label_column=True)


def _amount(value) -> str:
    return format_number(value) if value else ""


def _budget_sheet(w: Writer, context: dict[str, Any], *, standalone: bool) -> None:
    plan, sheet, filled = context["plan"], context["budget_sheet"], context["budget_filled"]
    years = list(sheet["years"])
    w.new_part(landscape=True)
    w.kicker(plan.name)
    w.heading(f"Budgetark for boligsocial indsats inden for {plan.pulje.name}", 0)
    if standalone:
        w.status(context)
    w.table([["Start boligsocial indsats", format_date(plan.start_date),
              "Boligområde/områdenavn", plan.area_name or plan.name],
             ["Slut boligsocial indsats", format_date(plan.end_date), "Jnr.", plan.lbf_journal_number or "–"]])
    unit = "Alle beløb i hele tusinde kr."
    if filled and sheet.get("min_cofinancing_percent") is not None:
        unit += f" Puljens krav til lokal medfinansiering: mindst {format_percent(sheet['min_cofinancing_percent'])}."
    w.paragraph(unit, small=True)
    if not filled:
        w.paragraph("Budgettet er ikke udfyldt endnu.", italic=True)
    header = ["Udgiftsposter", "Udgiftstype", *(str(year) for year in years), "Samlede udgifter", "LBF",
              "Boligorg. kontant", "Boligorg. timer, lokaler", "Kommune kontant", "Kommune timer, lokaler",
              "Evt. anden lokal medfinans."]
    blank = [""] * (len(years) + 7)
    rows = []
    for section in sheet["sections"]:
        rows.append([section["heading"] + ("" if section["chosen"] else " (ikke valgt i helhedsplanen)"), "",
                     *blank])
        for item in section["lines"]:
            name = item["name"] + (f" ({item['footnote']})" if item.get("footnote") else "")
            expense_type = item["expense_type"]
            kind = (expense_type.label if expense_type else "") if section["has_expense_type"] else item["description"]
            rows.append([name, kind, *(_amount(amount) for amount in item["amounts"]), format_number(item["total"]),
                         *(_amount(item[key]) for key in ("lbf", "bo_cash", "bo_hours", "kom_cash", "kom_hours",
                                                          "other"))])
        total = section["sum"]
        rows.append([section.get("sum_label") or "Sum", "", *(
            [*(format_number(amount) for amount in total["amounts"]), format_number(total["total"]),
             format_number(total["lbf"]), format_number(total["bo_cash"]), format_number(total["bo_hours"]),
             format_number(total["kom_cash"]), format_number(total["kom_hours"]), format_number(total["other"])]
            if filled else blank)])
    totals = sheet["totals"]
    rows.append(["Total", "", *(
        [*(format_number(amount) for amount in totals["amounts"]), format_number(totals["total"]),
         format_number(totals["lbf"]), format_number(totals["bo_cash"]), format_number(totals["bo_hours"]),
         format_number(totals["kom_cash"]), format_number(totals["kom_hours"]), format_number(totals["other"])]
        if filled else blank)])
    # Landscape A4 less the margins: the post and type columns wide, the amounts sharing the rest.
    amounts = (29.7 - 4.4 - 4.2 - 2.6) / (len(years) + 7)
    w.table(rows, header=header, font_size=7, widths=[4.2, 2.6, *([amounts] * (len(years) + 7))])
    if filled:
        percent = totals.get("cofinancing_percent")
        w.table([["Samlet medfinansiering", format_number(totals["cofinancing"]), "Balance",
                  format_number(totals["balance"]), "Medfinans. %",
                  format_percent(percent) if percent is not None else ""]])
    if sheet.get("footnotes"):
        w.heading("Noter", 2)
        for note in sheet["footnotes"]:
            w.paragraph(f"{note['number']}) {note['text']}")


def _beredskabsplan(w: Writer, context: dict[str, Any]) -> None:
    w.new_part()
    w.kicker(context["plan"].name)
    w.heading("Beredskabsplan", 0)
    w.text(context["plan"].beredskabsplan, empty="Helhedsplanen har endnu ingen beredskabsplan.")


def _samlet(w: Writer, context: dict[str, Any]) -> None:
    plan = context["plan"]
    w.new_part()
    w.kicker(f"Boligsocial helhedsplan · {plan.pulje.name}")
    w.heading(plan.name, 0)
    if plan.area_name and plan.area_name != plan.name:
        w.paragraph(plan.area_name)
    w.paragraph(_period(plan.start_date, plan.end_date))
    facts = []
    if plan.administrating_organisation:
        facts.append(["Administrerende boligorganisation", plan.administrating_organisation.name])
    if plan.municipality:
        facts.append(["Kommune", plan.municipality.name])
    if plan.lbf_journal_number:
        facts.append(["LBF journalnummer", plan.lbf_journal_number])
    facts.append(["Indsatsområder", ", ".join(choice.focus_area.name for choice in context["focus_areas"]) or "–"])
    w.table(facts, label_column=True)
    w.status(context)
    w.paragraph("Økonomiopfølgningen og diagrammerne over indikatorerne findes i PDF-udgaven af den samlede plan.",
                italic=True)
    _samarbejdsaftale(w, context, standalone=False)
    for entry in context["entries"]:
        _delaftale(w, context, entry, standalone=False)
    _beredskabsplan(w, context)
    _budget_sheet(w, context, standalone=False)
    if context["appendices"]:
        w.new_part()
        w.kicker(plan.name)
        w.heading(HEADING_APPENDICES, 0)
        for number, bilag in enumerate(context["appendices"], start=1):
            owner = f" (delaftale for indsatsområdet {bilag.sub_agreement.focus_area.name})" \
                if bilag.sub_agreement_id else ""
            w.doc.add_paragraph(f"Bilag {number}: {bilag.title}{owner}", style="List Number")
        w.paragraph(APPENDICES_IN_PDF, italic=True)


# --- A Kontrakt om boligsocialt samarbejde (``templates/documents/kontrakt.html``) ---------------------------

CONTRACT_SKEMA_FIELDS = (
    ("purpose", "Hvordan understøtter aktiviteten indsatsområdets overordnede mål?"),
    ("content", "Hvilke medarbejderfunktioner fra henholdsvis kommune og boligorganisationer indgår i den fælles "
                "aktivitet/netværk? Herunder kontaktperson"),
    ("responsibilities", "Ansvar og rollefordeling. Hvem gør hvad hvornår?"),
    ("locations", "Hvilke eventuelle lokaliteter benyttes til indsatsen?"),
    ("anchoring", "Hvordan skal aktiviteten, samarbejdet og/eller metodeudviklingen forankres i boligorganisation "
                  "og/eller kommune?"),
    ("revision", "Revision af aftalen"),
)


def _contact(contact) -> str:
    """A contact as the contract prints it: name, title and organisation, then e-mail and phone."""
    line = contact.name + (f", {contact.title}" if contact.title else "") + f" ({contact.organisation.name})"
    if contact.email:
        line += f"\nE-mail: {contact.email}"
    if contact.phone:
        line += f"\nTelefon: {contact.phone}"
    return line


def _kontrakt(w: Writer, context: dict[str, Any]) -> None:
    plan, agreement, issuer = context["plan"], context.get("agreement"), context["contract_issuer"]
    common = context["contract_common"]
    w.new_part()
    w.heading(f"{context['contract_title']} på {plan.area_name or plan.name}", 0)
    for name in context["contract_focus_areas"]:
        w.paragraph(name, bold=True)
    if agreement is not None and agreement.contract_date:
        w.paragraph(format_date(agreement.contract_date))
    department = agreement.contract_issuer_department if agreement is not None else ""
    if issuer or department:
        w.table([["Udstedt af", "\n".join(part for part in (issuer.name if issuer else "", department) if part)]],
                label_column=True)
    w.status(context)
    if common and agreement is not None and agreement.section_1_area:
        w.text(agreement.section_1_area)

    if common:
        w.new_part()
        w.kicker(plan.name)
        w.heading(f"Samarbejdet mellem {issuer.name if issuer else 'kommunen'} og boligsociale helhedsplaner", 0)
        w.text(agreement.section_3_organisation if agreement is not None else "")

    for entry in context["contract_entries"]:
        _kontrakt_area(w, context, entry)

    if common and agreement is not None and agreement.section_4_interplay:
        w.new_part()
        w.kicker(plan.name)
        w.heading("Øvrige parter og aktiviteter", 0)
        w.text(agreement.section_4_interplay)


def _kontrakt_area(w: Writer, context: dict[str, Any], entry: builders.DelaftaleEntry) -> None:
    sa = entry.sub_agreement
    w.new_part()
    w.kicker(context["plan"].name)
    w.heading(f"Overordnet om indsatsområdet – {sa.focus_area.name}", 0)
    if context["contract_common"]:
        w.heading("Hvilke overordnede mål har indsatsområdet?", 1)
        if entry.goal_texts:
            w.bullets(list(entry.goal_texts))
        else:
            w.paragraph("Der er ikke registreret overordnede mål for indsatsområdet.", italic=True)
        agreement = context.get("agreement")
        if agreement is not None and agreement.section_2_vision:
            w.text(agreement.section_2_vision)

    activities = list(sa.activities.all())
    w.heading("Samarbejde mellem kommune og boligorganisationer", 1)
    if sa.municipal_coherence:
        w.text(sa.municipal_coherence)
    elif activities:
        w.bullets([activity.name for activity in activities])

    w.heading("Boligorganisationer og forvaltninger, som er involveret i indsatsområdet, med kontaktpersoner på "
              "ledelsesniveau", 1)
    parties = list(sa.parties.all())
    if parties:
        w.table([[party.organisation.name, party.role, "\n".join(_contact(contact) for contact in party.contact_list)]
                 for party in parties], header=["Organisation", "Rolle/funktion", "Kontaktpersoner"])
    else:
        w.paragraph("Parterne er ikke angivet.", italic=True)

    w.heading("Indsatsområdets samlede økonomiske ramme i den boligsociale helhedsplan", 1)
    if sa.economic_frame_amount is not None:
        w.table([["Samlet økonomisk ramme", format_kroner(sa.economic_frame_amount)]], label_column=True)
    if sa.economic_frame:
        w.text(sa.economic_frame)
    if sa.economic_frame_amount is None and not sa.economic_frame:
        w.paragraph("Den økonomiske ramme er ikke angivet.", italic=True)

    if activities:
        w.heading(f"Aktiviteter/netværk under indsatsområdet – {sa.focus_area.name}", 1)
        for activity in activities:
            w.heading(activity.name, 2)
            rows = []
            for field_name, label in CONTRACT_SKEMA_FIELDS:
                value = getattr(activity, field_name) or EMPTY
                if field_name == "purpose" and activity.target_group:
                    value += f"\n\nMålgruppe\n{activity.target_group}"
                if field_name == "content":
                    contacts = [_contact(contact) for contact in activity.contacts.all()]
                    if contacts:
                        value += "\n\nKontaktpersoner\n" + "\n".join(contacts)
                rows.append([label, value])
            w.table(rows, label_column=True, widths=[5.5, 11.1])

    w.heading("Medarbejderfunktioner og kontaktpersoner", 1)
    resources = list(sa.staff_resources.all())
    if resources:
        rows = []
        for resource in resources:
            function = resource.function
            if resource.share_display:
                function += f"\n{resource.share_display}"
            if resource.financed_by:
                function += f"\nFinansieret af {resource.financed_by}"
            rows.append([function, "\n".join(_contact(contact) for contact in resource.contacts.all()), resource.note])
        w.table(rows, header=["Funktion", "Kontaktpersoner", "Bemærkning"])
    else:
        w.paragraph("Der er ikke registreret medarbejderfunktioner.", italic=True)

    if sa.revision:
        w.heading("Revision af kontrakten", 1)
        w.text(sa.revision)


def render_docx(document: builders.Document) -> bytes:
    """The document as a .docx file, from the context its HTML is rendered from."""
    w = Writer()
    context = document.context
    w.doc.core_properties.title = document.title
    w.doc.core_properties.author = "Helhedsplan"
    if "contract_entries" in context:
        _kontrakt(w, context)
    elif document.kind == builders.DELAFTALE:
        _delaftale(w, context, context["entry"], standalone=True)
    elif document.kind == builders.SAMARBEJDSAFTALE:
        _samarbejdsaftale(w, context, standalone=True)
    elif document.kind == builders.BUDGET:
        _budget_sheet(w, context, standalone=True)
    elif document.kind == builders.SAMLET:
        _samlet(w, context)
    else:
        raise builders.DocumentNotFound(f"Dokumentet »{document.title}« findes ikke som Word-fil.")
    return w.save()


def docx_filename(document: builders.Document) -> str:
    return document.filename.removesuffix(".pdf") + ".docx"


#: The documents that have a Word file.
WORD_KINDS = (builders.SAMARBEJDSAFTALE, builders.DELAFTALE, builders.BUDGET, builders.SAMLET)
