import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agreements.models import Plan
from agreements.permissions import LBF_GROUP, plans_visible_to
from tests.factories.agreements import ActivityFactory, PlanFactory, PlanMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _plan_with_subagreement():
    activity = ActivityFactory(name="HippHopp+", purpose="Skoleparathed for førskolebørn.")
    return activity.sub_agreement.plan, activity.sub_agreement


def test_plan_page_shows_delaftaler_for_a_member(client):
    plan, sub_agreement = _plan_with_subagreement()
    membership = PlanMembershipFactory(plan=plan)
    client.force_login(membership.user)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Delaftale for indsatsområdet {sub_agreement.focus_area.name}" in body
    assert plan.name in body
    detail = client.get(sub_agreement.get_absolute_url())
    assert detail.status_code == 200
    assert "HippHopp+" in detail.content.decode()
    assert "Skoleparathed for førskolebørn." in detail.content.decode()


def test_plan_list_shows_only_own_plans(client):
    plan, _ = _plan_with_subagreement()
    other = PlanFactory(name="Andet Boligområde")
    membership = PlanMembershipFactory(plan=plan)
    client.force_login(membership.user)
    body = client.get(reverse("agreements:plan_list")).content.decode()
    assert plan.name in body
    assert other.name not in body


def test_other_plans_answer_404_and_anonymous_users_go_to_login(client):
    plan, sub_agreement = _plan_with_subagreement()
    outsider = PlanMembershipFactory().user
    client.force_login(outsider)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(sub_agreement.get_absolute_url()).status_code == 404
    client.logout()
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_lbf_group_sees_every_plan():
    plans = [PlanFactory(), PlanFactory()]
    user = UserFactory()
    assert list(plans_visible_to(user)) == []
    user.groups.add(Group.objects.get_or_create(name=LBF_GROUP)[0])
    assert set(plans_visible_to(user)) == set(Plan.objects.all())  # the demo plans too
    assert set(plans) <= set(plans_visible_to(user))


def test_login_page_is_danish(client):
    body = client.get(reverse("login")).content.decode()
    assert "Log ind" in body and "Adgangskode" in body
