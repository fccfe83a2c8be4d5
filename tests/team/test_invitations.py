"""Invitations: sent by e-mail through the worker, a link that works once, for 14 days, only the newest
sending, and not after it is withdrawn."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import TestCase
from django.urls import reverse

from agreements.models import PlanMembership
from helhedsplan.notifications.models import AddressOptOut, Notification
from helhedsplan.team import services
from helhedsplan.team.models import Invitation
from tests.factories.agreements import PlanMembershipFactory, UserFactory
from tests.team.conftest import browser
from tests.worker import queued, run_worker

PASSWORD = "Solsikke-Havn-2041"


def committed(action):
    """Run ``action`` as a request does: its on-commit callbacks (queueing the e-mail) run after it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return action()


def invite(team, email="mette@example.dk", role=PlanMembership.Role.BOARD):
    client = browser(team.secretary)
    response = committed(lambda: client.post(reverse("team:invite", args=[team.plan.slug]),
                                             {"email": email, "role": role}))
    assert response.status_code == 302, response.content.decode()
    return Invitation.objects.get(plan=team.plan, email=email.lower(), accepted_at=None, withdrawn_at=None)


def link_in(message) -> str:
    """The path of the invitation link in an e-mail."""
    return re.search(r"http://testserver\.example(/invitation/[^/\s]+/)", message.body).group(1)


def sent_link(team, **kwargs) -> str:
    invite(team, **kwargs)
    run_worker()
    return link_in(mail.outbox[-1])


class PastSigner(signing.TimestampSigner):
    """Signs as if it were ``days`` days ago."""

    def __init__(self, days: float):
        super().__init__(salt=services.INVITATION_SALT)
        self.days = days

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - self.days * 86400))


def link_signed_days_ago(invitation: Invitation, days: float) -> str:
    return reverse("team:accept", args=[services.invitation_token(invitation, signer=PastSigner(days))])


# --- Sending ------------------------------------------------------------------------------------------

def test_the_invitation_is_emailed_by_the_worker_after_the_request(team):
    invitation = invite(team, email="Mette@Example.dk")
    assert mail.outbox == [], "nothing is sent inside the request"
    assert queued("send_notification") == 1
    assert run_worker() == 1
    [message] = mail.outbox
    assert message.to == ["mette@example.dk"]
    assert message.subject == "Invitation til helhedsplanen Sammen i Sydhavn"
    assert "Sara Holm har inviteret dig til at være med i den boligsociale helhedsplan Sammen i Sydhavn" in message.body
    assert "som bestyrelse" in message.body
    valid_until = (invitation.last_sent_at + timedelta(days=14)).astimezone()
    assert f"til og med {valid_until.day}. " in message.body
    assert f'href="http://testserver.example{link_in(message)}"' in message.alternatives[0].content
    assert (invitation.email, invitation.role, invitation.invited_by, invitation.sent_count) == (
        "mette@example.dk", "bestyrelse", team.secretary, 1)
    assert invitation.history.earliest().history_user == team.secretary


def test_a_new_person_chooses_name_and_password_and_joins_once(team):
    link = sent_link(team, email="mette@example.dk")
    client = browser()
    page = client.get(link).content.decode()
    assert "Du er inviteret til at være med i helhedsplanen <strong>Sammen i Sydhavn</strong> som" in page
    assert '<label for="id_password1">Adgangskode' in page

    form = {"first_name": "Mette", "last_name": "Hansen", "password1": "kort1", "password2": "kort1"}
    response = client.post(link, form)
    assert response.status_code == 200
    assert "Denne adgangskode er for kort" in response.content.decode()
    assert 'value="Hansen"' in response.content.decode()
    response = client.post(link, {**form, "password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "De to adgangskoder er ikke ens." in response.content.decode()

    response = client.post(link, {**form, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == team.plan.get_absolute_url()
    mette = PlanMembership.objects.get(plan=team.plan, user__email="mette@example.dk").user
    assert (mette.first_name, mette.last_name, mette.username) == ("Mette", "Hansen", "mette")
    assert mette.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(mette.pk)
    assert PlanMembership.objects.get(user=mette).role == PlanMembership.Role.BOARD
    page = client.get(response["Location"]).content.decode()
    assert "Du er nu med i Sammen i Sydhavn som bestyrelse" in page
    invitation = Invitation.objects.get(email="mette@example.dk")
    assert invitation.accepted_by == mette and invitation.accepted_at is not None
    assert invitation.history.latest().history_user == mette

    # the link works once
    again = browser().get(link)
    assert again.status_code == 410
    assert "Invitationen er allerede taget imod." in again.content.decode()
    # and the new user logs in with the address
    assert browser().post(reverse("login"), {"username": "mette@example.dk", "password": PASSWORD}).status_code == 302


def test_an_existing_user_logs_in_first_then_accepts(team):
    kim = UserFactory(username="kim", email="Kim@Example.dk")
    link = sent_link(team, email="kim@example.dk", role=PlanMembership.Role.SECRETARIAT)
    client = browser()
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(response["Location"], {"username": "kim@example.dk", "password": "hemmelig-kode-1"})
    assert response["Location"] == link
    page = client.get(link).content.decode()
    assert "Tag imod invitationen" in page and "id_password1" not in page
    assert not PlanMembership.objects.filter(user=kim).exists(), "opening the link accepts nothing"
    response = client.post(link)
    assert response["Location"] == team.plan.get_absolute_url()
    assert PlanMembership.objects.get(user=kim, plan=team.plan).role == PlanMembership.Role.SECRETARIAT


def test_another_logged_in_user_cannot_accept(team):
    UserFactory(username="kim", email="kim@example.dk")
    link = sent_link(team, email="kim@example.dk")
    intruder = UserFactory(username="ole", email="ole@example.dk")
    for method in ("get", "post"):
        response = getattr(browser(intruder), method)(link)
        assert response.status_code == 403
        assert "men invitationen er sendt til kim@example.dk" in response.content.decode()
    assert not PlanMembership.objects.filter(plan=team.plan, user__username__in=["kim", "ole"]).exists()


def test_a_link_older_than_14_days_is_refused(team):
    invitation = invite(team)
    fresh_enough = browser().get(link_signed_days_ago(invitation, 13.9))
    assert fresh_enough.status_code == 200
    expired = browser().get(link_signed_days_ago(invitation, 14.1))
    assert expired.status_code == 410
    assert "Linket er udløbet: en invitation gælder i 14 dage." in expired.content.decode()
    response = browser().post(link_signed_days_ago(invitation, 15), {
        "first_name": "Mette", "last_name": "Hansen", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert not PlanMembership.objects.filter(plan=team.plan, user__email="mette@example.dk").exists()


def test_sending_again_gives_a_new_link_and_the_old_one_stops_working(team):
    old_link = sent_link(team)
    invitation = Invitation.objects.get(email="mette@example.dk")
    client = browser(team.secretary)
    committed(lambda: client.post(reverse("team:resend", args=[team.plan.slug, invitation.pk])))
    assert run_worker() == 1
    new_link = link_in(mail.outbox[-1])
    assert new_link != old_link and len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    assert set(Notification.objects.filter(email="mette@example.dk").values_list("event_key", flat=True)) == {
        f"invitation:{invitation.pk}:1", f"invitation:{invitation.pk}:2"}

    refused = browser().get(old_link)
    assert refused.status_code == 410
    assert "Der er sendt en nyere invitation til dig." in refused.content.decode()
    assert browser().get(new_link).status_code == 200


def test_a_withdrawn_invitation_link_is_refused(team):
    link = sent_link(team)
    invitation = Invitation.objects.get(email="mette@example.dk")
    response = browser(team.secretary).post(reverse("team:withdraw", args=[team.plan.slug, invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    assert invitation.history.latest().history_user == team.secretary
    for method, data in (("get", {}), ("post", {"first_name": "M", "last_name": "H", "password1": PASSWORD,
                                              "password2": PASSWORD})):
        refused = getattr(browser(), method)(link, data)
        assert refused.status_code == 410
        assert "Invitationen er trukket tilbage af planens sekretariat." in refused.content.decode()
    assert not PlanMembership.objects.filter(plan=team.plan, user__email="mette@example.dk").exists()
    # nor can it be sent again
    response = browser(team.secretary).post(reverse("team:resend", args=[team.plan.slug, invitation.pk]),
                                            follow=True)
    assert "Invitationen er ikke længere åben." in response.content.decode()


def test_a_tampered_or_made_up_link_is_refused(team):
    link = sent_link(team)
    for path in (link.replace("/invitation/", "/invitation/x"), reverse("team:accept", args=["noget-andet"])):
        response = browser().get(path)
        assert response.status_code == 410
        assert "Linket er ikke gyldigt." in response.content.decode()


def test_a_member_or_an_address_already_invited_is_not_invited_again(team):
    invite(team, email="mette@example.dk")
    client = browser(team.secretary)
    for email, message in (("METTE@example.dk", "Der er allerede en åben invitation til mette@example.dk."),
                           ("Bent@Example.dk", "bent@example.dk er allerede med i planen.")):
        response = client.post(reverse("team:invite", args=[team.plan.slug]), {"email": email, "role": "bestyrelse"})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert f'value="{email}"' in response.content.decode()
    assert Invitation.objects.filter(plan=team.plan).count() == 1


def test_an_address_that_opted_out_of_invitations_is_not_invited(team):
    AddressOptOut.objects.create(email="nej@example.dk", kind="invitation")
    response = browser(team.secretary).post(reverse("team:invite", args=[team.plan.slug]),
                                            {"email": "nej@example.dk", "role": "bestyrelse"})
    assert response.status_code == 400
    assert "Modtageren har frabedt sig invitationer fra Helhedsplan" in response.content.decode()
    assert not Invitation.objects.filter(email="nej@example.dk").exists()


def test_a_member_who_accepts_keeps_the_role_they_have(team):
    other = PlanMembershipFactory(plan=team.plan, role=PlanMembership.Role.BOARD,
                                  user=UserFactory(username="lis", email="lis@example.dk"))
    invitation = Invitation.objects.create(plan=team.plan, email="lis@example.dk", role="sekretariat",
                                           invited_by=team.secretary, sent_count=1)
    membership = services.invitation_accept(token=services.invitation_token(invitation), user=other.user)
    assert membership == other and membership.role == PlanMembership.Role.BOARD
    invitation.refresh_from_db()
    assert invitation.accepted_by == other.user


def test_a_new_users_name_is_taken_from_the_address_and_numbered_when_taken(team):
    UserFactory(username="mette", email="mette.privat@example.dk")
    invitation = Invitation.objects.create(plan=team.plan, email="mette@example.dk", role="bestyrelse",
                                           invited_by=team.secretary, sent_count=1)
    user = services.invitation_accept_new_user(token=services.invitation_token(invitation), first_name="Mette",
                                               last_name="Hansen", password=PASSWORD)
    assert user.username == "mette2"


def test_nobody_gets_a_second_user_for_an_address_that_has_one(team):
    invitation = Invitation.objects.create(plan=team.plan, email="mette@example.dk", role="bestyrelse",
                                           invited_by=team.secretary, sent_count=1)
    UserFactory(username="mh", email="METTE@example.dk")
    with pytest.raises(services.InvitationRefused, match="Der findes allerede en bruger"):
        services.invitation_accept_new_user(token=services.invitation_token(invitation), first_name="Mette",
                                            last_name="Hansen", password=PASSWORD)
