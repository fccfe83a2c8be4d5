"""Reads of approved versions, of where each document of a plan stands, and of bestyrelsesmøder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Count, QuerySet
from django.urls import reverse

from agreements.models import Plan, StrategicAgreement, SubAgreement
from budgets.models import Budget

from .models import AgendaItem, Approval, BoardMeeting
from .state import Document, DocumentState, approval_kind, document_state, document_states

# --- Approved versions ---------------------------------------------------------

def _latest_approvals(queryset: QuerySet[Approval], as_of: date | None) -> QuerySet[Approval]:
    if as_of is not None:
        queryset = queryset.filter(meeting_date__lte=as_of)
    return queryset.order_by("-meeting_date", "-number")


def current_subagreements(plan: Plan, as_of: date | None = None) -> list[Approval]:
    """The current version of each delaftale: its latest bestyrelse approval (snapshot).

    ``as_of`` gives the latest approval whose bestyrelse meeting was on or before that date. Drafts
    after an approval are not current; a delaftale never approved has no current version.
    """
    latest: dict[int, Approval] = {}
    for approval in _latest_approvals(
        Approval.objects.filter(plan=plan, kind=Approval.Kind.SUBAGREEMENT).select_related("focus_area"), as_of
    ):
        latest.setdefault(approval.focus_area_id, approval)
    return sorted(latest.values(), key=lambda a: (a.focus_area.order, a.focus_area.name))


def current_strategic_agreement(plan: Plan, as_of: date | None = None) -> Approval | None:
    """The latest approved version of the strategic agreement (as of a date), or None."""
    return _latest_approvals(Approval.objects.filter(plan=plan, kind=Approval.Kind.STRATEGIC), as_of).first()


def current_budget(plan: Plan, as_of: date | None = None) -> Approval | None:
    """The latest approved version of the budgetark (as of a date), or None."""
    return _latest_approvals(Approval.objects.filter(plan=plan, kind=Approval.Kind.BUDGET), as_of).first()


def approvals_of(document: Document) -> QuerySet[Approval]:
    """The document's approvals, newest first, for a list of them (without their frozen content and HTML)."""
    approvals = Approval.objects.select_related("plan", "focus_area").defer("data", "html")  # URLs name both
    approvals = approvals.filter(plan_id=document.plan_id, kind=approval_kind(document))
    if isinstance(document, SubAgreement):
        approvals = approvals.filter(focus_area_id=document.focus_area_id)
    return approvals.order_by("-number")



@dataclass
class DocumentRow:
    """One agreement document of a plan with where it is in the workflow."""

    title: str
    document: Document
    url: str
    latest_approval: Approval | None

    @cached_property
    def state(self) -> DocumentState:
        return document_state(self.document, approval=self.latest_approval)


def _with_states(rows: list[DocumentRow]) -> list[DocumentRow]:
    """Read the states of all rows together (``document_states``)."""
    states = document_states([row.document for row in rows], [row.latest_approval for row in rows])
    for row, state in zip(rows, states, strict=True):
        row.__dict__["state"] = state
    return rows


def plan_documents(plan: Plan) -> list[DocumentRow]:
    """The strategic agreement, the delaftaler and the budgetark of a plan with status and latest approval."""
    approvals: dict[tuple, Approval] = {}
    # The page shows each latest approval's number, date and link: its frozen content and HTML stay unread.
    for approval in Approval.objects.filter(plan=plan).select_related("plan", "focus_area").order_by("number") \
            .defer("data", "html"):
        approvals[(approval.kind, approval.focus_area_id)] = approval
    rows: list[DocumentRow] = []
    agreement = StrategicAgreement.objects.filter(plan=plan).first()
    if agreement is not None:
        agreement.plan = plan
        rows.append(DocumentRow("Strategisk samarbejdsaftale", agreement,
                                reverse("agreements:strategic_detail", kwargs={"slug": plan.slug}),
                                approvals.get((Approval.Kind.STRATEGIC, None))))
    for sub_agreement in SubAgreement.objects.filter(plan=plan).select_related("focus_area", "plan"):
        rows.append(DocumentRow(str(sub_agreement), sub_agreement, sub_agreement.get_absolute_url(),
                                approvals.get((Approval.Kind.SUBAGREEMENT, sub_agreement.focus_area_id))))
    budget = Budget.objects.filter(plan=plan).first()
    if budget is not None:
        budget.plan = plan
        rows.append(DocumentRow("Budgetark", budget, budget.get_absolute_url(),
                                approvals.get((Approval.Kind.BUDGET, None))))
    return _with_states(rows)


def plans_documents(plans: list[Plan]) -> dict[int, list[DocumentRow]]:
    """``plan_documents`` for many plans at once (a fixed number of queries), keyed by plan id."""
    plan_ids = [plan.pk for plan in plans]
    by_slug = {plan.pk: plan for plan in plans}
    approvals: dict[tuple, Approval] = {}
    for approval in Approval.objects.filter(plan_id__in=plan_ids).order_by("number").defer("data", "html"):
        approvals[(approval.plan_id, approval.kind, approval.focus_area_id)] = approval
    rows: dict[int, list[DocumentRow]] = {pk: [] for pk in plan_ids}
    for agreement in StrategicAgreement.objects.filter(plan_id__in=plan_ids):
        agreement.plan = by_slug[agreement.plan_id]
        rows[agreement.plan_id].append(DocumentRow(
            "Strategisk samarbejdsaftale", agreement,
            reverse("agreements:strategic_detail", kwargs={"slug": agreement.plan.slug}),
            approvals.get((agreement.plan_id, Approval.Kind.STRATEGIC, None))))
    for sub_agreement in SubAgreement.objects.filter(plan_id__in=plan_ids).select_related("focus_area") \
            .order_by("plan_id", "order", "focus_area__order"):
        sub_agreement.plan = by_slug[sub_agreement.plan_id]
        rows[sub_agreement.plan_id].append(DocumentRow(
            str(sub_agreement), sub_agreement, sub_agreement.get_absolute_url(),
            approvals.get((sub_agreement.plan_id, Approval.Kind.SUBAGREEMENT, sub_agreement.focus_area_id))))
    for budget in Budget.objects.filter(plan_id__in=plan_ids):
        budget.plan = by_slug[budget.plan_id]
        rows[budget.plan_id].append(DocumentRow("Budgetark", budget, budget.get_absolute_url(),
                                                approvals.get((budget.plan_id, Approval.Kind.BUDGET, None))))
    _with_states([row for plan_rows in rows.values() for row in plan_rows])
    return rows


# --- Bestyrelsesmøder --------------------------------------------------------------------------------

def plan_meetings(plan: Plan) -> QuerySet[BoardMeeting]:
    """The plan's bestyrelsesmøder, the latest first, with the number of documents on each agenda and of
    approvals recorded from it."""
    return (BoardMeeting.objects.filter(plan=plan).select_related("plan")
            .annotate(item_count=Count("agenda_items", distinct=True),
                      approval_count=Count("approvals", distinct=True))
            .order_by("-date", "-id"))


def _document_urls(document: StrategicAgreement | SubAgreement) -> dict[str, str]:
    """The document's page, its PDF (today's content) and its changes since the last approval."""
    if isinstance(document, SubAgreement):
        kwargs = {"slug": document.plan.slug, "area": document.focus_area.slug}
        return {"url": document.get_absolute_url(), "pdf_url": reverse("documents:delaftale_pdf", kwargs=kwargs),
                "changes_url": reverse("agreements:subagreement_changes", kwargs=kwargs)}
    kwargs = {"slug": document.plan.slug}
    return {"url": reverse("agreements:strategic_detail", kwargs=kwargs),
            "pdf_url": reverse("documents:samarbejdsaftale_pdf", kwargs=kwargs),
            "changes_url": reverse("agreements:strategic_changes", kwargs=kwargs)}


@dataclass
class AgendaRow:
    """A document on a meeting's agenda: where it stands, its links, and its approval on this meeting."""

    item: AgendaItem
    document: StrategicAgreement | SubAgreement
    title: str
    url: str
    pdf_url: str
    changes_url: str
    approval: Approval | None  # recorded from this meeting
    latest_approval: Approval | None

    @cached_property
    def state(self) -> DocumentState:
        return document_state(self.document, approval=self.latest_approval)

    @property
    def approved_here(self) -> bool:
        return self.approval is not None


def meeting_agenda(meeting: BoardMeeting) -> list[AgendaRow]:
    """The documents on the meeting's agenda in order, with their state and links."""
    items = list(meeting.agenda_items.select_related("sub_agreement__focus_area", "sub_agreement__plan",
                                                     "strategic_agreement__plan").order_by("order", "id"))
    here = {(approval.kind, approval.focus_area_id): approval
            for approval in meeting.approvals.select_related("plan", "focus_area").defer("data", "html")}
    latest: dict[tuple, Approval] = {}
    for approval in (Approval.objects.filter(plan_id=meeting.plan_id).select_related("plan", "focus_area")
                     .order_by("number")):
        latest[(approval.kind, approval.focus_area_id)] = approval
    rows = []
    for item in items:
        document = item.document
        if isinstance(document, SubAgreement):
            key, title = (Approval.Kind.SUBAGREEMENT, document.focus_area_id), str(document)
        else:
            key, title = (Approval.Kind.STRATEGIC, None), "Strategisk samarbejdsaftale"
        rows.append(AgendaRow(item=item, document=document, title=title, approval=here.get(key),
                              latest_approval=latest.get(key), **_document_urls(document)))
    states = document_states([row.document for row in rows], [row.latest_approval for row in rows])
    for row, state in zip(rows, states, strict=True):
        row.__dict__["state"] = state
    return rows


def agenda_candidates(meeting: BoardMeeting) -> list[DocumentRow]:
    """The plan's documents that may be put on the meeting's agenda: those sent to the bestyrelse, and
    those on it already."""
    on_agenda = {(type(item.document), item.document.pk)
                 for item in meeting.agenda_items.select_related("sub_agreement", "strategic_agreement")}
    return [row for row in plan_documents(meeting.plan)
            if row.state.is_submitted or (type(row.document), row.document.pk) in on_agenda]
