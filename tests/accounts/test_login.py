"""Logging in with a username or an e-mail address, and throttling that counts both as one person."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse

from tests.factories.agreements import UserFactory

PASSWORD = "hemmelig-kode-1"
WRONG = "Brugernavn og adgangskode passer ikke sammen"
LOCKED = "Log ind er midlertidigt spærret"

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_login_page_asks_for_username_or_email_and_offers_a_reset():
    page = Client().get(reverse("login")).content.decode()
    assert '<label for="id_username">Brugernavn eller e-mail</label>' in page
    assert reverse("password_reset") in page


def test_log_in_with_the_username():
    user = UserFactory(username="sara", email="sara@example.dk")
    client = Client()
    response = log_in(client, "sara")
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_log_in_with_the_email_in_any_letter_case():
    user = UserFactory(username="sara", email="Sara.Holm@Example.dk")
    client = Client()
    assert log_in(client, "  sara.holm@EXAMPLE.DK ").status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_a_wrong_password_is_refused_whichever_name_was_typed():
    UserFactory(username="sara", email="sara@example.dk")
    for name in ("sara", "sara@example.dk"):
        client = Client()
        response = log_in(client, name, "forkert-kode")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
        assert logged_in_user_id(client) is None


def test_an_email_two_users_share_logs_nobody_in():
    UserFactory(username="a", email="faelles@example.dk")
    UserFactory(username="b", email="FAELLES@example.dk")
    client = Client()
    assert log_in(client, "faelles@example.dk").status_code == 200
    assert logged_in_user_id(client) is None
    assert log_in(client, "b").status_code == 302  # the username still works


def test_an_inactive_user_cannot_log_in_by_email():
    UserFactory(username="gammel", email="gammel@example.dk", is_active=False)
    assert authenticate(username="gammel@example.dk", password=PASSWORD) is None
    client = Client()
    log_in(client, "gammel@example.dk")
    assert logged_in_user_id(client) is None


def test_the_username_wins_over_another_users_email():
    """A username that looks like an address is that user's, not the user with the address."""
    by_name = UserFactory(username="kim@example.dk", email="kim.privat@example.dk")
    UserFactory(username="kim", email="kim@example.dk")
    assert authenticate(username="kim@example.dk", password=PASSWORD) == by_name


def test_failures_by_username_and_by_email_in_any_case_lock_the_same_person(settings):
    UserFactory(username="bent", email="bent@example.dk")
    names = ["bent", "BENT@example.dk", "Bent@Example.DK", "bent@example.dk", "bent"]
    assert len(names) == settings.AXES_FAILURE_LIMIT
    for name in names[:-1]:
        assert log_in(Client(), name, "forkert-kode").status_code == 200
    response = log_in(Client(), names[-1], "forkert-kode")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"bent"}
    # the right password is refused from here too, by e-mail as by username
    client = Client()
    assert log_in(client, "BENT@EXAMPLE.DK").status_code == 429
    assert logged_in_user_id(client) is None


def test_unknown_names_in_other_letter_cases_count_as_one(settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(Client(), "Ukendt@Example.dk".upper() if n % 2 else "ukendt@example.dk",
                      "forkert-kode").status_code == 200
    assert log_in(Client(), "UKENDT@example.DK", "forkert-kode").status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"ukendt@example.dk"}
