"""What is due on a given day: the reminders computed from the plans' own data (pure reads).

Each reminder names its event (``event_key``) so that telling it again — a second run the same day,
or any later day while the same thing is still due — sends nothing (``notify`` writes one row per
recipient and event). A new fact is a new event: a milestone moved to another date, a document sent
to the bestyrelse again, a meeting moved, a new year's follow-up.

- the annual follow-up: from the plan's follow-up day in a year of its period, while any of its
  indicators has no value for that year (to the secretariat);
- milestones not reached: due within ``MILESTONE_DAYS`` days, and overdue, while the plan runs
  (to the secretariat);
- documents sent to the bestyrelse and neither approved nor sent back after more than
  ``WAITING_DAYS`` days (to the bestyrelse);
- the plan period ending within ``PERIOD_END_MONTHS`` months (to the secretariat);
- a bestyrelsesmøde's agenda, ``MEETING_AGENDA_DAYS`` days before the meeting (to every member).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from agreements.models import DocumentStatus, Milestone, Plan, PlanMembership, StrategicAgreement, SubAgreement
from helhedsplan.approvals.models import AgendaItem, Approval, BoardMeeting
from helhedsplan.approvals.notices import document_changes_path, document_pdf_path
from helhedsplan.approvals.selectors import meeting_agenda
from helhedsplan.approvals.state import latest_approval
from helhedsplan.formatting import format_date
from helhedsplan.notifications.models import Kind
from helhedsplan.notifications.services import absolute
from indicators.selectors import plan_indicators

MILESTONE_DAYS = 14
WAITING_DAYS = 14
PERIOD_END_MONTHS = 6


@dataclass(frozen=True)
class Reminder:
    """One thing due: what to tell (``kind``, ``context``), about which plan, to which of its members
    (``role``; None: every member), with the page the e-mail links to."""

    kind: str
    plan: Plan
    event_key: str
    url: str
    role: str | None
    context: dict[str, Any] = field(default_factory=dict)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day where it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# --- The annual follow-up -----------------------------------------------------------------------------

def followup_reminders(today: date) -> list[Reminder]:
    """Plans whose follow-up day this year has come while indicators lack this year's value."""
    reminders = []
    year = today.year
    for plan in Plan.objects.filter(start_date__year__lte=year, end_date__year__gte=year).order_by("pk"):
        if today < plan.followup_date(year):
            continue
        missing = plan_indicators(plan).exclude(values__year=year).count()
        if not missing:
            continue
        url = reverse("indicators:enter_plan", kwargs={"slug": plan.slug}) + f"?aar={year}"
        reminders.append(Reminder(
            kind=Kind.REMINDER_FOLLOWUP, plan=plan, event_key=f"followup:{plan.pk}:{year}", url=url,
            role=PlanMembership.Role.SECRETARIAT,
            context={"missing": missing, "year": year, "followup_date": format_date(plan.followup_date(year))}))
    return reminders


# --- Milestones ---------------------------------------------------------------------------------------

def _milestone_reminder(milestone: Milestone, today: date, *, overdue: bool) -> Reminder:
    plan = milestone.plan
    event = "milestone-overdue" if overdue else "milestone-due"
    return Reminder(
        kind=Kind.REMINDER_MILESTONE, plan=plan, event_key=f"{event}:{milestone.pk}:{milestone.due_date}",
        url=reverse("agreements:milestone_list", kwargs={"slug": plan.slug}), role=PlanMembership.Role.SECRETARIAT,
        context={"title": milestone.title, "due_date": format_date(milestone.due_date), "overdue": overdue,
                 "days": abs((milestone.due_date - today).days), "status": milestone.get_status_display(),
                 "focus_area": str(milestone.focus_area) if milestone.focus_area_id else ""})


def milestone_reminders(today: date) -> list[Reminder]:
    """Milestones not reached that are due within ``MILESTONE_DAYS`` days, or overdue, while the plan runs."""
    open_milestones = (Milestone.objects.filter(status__in=Milestone.OPEN_STATUSES, plan__end_date__gte=today)
                       .select_related("plan", "focus_area").order_by("plan_id", "due_date", "pk"))
    due = open_milestones.filter(due_date__gte=today, due_date__lte=today + timedelta(days=MILESTONE_DAYS))
    overdue = open_milestones.filter(due_date__lt=today)
    return ([_milestone_reminder(m, today, overdue=False) for m in due]
            + [_milestone_reminder(m, today, overdue=True) for m in overdue])


# --- Documents waiting for the bestyrelse ---------------------------------------------------------------

def submitted_since(model: type[SubAgreement] | type[StrategicAgreement],
                    ids: list[int]) -> dict[int, tuple[date, int]]:
    """For documents sent to the bestyrelse: the day they were sent, and the history entry that records it
    (the first of the entries since the last one in which the document was not sent), read from the
    documents' history in one query."""
    since: dict[int, tuple[date, int]] = {}
    entries = (model.history.filter(id__in=ids).order_by("id", "history_date", "history_id")
               .values_list("id", "status", "history_date", "history_id"))
    for document_id, status, when, history_id in entries:
        if status != DocumentStatus.SUBMITTED:
            since.pop(document_id, None)
        elif document_id not in since:
            since[document_id] = (timezone.localdate(when), history_id)
    return since


def waiting_reminders(today: date) -> list[Reminder]:
    """Documents sent to the bestyrelse more than ``WAITING_DAYS`` days ago, neither approved nor sent back."""
    reminders = []
    for model in (StrategicAgreement, SubAgreement):
        related = ["plan", "focus_area"] if model is SubAgreement else ["plan"]
        documents = list(model.objects.filter(status=DocumentStatus.SUBMITTED).select_related(*related)
                         .order_by("plan_id", "pk"))
        since = submitted_since(model, [document.pk for document in documents])
        for document in documents:
            if document.pk not in since:
                continue  # no history entry tells when it was sent
            sent_on, history_id = since[document.pk]
            days = (today - sent_on).days
            if days <= WAITING_DAYS:
                continue
            plan = document.plan
            is_sub = model is SubAgreement
            has_approval = latest_approval(document) is not None
            reminders.append(Reminder(
                kind=Kind.REMINDER_WAITING, plan=plan, event_key=f"waiting:{model._meta.model_name}:{document.pk}:"
                                                                 f"{history_id}",
                url=(document.get_absolute_url() if is_sub
                     else reverse("agreements:strategic_detail", kwargs={"slug": plan.slug})),
                role=PlanMembership.Role.BOARD,
                context={"document_name": f"delaftalen for {document.focus_area}" if is_sub
                         else "den strategiske samarbejdsaftale",
                         "sent_on": format_date(sent_on), "days": days,
                         "pdf_link": absolute(document_pdf_path(document)),
                         "changes_link": absolute(document_changes_path(document)) if has_approval else ""}))
    return reminders


# --- The plan period ----------------------------------------------------------------------------------

def period_end_reminders(today: date) -> list[Reminder]:
    """Plans whose period ends within ``PERIOD_END_MONTHS`` months (from that day until the last day)."""
    reminders = []
    for plan in Plan.objects.filter(start_date__lte=today, end_date__gte=today).order_by("pk"):
        if today < months_before(plan.end_date, PERIOD_END_MONTHS):
            continue
        reminders.append(Reminder(
            kind=Kind.REMINDER_PERIOD_END, plan=plan, event_key=f"period-end:{plan.pk}:{plan.end_date}",
            url=plan.get_absolute_url(), role=PlanMembership.Role.SECRETARIAT,
            context={"end_date": format_date(plan.end_date), "days": (plan.end_date - today).days}))
    return reminders


# --- Bestyrelsesmøder -----------------------------------------------------------------------------------

def meeting_agenda_reminders(today: date, days: int | None = None) -> list[Reminder]:
    """Meetings within ``days`` (default ``MEETING_AGENDA_DAYS``) days from today with documents on the
    agenda that are not approved yet."""
    days = settings.MEETING_AGENDA_DAYS if days is None else days
    meetings = (BoardMeeting.objects.filter(date__gte=today, date__lte=today + timedelta(days=days))
                .filter(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"))))
                .exclude(Exists(Approval.objects.filter(meeting=OuterRef("pk"))))
                .select_related("plan").order_by("date", "pk"))
    reminders = []
    for meeting in meetings:
        items = [{"title": row.title, "pdf_link": absolute(row.pdf_url),
                  "changes_link": absolute(row.changes_url) if row.latest_approval else ""}
                 for row in meeting_agenda(meeting)]
        reminders.append(Reminder(
            kind=Kind.MEETING_AGENDA, plan=meeting.plan, event_key=f"meeting-agenda:{meeting.pk}:{meeting.date}",
            url=meeting.get_absolute_url(), role=None,
            context={"meeting_date": format_date(meeting.date), "place": meeting.place, "items": items,
                     "days": (meeting.date - today).days}))
    return reminders


def due_reminders(today: date) -> list[Reminder]:
    """Everything due on ``today``."""
    return [*followup_reminders(today), *milestone_reminders(today), *waiting_reminders(today),
            *period_end_reminders(today), *meeting_agenda_reminders(today)]
