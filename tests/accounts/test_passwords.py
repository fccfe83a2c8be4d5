"""Changing a password (ends the user's other sessions) and resetting a forgotten one by e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories.agreements import UserFactory

PASSWORD = "hemmelig-kode-1"
NEW_PASSWORD = "Solsikke-Havn-2041"

pytestmark = pytest.mark.django_db


def logged_in_client(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def test_changing_the_password_logs_out_the_other_sessions_but_not_this_one():
    UserFactory(username="sara")
    here, elsewhere = logged_in_client("sara"), logged_in_client("sara")
    profile = reverse("accounts:profile")
    assert elsewhere.get(profile).status_code == 200

    response = here.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "Adgangskoden er skiftet" in here.get(response["Location"]).content.decode()

    assert here.get(profile).status_code == 200
    response = elsewhere.get(profile)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert logged_in_client("sara", NEW_PASSWORD)


def test_the_password_change_page_is_danish_and_refuses_a_weak_password():
    UserFactory(username="sara")
    client = logged_in_client("sara")
    page = client.get(reverse("password_change")).content.decode()
    assert "Skift adgangskode" in page and "Gammel adgangskode" in page
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "Denne adgangskode er for almindelig" in response.content.decode()
    assert logged_in_client("sara", PASSWORD)


def reset_link(message: mail.EmailMessage) -> str:
    return re.search(r"https?://[^/\s]+(/adgangskode/ny/\S+/)", message.body).group(1)


def test_a_forgotten_password_is_reset_through_a_link_by_email():
    UserFactory(username="sara", first_name="Sara", last_name="Holm", email="sara.holm@example.dk")
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "Sara.Holm@EXAMPLE.dk"})
    assert response.status_code == 302
    assert "Tjek din e-mail" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sara.holm@example.dk"]
    assert message.subject == "Ny adgangskode til Helhedsplan"
    assert "Hej Sara Holm" in message.body and "Dit brugernavn er: sara" in message.body

    form_page = client.get(reset_link(message), follow=True)
    assert "Vælg ny adgangskode" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    assert logged_in_client("sara.holm@example.dk", NEW_PASSWORD)

    # the link worked once
    used = Client().get(reset_link(message), follow=True).content.decode()
    assert "Linket virker ikke længere" in used


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same():
    UserFactory(username="sara", email="sara@example.dk")
    response = Client().post(reverse("password_reset"), {"email": "nogen@example.dk"}, follow=True)
    assert "Tjek din e-mail" in response.content.decode()
    assert mail.outbox == []
