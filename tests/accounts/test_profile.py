"""Min profil: name, e-mail (nobody else's) and phone; the header links to it."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from helhedsplan.accounts.models import Profile
from tests.factories.agreements import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sara():
    return UserFactory(username="sara", first_name="Sara", last_name="Holm", email="sara@example.dk")


@pytest.fixture
def browser(sara) -> Client:
    client = Client()
    client.force_login(sara)
    return client


def test_every_page_links_to_the_profile_and_logging_out(browser):
    page = browser.get(reverse("agreements:plan_list")).content.decode()
    assert f'<a href="{reverse("accounts:profile")}">Min profil</a>' in page
    assert f'action="{reverse("logout")}"' in page and "Log ud" in page


def test_the_profile_is_created_the_first_time_it_is_shown(browser, sara):
    assert not Profile.objects.filter(user=sara).exists()
    page = browser.get(reverse("accounts:profile")).content.decode()
    assert Profile.objects.filter(user=sara, phone="").count() == 1
    assert 'value="sara@example.dk"' in page and 'value="Holm"' in page
    assert reverse("password_change") in page


def test_saving_the_profile_changes_name_email_and_phone(browser, sara):
    response = browser.post(reverse("accounts:profile"), {
        "first_name": "Sara", "last_name": "Holm-Jensen", "email": "sara.hj@example.dk", "phone": "20 30 40 50"})
    assert response.status_code == 302
    sara.refresh_from_db()
    assert (sara.last_name, sara.email, sara.profile.phone) == ("Holm-Jensen", "sara.hj@example.dk", "20 30 40 50")
    assert sara.profile.history.first().phone == "20 30 40 50"
    assert "Din profil er gemt" in browser.get(response["Location"]).content.decode()


def test_an_email_another_user_has_is_refused_whatever_its_case(browser, sara):
    UserFactory(username="bent", email="Bent@Example.dk")
    response = browser.post(reverse("accounts:profile"), {
        "first_name": "Sara", "last_name": "Ny", "email": "bent@example.DK", "phone": "11 22 33 44"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "En anden bruger har allerede denne e-mailadresse." in page
    assert 'value="bent@example.DK"' in page and 'value="11 22 33 44"' in page  # what was typed stays
    sara.refresh_from_db()
    assert (sara.last_name, sara.email) == ("Holm", "sara@example.dk")


def test_keeping_ones_own_email_in_another_case_is_allowed(browser, sara):
    response = browser.post(reverse("accounts:profile"), {
        "first_name": "Sara", "last_name": "Holm", "email": "SARA@example.dk", "phone": ""})
    assert response.status_code == 302
    sara.refresh_from_db()
    assert sara.email == "SARA@example.dk"


def test_the_notification_settings_link_is_shown_exactly_when_that_page_exists(browser):
    try:
        url = reverse("notifications:preferences")
    except NoReverseMatch:
        url = None
    page = browser.get(reverse("accounts:profile")).content.decode()
    assert ("Varslingsindstillinger" in page) == (url is not None)
    if url:
        assert f'href="{url}"' in page


def test_the_profile_needs_a_login():
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
