"""The visitor's kept plan page (agreements/page_cache.py): served only where a fresh render would
give the same page, and never past a change to the data or to who may see the plan."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import revisions
from agreements.models import PlanMembership
from agreements.selectors import LBF_GROUP
from tests.factories.agreements import (
    ActivityFactory,
    PlanFactory,
    PlanMembershipFactory,
    SubAgreementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A kept page: the user and the plan's revision tokens (the session is a file, see settings).
WARM = 2
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def plan_url(plan) -> str:
    return reverse("agreements:plan_detail", kwargs={"slug": plan.slug})


def queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.content.decode()


def signed_in(user, **kwargs) -> Client:
    """A browser signed in as ``user``, with the CSRF cookie it got on the way (as from the login form)."""
    client = Client(**kwargs)
    client.force_login(user)
    client.get(reverse("agreements:plan_list"))
    assert "csrftoken" in client.cookies
    return client


def test_a_repeated_visit_is_served_whole_until_the_plan_changes():
    sub_agreement = SubAgreementFactory()
    plan = sub_agreement.plan
    client = signed_in(PlanMembershipFactory(plan=plan).user)
    cold, first = queries(client, plan_url(plan))
    warm, second = queries(client, plan_url(plan))
    assert warm == WARM
    assert second == first
    ActivityFactory(sub_agreement=sub_agreement, name="Lektiecafé Nord")
    changed, third = queries(client, plan_url(plan))
    assert changed > warm
    assert "Lektiecafé Nord" in third and "Lektiecafé Nord" not in second


def test_the_first_visit_of_a_browser_without_a_csrf_cookie_is_not_kept():
    plan = PlanFactory()
    client = Client()
    client.force_login(PlanMembershipFactory(plan=plan).user)
    first, _ = queries(client, plan_url(plan))  # no CSRF cookie yet: rendered with a new secret
    second, _ = queries(client, plan_url(plan))  # with the cookie: rendered and kept
    assert second > WARM
    assert queries(client, plan_url(plan))[0] == WARM


def test_each_user_gets_their_own_page():
    plan = PlanFactory()
    first = PlanMembershipFactory(plan=plan, user=UserFactory(first_name="Anna", last_name="Andersen")).user
    second = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.BOARD,
                                   user=UserFactory(first_name="Bo", last_name="Berg")).user
    first_client, second_client = signed_in(first), signed_in(second)
    for _ in range(2):
        first_page = first_client.get(plan_url(plan)).content.decode()
        second_page = second_client.get(plan_url(plan)).content.decode()
    assert "Anna Andersen" in first_page and "Bo Berg" not in first_page
    assert "Bo Berg" in second_page and "Anna Andersen" not in second_page
    assert "Din rolle: Bestyrelse" in second_page and "Din rolle: Bestyrelse" not in first_page


def test_a_page_is_never_served_to_another_user_with_the_same_csrf_cookie():
    """A CSRF cookie can be planted in another browser (cookie tossing): the user decides, too."""
    plan = PlanFactory()
    owner = PlanMembershipFactory(plan=plan, user=UserFactory(first_name="Anna", last_name="Andersen")).user
    other = PlanMembershipFactory(plan=plan, user=UserFactory(first_name="Bo", last_name="Berg")).user
    owner_client, other_client = signed_in(owner), Client()
    other_client.force_login(other)
    other_client.cookies["csrftoken"] = owner_client.cookies["csrftoken"].value
    owner_client.get(plan_url(plan))
    assert "Anna Andersen" in owner_client.get(plan_url(plan)).content.decode()
    page = other_client.get(plan_url(plan)).content.decode()
    assert "Bo Berg" in page and "Anna Andersen" not in page


def test_a_kept_page_forms_work_and_each_browser_has_its_own_secret():
    plan = PlanFactory()
    user = PlanMembershipFactory(plan=plan).user
    laptop, phone = signed_in(user, enforce_csrf_checks=True), signed_in(user, enforce_csrf_checks=True)
    for _ in range(2):
        laptop_page = laptop.get(plan_url(plan)).content.decode()
        phone_page = phone.get(plan_url(plan)).content.decode()
    assert queries(laptop, plan_url(plan))[0] == WARM  # the laptop's page is kept
    comment_url = reverse("agreements:plan_comment", kwargs={"slug": plan.slug})
    # The phone's kept page is its own: its tokens are refused with the laptop's cookie and vice versa.
    refused = laptop.post(comment_url, {"text": "Forkert", "csrfmiddlewaretoken": TOKEN.findall(phone_page)[-1]})
    assert refused.status_code == 403
    for client, page, text in ((laptop, laptop_page, "Ok fra laptop"), (phone, phone_page, "Ok fra telefon")):
        accepted = client.post(comment_url, {"text": text, "csrfmiddlewaretoken": TOKEN.findall(page)[-1]})
        assert accepted.status_code == 302
    assert set(plan.comments.values_list("text", flat=True)) == {"Ok fra laptop", "Ok fra telefon"}


def test_a_message_is_shown_once_on_a_fresh_page_and_the_next_visit_is_kept_again():
    plan = PlanFactory()
    client = signed_in(PlanMembershipFactory(plan=plan).user)
    client.get(plan_url(plan))
    client.get(plan_url(plan))
    response = client.post(reverse("agreements:plan_comment", kwargs={"slug": plan.slug}), {"text": ""},
                           follow=True)
    assert "Skriv en kommentar, før du gemmer." in response.content.decode()  # nothing changed but the message
    count, page = queries(client, plan_url(plan))
    assert "Skriv en kommentar" not in page
    assert count == WARM


def test_access_taken_away_through_each_route_ends_the_kept_page():
    plan = PlanFactory()
    lbf_group = Group.objects.create(name=LBF_GROUP)
    member = PlanMembershipFactory(plan=plan).user
    lbf_reader, lbf_group_reader, superuser = UserFactory(), UserFactory(), UserFactory(is_superuser=True)
    lbf_reader.groups.add(lbf_group)
    lbf_group.user_set.add(lbf_group_reader)
    clients = {user.pk: signed_in(user) for user in (member, lbf_reader, lbf_group_reader, superuser)}
    for client in clients.values():
        client.get(plan_url(plan))
        assert queries(client, plan_url(plan))[0] == WARM

    PlanMembership.objects.filter(user=member, plan=plan).delete()
    lbf_group.user_set.remove(lbf_reader)  # from the group's side: the user is not saved
    superuser.is_superuser = False
    superuser.save()
    for user in (member, lbf_reader, superuser):
        assert clients[user.pk].get(plan_url(plan)).status_code == 404, user
    assert clients[lbf_group_reader.pk].get(plan_url(plan)).status_code == 200

    lbf_group.delete()  # removes the remaining reader's membership without a signal for it
    assert clients[lbf_group_reader.pk].get(plan_url(plan)).status_code == 404


def test_a_signed_out_visitor_is_sent_to_the_login_page_not_the_kept_page():
    plan = PlanFactory()
    client = signed_in(PlanMembershipFactory(plan=plan).user)
    client.get(plan_url(plan))
    client.get(plan_url(plan))
    client.post(reverse("logout"))
    response = client.get(plan_url(plan))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_tokens_for_slug_matches_tokens_and_knows_no_unknown_plan():
    plan = PlanFactory()
    expected = revisions.tokens(plan.pk)  # creates both tokens
    assert revisions.tokens_for_slug(plan.slug) == (plan.pk, expected)
    assert revisions.tokens_for_slug("findes-ikke") is None
