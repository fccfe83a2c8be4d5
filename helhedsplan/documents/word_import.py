"""Bringing an existing delaftale or strategic agreement in from a Word file written in LBF's template.

``read_delaftale`` maps the file's headings and tables to the delaftale's fields (the title names the
indsatsområde; the fields table, Delaftalens parter, the Delmål og indikatorer table, the activity
list, the medarbejderressourcer, Sammenhæng, Konflikthåndtering, Revision and one skema per activity)
and lists what went where and what it could not place — without writing anything.
``delaftale_import`` then creates the delaftale as a kladde, all or nothing.

The labels are LBF's (``word``); a trailing colon, as LBF's own template has it, is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import transaction
from docx import Document as read_docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from agreements import plan_settings
from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.models import (
    AgreementParty,
    Contact,
    DocumentStatus,
    FocusArea,
    HousingArea,
    Organisation,
    Plan,
    PlanFocusArea,
    PuljeText,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)
from helhedsplan.formatting import MONTHS
from helhedsplan.uploads import ImportRefused, check_word_file
from indicators import services as indicator_services
from indicators.models import Goal, Indicator
from indicators.selectors import plan_goals

from . import word

MONITORING = "Monitorering (ingen mål)"
ACTIVITY_KIND_PREFIX = "Akt.nær indikator: "
SKEMA_LABELS = {label: name for name, label in word.SKEMA_FIELDS}
TEXT_HEADINGS = {word.HEADING_COHERENCE: "municipal_coherence", word.HEADING_CONFLICT: "conflict_handling",
                 word.HEADING_REVISION: "revision"}
#: Sentences the documents print themselves; never content to import.
BOILERPLATE = {word.DELAFTALE_INTRO, "Alle indikatorer er årlige opgørelser."}
DATE = re.compile(r"(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", re.IGNORECASE)


class WordImportError(ValueError):
    """The file cannot be imported at all (not a Word file, no delaftale title …). Message in Danish."""


@dataclass
class DelaftaleImport:
    """What a Word file holds, mapped to the delaftale's fields, and what could not be placed."""

    focus_area: FocusArea | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    parties: list[dict[str, Any]] = field(default_factory=list)
    party_contacts: list[list[Contact]] = field(default_factory=list)  # per party, in ``parties``' order
    sub_goals: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    placed: list[tuple[str, str]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    kind: str = "delaftale"

    def place(self, where: str, what: str) -> None:
        self.placed.append((where, _short(what)))


def _short(text: str, length: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _label(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip()


def _blocks_text(paragraphs: list[Paragraph]) -> str:
    """Paragraphs (bullets as "- " lines) back into the stored plain text: a blank line between blocks."""
    blocks: list[str] = []
    bullets: list[str] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        if paragraph.style.name.startswith("List"):
            bullets.append(f"- {text}")
            continue
        if bullets:
            blocks.append("\n".join(bullets))
            bullets = []
        blocks.append(text)
    if bullets:
        blocks.append("\n".join(bullets))
    text = "\n\n".join(blocks)
    return "" if text == word.EMPTY else text


def _cells(row) -> list[str]:
    seen, values = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:  # a merged cell appears once per column it spans
            seen.add(id(cell._tc))
            values.append(cell.text.strip())
    return values


def _rows(table: Table) -> list[list[str]]:
    return [_cells(row) for row in table.rows]


def parse_danish_date(text: str) -> date | None:
    """``1. januar 2022`` → ``date(2022, 1, 1)``; None when it is no such date."""
    match = DATE.search(text)
    if not match or match.group(2).lower() not in MONTHS:
        return None
    try:
        return date(int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
    except ValueError:
        return None


def _share(text: str) -> dict[str, Decimal | None]:
    number = re.search(r"\d+(?:[.,]\d+)?", text or "")
    if not number:
        return {}
    try:
        value = Decimal(number.group(0).replace(".", "").replace(",", ".") if "," in number.group(0)
                        else number.group(0))
    except InvalidOperation:
        return {}
    return {"hours_per_week": value} if "time" in text else {"percent": value}


# --- Reading ----------------------------------------------------------------------------------------------

def read_delaftale(*, plan: Plan, content: bytes) -> DelaftaleImport:
    """Map a delaftale's Word file to its fields, for ``plan``. Raises ``WordImportError`` when the
    file is no Word file or has no delaftale title; problems with single fields go to ``errors``."""
    return _read_delaftale(plan, _open(content))


def _read_delaftale(plan: Plan, document) -> DelaftaleImport:
    result = DelaftaleImport()
    section: str | None = None
    pending: list[Paragraph] = []
    texts: dict[str, list[Paragraph]] = {}

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            _read_table(plan, result, section, block)
            continue
        text = block.text.strip()
        label = _label(text)
        if not text:
            continue
        if text.startswith(word.DELAFTALE_TITLE) and result.focus_area is None:
            _read_title(plan, result, text[len(word.DELAFTALE_TITLE):].strip())
            section = "title"
            continue
        if label in {word.HEADING_PARTIES, word.HEADING_SUBGOALS, word.HEADING_ACTIVITIES, word.HEADING_STAFF,
                     word.HEADING_ECONOMY, word.HEADING_SKEMAS} or label in TEXT_HEADINGS:
            section = label
            continue
        if section in TEXT_HEADINGS:
            texts.setdefault(section, []).append(block)
        elif section == word.HEADING_ACTIVITIES and block.style.name.startswith("List"):
            cofinancing = text.endswith(f"({word.COFINANCING_TAG})")
            name = text.removesuffix(f"({word.COFINANCING_TAG})").strip()
            if not any(activity["name"] == name for activity in result.activities):
                result.activities.append({"name": name, "municipal_cofinancing": cofinancing})
            result.place("Aktivitetsliste", name)
        elif (text in BOILERPLATE or section == "title" or section is None or block.style.name == "Title"
              or block.runs and all(run.italic for run in block.runs if run.text.strip())):
            # The plan name, the status line, the documents' own sentences and the italic "nothing
            # registered" lines are the document's, not content.
            pending.append(block)
        else:
            result.unplaced.append(_short(text))
    for heading, name in TEXT_HEADINGS.items():
        value = _blocks_text(texts.get(heading, []))
        result.fields[name] = value
        if value:
            result.place(heading, value)
    if result.focus_area is None and not result.errors:
        result.errors.append(f"Filen har ingen titel »{word.DELAFTALE_TITLE}…«, så indsatsområdet er ukendt.")
    return result


def _read_title(plan: Plan, result: DelaftaleImport, name: str) -> None:
    area = FocusArea.objects.filter(pulje_id=plan.pulje_id, name__iexact=name).first()
    if area is None:
        known = ", ".join(FocusArea.objects.filter(pulje_id=plan.pulje_id).values_list("name", flat=True))
        result.errors.append(f"Indsatsområdet »{name}« findes ikke i puljen {plan.pulje.name}. Mulige: {known}.")
        return
    if not PlanFocusArea.objects.filter(plan=plan, focus_area=area).exists():
        result.errors.append(f"Indsatsområdet »{area.name}« er ikke valgt i helhedsplanen »{plan.name}«; "
                             f"vælg det først.")
    elif SubAgreement.objects.filter(plan=plan, focus_area=area).exists():
        result.errors.append(f"Helhedsplanen »{plan.name}« har allerede en delaftale for indsatsområdet »{name}«.")
    result.focus_area = area
    result.place("Indsatsområde", area.name)


def _read_table(plan: Plan, result: DelaftaleImport, section: str | None, table: Table) -> None:
    rows = _rows(table)
    if not rows:
        return
    first = [_label(cell) for cell in rows[0]]
    if first and first[0] == word.SKEMA_NAME:
        _read_skema(plan, result, rows)
    elif first[:2] == word.PARTY_HEADER:
        _read_parties(result, rows[1:])
    elif first[:2] == word.SUBGOAL_HEADER[:2]:
        _read_sub_goals(result, rows[1:])
    elif first[:1] == word.STAFF_HEADER[:1]:
        _read_staff(result, rows[1:])
    elif section == word.HEADING_ECONOMY:
        result.unplaced.append("Indsatsområdets økonomi (kommer fra budgettet og indlæses ikke)")
    else:
        for row in rows:
            label, value = (_label(row[0]), row[1]) if len(row) >= 2 else ("", "")
            if label == word.FIELD_INITIATIVE:
                result.fields["initiative_name"] = value
                result.place(word.FIELD_INITIATIVE, value)
            elif label == word.FIELD_PERIOD:
                start, _, end = value.partition("–")
                start_date, end_date = parse_danish_date(start), parse_danish_date(end)
                if start_date is None or end_date is None:
                    result.errors.append(f"Perioden »{value}« kan ikke læses; skriv f.eks. "
                                         f"»1. januar 2024 – 31. december 2027«.")
                else:
                    result.fields.update(start_date=start_date, end_date=end_date)
                    result.place(word.FIELD_PERIOD, value)
            else:
                result.unplaced.append(_short(" | ".join(row)))


def _contact_names(cell: str) -> list[str]:
    """The names in a party's contact persons cell: each contact person is a block of lines (name,
    title, e-mail, phone) and blocks are separated by a blank line."""
    blocks = re.split(r"\n\s*\n", cell.strip())
    return [block.strip().split("\n")[0].strip() for block in blocks if block.strip()]


def _read_parties(result: DelaftaleImport, rows: list[list[str]]) -> None:
    names = {row[0] for row in rows if row and row[0]}
    organisations = {organisation.name: organisation for organisation in Organisation.objects.filter(name__in=names)}
    contacts = {(contact.organisation_id, contact.name): contact
                for contact in Contact.objects.filter(organisation__in=organisations.values())}
    for row in rows:
        name, role = row[0], row[1] if len(row) > 1 else ""
        if name not in organisations:
            result.unplaced.append(f"Part »{name}« (organisationen findes ikke; opret den først)")
            continue
        organisation = organisations[name]
        party_contacts = []
        for contact_name in _contact_names(row[2] if len(row) > 2 else ""):
            contact = contacts.get((organisation.pk, contact_name))
            if contact is None:
                result.unplaced.append(f"Kontaktperson »{contact_name}« hos {name} (findes ikke hos organisationen; "
                                       f"opret den først)")
                continue
            if contact not in party_contacts:
                party_contacts.append(contact)
        result.parties.append({"organisation": organisation, "role": role})
        result.party_contacts.append(party_contacts)
        result.place(word.HEADING_PARTIES, f"{name}: {role}")
        for contact in party_contacts:
            result.place(word.PARTY_CONTACTS, f"{name}: {contact.name}")


def _read_sub_goals(result: DelaftaleImport, rows: list[list[str]]) -> None:
    for row in rows:
        row = (row + [""] * 6)[:6]
        goal, indicator_cell, baseline_area, other, year, source = row
        if goal:
            result.sub_goals.append({"text": goal, "indicators": []})
            result.place("Delmål", goal)
        if not result.sub_goals:
            result.unplaced.append(_short(" | ".join(row)))
            continue
        if indicator_cell in ("", "Ingen indikator"):
            continue
        lines = indicator_cell.split("\n")
        text, fields = lines[0], {"baseline_area": baseline_area, "baseline_year": year, "data_source": source}
        if text.startswith(ACTIVITY_KIND_PREFIX):
            text, fields["kind"] = text[len(ACTIVITY_KIND_PREFIX):], Indicator.Kind.ACTIVITY
        target = "\n".join(lines[1:]).strip()
        if target == MONITORING:
            fields["monitoring"] = True
        elif target:
            fields["target"] = target.removeprefix("Mål:").strip()
        elif fields.get("kind") == Indicator.Kind.ACTIVITY:
            # LBF's "Akt.nær indikator: 40 deltagere gennemfører mentorforløb": the indicator is its target.
            fields["target"] = text
        other_lines = other.split("\n")
        fields["baseline_other"] = other_lines[0]
        if len(other_lines) > 1:
            fields["baseline_other_label"] = " ".join(other_lines[1:])
        result.sub_goals[-1]["indicators"].append({"text": text, **fields})
        result.place("Indikator", text)


def _read_staff(result: DelaftaleImport, rows: list[list[str]]) -> None:
    for row in rows:
        function, share, financed_by, note = (row + [""] * 4)[:4]
        if not function:
            continue
        result.staff.append({"function": function, "financed_by": financed_by, "note": note, **_share(share)})
        result.place(word.HEADING_STAFF, f"{function} ({share})")


def _listed_activity(result: DelaftaleImport, name: str) -> dict[str, Any] | None:
    """The activity list's entry for the skema named ``name``: the entry that is the name itself, or
    the name followed by ", " and the activity's one-line description (then both are taken apart)."""
    activity = next((item for item in result.activities if item["name"] == name), None)
    if activity is not None or not name:
        return activity
    prefix = f"{name}, "
    activity = next((item for item in result.activities
                     if item["name"].startswith(prefix) and "short_description" not in item), None)
    if activity is not None:
        activity["short_description"] = activity["name"][len(prefix):].strip()
        activity["name"] = name
    return activity


def _read_skema(plan: Plan, result: DelaftaleImport, rows: list[list[str]]) -> None:
    name = rows[0][1] if len(rows[0]) > 1 else ""
    activity = _listed_activity(result, name)
    if activity is None:
        activity = {"name": name, "municipal_cofinancing": False}
        result.activities.append(activity)
    result.place("Aktivitetsskema", name)
    for row in rows[1:]:
        label, value = _label(row[0]), row[1] if len(row) > 1 else ""
        if label in SKEMA_LABELS:
            activity[SKEMA_LABELS[label]] = "" if value == word.EMPTY else value
            result.place(f"{name}: {label}", value)
        elif label == word.SKEMA_COFINANCING:
            activity["municipal_cofinancing"] = True
        elif label == "Boligområder":
            names = [part.strip() for part in value.split(",")]
            areas = list(HousingArea.objects.filter(plan=plan, name__in=names))
            activity["housing_areas"] = areas
            missing = set(names) - {area.name for area in areas}
            if missing:
                result.unplaced.append(
                    f"{name}: boligområder, som helhedsplanen ikke har: {', '.join(sorted(missing))}")
        elif label == "Ansvarlige organisationer":
            names = [part.strip() for part in value.split(",")]
            organisations = list(Organisation.objects.filter(name__in=names))
            activity["responsible_organisations"] = organisations
            missing = set(names) - {organisation.name for organisation in organisations}
            if missing:
                result.unplaced.append(f"{name}: ukendte organisationer: {', '.join(sorted(missing))}")
        else:
            result.unplaced.append(f"{name}: {_short(label + ' | ' + value)}")


# --- Writing ----------------------------------------------------------------------------------------------

@transaction.atomic
def delaftale_import(*, plan: Plan, content: DelaftaleImport) -> SubAgreement:
    """Create the delaftale (a kladde) with everything ``read_delaftale`` placed, all or nothing.
    Raises ``WordImportError`` (Danish) when the file had errors or a field breaks a rule."""
    if content.errors or content.focus_area is None:
        raise WordImportError(" ".join(content.errors) or "Indsatsområdet er ukendt.")
    try:
        sub_agreement = agreement_services.subagreement_create(plan=plan, focus_area=content.focus_area,
                                                               **content.fields)
        parties = [SubAgreementParty(order=number, **party) for number, party in enumerate(content.parties, start=1)]
        changes = dict(
            parties=agreement_services.ChildChanges(saved=parties, contacts=[
                (party, contacts)
                for party, contacts in zip(parties, content.party_contacts, strict=True) if contacts]),
            staff_resources=agreement_services.ChildChanges(saved=[
                StaffResource(order=number, **resource) for number, resource in enumerate(content.staff, start=1)]),
        )
        if content.parties or content.staff:
            agreement_services.subagreement_save(sub_agreement=sub_agreement, expected_version=sub_agreement.version,
                                                 **changes)
        for number, activity in enumerate(content.activities, start=1):
            fields = dict(activity)
            agreement_services.activity_create(sub_agreement=sub_agreement, order=number, **fields)
        for number, sub_goal in enumerate(content.sub_goals, start=1):
            created = indicator_services.sub_goal_create(sub_agreement=sub_agreement, text=sub_goal["text"],
                                                         order=number)
            for order, indicator in enumerate(sub_goal["indicators"], start=1):
                indicator_services.indicator_create(sub_goal=created, order=order, **indicator)
    except ValidationError as error:
        raise WordImportError("Delaftalen kan ikke oprettes: " + " ".join(error.messages)) from error
    return sub_agreement


# --- The strategic agreement ------------------------------------------------------------------------------

AREA, PARTIES, PERIOD = "area_name", "parties", "period"
SIGNATURES, DOCUMENTS, UNKNOWN = "signatures", "documents", "unknown"
#: The fields and headings of LBF's samarbejdsaftale, in the template's order: (key, label).
AGREEMENT_HEADINGS: tuple[tuple[str, str], ...] = (
    (AREA, word.FIELD_AREA_NAME), (PARTIES, word.FIELD_AGREEMENT_PARTIES), (PERIOD, word.FIELD_AGREEMENT_PERIOD),
    (SIGNATURES, word.HEADING_SIGNATURES), (DOCUMENTS, word.HEADING_AGREEMENT_DOCUMENTS),
    *(((name or heading[:1]), heading) for name, heading in word.SECTIONS),
)
HEADING_LABELS = dict(AGREEMENT_HEADINGS)
#: Where a pulje's standard text stands: it is LBF's, recognised and left out, never imported.
STANDARD_TEXT_PLACES = {DOCUMENTS: PuljeText.Key.AGREEMENT_DOCUMENTS, "section_3_organisation": PuljeText.Key.SECTION_3,
                        "5": PuljeText.Key.SECTION_5, "6": PuljeText.Key.SECTION_6}
#: The share of words a passage must have in common with a standard text to be taken for it (LBF's own
#: file carries its web address where ours is anonymised, and line breaks differ).
STANDARD_TEXT_LIKENESS = 0.9
NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+\w")
SHORT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\b")
#: Lines the documents print themselves where there is nothing to show; never content.
DOCUMENT_LINES = {word.EMPTY, word.NO_GOALS, word.NO_FOCUS_AREAS, "Aftalens parter er ikke angivet."}
GOAL_COLUMNS = (("goal", "mål"), ("indicator", "indikator"), ("baseline_area", "baseline bolig"),
                ("baseline_other", "baseline kommune"), ("baseline_year", "baseline år"), ("data_source", "datakilde"))


@dataclass
class Passage:
    """A paragraph of the file as the reader sees it (a table cell's paragraphs count too)."""

    text: str
    bullet: bool = False
    heading: bool = False


@dataclass
class SamarbejdsaftaleImport:
    """What a samarbejdsaftale's Word file holds, mapped to the plan's fields, and what was left over.

    Only what the file has is written: a section missing from it keeps its text (``missing`` names it)."""

    area_name: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    parties: list[dict[str, Any]] | None = None
    problem_complexes: list[tuple[PlanFocusArea, str]] = field(default_factory=list)
    indicator_updates: list[tuple[Indicator, dict[str, str]]] = field(default_factory=list)
    indicator_creates: list[tuple[Goal, dict[str, str]]] = field(default_factory=list)
    placed: list[tuple[str, str]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kind: str = "samarbejdsaftale"

    def place(self, where: str, what: str) -> None:
        self.placed.append((where, _short(what)))


def _norm(text: str) -> str:
    """Whitespace collapsed and every dash a hyphen: how labels are compared."""
    return " ".join(re.sub(r"[\u2010-\u2015\u2212]", "-", text).split())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _heading(text: str) -> tuple[str, str] | None:
    """``(key, rest)`` when the text is one of the template's fields or headings — alone, with a colon,
    or followed by text in the same paragraph, as LBF's own file has it ("3. Organisering Parterne …")."""
    normal = _norm(text)
    folded = normal.casefold()
    for key, label in AGREEMENT_HEADINGS:
        wanted = _norm(label).casefold()
        if folded.rstrip(":").strip() == wanted:
            return key, ""
        if folded.startswith(wanted) and normal[len(wanted)] in " :":
            return key, normal[len(wanted):].lstrip(" :").strip()
    return None


def _passages(block) -> list[Passage]:
    if isinstance(block, Table):
        # A table the reader does not know (LBF's template puts sections in table cells): its paragraphs.
        seen, passages = set(), []
        for row in block.rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        passages.extend(_passages(paragraph))
        return passages
    text = block.text.strip()
    if not text:
        return []
    style = block.style.name if block.style is not None else ""
    return [Passage(text=text, bullet=style.startswith("List"), heading=style.startswith(("Heading", "Title")))]


def _passages_text(passages: list[Passage]) -> str:
    """Passages back into the stored plain text: a blank line between paragraphs, bullets as "- " lines
    right under the paragraph that introduces them ("Intro:\n- a\n- b")."""
    text = ""
    for passage in passages:
        line = passage.text.strip()
        bullet = passage.bullet or bool(re.match(r"^[-•−]\s", line))
        if bullet:
            line = "- " + re.sub(r"^[-•−]\s+", "", line)
        text += ("\n" if bullet else "\n\n") + line if text else line
    return text


def _without_standard_text(passages: list[Passage], standard: list[str]) -> tuple[list[Passage], bool]:
    """The passages after a leading standard text (LBF's, as the pulje has it or nearly so), and whether
    there was one."""
    for text in standard:
        wanted = _words(text)
        if not wanted:
            continue
        read: list[str] = []
        best, best_count = 0.0, 0
        for count, passage in enumerate(passages, start=1):
            read += _words(passage.text)
            if len(read) > len(wanted) * 1.2:
                break
            if len(read) >= len(wanted) * 0.8:
                likeness = SequenceMatcher(None, wanted, read, autojunk=False).ratio()
                if likeness > best:
                    best, best_count = likeness, count
        if best >= STANDARD_TEXT_LIKENESS:
            return passages[best_count:], True
    return passages, False


def _parse_date(text: str) -> date | None:
    """``1. januar 2022`` or ``01.01.22`` / ``01.01.2022``."""
    found = parse_danish_date(text)
    if found is not None:
        return found
    match = SHORT_DATE.search(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def _organisation(name: str) -> Organisation | None:
    return (Organisation.objects.filter(name__iexact=name).first()
            or Organisation.objects.filter(short_name__iexact=name).first())


def _read_samarbejdsaftale(plan: Plan, document) -> SamarbejdsaftaleImport:
    result = SamarbejdsaftaleImport()
    agreement = StrategicAgreement.objects.filter(plan=plan).first()
    if agreement is not None and agreement.status == DocumentStatus.SUBMITTED:
        result.errors.append("Samarbejdsaftalen er sendt til bestyrelsen. Send den tilbage til kladde, før du "
                             "indlæser en Word-fil.")
    sections: dict[str, list[Passage]] = {}
    tables: dict[str, list[list[list[str]]]] = {}
    section: str | None = None
    # Section 6's own headings: the indsatsområder and their "Problemkompleks" label.
    area_headings = {_norm(name).casefold() for name in FocusArea.objects.filter(pulje_id=plan.pulje_id)
                     .values_list("name", flat=True)} | {word.PROBLEM_COMPLEX.casefold()}
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = _rows(block)
            first = [_label(cell) for cell in rows[0]] if rows else []
            kind = ("signatures" if first[:3] == word.SIGNATURE_HEADER else "housing"
                    if first[:2] == word.HOUSING_HEADER else "goals"
                    if [cell.casefold() for cell in first[:2]] == ["mål", "indikator"] else None)
            if kind:
                tables.setdefault(kind, []).append(rows)
                continue
            if rows and _heading(rows[0][0]) and len(rows[0]) == 2 and _heading(rows[0][0])[0] in (AREA, PARTIES,
                                                                                                     PERIOD):
                for row in rows:  # the fields table: label | value
                    _read_agreement_field(plan, result, sections, row)
                continue
        for passage in _passages(block):
            if passage.text.startswith(word.DELAFTALE_TITLE):
                result.unplaced.append("Filen indeholder også delaftaler; indlæs hver delaftale for sig.")
                section = "stop"
                break
            found = _heading(passage.text)
            if found:
                section, rest = found
                sections.setdefault(section, [])
                if rest:
                    sections[section].append(Passage(text=rest))
            elif _norm(passage.text).casefold().startswith(_norm(word.SAMARBEJDSAFTALE_TITLE).casefold()):
                section = "title"
            elif section in (None, "title") or passage.text in DOCUMENT_LINES:
                continue  # the plan's name, the status line and the "nothing registered" lines are the document's
            elif section == "6" and _norm(passage.text).rstrip(":").casefold() in area_headings:
                sections[section].append(passage)
            elif passage.heading or (NUMBERED_HEADING.match(passage.text) and len(passage.text) <= 80):
                section = UNKNOWN
                result.unplaced.append(f"Afsnittet »{_short(passage.text)}« findes ikke i LBF's skabelon")
            elif section == UNKNOWN:
                result.unplaced.append(_short(passage.text))
            else:
                sections[section].append(passage)
        if section == "stop":
            break
    sections.pop("stop", None)
    _map_agreement(plan, result, sections, tables)
    return result


def _read_agreement_field(plan: Plan, result: SamarbejdsaftaleImport, sections: dict[str, list[Passage]],
                          row: list[str]) -> None:
    label, value = _label(row[0]), row[1] if len(row) > 1 else ""
    found = _heading(label)
    if found and found[0] in (AREA, PARTIES, PERIOD):
        sections.setdefault(found[0], []).extend(Passage(text=line) for line in value.split("\n") if line.strip())
    elif label == word.FIELD_PULJE:
        if value.strip() != plan.pulje.name:
            result.unplaced.append(f"Puljen i filen, »{value}«, er ikke helhedsplanens ({plan.pulje.name})")
    elif label == word.FIELD_JOURNAL_NUMBER:
        if value.strip() != plan.lbf_journal_number:
            result.unplaced.append(f"LBF journalnummer »{value}« (rettes under helhedsplanens indstillinger)")
    else:
        result.unplaced.append(_short(" | ".join(row)))


def _map_agreement(plan: Plan, result: SamarbejdsaftaleImport, sections: dict[str, list[Passage]],
                   tables: dict[str, list]) -> None:
    texts = agreement_selectors.pulje_texts(plan.pulje_id)

    def standard(key: str) -> list[str]:
        found = [texts[STANDARD_TEXT_PLACES[key]]] if STANDARD_TEXT_PLACES[key] in texts else []
        return found + (["\n".join(word.AGREEMENT_DOCUMENTS_TEXT)] if key == DOCUMENTS else [])

    for key in list(sections):
        if key in STANDARD_TEXT_PLACES:
            sections[key], recognised = _without_standard_text(sections[key], standard(key))
            if recognised:
                result.place("LBF's standardtekst (genkendt, indlæses ikke)", HEADING_LABELS[key])

    if AREA in sections:
        value = " ".join(passage.text for passage in sections[AREA])
        result.area_name = "" if value == plan.name and not plan.area_name else value
        result.place(word.FIELD_AREA_NAME, value)
    if PARTIES in sections or "signatures" in tables:
        _map_parties(result, sections.get(PARTIES, []), tables.get("signatures", []))
    for passage in sections.get(SIGNATURES, []):
        # LBF's blank signature lines ("Dato Navn" under each party's name) carry nothing to import.
        if _norm(passage.text).casefold() not in ("dato navn", "dato", "navn") and _organisation(passage.text) is None:
            result.unplaced.append(f"{word.HEADING_SIGNATURES}: {_short(passage.text)}")
    if PERIOD in sections:
        value = " ".join(passage.text for passage in sections[PERIOD])
        start, _, end = _norm(value).partition(" - ")
        start_date, end_date = _parse_date(start), _parse_date(end)
        if start_date is None or end_date is None:
            result.unplaced.append(f"Perioden »{value}« kan ikke læses")
        elif (start_date, end_date) == (plan.start_date, plan.end_date):
            result.place(word.FIELD_AGREEMENT_PERIOD, f"{value} (som helhedsplanens periode)")
        else:
            result.unplaced.append(f"Perioden {value} er ikke helhedsplanens ({plan.period_display}); perioden "
                                   f"ændres ikke ved indlæsning")
    if DOCUMENTS in sections:
        _map_documents(result, sections[DOCUMENTS])
    for name, heading in word.SECTIONS:
        key = name or heading[:1]
        if key not in sections:
            result.missing.append(heading)
        elif name:
            result.fields[name] = _passages_text(sections[key])
            if result.fields[name]:
                result.place(heading, result.fields[name])
    if "5" in sections:
        for passage in sections["5"]:
            if passage.text != word.NO_GOALS:
                result.unplaced.append(f"5.: {_short(passage.text)}")
    for rows in tables.get("goals", []):
        _map_goals(plan, result, rows)
    if "6" in sections:
        _map_problem_complexes(plan, result, sections["6"])
    if tables.get("housing"):
        result.unplaced.append("Boligområder og afdelinger (hører til helhedsplanen og indlæses ikke herfra)")
    for key, label in AGREEMENT_HEADINGS[:3]:
        if key not in sections:
            result.missing.append(label)


def _map_parties(result: SamarbejdsaftaleImport, passages: list[Passage], signature_tables: list) -> None:
    parties: dict[int, dict[str, Any]] = {}
    names: list[str] = []
    contact_texts: dict[str, str] = {}  # party name → its "Kontaktperson(er): …" line
    for line in (re.sub(r"^[-•−]\s+", "", line).strip() for passage in passages for line in passage.text.split("\n")):
        label, _, rest = line.partition(": ")
        if label in ("Kontaktperson", "Kontaktpersoner") and names:
            contact_texts[names[-1]] = rest
        else:
            names.append(line)
    for rows in signature_tables:
        for row in rows[1:]:
            party, signed, signatory = (row + ["", "", ""])[:3]
            name, _, role = party.partition("\n")
            names.append(name.strip())
            signatory_name, _, title = signatory.partition(", ")
            details = {"role": role.strip(), "signatory_name": signatory_name.strip(),
                       "signatory_title": title.strip(), "signed_date": _parse_date(signed) if signed else None}
            organisation = _organisation(name.strip())
            if organisation is not None:
                parties.setdefault(organisation.pk, {"organisation": organisation}).update(details)
    ordered: list[dict[str, Any]] = []
    for name in names:
        if not name or name == word.EMPTY:
            continue
        organisation = _organisation(name)
        if organisation is None:
            result.unplaced.append(f"Part »{name}« (organisationen findes ikke; opret den først)")
            continue
        party = parties.setdefault(organisation.pk, {"organisation": organisation})
        if party not in ordered:
            ordered.append(party)
            result.place(word.FIELD_AGREEMENT_PARTIES, organisation.name + (
                f": {party['signatory_name']}" if party.get("signatory_name") else ""))
        if name in contact_texts:
            party["contacts"] = _agreement_party_contacts(result, organisation, contact_texts[name])
    if ordered:
        result.parties = ordered
    elif any(names):
        result.unplaced.append("Ingen af filens parter findes som organisation; aftalens parter ændres ikke")


def _agreement_party_contacts(result: SamarbejdsaftaleImport, organisation: Organisation, text: str) -> list:
    """The contact persons of a "Kontaktperson(er): name, title, e-mail, phone; name, …" line, found by
    name among the organisation's contact persons."""
    known = {contact.name: contact for contact in organisation.contacts.all()}
    found = []
    for entry in text.split("; "):
        name = entry.partition(", ")[0].strip()
        if name in known:
            found.append(known[name])
            result.place(word.PARTY_CONTACTS, f"{organisation.name}: {name}")
        elif name:
            result.unplaced.append(f"Kontaktperson »{name}« hos {organisation.name} (findes ikke hos organisationen; "
                                   f"opret den først)")
    return found


def _map_documents(result: SamarbejdsaftaleImport, passages: list[Passage]) -> None:
    documents: list[str] = []
    listing = False
    for passage in passages:
        if passage.text == word.DOCUMENTS_LEAD_IN:
            listing = True
        elif listing or passage.bullet:
            documents.extend(line.strip(" -•\t") for line in passage.text.split("\n") if line.strip(" -•\t"))
        else:
            result.unplaced.append(f"Aftaledokumenter: {_short(passage.text)}")
    result.fields["documents"] = "\n".join(documents)
    for name in documents:
        result.place(word.HEADING_AGREEMENT_DOCUMENTS, name)


def _goal_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        label = _norm(cell).casefold().replace("- ", "")
        for key, start in GOAL_COLUMNS:
            if key not in columns and (label == start if key in ("goal", "indicator") else label.startswith(start)):
                columns[key] = index
                break
    return columns


def _map_goals(plan: Plan, result: SamarbejdsaftaleImport, rows: list[list[str]]) -> None:
    """Section 5: each row's baselines onto the plan's indicator of that text; an indicator the plan
    lacks is added under its goal when the goal is the plan's; what fits nowhere is listed."""
    columns = _goal_columns(rows[0])
    goals = plan_goals(plan)
    by_text = {tuple(_words(goal.text)): goal for goal in goals}
    indicators = {tuple(_words(indicator.text)): indicator for goal in goals for indicator in goal.indicators.all()}
    groups: list[tuple[str, list[dict[str, str]]]] = []
    for row in rows[1:]:
        values = {key: row[index].strip() if index < len(row) else "" for key, index in columns.items()}
        goal_text = values.pop("goal", "")
        if goal_text and (not groups or goal_text != groups[-1][0]):
            groups.append((goal_text, []))
        elif not groups:
            groups.append(("", []))
        if values.get("indicator") and values["indicator"] != "Ingen indikator":
            groups[-1][1].append(values)
    for goal_text, group in groups:
        goal = by_text.get(tuple(_words(goal_text))) or next(
            (indicators[key].goal for key in (tuple(_words(v["indicator"])) for v in group) if key in indicators), None)
        if goal is None and not group and goal_text:
            result.unplaced.append(f"5.: »{_short(goal_text, 60)}«")
        for values in group:
            text = values.pop("indicator")
            other = values.get("baseline_other", "").split("\n")
            values["baseline_other"] = other[0]
            if len(other) > 1:
                values["baseline_other_label"] = " ".join(other[1:])
            indicator = indicators.get(tuple(_words(text)))
            if indicator is not None:
                result.indicator_updates.append((indicator, values))
                result.place("5. Indikator (baseline og datakilde)", text)
            elif goal is not None:
                result.indicator_creates.append((goal, {"text": text, **values}))
                result.place(f"5. Ny indikator under »{_short(goal.text, 40)}«", text)
            else:
                result.unplaced.append(f"5.: målet »{_short(goal_text or '?', 50)}« med indikatoren "
                                       f"»{_short(text, 50)}« (helhedsplanen har ikke målet)")


def _map_problem_complexes(plan: Plan, result: SamarbejdsaftaleImport, passages: list[Passage]) -> None:
    choices = {_norm(choice.focus_area.name).casefold(): choice
               for choice in PlanFocusArea.objects.filter(plan=plan).select_related("focus_area")}
    pulje_areas = {_norm(name).casefold() for name in FocusArea.objects.filter(pulje_id=plan.pulje_id)
                   .values_list("name", flat=True)}
    current: PlanFocusArea | None = None
    collected: dict[int, tuple[PlanFocusArea, list[Passage]]] = {}
    outside = False
    for passage in passages:
        name = _norm(passage.text).rstrip(":").casefold()
        if name in choices:
            current, outside = choices[name], False
            collected.setdefault(current.pk, (current, []))
        elif name in pulje_areas:
            current, outside = None, True
            result.unplaced.append(f"6.: indsatsområdet »{passage.text}« er ikke valgt i helhedsplanen")
        elif _label(passage.text) == word.PROBLEM_COMPLEX or passage.text == word.NO_FOCUS_AREAS:
            continue
        elif current is not None:
            collected[current.pk][1].append(passage)
        else:
            result.unplaced.append(f"6.: {_short(passage.text)}" + ("" if outside else " (intet indsatsområde)"))
    for choice, found in collected.values():
        text = _passages_text(found)
        result.problem_complexes.append((choice, text))
        result.place(f"6. Problemkompleks: {choice.focus_area.name}", text or "(tom)")


@transaction.atomic
def samarbejdsaftale_import(*, plan: Plan, content: SamarbejdsaftaleImport) -> StrategicAgreement:
    """Write what ``read_word`` placed into the plan's samarbejdsaftale (a kladde), all or nothing.
    Raises ``WordImportError`` (Danish) when the file had errors or a field breaks a rule."""
    if content.errors:
        raise WordImportError(" ".join(content.errors))
    agreement = agreement_services.strategic_agreement_get_or_create(plan=plan)
    if agreement.status == DocumentStatus.SUBMITTED:
        raise WordImportError("Samarbejdsaftalen er sendt til bestyrelsen. Send den tilbage til kladde, før du "
                              "indlæser en Word-fil.")
    try:
        if content.area_name is not None and content.area_name != plan.area_name:
            plan_settings.plan_area_name_update(plan=plan, area_name=content.area_name)
        parties = None
        if content.parties is not None:
            existing = {party.organisation_id: party for party in agreement.parties.all()}
            saved = []
            for order, found in enumerate(content.parties, start=1):
                organisation = found["organisation"]
                party = existing.pop(organisation.pk, None) or AgreementParty(organisation=organisation)
                for name in ("role", "signatory_name", "signatory_title", "signed_date"):
                    if name in found:
                        setattr(party, name, found[name])
                party.order = order
                saved.append(party)
            parties = agreement_services.ChildChanges(
                saved=saved, deleted=list(existing.values()),
                contacts=[(party, found["contacts"]) for party, found in zip(saved, content.parties, strict=True)
                          if "contacts" in found])
        choices = []
        for choice, text in content.problem_complexes:
            choice.problem_complex = text
            choices.append(choice)
        agreement_services.strategic_agreement_save(
            agreement=agreement, expected_version=agreement.version, fields=dict(content.fields),
            parties=parties, focus_areas=agreement_services.ChildChanges(saved=choices))
        for indicator, values in content.indicator_updates:
            indicator_services.indicator_update(indicator=indicator, **values)
        for goal, values in content.indicator_creates:
            order = goal.indicators.count() + 1
            indicator_services.indicator_create(goal=goal, order=order, **values)
    except ValidationError as error:
        raise WordImportError("Samarbejdsaftalen kan ikke gemmes: " + " ".join(error.messages)) from error
    return agreement


# --- Either document ----------------------------------------------------------------------------------------

def _open(content: bytes):
    try:
        check_word_file(content)
    except ImportRefused as error:
        raise WordImportError(error.message) from error
    try:
        return read_docx(BytesIO(content))
    except (BadZipFile, KeyError, ValueError) as error:
        raise WordImportError("Filen kan ikke læses som et Word-dokument (.docx).") from error


def _document_kind(document) -> str:
    """"samarbejdsaftale" or "delaftale", by the title that comes first in the file."""
    agreement_title = _norm(word.SAMARBEJDSAFTALE_TITLE).casefold()
    for block in document.iter_inner_content():
        for passage in _passages(block):
            if passage.text.startswith(word.DELAFTALE_TITLE):
                return "delaftale"
            if _norm(passage.text).casefold().startswith(agreement_title):
                return "samarbejdsaftale"
    raise WordImportError(f"Filen er hverken en delaftale eller en strategisk samarbejdsaftale i LBF's skabelon: "
                          f"den har ingen titel »{word.DELAFTALE_TITLE}…« eller »{word.SAMARBEJDSAFTALE_TITLE}«.")


def read_word(*, plan: Plan, content: bytes) -> DelaftaleImport | SamarbejdsaftaleImport:
    """A delaftale or the strategic agreement in LBF's template, mapped for ``plan`` (nothing written).
    Raises ``WordImportError`` when the file is no Word file or neither document."""
    document = _open(content)
    if _document_kind(document) == "samarbejdsaftale":
        return _read_samarbejdsaftale(plan, document)
    return _read_delaftale(plan, document)


def word_import(*, plan: Plan, content: DelaftaleImport | SamarbejdsaftaleImport) -> SubAgreement | StrategicAgreement:
    """Write what ``read_word`` found: a new delaftale, or the samarbejdsaftale's content, as a kladde."""
    if isinstance(content, SamarbejdsaftaleImport):
        return samarbejdsaftale_import(plan=plan, content=content)
    return delaftale_import(plan=plan, content=content)
