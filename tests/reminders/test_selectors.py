"""What is due on a given day: each reminder starts on its day, not before, and ends when it is dealt with."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agreements.models import Milestone, PlanMembership
from helhedsplan.approvals import services as workflow
from helhedsplan.documents import services as document_services
from helhedsplan.notifications.models import Kind
from helhedsplan.reminders import selectors
from indicators import services as indicator_services
from tests.factories.agreements import MilestoneFactory
from tests.factories.approvals import AgendaItemFactory, BoardMeetingFactory
from tests.factories.indicators import GoalFactory, IndicatorFactory, SubGoalFactory


def _of(plan, reminders):
    return [reminder for reminder in reminders if reminder.plan.pk == plan.pk]


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert selectors.months_before(date(2025, 12, 31), 6) == date(2025, 6, 30)
    assert selectors.months_before(date(2025, 8, 31), 6) == date(2025, 2, 28)
    assert selectors.months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)


# --- The annual follow-up -----------------------------------------------------------------------------

@pytest.fixture
def indicators(ws):
    """Three indicators of the plan: two of a delmål, one of an overordnet mål."""
    sub_goal = SubGoalFactory(sub_agreement=ws.sub_agreement)
    goal = GoalFactory(plan=ws.plan)
    return [IndicatorFactory(sub_goal=sub_goal), IndicatorFactory(sub_goal=sub_goal),
            IndicatorFactory(sub_goal=None, goal=goal)]


def test_the_followup_reminder_starts_on_the_plans_followup_day(ws, indicators):
    indicator_services.indicator_value_set(indicator=indicators[0], year=2024, value=81)
    indicator_services.indicator_value_set(indicator=indicators[1], year=2023, value=79)  # last year's

    assert _of(ws.plan, selectors.followup_reminders(date(2024, 2, 29))) == []
    [reminder] = _of(ws.plan, selectors.followup_reminders(date(2024, 3, 1)))
    assert reminder.kind == Kind.REMINDER_FOLLOWUP
    assert reminder.role == PlanMembership.Role.SECRETARIAT
    assert reminder.context["missing"] == 2 and reminder.context["year"] == 2024
    assert reminder.event_key == f"followup:{ws.plan.pk}:2024"
    assert reminder.url.endswith("?aar=2024")
    assert [r.event_key for r in _of(ws.plan, selectors.followup_reminders(date(2024, 11, 30)))] \
        == [reminder.event_key], "from that day on: the same event"


def test_the_followup_reminder_ends_when_every_indicator_has_the_years_value(ws, indicators):
    for indicator in indicators:
        indicator_services.indicator_value_set(indicator=indicator, year=2024, value=80)
    assert _of(ws.plan, selectors.followup_reminders(date(2024, 3, 1))) == []


def test_the_followup_day_is_the_plans_own(ws, indicators):
    ws.plan.followup_month, ws.plan.followup_day = 6, 15
    ws.plan.save()
    assert _of(ws.plan, selectors.followup_reminders(date(2024, 6, 14))) == []
    assert len(_of(ws.plan, selectors.followup_reminders(date(2024, 6, 15)))) == 1


def test_no_followup_reminder_outside_the_plan_period_or_without_indicators(ws, indicators):
    assert _of(ws.plan, selectors.followup_reminders(date(2026, 3, 1))) == [], "the plan ended in 2025"
    assert _of(ws.other_plan, selectors.followup_reminders(date(2024, 3, 1))) == [], "no indicators"


# --- Milestones ---------------------------------------------------------------------------------------

def test_a_milestone_is_due_from_fourteen_days_before_its_date_and_overdue_after_it(ws):
    milestone = MilestoneFactory(plan=ws.plan, title="Lektiecaféen åbner", due_date=date(2024, 5, 15))

    assert _of(ws.plan, selectors.milestone_reminders(date(2024, 4, 30))) == []
    [due] = _of(ws.plan, selectors.milestone_reminders(date(2024, 5, 1)))
    assert due.event_key == f"milestone-due:{milestone.pk}:2024-05-15" and not due.context["overdue"]
    assert due.context["days"] == 14 and due.role == PlanMembership.Role.SECRETARIAT
    assert [r.event_key for r in _of(ws.plan, selectors.milestone_reminders(date(2024, 5, 15)))] == [due.event_key]
    [overdue] = _of(ws.plan, selectors.milestone_reminders(date(2024, 5, 16)))
    assert overdue.event_key == f"milestone-overdue:{milestone.pk}:2024-05-15" and overdue.context["overdue"]


@pytest.mark.parametrize("status", [Milestone.Status.DONE, Milestone.Status.CANCELLED])
def test_a_milestone_reached_or_given_up_is_not_due(ws, status):
    MilestoneFactory(plan=ws.plan, due_date=date(2024, 5, 15), status=status,
                     done_date=date(2024, 5, 10) if status == Milestone.Status.DONE else None)
    assert _of(ws.plan, selectors.milestone_reminders(date(2024, 5, 10))) == []
    assert _of(ws.plan, selectors.milestone_reminders(date(2024, 6, 1))) == []


def test_a_moved_milestone_is_a_new_event(ws):
    milestone = MilestoneFactory(plan=ws.plan, due_date=date(2024, 5, 15))
    milestone.due_date = date(2024, 9, 1)
    milestone.status = Milestone.Status.POSTPONED
    milestone.save()
    assert _of(ws.plan, selectors.milestone_reminders(date(2024, 5, 16))) == []
    [due] = _of(ws.plan, selectors.milestone_reminders(date(2024, 8, 20)))
    assert due.event_key == f"milestone-due:{milestone.pk}:2024-09-01"


def test_no_milestone_reminders_after_the_plan_ended(ws):
    MilestoneFactory(plan=ws.plan, due_date=date(2025, 6, 1))
    assert len(_of(ws.plan, selectors.milestone_reminders(date(2025, 12, 31)))) == 1
    assert _of(ws.plan, selectors.milestone_reminders(date(2026, 1, 1))) == []


# --- Documents waiting for the bestyrelse ---------------------------------------------------------------

def test_a_document_waits_for_the_bestyrelse_more_than_fourteen_days(ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    sent = timezone.localdate()
    assert _of(ws.plan, selectors.waiting_reminders(sent + timedelta(days=14))) == []
    [reminder] = _of(ws.plan, selectors.waiting_reminders(sent + timedelta(days=15)))
    assert reminder.kind == Kind.REMINDER_WAITING and reminder.role == PlanMembership.Role.BOARD
    assert reminder.context["days"] == 15 and reminder.context["changes_link"] == ""
    assert reminder.context["pdf_link"].startswith("http://testserver.example/")
    assert reminder.url == ws.sub_agreement.get_absolute_url()


def test_a_document_sent_back_or_approved_no_longer_waits_and_a_new_sending_is_a_new_event(ws):
    later = timezone.localdate() + timedelta(days=30)
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    [first] = _of(ws.plan, selectors.waiting_reminders(later))
    workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.board)
    assert _of(ws.plan, selectors.waiting_reminders(later)) == []

    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    [second] = _of(ws.plan, selectors.waiting_reminders(later))
    assert second.event_key != first.event_key
    document_services.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=date(2024, 3, 12),
                                       referat="Referat, pkt. 2")
    assert _of(ws.plan, selectors.waiting_reminders(later)) == []


# --- The plan period ----------------------------------------------------------------------------------

def test_the_period_end_reminder_starts_six_months_before_the_last_day(ws):
    assert _of(ws.plan, selectors.period_end_reminders(date(2025, 6, 29))) == []
    [reminder] = _of(ws.plan, selectors.period_end_reminders(date(2025, 6, 30)))
    assert reminder.event_key == f"period-end:{ws.plan.pk}:2025-12-31"
    assert reminder.context == {"end_date": "31. december 2025", "days": 184}
    assert len(_of(ws.plan, selectors.period_end_reminders(date(2025, 12, 31)))) == 1
    assert _of(ws.plan, selectors.period_end_reminders(date(2026, 1, 1))) == []


# --- Bestyrelsesmøder -----------------------------------------------------------------------------------

def test_the_agenda_goes_out_seven_days_before_the_meeting(ws, settings):
    meeting = BoardMeetingFactory(plan=ws.plan, date=date(2024, 3, 12))
    AgendaItemFactory(meeting=meeting, sub_agreement=ws.sub_agreement)
    assert _of(ws.plan, selectors.meeting_agenda_reminders(date(2024, 3, 4))) == []
    [reminder] = _of(ws.plan, selectors.meeting_agenda_reminders(date(2024, 3, 5)))
    assert reminder.kind == Kind.MEETING_AGENDA and reminder.role is None
    assert reminder.event_key == f"meeting-agenda:{meeting.pk}:2024-03-12"
    assert [item["title"] for item in reminder.context["items"]] == [str(ws.sub_agreement)]
    assert reminder.context["items"][0]["pdf_link"].endswith(".pdf")
    assert _of(ws.plan, selectors.meeting_agenda_reminders(date(2024, 3, 13))) == [], "the meeting is over"

    settings.MEETING_AGENDA_DAYS = 3
    assert _of(ws.plan, selectors.meeting_agenda_reminders(date(2024, 3, 8))) == []
    assert len(_of(ws.plan, selectors.meeting_agenda_reminders(date(2024, 3, 9)))) == 1


def test_no_agenda_reminder_for_an_empty_agenda(ws):
    BoardMeetingFactory(plan=ws.plan, date=date(2024, 3, 12))
    assert _of(ws.plan, selectors.meeting_agenda_reminders(date(2024, 3, 10))) == []


def test_due_reminders_holds_every_kind(ws):
    MilestoneFactory(plan=ws.plan, due_date=date(2025, 7, 1))
    IndicatorFactory(sub_goal=SubGoalFactory(sub_agreement=ws.sub_agreement))
    meeting = BoardMeetingFactory(plan=ws.plan, date=date(2025, 7, 3))
    AgendaItemFactory(meeting=meeting, sub_agreement=ws.sub_agreement)
    kinds = {reminder.kind for reminder in _of(ws.plan, selectors.due_reminders(date(2025, 7, 1)))}
    assert kinds == {Kind.REMINDER_FOLLOWUP, Kind.REMINDER_MILESTONE, Kind.REMINDER_PERIOD_END, Kind.MEETING_AGENDA}
