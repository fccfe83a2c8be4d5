"""The LBF documents of a plan and the økonomiopfølgning: one context selector per document.

Each selector reads everything its document shows in a fixed number of queries (independent of the
number of activities, parties, staff resources …), so the template never touches the database. The
same template and context serve the HTML preview page and the PDF (``pdf``).

Data that other apps own comes in through the ``_…`` hooks at the bottom; the templates print a
section's heading and a short neutral line when it has no data yet. Context keys:

- per delaftale entry: ``economy`` (``budgets.selectors.Economy``: ``lbf``, ``local``, ``total`` in
  kroner, or None without a budget); ``subgoal_rows`` (``indicators.selectors.subgoal_rows``).
- per plan: ``goal_rows`` (``indicators.selectors.goal_rows``); ``budget_sheet``
  (``budgets.selectors.budget_sheet``, the empty sheet while there is no budget) and
  ``budget_filled``; ``charts`` — ``{"title", "group", "note", "is_demo", "svg"}`` per indicator
  with follow-up values, ``svg`` a ``SafeString`` made by ``indicators.charts`` (a plain string
  would be escaped, never embedded).
- økonomiopfølgning (its document and the samlet plan): ``followup`` (``budgets.followup.budget_followup``,
  None without a budget), ``year_tables`` (a table per year with forbrug), ``cumulative_rows``,
  ``realised_rows``, ``overview_rows``, ``followup_charts`` (``title``, ``svg``) and ``followup_findings``.
- ``approval`` — None (draft: "KLADDE" on every page) or an :class:`ApprovalMark` (see ``_approval``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from agreements import selectors as agreement_selectors
from agreements.attachments import attachment_read, organisation_diagrams
from agreements.milestones import milestones_by_focus_area
from agreements.models import (
    Activity,
    Attachment,
    Contact,
    HousingArea,
    HousingDepartment,
    Plan,
    PlanFocusArea,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
)
from budgets import followup as budget_followup
from budgets.charts import followup_charts
from budgets.models import Budget
from budgets.selectors import budget_sheet, focus_area_economy
from helhedsplan.approvals.state import approved_states
from helhedsplan.formatting import keep_units_together
from indicators.charts import indicator_chart_svg
from indicators.selectors import followup_table, goal_rows, subgoal_rows

from . import pdf
from .pdf import DocumentImage, document_url

SAMARBEJDSAFTALE = "samarbejdsaftale"
DELAFTALE = "delaftale"
BUDGET = "budget"
SAMLET = "samlet"
OKONOMIOPFOLGNING = "okonomiopfolgning"
DOCUMENT_KINDS = {
    SAMARBEJDSAFTALE: "Strategisk samarbejdsaftale",
    DELAFTALE: "Delaftale",
    BUDGET: "Budgetark",
    SAMLET: "Samlet plan",
    OKONOMIOPFOLGNING: "Økonomiopfølgning",
}

#: A plan whose documents are a Kontrakt om boligsocialt samarbejde (``Plan.document_kind``) prints the
#: samarbejdsaftale as the contract's common part, each delaftale as the contract's part for its
#: indsatsområde, and the samlet plan as the whole contract; approval works on the same documents.
CONTRACT_TITLE = "Kontrakt om boligsocialt samarbejde"
CONTRACT_TITLES = {
    SAMARBEJDSAFTALE: f"{CONTRACT_TITLE} – fælles del",
    SAMLET: CONTRACT_TITLE,
}


HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


class DocumentNotFound(LookupError):
    """The plan has no such document (e.g. no delaftale for that indsatsområde). Message in Danish."""


@dataclass(frozen=True)
class ApprovalMark:
    """What an approved document prints: "Godkendt af bestyrelsen <date>"."""

    date: date


@dataclass
class DelaftaleEntry:
    """One delaftale with everything its document shows."""

    sub_agreement: SubAgreement
    number: int
    economy: Any = None
    subgoal_rows: list[dict] = field(default_factory=list)
    appendices: list[Attachment] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.sub_agreement.focus_area.slug

    @property
    def title(self) -> str:
        return f"Delaftale for indsatsområdet {self.sub_agreement.focus_area.name}"

    @property
    def parties_have_contacts(self) -> bool:
        return any(party.contact_list for party in self.sub_agreement.parties.all())

    @property
    def contract_title(self) -> str:
        return f"{CONTRACT_TITLE} – {self.sub_agreement.focus_area.name}"

    @property
    def goal_texts(self) -> list[str]:
        """The overordnede mål of this indsatsområde (from the samarbejdsaftale's section 5), for a contract."""
        return self.__dict__.get("_goal_texts", [])


@dataclass(frozen=True)
class Document:
    """A document ready to render: template + context (+ the file name of its PDF)."""

    kind: str
    title: str
    template_name: str
    context: dict[str, Any]
    filename: str
    #: The plan's pictures the document shows (absolute document URL → picture), for the PDF's URL fetcher.
    images: Mapping[str, DocumentImage] = field(default_factory=dict)
    #: PDF bilag appended after the document's own pages (the samlet plan).
    appendices: tuple[Attachment, ...] = ()

    def render_html(self) -> str:
        # The shipped font has no U+2010/U+2011 hyphen glyphs; print them as "-" rather than fall back
        # to whatever font a machine happens to have. A number and its unit stay on one line.
        return keep_units_together(render_to_string(self.template_name, self.context).translate(HYPHENS))

    def render_pdf(self, html: str | None = None) -> bytes:
        """The PDF of the document (of ``html`` when the caller has rendered it already): WeasyPrint gets the
        project's static files and the document's own pictures, then the PDF bilag are appended."""
        content = pdf.render_pdf(self.render_html() if html is None else html,
                                 url_fetcher=pdf.StaticFilesURLFetcher(images=self.images))
        return pdf.append_pdfs(content, [attachment_read(bilag) for bilag in self.appendices])


# --- Queries -------------------------------------------------------------------------------------

def _focus_areas(plan: Plan) -> list[PlanFocusArea]:
    return list(PlanFocusArea.objects.filter(plan=plan).select_related("focus_area"))


def _sub_agreements(plan: Plan, *, area_slug: str | None = None) -> list[SubAgreement]:
    activities = Activity.objects.prefetch_related(
        "housing_areas",
        "responsible_organisations",
        Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),
    )
    staff = StaffResource.objects.all()
    if plan.is_contract:  # only a contract prints the staff functions' contacts
        staff = staff.prefetch_related(Prefetch("contacts", queryset=Contact.objects.select_related("organisation")))
    queryset = SubAgreement.objects.filter(plan=plan).select_related("focus_area").prefetch_related(
        Prefetch("parties", queryset=agreement_selectors.sub_agreement_parties()),
        Prefetch("activities", queryset=activities),
        Prefetch("staff_resources", queryset=staff),
    )
    if area_slug is not None:
        queryset = queryset.filter(focus_area__slug=area_slug)
    return list(queryset)


def _numbers_by_focus_area(focus_areas: list[PlanFocusArea]) -> dict[int, int]:
    """LBF numbers the indsatsområder in the plan's order: "1. Uddannelse og livschancer"."""
    return {choice.focus_area_id: number for number, choice in enumerate(focus_areas, start=1)}


def _attachments(plan: Plan) -> list[Attachment]:
    """Every attachment of the plan in its order (one query); the documents pick theirs from it."""
    return list(Attachment.objects.filter(plan=plan).select_related("sub_agreement__focus_area")
                .order_by("order", "id"))


def _delaftale_entries(plan: Plan, focus_areas: list[PlanFocusArea], *, area_slug: str | None = None,
                       attachments: list[Attachment] | None = None) -> list[DelaftaleEntry]:
    numbers = _numbers_by_focus_area(focus_areas)
    sub_agreements = _sub_agreements(plan, area_slug=area_slug)
    economies = _economies(plan) if sub_agreements else {}
    bilag_by_sub: dict[int, list[Attachment]] = {}
    if attachments is None:
        attachments = _attachments(plan) if sub_agreements else []
    for attachment in attachments:
        if attachment.sub_agreement_id and attachment.kind == Attachment.Kind.APPENDIX:
            bilag_by_sub.setdefault(attachment.sub_agreement_id, []).append(attachment)
    entries = []
    for sub_agreement in sub_agreements:
        sub_agreement.plan = plan  # already loaded; keeps templates from querying it again
        entries.append(DelaftaleEntry(
            sub_agreement=sub_agreement,
            number=numbers.get(sub_agreement.focus_area_id, 0),
            economy=economies.get(sub_agreement.focus_area_id),
            subgoal_rows=_subgoal_rows(sub_agreement),
            appendices=bilag_by_sub.get(sub_agreement.pk, []),
        ))
    entries.sort(key=lambda entry: (entry.number or 999, entry.sub_agreement.order))
    return entries


def _strategic_context(plan: Plan, focus_areas: list[PlanFocusArea],
                       attachments: list[Attachment]) -> dict[str, Any]:
    agreement = StrategicAgreement.objects.filter(plan=plan).select_related("contract_issuer").first()
    parties = list(agreement_selectors.agreement_parties().filter(agreement__plan=plan))
    housing_areas = list(HousingArea.objects.filter(plan=plan).prefetch_related(
        Prefetch("departments", queryset=HousingDepartment.objects.select_related("organisation"))
    ))
    own = [attachment for attachment in attachments if not attachment.sub_agreement_id]
    diagrams = [attachment for attachment in own if attachment.kind == Attachment.Kind.ORGANISATION_DIAGRAM]
    return {
        "agreement": agreement,
        "pulje_texts": agreement_selectors.pulje_texts(plan.pulje_id),
        "organisation_diagrams": [{"title": diagram.title, "src": attachment_src(plan, diagram),
                                   "attachment": diagram} for diagram in diagrams],
        "plan_appendices": [bilag for bilag in own if bilag.kind == Attachment.Kind.APPENDIX],
        "agreement_parties": parties,
        "agreement_parties_have_contacts": any(party.contact_list for party in parties),
        "agreement_documents": agreement.document_list if agreement else [],
        "housing_areas": housing_areas,
        "focus_areas": focus_areas,
        "goal_rows": _goal_rows(plan),
    }


def _budget_context(plan: Plan) -> dict[str, Any]:
    sheet = _budget_sheet(plan)
    return {
        "budget_sheet": sheet,
        "budget_filled": bool(sheet and sheet.get("budget") is not None and sheet.get("line_count")),
    }


def _followup_context(plan: Plan, sheet: dict[str, Any] | None = None) -> dict[str, Any]:
    """The økonomiopfølgning (``budgets.followup``): budget against forbrug per year and cumulative.
    ``sheet``: the budget sheet when the document has read it already."""
    followup = _followup(plan, sheet)
    if followup is None:
        return {"followup": None}
    recorded = [state["year"] for state in followup["year_states"] if state["recorded"]]
    return {
        "followup": followup,
        "year_tables": [{"caption": f"Budget og forbrug {year}",
                         "rows": budget_followup.comparison_rows(followup, year)} for year in recorded],
        "cumulative_rows": budget_followup.comparison_rows(followup) if recorded else [],
        "cumulative_caption": f"Akkumuleret {followup['years'][0]}–{followup['through_year']}" if recorded else "",
        "realised_rows": budget_followup.realised_rows(followup),
        "overview_rows": budget_followup.overview_rows(followup),
        "followup_charts": _followup_charts(followup),
        "followup_findings": budget_followup.followup_findings(plan, followup=followup),
    }


def _base_context(plan: Plan, *, kind: str, title: str, pdf_url: str, preview_url: str) -> dict[str, Any]:
    return {
        "plan": plan,
        "document_kind": kind,
        "document_title": title,
        "generated_on": timezone.localdate(),
        "approval": None,
        "pdf_url": pdf_url,
        "preview_url": preview_url,
        "plan_url": reverse("agreements:plan_detail", kwargs={"slug": plan.slug}),
    }


def _urls(plan: Plan, kind: str) -> dict[str, str]:
    kwargs = {"slug": plan.slug}
    return {
        "pdf_url": reverse(f"documents:{kind}_pdf", kwargs=kwargs),
        "preview_url": reverse(f"documents:{kind}", kwargs=kwargs),
    }


def _docx_url(plan: Plan, kind: str, area_slug: str | None = None) -> str:
    """The document's Word file (``word``): every LBF document but the økonomiopfølgning."""
    kwargs = {"slug": plan.slug, **({"area": area_slug} if area_slug else {})}
    return reverse(f"documents:{kind}_docx", kwargs=kwargs)


# --- The four documents --------------------------------------------------------------------------

def samarbejdsaftale_document(*, plan: Plan) -> Document:
    """Strategisk samarbejdsaftale: title block, Underskrifter, Aftaledokumenter, sections 1–8. For a
    contract: its cover and common part (the cooperation, the overordnede mål, other partners)."""
    title = CONTRACT_TITLES[SAMARBEJDSAFTALE] if plan.is_contract else DOCUMENT_KINDS[SAMARBEJDSAFTALE]
    context = _base_context(plan, kind=SAMARBEJDSAFTALE, title=title, **_urls(plan, SAMARBEJDSAFTALE))
    context.update(_strategic_context(plan, _focus_areas(plan), _attachments(plan)))
    context["docx_url"] = _docx_url(plan, SAMARBEJDSAFTALE)
    context["approval"] = _approval([context["agreement"]])
    if plan.is_contract:
        context.update(_contract_context(context, entries=[], common=True))
        return Document(SAMARBEJDSAFTALE, title, "documents/kontrakt.html", context,
                        f"{plan.slug}-kontrakt-faelles-del.pdf")
    return Document(SAMARBEJDSAFTALE, title, "documents/samarbejdsaftale.html", context,
                    f"{plan.slug}-strategisk-samarbejdsaftale.pdf",
                    images=document_images(plan, [d["attachment"] for d in context["organisation_diagrams"]]))


def delaftale_document(*, plan: Plan, area_slug: str) -> Document:
    """Delaftale for one indsatsområde: every field in LBF's order, then one skema per activity."""
    focus_areas = _focus_areas(plan)
    entries = _delaftale_entries(plan, focus_areas, area_slug=area_slug)
    if not entries:
        available = ", ".join(choice.focus_area.slug for choice in focus_areas) or "ingen"
        raise DocumentNotFound(
            f"Helhedsplanen »{plan.slug}« har ingen delaftale for indsatsområdet »{area_slug}«. "
            f"Mulige indsatsområder: {available}."
        )
    entry = entries[0]
    kwargs = {"slug": plan.slug, "area": area_slug}
    context = _base_context(
        plan, kind=DELAFTALE, title=entry.title,
        pdf_url=reverse("documents:delaftale_pdf", kwargs=kwargs),
        preview_url=reverse("documents:delaftale", kwargs=kwargs),
    )
    context["entry"] = entry
    context["docx_url"] = _docx_url(plan, DELAFTALE, area_slug)
    context["approval"] = _approval([entry.sub_agreement])
    if plan.is_contract:
        # The contract's part for one indsatsområde, under the contract's cover (date and issuer).
        context["document_title"] = entry.contract_title
        context["agreement"] = StrategicAgreement.objects.filter(plan=plan).select_related("contract_issuer").first()
        context.update(_contract_context(context, entries=[entry], common=False))
        return Document(DELAFTALE, entry.contract_title, "documents/kontrakt.html", context,
                        f"{plan.slug}-kontrakt-{area_slug}.pdf")
    return Document(DELAFTALE, entry.title, "documents/delaftale.html", context,
                    f"{plan.slug}-delaftale-{area_slug}.pdf")


def budget_document(*, plan: Plan) -> Document:
    """Budgetark: LBF's sheet in landscape."""
    title = DOCUMENT_KINDS[BUDGET]
    context = _base_context(plan, kind=BUDGET, title=title, **_urls(plan, BUDGET))
    context.update(_budget_context(plan))
    context["docx_url"] = _docx_url(plan, BUDGET)
    context["approval"] = _approval([context["budget_sheet"]["budget"]])
    return Document(BUDGET, title, "documents/budget.html", context, f"{plan.slug}-budgetark.pdf")


def okonomiopfolgning_document(*, plan: Plan) -> Document:
    """Økonomiopfølgning for the bestyrelse: budget against forbrug, landscape. A report, not approved:
    no draft watermark."""
    title = DOCUMENT_KINDS[OKONOMIOPFOLGNING]
    context = _base_context(plan, kind=OKONOMIOPFOLGNING, title=title, **_urls(plan, OKONOMIOPFOLGNING))
    context.update(_followup_context(plan))
    context["approval"] = {"not_required": True}
    return Document(OKONOMIOPFOLGNING, title, "documents/okonomiopfolgning.html", context,
                    f"{plan.slug}-okonomiopfolgning.pdf")


def samlet_document(*, plan: Plan) -> Document:
    """The whole plan: cover, table of contents, samarbejdsaftale, delaftaler, budgetark, økonomiopfølgning,
    charts."""
    title = DOCUMENT_KINDS[SAMLET]
    focus_areas = _focus_areas(plan)
    context = _base_context(plan, kind=SAMLET, title=title, **_urls(plan, SAMLET))
    attachments = _attachments(plan)
    context.update(_strategic_context(plan, focus_areas, attachments))
    context.update(_budget_context(plan))
    context.update(_followup_context(plan, context["budget_sheet"]))
    context["entries"] = _delaftale_entries(plan, focus_areas, attachments=attachments)
    context["charts"] = _charts(plan)
    # Every bilag, the plan's own first and then each delaftale's in the delaftaler's order.
    context["appendices"] = [*context["plan_appendices"], *(bilag for entry in context["entries"]
                                                            for bilag in entry.appendices)]
    context["docx_url"] = _docx_url(plan, SAMLET)
    budget = context["budget_sheet"]["budget"]
    context["approval"] = _approval([context["agreement"], *(entry.sub_agreement for entry in context["entries"]),
                                     *([budget] if budget is not None else [])])
    images = document_images(plan, [d["attachment"] for d in context["organisation_diagrams"]])
    appendices = tuple(context["appendices"])
    if plan.is_contract:
        title = context["document_title"] = CONTRACT_TITLES[SAMLET]
        context.update(_contract_context(context, entries=context["entries"], common=True))
        return Document(SAMLET, title, "documents/kontrakt.html", context, f"{plan.slug}-kontrakt.pdf",
                        images=images, appendices=appendices)
    return Document(SAMLET, title, "documents/samlet.html", context, f"{plan.slug}-samlet-plan.pdf",
                    images=images, appendices=appendices)


def _contract_context(context: dict[str, Any], *, entries: list[DelaftaleEntry], common: bool) -> dict[str, Any]:
    """What a contract prints beyond the LBF documents' context: each indsatsområde's overordnede mål
    (section 5's goals, grouped), and whether the common part (cover texts, cooperation, other partners)
    is printed (``contract_common``) next to the ``contract_entries``."""
    goals: dict[int, list[str]] = {}
    for row in context.get("goal_rows") or []:
        if row.get("is_first") and row.get("goal_text"):
            focus_area = row.get("focus_area")
            goals.setdefault(focus_area.pk if focus_area else 0, []).append(row["goal_text"])
    for entry in entries:
        entry.__dict__["_goal_texts"] = goals.get(entry.sub_agreement.focus_area_id, [])
    agreement = context.get("agreement")
    issuer = agreement.contract_issuer if agreement is not None else None
    return {
        "contract_common": common,
        "contract_entries": entries,
        "contract_goals": goals,
        "contract_issuer": issuer,
        "contract_title": CONTRACT_TITLE,
        "contract_focus_areas": [entry.sub_agreement.focus_area.name for entry in entries] if not common
        else [choice.focus_area.name for choice in context.get("focus_areas", [])],
    }


def build_document(*, plan: Plan, kind: str, area_slug: str | None = None) -> Document:
    """Any of the four documents by kind (``area_slug`` only for a delaftale)."""
    if kind == DELAFTALE:
        if not area_slug:
            raise DocumentNotFound("Angiv hvilket indsatsområde delaftalen gælder.")
        return delaftale_document(plan=plan, area_slug=area_slug)
    builders = {SAMARBEJDSAFTALE: samarbejdsaftale_document, BUDGET: budget_document, SAMLET: samlet_document,
                OKONOMIOPFOLGNING: okonomiopfolgning_document}
    if kind not in builders:
        raise DocumentNotFound(f"Ukendt dokument »{kind}«. Mulige: {', '.join(DOCUMENT_KINDS)}.")
    return builders[kind](plan=plan)


def milepaelsplan_document(plan: Plan):
    """The milepælsplan as a document of the documents pipeline (HTML preview and PDF, same template).

    It is a working plan, not a document the bestyrelse approves, so it carries no draft watermark.
    """
    context = {
        "plan": plan,
        "document_kind": "milepaelsplan",
        "document_title": "Milepælsplan",
        "generated_on": timezone.localdate(),
        "approval": {"not_required": True},
        "groups": milestones_by_focus_area(plan),
        "pdf_url": reverse("documents:milestone_document_pdf", kwargs={"slug": plan.slug}),
        "preview_url": reverse("documents:milestone_document", kwargs={"slug": plan.slug}),
        "plan_url": reverse("agreements:milestone_list", kwargs={"slug": plan.slug}),
    }
    return Document("milepaelsplan", "Milepælsplan", "documents/milepaelsplan.html", context,
                    f"{plan.slug}-milepaelsplan.pdf")


# --- The plan's attachments ---------------------------------------------------------------------------

def attachment_src(plan: Plan, attachment: Attachment) -> str:
    """Where a document's HTML finds an attachment's picture: the access-checked download page (the preview
    in the browser), named with the file's digest, which is also the one URL the PDF's fetcher answers."""
    url = reverse("agreements:attachment_download", kwargs={"slug": plan.slug, "pk": attachment.pk})
    return f"{url}?v={attachment.sha256[:16]}"


def document_images(plan: Plan, attachments: list[Attachment]) -> dict[str, DocumentImage]:
    """The pictures a PDF of ``plan`` may show: each attachment's ``attachment_src`` as the document sees it,
    read from the storage only when WeasyPrint asks for it."""
    return {document_url(attachment_src(plan, attachment)): DocumentImage(attachment.content_type,
                                                                            partial(attachment_read, attachment))
            for attachment in attachments if attachment.is_image}


def plan_document_images(plan: Plan) -> dict[str, DocumentImage]:
    """The pictures any document of the plan shows today (for a PDF of HTML frozen with an approval: a picture
    replaced since has another URL and is not shown)."""
    return document_images(plan, organisation_diagrams(plan))


# --- Data owned by other apps ------------------------------------------------------------------
# The one place the documents read budgets, indicators and approvals.

def _economies(plan: Plan) -> dict[int, Any]:
    """Each indsatsområde's økonomi in kroner (FocusArea id → lbf/local/total); empty without budget."""
    return focus_area_economy(plan)


def _subgoal_rows(sub_agreement: SubAgreement) -> list[dict]:
    """The delaftale's Delmål og indikatorer table (``indicators.selectors.subgoal_rows``)."""
    return subgoal_rows(sub_agreement)


def _goal_rows(plan: Plan) -> list[dict]:
    """Section 5 of the samarbejdsaftale (``indicators.selectors.goal_rows``)."""
    return goal_rows(plan)


def _budget_sheet(plan: Plan) -> dict[str, Any]:
    """LBF's budgetark (``budgets.selectors.budget_sheet``); the empty sheet while there is no budget."""
    return budget_sheet(plan, empty_if_missing=True)


def _followup(plan: Plan, sheet: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Budget against forbrug (``budgets.followup.budget_followup``); None without a budget."""
    return budget_followup.budget_followup(plan, sheet=sheet)


def _with_document_font(svg: str) -> str:
    """Draw a chart's text with the document's own copy of Carlito, not a system font."""
    return svg.replace("font-family:Carlito,", 'font-family:"Helhedsplan Carlito",Carlito,')


def _followup_charts(followup: dict[str, Any]) -> list[dict]:
    """Budget and forbrug per year, for the total and each section (``budgets.charts``)."""
    if not followup["line_count"]:
        return []
    return [{"title": chart["title"], "svg": mark_safe(_with_document_font(chart["svg"]))}  # built by pygal
            for chart in followup_charts(followup)]


def _charts(plan: Plan) -> list[dict]:
    """A chart per indicator with follow-up values: title, delmål/mål, progress text and the SVG."""
    table = followup_table(plan=plan)
    charts = []
    for row in table["rows"]:
        if all(value is None for value in row["values"].values()):
            continue
        svg = _with_document_font(indicator_chart_svg(row["indicator"], row["values"], years=table["years"]))
        charts.append({
            "title": row["indicator_text"],
            "group": row["group_text"],
            "note": row["progress"].text,
            "is_demo": row["has_demo"],
            "svg": mark_safe(svg),  # built by indicators.charts (pygal): text escaped, no scripts
        })
    return charts


def _approval(parts: list[StrategicAgreement | SubAgreement | Budget | None]) -> ApprovalMark | None:
    """"Godkendt af bestyrelsen <mødedato>" when every part's content is exactly its latest approved
    version (``approvals.state``); None (a draft, "KLADDE") otherwise. The budgetark is approved like
    the agreements (a plan without a budget has a blank, draft sheet); the samlet plan is approved
    when the samarbejdsaftale, every delaftale and the budgetark (if the plan has one) are."""
    if not parts or any(part is None for part in parts):
        return None
    states = approved_states(parts)
    if states is None:
        return None
    return ApprovalMark(date=max(state.latest_approval.meeting_date for state in states))
