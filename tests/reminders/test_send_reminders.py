"""``manage.py send_reminders``: the e-mails of the day, to the members each reminder concerns, and a
second run (that day or later, for the same due thing) sends nothing."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from agreements.models import PlanMembership
from helhedsplan.approvals import services as workflow
from helhedsplan.notifications.models import Kind, Notification
from helhedsplan.reminders.selectors import Reminder, due_reminders
from helhedsplan.reminders.services import reminders_send
from indicators import services as indicator_services
from tests.factories.agreements import MilestoneFactory, PlanMembershipFactory, UserFactory
from tests.factories.approvals import AgendaItemFactory, BoardMeetingFactory
from tests.factories.indicators import IndicatorFactory, SubGoalFactory
from tests.worker import run_worker


def send_reminders(day: date) -> str:
    """Run the command as the daily timer does (its on-commit callbacks queue the e-mails), then the worker."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    run_worker()
    return out.getvalue()


def sent_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_the_followup_reminder_is_emailed_to_the_secretariat_once(ws):
    indicators = [IndicatorFactory(sub_goal=SubGoalFactory(sub_agreement=ws.sub_agreement)) for _ in range(3)]
    indicator_services.indicator_value_set(indicator=indicators[0], year=2024, value=81)

    send_reminders(date(2024, 2, 29))
    assert mail.outbox == [], "not before the follow-up day"
    output = send_reminders(date(2024, 3, 1))
    [message] = mail.outbox
    assert message.to == [ws.secretary.email]
    assert message.subject == f"Årets opfølgning mangler for 2 indikatorer – {ws.plan.name}"
    assert "ikke registreret nogen værdi for 2024" in message.body
    enter = reverse("indicators:enter_plan", kwargs={"slug": ws.plan.slug})
    assert f"http://testserver.example{enter}?aar=2024" in message.body
    assert "nye varsler skrevet" in output

    send_reminders(date(2024, 3, 1))
    send_reminders(date(2024, 3, 2))
    assert len(mail.outbox) == 1, "the same day again, or a later day: nothing new"


def test_milestone_reminders_go_to_the_secretariat_when_due_and_when_overdue(ws):
    MilestoneFactory(plan=ws.plan, title="Lektiecaféen åbner", due_date=date(2024, 5, 15))
    send_reminders(date(2024, 4, 30))
    assert mail.outbox == []
    send_reminders(date(2024, 5, 1))
    send_reminders(date(2024, 5, 2))
    [due] = mail.outbox
    assert due.to == [ws.secretary.email]
    assert due.subject == f"Frist 15. maj 2024: Lektiecaféen åbner – {ws.plan.name}"
    assert "om 14 dage" in due.body

    send_reminders(date(2024, 5, 16))
    send_reminders(date(2024, 5, 20))
    assert len(mail.outbox) == 2
    overdue = mail.outbox[1]
    assert overdue.subject.startswith("Fristen er overskredet: Lektiecaféen åbner")
    assert sent_to(ws.board) == [], "milestones are the secretariat's"


def test_a_document_waiting_for_the_bestyrelse_is_emailed_to_the_board_members(ws):
    second_board = UserFactory(username="birte")
    PlanMembershipFactory(user=second_board, plan=ws.plan, role=PlanMembership.Role.BOARD)
    other_board = UserFactory(username="bodil")
    PlanMembershipFactory(user=other_board, plan=ws.other_plan, role=PlanMembership.Role.BOARD)
    workflow.document_submit(document=ws.strategic, by=ws.secretary)  # its own e-mail is not queued here
    today = timezone.localdate()

    send_reminders(today + timedelta(days=14))
    assert mail.outbox == []
    send_reminders(today + timedelta(days=15))
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ws.board.email, second_board.email])
    message = sent_to(ws.board)[0]
    assert message.subject == f"Venter på bestyrelsen i 15 dage: den strategiske samarbejdsaftale – {ws.plan.name}"
    pdf = reverse("documents:samarbejdsaftale_pdf", kwargs={"slug": ws.plan.slug})
    assert f'href="http://testserver.example{pdf}"' in message.alternatives[0].content

    send_reminders(today + timedelta(days=16))
    assert len(mail.outbox) == 2


def test_the_period_end_reminder_is_emailed_once(ws):
    send_reminders(date(2025, 6, 29))
    assert mail.outbox == []
    send_reminders(date(2025, 6, 30))
    send_reminders(date(2025, 9, 1))
    other_secretary = ws.other_plan.memberships.get().user
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted([
        (ws.secretary.email, f"Planperioden slutter 31. december 2025 – {ws.plan.name}"),
        (other_secretary.email, f"Planperioden slutter 31. december 2025 – {ws.other_plan.name}"),
    ]), "each plan's own secretariat, once"


def test_the_members_get_the_meetings_agenda_with_links_to_the_pdfs(ws):
    meeting = BoardMeetingFactory(plan=ws.plan, date=date(2024, 3, 12), place="Beboerhuset")
    AgendaItemFactory(meeting=meeting, sub_agreement=ws.sub_agreement)
    AgendaItemFactory(meeting=meeting, sub_agreement=None, strategic_agreement=ws.strategic)

    send_reminders(date(2024, 3, 4))
    assert mail.outbox == []
    send_reminders(date(2024, 3, 5))
    send_reminders(date(2024, 3, 11))
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ws.secretary.email, ws.board.email])
    message = sent_to(ws.board)[0]
    assert message.subject == f"Dagsorden: bestyrelsesmøde 12. marts 2024 – {ws.plan.name}"
    area = ws.sub_agreement.focus_area.slug
    for pdf in (reverse("documents:delaftale_pdf", kwargs={"slug": ws.plan.slug, "area": area}),
                reverse("documents:samarbejdsaftale_pdf", kwargs={"slug": ws.plan.slug})):
        assert f"http://testserver.example{pdf}" in message.body
        assert f'href="http://testserver.example{pdf}"' in message.alternatives[0].content
    assert f"http://testserver.example{meeting.get_absolute_url()}" in message.body


def test_a_second_run_of_everything_due_sends_nothing(ws):
    MilestoneFactory(plan=ws.plan, due_date=date(2025, 7, 1))
    IndicatorFactory(sub_goal=SubGoalFactory(sub_agreement=ws.sub_agreement))
    meeting = BoardMeetingFactory(plan=ws.plan, date=date(2025, 7, 3))
    AgendaItemFactory(meeting=meeting, sub_agreement=ws.sub_agreement)

    send_reminders(date(2025, 7, 1))
    kinds = {row.kind for row in Notification.objects.filter(plan=ws.plan)}
    assert kinds == {Kind.REMINDER_FOLLOWUP, Kind.REMINDER_MILESTONE, Kind.REMINDER_PERIOD_END, Kind.MEETING_AGENDA}
    first = len(mail.outbox)
    assert first == 6, ("followup, milestone, period end to the secretary; the agenda to both members; the "
                        "other plan's period end to its secretary")
    send_reminders(date(2025, 7, 1))
    assert len(mail.outbox) == first


def test_a_failing_reminder_does_not_hold_back_the_others(ws):
    MilestoneFactory(plan=ws.plan, due_date=date(2024, 5, 15))
    broken = Reminder(kind="ukendt", plan=ws.plan, event_key="broken", url="/", role=None)
    due = [broken, *due_reminders(date(2024, 5, 1))]
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = reminders_send(today=date(2024, 5, 1), reminders=due)
    run_worker()
    assert run.failed == [broken] and run.due == len(due)
    assert [message.to for message in mail.outbox] == [[ws.secretary.email]], "the milestone went out"


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="ugyldig dato"):
        call_command("send_reminders", "--date", "1. marts", stdout=io.StringIO())
