"""Notifications: who is told of what, once, through the worker, as each user chose; the unsubscribe
link; the in-app list."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from agreements import services
from agreements.models import PlanMembership
from helhedsplan.approvals import services as workflow
from helhedsplan.notifications import events
from helhedsplan.notifications.models import AddressOptOut, Delivery, Kind, Notification, NotificationPreference
from helhedsplan.notifications.services import (
    digests_send,
    notification_send,
    notify,
    notify_address,
    preferences_save,
    unsubscribe_token,
)
from tests.factories.agreements import PlanMembershipFactory, UserFactory
from tests.worker import queued, run_worker

MEETING = date(2024, 3, 12)


def committed(action):
    """Run ``action`` as a request would: its on-commit callbacks (queueing the e-mails) run after it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return action()


def submit(ws, document=None):
    return committed(lambda: workflow.document_submit(document=document or ws.sub_agreement, by=ws.secretary))


def approve(ws, document=None, meeting=MEETING):
    return committed(lambda: workflow.document_approve(document=document or ws.sub_agreement, by=ws.board,
                                                       meeting_date=meeting, referat="Referat, pkt. 4"))


def sent_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


# --- The workflow's events ---------------------------------------------------------------------------

def test_sending_to_the_board_emails_each_board_member_once_through_the_worker(ws):
    second_board = UserFactory(username="birte")
    PlanMembershipFactory(user=second_board, plan=ws.plan, role=PlanMembership.Role.BOARD)
    submit(ws)
    assert mail.outbox == [], "nothing is sent inside the request"
    assert queued("send_notification") == 2
    assert run_worker() == 2
    assert len(sent_to(ws.board)) == 1 and len(sent_to(second_board)) == 1
    assert sent_to(ws.secretary) == [], "the one who acted is not told"
    message = sent_to(ws.board)[0]
    assert "Til behandling" in message.subject and ws.plan.name in message.subject
    pdf = reverse("documents:delaftale_pdf", kwargs={"slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug})
    assert f"http://testserver.example{pdf}" in message.body
    assert "har ikke været godkendt før" in message.body
    html = message.alternatives[0].content
    assert f'href="http://testserver.example{pdf}"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/varsler/afmeld/" in message.extra_headers["List-Unsubscribe"]
    assert "/varsler/afmeld/" in message.body and "/varsler/afmeld/" in html
    assert run_worker() == 0, "sent once"


def test_a_resubmission_after_an_approval_links_to_the_changes(ws):
    submit(ws)
    approve(ws)
    ws.sub_agreement.refresh_from_db()
    services.subagreement_save(sub_agreement=ws.sub_agreement, expected_version=ws.sub_agreement.version,
                               fields={"revision": "Revideres hvert halve år."})
    ws.sub_agreement.refresh_from_db()
    run_worker()
    mail.outbox.clear()
    submit(ws)
    run_worker()
    [message] = sent_to(ws.board)
    changes = reverse("agreements:subagreement_changes",
                      kwargs={"slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug})
    assert "Ændringer siden sidste godkendelse" in message.body and changes in message.body


def test_sending_back_tells_the_secretariat_the_reason(ws):
    submit(ws)
    committed(lambda: workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.board,
                                                       reason="Budgettet mangler."))
    run_worker()
    [message] = sent_to(ws.secretary)
    assert "Sendt tilbage" in message.subject and "Begrundelse: Budgettet mangler." in message.body
    assert not Notification.objects.filter(kind=Kind.COMMENT).exists(), "the reason is not told twice"


def test_a_second_sending_is_a_new_event(ws):
    submit(ws)
    committed(lambda: workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.secretary))
    submit(ws)
    run_worker()
    assert len(sent_to(ws.board)) == 2


def test_approval_tells_the_secretariat_and_when_lbf_must_approve(ws):
    submit(ws, ws.strategic)
    approve(ws, ws.strategic, meeting=date(2023, 5, 1))
    run_worker()
    [first] = sent_to(ws.secretary)
    assert "Godkendt" in first.subject and "1. maj 2023" in first.body
    assert "kræver LBF-godkendelse" not in first.body
    ws.strategic.refresh_from_db()
    services.strategic_agreement_save(agreement=ws.strategic, expected_version=ws.strategic.version,
                                      fields={"section_2_vision": "En ny vision."})
    ws.strategic.refresh_from_db()
    mail.outbox.clear()
    submit(ws, ws.strategic)
    approve(ws, ws.strategic, meeting=date(2024, 5, 1))
    run_worker()
    [second] = sent_to(ws.secretary)
    assert "kræver LBF-godkendelse" in second.body and "Kræver LBF-godkendelse" in second.alternatives[0].content


def test_a_comment_tells_the_plans_other_members(ws, client):
    ws.plan.name = "Tryg & Toften"
    ws.plan.save()
    client.force_login(ws.board)
    url = reverse("agreements:subagreement_comment", kwargs={"slug": ws.plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url, {"text": "Husk <b>lektiecaféen</b>."})
    run_worker()
    assert sent_to(ws.board) == []
    [message] = sent_to(ws.secretary)
    assert message.subject.endswith("– Tryg & Toften"), "subjects are plain text"
    assert "Husk <b>lektiecaféen</b>." in message.body
    assert "Husk &lt;b&gt;lektiecaféen&lt;/b&gt;." in message.alternatives[0].content, "escaped in HTML"
    assert sent_to(ws.outsider) == [], "members of other plans hear nothing"


def test_inactive_users_are_not_told(ws):
    ws.board.is_active = False
    ws.board.save()
    submit(ws)
    assert run_worker() == 0 and mail.outbox == []


# --- Idempotence and preferences --------------------------------------------------------------------

def test_the_same_event_twice_is_one_notification(ws):
    kwargs = {"kind": Kind.COMMENT, "users": [ws.secretary], "event_key": "comment:test", "url": "/",
              "plan": ws.plan, "context": {"comment": {"text": "Hej"}, "author": ws.board}}
    assert len(committed(lambda: notify(**kwargs))) == 1
    assert committed(lambda: notify(**kwargs)) == []
    run_worker()
    assert len(mail.outbox) == 1


def test_daily_digest_collects_and_sends_once(ws):
    preferences_save(user=ws.board, deliveries={Kind.SUBMITTED: Delivery.DAILY, Kind.COMMENT: Delivery.DAILY})
    submit(ws)
    committed(lambda: events.comment_post(plan=ws.plan, author=ws.secretary, text="Se budgettet."))
    assert run_worker() == 0, "nothing is sent at once"
    assert digests_send() == 1
    [digest] = mail.outbox
    assert digest.to == [ws.board.email] and "2 nye varsler" in digest.subject
    assert "Til behandling" in digest.body and "Ny kommentar" in digest.body
    assert digests_send() == 0 and len(mail.outbox) == 1, "the second run sends nothing"


def test_off_means_no_email_but_the_app_still_shows_it(ws, client):
    preferences_save(user=ws.board, deliveries={Kind.SUBMITTED: Delivery.OFF})
    submit(ws)
    assert run_worker() == 0 and mail.outbox == []
    client.force_login(ws.board)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Til behandling" in page


def test_preferences_page_saves_the_choices(ws, client):
    client.force_login(ws.secretary)
    data = {kind: Delivery.IMMEDIATE for kind in Kind.values if kind != Kind.INVITATION}
    data[Kind.COMMENT] = Delivery.DAILY
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=ws.secretary, kind=Kind.COMMENT).delivery == Delivery.DAILY
    data[Kind.COMMENT] = "hver time"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200 and "gyldig valgmulighed" in response.content.decode()
    assert NotificationPreference.objects.get(user=ws.secretary, kind=Kind.COMMENT).delivery == Delivery.DAILY


# --- Unsubscribing --------------------------------------------------------------------------------------

def test_the_unsubscribe_link_works_without_logging_in_and_only_a_post_acts(ws, client):
    submit(ws)
    run_worker()
    link = sent_to(ws.board)[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://testserver.example")
    page = client.get(path)
    assert page.status_code == 200 and "Sendt til bestyrelsen" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=ws.board).exists(), "opening the link changes nothing"
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Du får ikke flere e-mails" in response.content.decode()
    assert NotificationPreference.objects.get(user=ws.board, kind=Kind.SUBMITTED).delivery == Delivery.OFF
    committed(lambda: workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.secretary))
    mail.outbox.clear()
    submit(ws)
    assert run_worker() == 0 and mail.outbox == []


def test_an_altered_unsubscribe_token_is_refused(ws, client):
    token = unsubscribe_token(kinds=[Kind.SUBMITTED], user=ws.board)
    response = client.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400 and "ikke gyldigt" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_an_address_without_a_user_can_opt_out(ws, client):
    token = unsubscribe_token(kinds=[Kind.INVITATION], email="Ny@Example.dk")
    client.post(reverse("notifications:unsubscribe", args=[token]))
    assert AddressOptOut.objects.filter(email="ny@example.dk", kind=Kind.INVITATION).exists()
    assert notify_address(kind=Kind.INVITATION, email="ny@example.dk", event_key="invitation:1", url="/",
                          plan=ws.plan, context={}) is None


# --- Failures and retries ------------------------------------------------------------------------------

def test_a_failed_send_is_retried_later_and_then_sent(ws, settings, smtp_server):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    submit(ws)
    [notification] = Notification.objects.filter(user=ws.board)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the connection is refused
    run_worker()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING and notification.attempts == 1
    assert "refused" in notification.last_error.lower() or "errno" in notification.last_error.lower()
    assert queued() == 0, "the retry waits its delay"
    settings.EMAIL_PORT = working_port
    assert notification_send(notification_id=notification.pk) == Notification.Status.SENT
    [message] = smtp_server.messages
    assert message["To"] == ws.board.email and "Til behandling" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    assert notification_send(notification_id=notification.pk) == Notification.Status.SENT
    assert len(smtp_server.messages) == 1, "a sent notification is not sent again"


def test_after_the_last_attempt_the_notification_is_marked_failed(ws, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    submit(ws)
    run_worker()
    notification = Notification.objects.get(user=ws.board)
    assert notification.status == Notification.Status.FAILED and notification.attempts == 1


# --- In the app -------------------------------------------------------------------------------------------

def test_the_header_counts_unread_and_opening_marks_read(ws, client):
    submit(ws)
    client.force_login(ws.board)
    page = client.get(reverse("agreements:plan_list")).content.decode()
    assert '<span class="badge count">1<span class="visually-hidden"> ulæste</span>' in page
    notification = Notification.objects.get(user=ws.board)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = client.get(reverse("agreements:plan_list")).content.decode()
    assert 'class="badge count"' not in page


def test_nobody_opens_another_users_notification(ws, client):
    submit(ws)
    client.force_login(ws.secretary)
    notification = Notification.objects.get(user=ws.board)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_send_digests_command_runs(ws, capsys):
    preferences_save(user=ws.board, deliveries={Kind.SUBMITTED: Delivery.DAILY})
    submit(ws)
    call_command("send_digests")
    assert "1 samlede e-mails sendt." in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("kind", [k for k in Kind.values])
def test_every_kind_has_its_templates(kind):
    from django.template.loader import get_template

    for suffix in ("_subject.txt", ".txt", ".html"):
        get_template(f"notifications/email/{kind}{suffix}")
