"""The four LBF documents of a plan: one context selector per document.

Each selector reads everything its document shows in a fixed number of queries (independent of the
number of activities, parties, staff resources …), so the template never touches the database. The
same template and context serve the HTML preview page and the PDF (``agreements.pdf``).

Data that other apps own arrives through the small ``_…`` hooks at the bottom (budget, indicators,
approvals). Until those apps land they return "nothing yet", and the templates print the section's
heading with a short neutral line. Context keys they fill:

- per delaftale entry: ``economy`` — object with ``lbf``, ``local``, ``total`` in kroner (or None);
  ``subgoal_rows`` — dicts with ``subgoal``, ``indicator``, ``baseline_area``, ``baseline_other``,
  ``baseline_year``, ``data_source``, ``target``.
- per plan: ``goal_rows`` — dicts with ``goal``, ``indicator``, ``baseline_area``,
  ``baseline_municipality``, ``baseline_year``, ``data_source``; ``budget_sheet`` (structure in
  ``templates/documents/_budget_sheet.html``); ``charts`` — list of ``{"title", "svg"}`` where
  ``svg`` is a ``SafeString`` made by our own code (plain strings are escaped, never embedded).
- ``approval`` — None (draft: "KLADDE" on every page) or an :class:`ApprovalMark`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import (
    Activity,
    AgreementParty,
    Contact,
    HousingArea,
    HousingDepartment,
    Plan,
    PlanFocusArea,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)

SAMARBEJDSAFTALE = "samarbejdsaftale"
DELAFTALE = "delaftale"
BUDGET = "budget"
SAMLET = "samlet"
DOCUMENT_KINDS = {
    SAMARBEJDSAFTALE: "Strategisk samarbejdsaftale",
    DELAFTALE: "Delaftale",
    BUDGET: "Budgetark",
    SAMLET: "Samlet plan",
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

    @property
    def slug(self) -> str:
        return self.sub_agreement.focus_area.slug

    @property
    def title(self) -> str:
        return f"Delaftale for indsatsområdet {self.sub_agreement.focus_area.name}"

    @property
    def parties_have_contacts(self) -> bool:
        return any(party.contact_id for party in self.sub_agreement.parties.all())


@dataclass(frozen=True)
class Document:
    """A document ready to render: template + context (+ the file name of its PDF)."""

    kind: str
    title: str
    template_name: str
    context: dict[str, Any]
    filename: str

    def render_html(self) -> str:
        # The shipped font has no U+2010/U+2011 hyphen glyphs; print them as "-" rather than fall back
        # to whatever font a machine happens to have.
        return render_to_string(self.template_name, self.context).translate(HYPHENS)


# --- Queries -------------------------------------------------------------------------------------

def _focus_areas(plan: Plan) -> list[PlanFocusArea]:
    return list(PlanFocusArea.objects.filter(plan=plan).select_related("focus_area"))


def _sub_agreements(plan: Plan, *, area_slug: str | None = None) -> list[SubAgreement]:
    activities = Activity.objects.prefetch_related(
        "housing_areas",
        "responsible_organisations",
        Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),
    )
    queryset = SubAgreement.objects.filter(plan=plan).select_related("focus_area").prefetch_related(
        Prefetch("parties", queryset=SubAgreementParty.objects.select_related("organisation", "contact")),
        Prefetch("activities", queryset=activities),
        "staff_resources",
    )
    if area_slug is not None:
        queryset = queryset.filter(focus_area__slug=area_slug)
    return list(queryset)


def _numbers_by_focus_area(focus_areas: list[PlanFocusArea]) -> dict[int, int]:
    """LBF numbers the indsatsområder in the plan's order: "1. Uddannelse og livschancer"."""
    return {choice.focus_area_id: number for number, choice in enumerate(focus_areas, start=1)}


def _delaftale_entries(plan: Plan, focus_areas: list[PlanFocusArea], *,
                       area_slug: str | None = None) -> list[DelaftaleEntry]:
    numbers = _numbers_by_focus_area(focus_areas)
    entries = []
    for sub_agreement in _sub_agreements(plan, area_slug=area_slug):
        sub_agreement.plan = plan  # already loaded; keeps templates from querying it again
        entries.append(DelaftaleEntry(
            sub_agreement=sub_agreement,
            number=numbers.get(sub_agreement.focus_area_id, 0),
            economy=_economy(sub_agreement),
            subgoal_rows=_subgoal_rows(sub_agreement),
        ))
    entries.sort(key=lambda entry: (entry.number or 999, entry.sub_agreement.order))
    return entries


def _strategic_context(plan: Plan, focus_areas: list[PlanFocusArea]) -> dict[str, Any]:
    agreement = StrategicAgreement.objects.filter(plan=plan).first()
    parties = list(AgreementParty.objects.filter(agreement__plan=plan).select_related("organisation"))
    housing_areas = list(HousingArea.objects.filter(plan=plan).prefetch_related(
        Prefetch("departments", queryset=HousingDepartment.objects.select_related("organisation"))
    ))
    return {
        "agreement": agreement,
        "agreement_parties": parties,
        "agreement_documents": agreement.document_list if agreement else [],
        "housing_areas": housing_areas,
        "focus_areas": focus_areas,
        "goal_rows": _goal_rows(plan),
    }


def _budget_context(plan: Plan, focus_areas: list[PlanFocusArea]) -> dict[str, Any]:
    return {
        "budget_sheet": _budget_sheet(plan),
        "budget_skeleton": {
            "years": plan.years,
            "sections": ["Tværgående administrationsudgifter"]
            + [f"{number}. {choice.focus_area.name}" for number, choice in enumerate(focus_areas, start=1)]
            + ["Lokal evaluering"],
        },
    }


def _base_context(plan: Plan, *, kind: str, title: str, pdf_url: str, preview_url: str,
                  sub_agreement: SubAgreement | None = None) -> dict[str, Any]:
    return {
        "plan": plan,
        "document_kind": kind,
        "document_title": title,
        "generated_on": timezone.localdate(),
        "approval": _approval(plan, kind=kind, sub_agreement=sub_agreement),
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


# --- The four documents --------------------------------------------------------------------------

def samarbejdsaftale_document(*, plan: Plan) -> Document:
    """Strategisk samarbejdsaftale: title block, Underskrifter, Aftaledokumenter, sections 1–8."""
    title = DOCUMENT_KINDS[SAMARBEJDSAFTALE]
    context = _base_context(plan, kind=SAMARBEJDSAFTALE, title=title, **_urls(plan, SAMARBEJDSAFTALE))
    context.update(_strategic_context(plan, _focus_areas(plan)))
    return Document(SAMARBEJDSAFTALE, title, "documents/samarbejdsaftale.html", context,
                    f"{plan.slug}-strategisk-samarbejdsaftale.pdf")


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
        plan, kind=DELAFTALE, title=entry.title, sub_agreement=entry.sub_agreement,
        pdf_url=reverse("documents:delaftale_pdf", kwargs=kwargs),
        preview_url=reverse("documents:delaftale", kwargs=kwargs),
    )
    context["entry"] = entry
    return Document(DELAFTALE, entry.title, "documents/delaftale.html", context,
                    f"{plan.slug}-delaftale-{area_slug}.pdf")


def budget_document(*, plan: Plan) -> Document:
    """Budgetark: LBF's sheet in landscape."""
    title = DOCUMENT_KINDS[BUDGET]
    context = _base_context(plan, kind=BUDGET, title=title, **_urls(plan, BUDGET))
    context.update(_budget_context(plan, _focus_areas(plan)))
    return Document(BUDGET, title, "documents/budget.html", context, f"{plan.slug}-budgetark.pdf")


def samlet_document(*, plan: Plan) -> Document:
    """The whole plan: cover, table of contents, samarbejdsaftale, delaftaler, budgetark, charts."""
    title = DOCUMENT_KINDS[SAMLET]
    focus_areas = _focus_areas(plan)
    context = _base_context(plan, kind=SAMLET, title=title, **_urls(plan, SAMLET))
    context.update(_strategic_context(plan, focus_areas))
    context.update(_budget_context(plan, focus_areas))
    context["entries"] = _delaftale_entries(plan, focus_areas)
    context["charts"] = _charts(plan)
    return Document(SAMLET, title, "documents/samlet.html", context, f"{plan.slug}-samlet-plan.pdf")


def build_document(*, plan: Plan, kind: str, area_slug: str | None = None) -> Document:
    """Any of the four documents by kind (``area_slug`` only for a delaftale)."""
    if kind == DELAFTALE:
        if not area_slug:
            raise DocumentNotFound("Angiv hvilket indsatsområde delaftalen gælder.")
        return delaftale_document(plan=plan, area_slug=area_slug)
    builders = {SAMARBEJDSAFTALE: samarbejdsaftale_document, BUDGET: budget_document, SAMLET: samlet_document}
    if kind not in builders:
        raise DocumentNotFound(f"Ukendt dokument »{kind}«. Mulige: {', '.join(DOCUMENT_KINDS)}.")
    return builders[kind](plan=plan)


# --- Data owned by other apps (wired when they land) ---------------------------------------------

def _economy(sub_agreement: SubAgreement) -> Any:
    """``budgets.selectors.subagreement_economy(sub_agreement)``: lbf / local / total in kroner."""
    return None


def _subgoal_rows(sub_agreement: SubAgreement) -> list[dict]:
    """``indicators.selectors.subgoal_rows(sub_agreement)``: the Delmål og indikatorer table."""
    return []


def _goal_rows(plan: Plan) -> list[dict]:
    """``indicators.selectors.goal_rows(plan)``: section 5 of the samarbejdsaftale."""
    return []


def _budget_sheet(plan: Plan) -> Any:
    """``budgets.selectors.budget_sheet(plan)``: the LBF budgetark."""
    return None


def _charts(plan: Plan) -> list[dict]:
    """Indicator charts with follow-up values: ``[{"title": str, "svg": SafeString}]``."""
    return []


def _approval(plan: Plan, *, kind: str, sub_agreement: SubAgreement | None = None) -> ApprovalMark | None:
    """The bestyrelse approval printed on the document (a delaftale's own approval for a delaftale);
    None until the approval workflow lands."""
    return None
