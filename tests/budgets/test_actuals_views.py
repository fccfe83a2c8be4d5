"""Forbrug in the browser: the follow-up page, one year's entry with its version check, the import."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import PlanMembership
from budgets.models import Actual, ActualYear, BudgetLine
from tests.factories.agreements import PlanMembershipFactory
from tests.spreadsheets import table

pytestmark = pytest.mark.django_db

FIELDS = ("spent", "bo_cash", "bo_hours", "kom_cash", "kom_hours", "other")


@pytest.fixture
def secretariat(small_plan):
    return PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user


@pytest.fixture
def board(small_plan):
    return PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.BOARD).user


def lines(plan) -> dict[str, BudgetLine]:
    return {line.name: line for line in BudgetLine.objects.filter(budget__plan=plan)}


def form_data(plan, figures: dict[str, tuple], *, version: int, closed: bool = False, note: str = "") -> dict:
    data = {"version": version, "note": note}
    if closed:
        data["closed"] = "on"
    for name, line in lines(plan).items():
        for field, value in zip(FIELDS, figures.get(name, ("",) * 6), strict=True):
            data[f"{field}_{line.pk}"] = value
    return data


def enter_url(plan, year: int) -> str:
    return reverse("budgets:actuals_enter", kwargs={"slug": plan.slug}) + f"?aar={year}"


def test_entering_a_year_in_danish_numbers_gives_the_follow_up(client, secretariat, small_plan):
    client.force_login(secretariat)
    page = client.get(enter_url(small_plan, 2022))
    assert page.status_code == 200
    assert "tusinde kroner (t.kr.)" in page.content.decode()
    response = client.post(enter_url(small_plan, 2022), form_data(small_plan, {
        "Boligsocial medarbejder 1": ("595,8", "75", "", "75", "", ""),
        "Fritidsjob": ("50", "", "", "", "", "50"),
        "Lokal evaluering": ("0", "", "", "", "", ""),
    }, version=0))
    assert response.status_code == 302
    assert response["Location"].endswith("/budget/forbrug/?aar=2022")
    saved = {a.line.name: a.spent for a in Actual.objects.filter(line__budget__plan=small_plan, year=2022)}
    assert saved == {"Boligsocial medarbejder 1": Decimal("595.8"), "Fritidsjob": 50, "Lokal evaluering": 0}
    assert Actual.objects.get(line__name="Boligsocial medarbejder 1", line__budget__plan=small_plan).history \
        .first().history_user == secretariat

    page = client.get(response["Location"]).content.decode()
    assert "Budget og forbrug 2022" in page and "595,8" in page and "66,2" in page and "90,0 %" in page
    assert "<svg" in page and "Fritidsjob" in page and "25,0 % over budgettet" in page


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client, secretariat, small_plan):
    client.force_login(secretariat)
    client.post(enter_url(small_plan, 2022), form_data(small_plan, {"Fritidsjob": ("40",) + ("",) * 5}, version=0))
    # Another editor saved version 1 → 2 meanwhile.
    client.post(enter_url(small_plan, 2022), form_data(small_plan, {"Fritidsjob": ("41",) + ("",) * 5}, version=1))
    response = client.post(enter_url(small_plan, 2022),
                           form_data(small_plan, {"Fritidsjob": ("99",) + ("",) * 5}, version=1))
    assert response.status_code == 400
    html = response.content.decode()
    assert "ændret af en anden" in html and 'value="99"' in html and 'name="version" value="2"' in html
    assert Actual.objects.get(line__budget__plan=small_plan, line__name="Fritidsjob").spent == 41


def test_a_closed_year_asks_for_a_note(client, secretariat, small_plan):
    client.force_login(secretariat)
    client.post(enter_url(small_plan, 2022), form_data(small_plan, {"Fritidsjob": ("40",) + ("",) * 5}, version=0,
                                                       closed=True))
    assert ActualYear.objects.get(budget__plan=small_plan, year=2022).closed
    response = client.post(enter_url(small_plan, 2022),
                           form_data(small_plan, {"Fritidsjob": ("45",) + ("",) * 5}, version=1, closed=True))
    assert response.status_code == 400 and "Skriv en note" in response.content.decode()
    response = client.post(enter_url(small_plan, 2022), form_data(
        small_plan, {"Fritidsjob": ("45",) + ("",) * 5}, version=1, closed=True, note="Faktura bogført for sent."))
    assert response.status_code == 302
    page = client.get(reverse("budgets:followup", kwargs={"slug": small_plan.slug}) + "?aar=2022").content.decode()
    assert "Faktura bogført for sent." in page


def test_bad_numbers_are_shown_at_their_field_and_nothing_is_saved(client, secretariat, small_plan):
    client.force_login(secretariat)
    response = client.post(enter_url(small_plan, 2022), form_data(small_plan, {
        "Fritidsjob": ("12,34", "", "", "", "", "-1"), "Lokal evaluering": ("15", "", "", "", "", "")}, version=0))
    assert response.status_code == 400
    html = response.content.decode()
    assert "højst én decimal" in html and "må ikke være negativt" in html and 'value="12,34"' in html
    assert not Actual.objects.filter(line__budget__plan=small_plan).exists()


def test_readers_see_the_follow_up_but_cannot_enter_or_import(client, board, small_plan):
    client.force_login(board)
    page = client.get(reverse("budgets:followup", kwargs={"slug": small_plan.slug}))
    assert page.status_code == 200 and "Registrér forbrug" not in page.content.decode()
    assert client.get(enter_url(small_plan, 2022)).status_code == 403
    assert client.get(reverse("budgets:actuals_import", kwargs={"slug": small_plan.slug})).status_code == 403
    download = client.get(reverse("budgets:actuals_download", kwargs={"slug": small_plan.slug}))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('forbrug-faelles-fremtid.xlsx"')


def test_importing_a_file_in_the_browser(client, secretariat, small_plan):
    client.force_login(secretariat)
    url = reverse("budgets:actuals_import", kwargs={"slug": small_plan.slug})
    headers = ["Afsnit", "Udgiftspost", "År", "Forbrug", "Medfinansiering boligorganisation(er) – kontant",
               "Medfinansiering boligorganisation(er) – timer, lokaler", "Medfinansiering kommune – kontant",
               "Medfinansiering kommune – timer, lokaler", "Evt. anden lokal medfinansiering"]
    good = table(headers, [["Lokal evaluering", "Lokal evaluering", 2022, "14,5", 0, 0, 0, 0, 0]])
    bad = table(headers, [["Lokal evaluering", "Evaluering", 2022, "14,5", 0, 0, 0, 0, 0]])

    response = client.post(url, {"file": SimpleUploadedFile("forbrug.xlsx", bad)})
    assert response.status_code == 400
    assert "Række 2: Budgettet har ingen udgiftspost »Evaluering«" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("forbrug.xlsx", good), "dry_run": "on"})
    assert response.status_code == 200 and "1 nye" in response.content.decode()
    assert not Actual.objects.filter(line__budget__plan=small_plan).exists()
    response = client.post(url, {"file": SimpleUploadedFile("forbrug.xlsx", good)})
    assert response.status_code == 302
    assert Actual.objects.get(line__budget__plan=small_plan).spent == Decimal("14.5")
    response = client.post(url, {"file": SimpleUploadedFile("forbrug.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "regneark (.xlsx) eller en CSV-fil" in response.content.decode()
