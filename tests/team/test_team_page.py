"""The team page: who sees what, the sekretariat's rights checked at every request, removing members."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.models import PlanMembership
from agreements.permissions import LBF_GROUP, MANAGE_TEAM
from helhedsplan.team import services
from helhedsplan.team.models import Invitation
from tests.factories.agreements import PlanMembershipFactory, UserFactory
from tests.factories.team import InvitationFactory
from tests.team.conftest import browser


def team_url(team) -> str:
    return reverse("team:team", args=[team.plan.slug])


def membership(team, user) -> PlanMembership:
    return PlanMembership.objects.get(plan=team.plan, user=user)


def test_the_plan_navigation_links_to_the_team(team):
    page = browser(team.board).get(team.plan.get_absolute_url()).content.decode()
    assert f'<a href="{team_url(team)}">Team</a>' in page


def test_the_sekretariat_sees_members_invitations_and_the_invitation_form(team):
    InvitationFactory(plan=team.plan, email="mette@example.dk", role=PlanMembership.Role.SECRETARIAT)
    InvitationFactory(plan=team.plan, email="gammel@example.dk", withdrawn_at=datetime(2024, 1, 1, 10, tzinfo=UTC))
    page = browser(team.secretary).get(team_url(team)).content.decode()
    assert "Sara Holm (dig)" in page and "Bent Berg" in page
    assert "<td>Bestyrelse</td>" in page and "<td>Sekretariat</td>" in page
    assert "mette@example.dk" in page and "gammel@example.dk" not in page  # withdrawn ones are gone
    assert '<label for="id_email">E-mail' in page and "Send invitation" in page
    assert "Fjern fra planen" in page and "Send igen" in page and "Træk tilbage" in page


def test_an_invitation_whose_link_has_expired_says_so(team):
    InvitationFactory(plan=team.plan, email="mette@example.dk",
                      last_sent_at=timezone.now() - services.INVITATION_VALID_FOR - timedelta(minutes=1))
    InvitationFactory(plan=team.plan, email="ny@example.dk")
    page = browser(team.secretary).get(team_url(team)).content.decode()
    assert page.count("Linket er udløbet") == 1


def test_the_bestyrelse_and_lbf_see_the_members_only(team):
    InvitationFactory(plan=team.plan, email="mette@example.dk")
    lbf = UserFactory(username="lise")
    lbf.groups.add(Group.objects.get_or_create(name=LBF_GROUP)[0])
    for user in (team.board, lbf):
        page = browser(user).get(team_url(team)).content.decode()
        assert "Sara Holm" in page and "Bent Berg" in page
        assert "mette@example.dk" not in page and "Send invitation" not in page and "Fjern fra planen" not in page
    assert browser(UserFactory(username="fremmed")).get(team_url(team)).status_code == 404


def test_only_the_sekretariat_may_invite_resend_withdraw_and_remove(team):
    invitation = InvitationFactory(plan=team.plan, email="mette@example.dk")
    slug = team.plan.slug
    actions = [
        (reverse("team:invite", args=[slug]), {"email": "ny@example.dk", "role": "bestyrelse"}),
        (reverse("team:resend", args=[slug, invitation.pk]), {}),
        (reverse("team:withdraw", args=[slug, invitation.pk]), {}),
        (reverse("team:remove", args=[slug, membership(team, team.secretary).pk]), {}),
    ]
    for url, data in actions:
        assert browser(team.board).post(url, data).status_code == 403, url
    assert not Invitation.objects.filter(email="ny@example.dk").exists()
    invitation.refresh_from_db()
    assert (invitation.sent_count, invitation.withdrawn_at) == (1, None)
    assert membership(team, team.secretary)


def test_a_removed_secretary_loses_the_right_at_the_next_request(team):
    client = browser(team.secretary)
    assert client.get(team_url(team)).status_code == 200
    PlanMembership.objects.filter(plan=team.plan, user=team.secretary).update(role=PlanMembership.Role.BOARD)
    response = client.post(reverse("team:invite", args=[team.plan.slug]), {"email": "ny@example.dk",
                                                                            "role": "bestyrelse"})
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="ny@example.dk").exists()


def test_removing_a_member_is_recorded_in_the_history(team):
    board = membership(team, team.board)
    response = browser(team.secretary).post(reverse("team:remove", args=[team.plan.slug, board.pk]), follow=True)
    assert "Bent Berg er fjernet fra planen." in response.content.decode()
    assert not PlanMembership.objects.filter(pk=board.pk).exists()
    removal = PlanMembership.history.filter(id=board.pk).latest()
    assert (removal.history_type, removal.history_user) == ("-", team.secretary)
    assert not team.board.has_perm("plan.view", team.plan)


def test_the_last_sekretariat_member_cannot_be_removed(team):
    own = membership(team, team.secretary)
    response = browser(team.secretary).post(reverse("team:remove", args=[team.plan.slug, own.pk]), follow=True)
    assert "Planen skal have mindst ét medlem af sekretariatet." in response.content.decode()
    assert PlanMembership.objects.filter(pk=own.pk).exists()

    second = PlanMembershipFactory(plan=team.plan, role=PlanMembership.Role.SECRETARIAT).user
    services.member_remove(membership=own, by=team.secretary)  # one may leave while another stays
    with pytest.raises(ValidationError, match="mindst ét medlem af sekretariatet"):
        services.member_remove(membership=membership(team, second), by=second)


def test_the_services_check_the_right_too(team):
    invitation = InvitationFactory(plan=team.plan)
    with pytest.raises(PermissionDenied):
        services.invitation_create(plan=team.plan, email="ny@example.dk", role="bestyrelse", by=team.board)
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(invitation=invitation, by=team.board)
    with pytest.raises(PermissionDenied):
        services.member_remove(membership=membership(team, team.secretary), by=team.board)
    assert team.secretary.has_perm(MANAGE_TEAM, team.plan) and not team.board.has_perm(MANAGE_TEAM, team.plan)
