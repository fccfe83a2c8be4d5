"""The public plan page: opt-in, no login, approved content only, no personal data or budget."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Contact, Plan
from tests.factories.agreements import ContactFactory, SubAgreementFactory
from tests.lbf.conftest import approve

pytestmark = pytest.mark.django_db


def _url(plan) -> str:
    return reverse("agreements:public_plan", kwargs={"slug": plan.slug})


def test_a_plan_that_did_not_opt_in_has_no_public_page(client, ws):
    approve(ws, meeting=date(2023, 3, 1))
    assert client.get(_url(ws.plan)).status_code == 404
    assert client.get(reverse("agreements:public_plan", kwargs={"slug": "findes-ikke"})).status_code == 404


def test_the_public_page_shows_approved_activities_and_nothing_private(client, ws):
    sub = ws.sub_agreement
    contact = Contact.objects.get(name="Lone Madsen")
    activity = sub.activities.get(name="Lektiecafé Toften")
    activity.contacts.add(ContactFactory(name="Kim Kontakt", email="kim.kontakt@example.dk"))
    activity.purpose = "At styrke børnenes læsning."
    activity.save()
    approve(ws, meeting=date(2023, 3, 1))
    sub.refresh_from_db()
    services.subagreement_save(sub_agreement=sub, expected_version=sub.version,
                               fields={"revision": "HEMMELIG KLADDE"})
    sub.activities.filter(pk=activity.pk).update(purpose="KLADDEFORMÅL, ikke godkendt")
    draft_only = SubAgreementFactory(plan=ws.plan)
    draft_only.activities.create(name="Ikke godkendt aktivitet", purpose="x")
    Plan.objects.filter(pk=ws.plan.pk).update(public_page_enabled=True, public_intro="Velkommen til Tryg Toften.")

    response = client.get(_url(ws.plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tryg Toften" in page and "Velkommen til Tryg Toften." in page
    assert sub.focus_area.name in page
    assert "Lektiecafé Toften" in page and "At styrke børnenes læsning." in page and "Familieklub" in page
    for secret in ["KLADDEFORMÅL", "HEMMELIG KLADDE", "Ikke godkendt aktivitet", draft_only.focus_area.name,
                   contact.name, contact.email, "Kim Kontakt", "kim.kontakt@example.dk", "Boligsocial koordinator",
                   "Sekretær", "Bestyrelse", "Referat", "kr.", "Landsbyggefonden (kr.)"]:
        assert secret not in page, secret


def test_no_budget_figures_on_the_public_page(client, demo_data):
    plan = Plan.objects.get(slug="amager")
    Plan.objects.filter(pk=plan.pk).update(public_page_enabled=True)
    page = client.get(_url(plan)).content.decode()
    assert "Uddannelse og livschancer" in page
    from budgets.selectors import subagreement_economy

    for sub_agreement in plan.sub_agreements.all():
        economy = subagreement_economy(sub_agreement)
        for amount in (economy.lbf, economy.total):
            assert f"{amount:,}".replace(",", ".") not in page
    assert "@example.dk" not in page


def test_secretariat_switches_the_public_page_on(client, ws):
    url = reverse("agreements:public_settings", kwargs={"slug": ws.plan.slug})
    client.force_login(ws.board)
    assert client.get(url).status_code == 403
    client.force_login(ws.secretary)
    assert client.get(url).status_code == 200
    client.post(url, {"public_page_enabled": "on", "public_intro": "  Hej  "})
    ws.plan.refresh_from_db()
    assert ws.plan.public_page_enabled and ws.plan.public_intro == "Hej"
    assert ws.plan.history.first().public_page_enabled, "the change is in the plan's history"
    page = client.get(_url(ws.plan))
    assert page.status_code == 200 and "endnu ikke godkendt" in page.content.decode()
