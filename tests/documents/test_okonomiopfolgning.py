"""The Økonomiopfølgning document: preview and A4 landscape PDF, in the samlet plan, ``render_pdf``."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from agreements.models import PlanMembership
from budgets.actuals import ActualEntry, actuals_save_year
from budgets.models import BudgetLine
from helhedsplan.documents import builders as documents
from helhedsplan.documents import pdf
from helhedsplan.lbf.export import followup_files
from tests.documents.helpers import pdf_pages
from tests.factories.agreements import PlanMembershipFactory, StrategicAgreementFactory
from tests.factories.budgets import BudgetFactory, BudgetLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """A 2022–2025 plan with two lines; forbrug for 2022 (the first line 25 % over budget)."""
    budget = BudgetFactory()
    plan = budget.plan
    StrategicAgreementFactory(plan=plan)
    first = BudgetLineFactory(budget=budget, name="Økonomistyring", lbf=300, bo_cash=100)
    BudgetLineFactory(budget=budget, name="Revision", lbf=400)
    actuals_save_year(plan=plan, year=2022, expected_version=0, closed=True, entries=[
        ActualEntry(first, 2022, {"spent": Decimal("125.5"), "bo_cash": Decimal("30")}),
        ActualEntry(BudgetLine.objects.get(budget=budget, name="Revision"), 2022, {"spent": Decimal(80)}),
    ])
    return plan


def test_the_document_shows_budget_against_forbrug(plan):
    html = documents.build_document(plan=plan, kind=documents.OKONOMIOPFOLGNING).render_html()
    for text in ("Økonomiopfølgning: budget og forbrug", "Budget og forbrug 2022", "Akkumuleret 2022–2022",
                 "125,5", "-25,5", "125,5\u00a0%", "Realiseret lokal medfinansiering", "14,6\u00a0%",  # 30 / 205,5
                 "Udgiftsposten »Økonomistyring«", "<svg", "tusinde kr."):
        assert text in html, text
    assert 'class="watermark"' not in html, "a report for the bestyrelse, not a draft to approve"


def test_the_pdf_is_a4_landscape_with_the_figures(plan, tmp_path):
    target = tmp_path / "okonomi.pdf"
    call_command("render_pdf", plan.slug, "--document", "okonomiopfolgning", "--output", str(target))
    content = target.read_bytes()
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    text = " ".join(pdf_pages(content))
    assert "Økonomiopfølgning" in text and "125,5" in text and "Budget og forbrug 2022" in text


def test_a_plan_without_budget_or_forbrug_says_so(plan):
    BudgetLine.objects.filter(budget__plan=plan).first().actuals.all().delete()
    BudgetLine.objects.filter(budget__plan=plan).last().actuals.all().delete()
    html = documents.build_document(plan=plan, kind=documents.OKONOMIOPFOLGNING).render_html()
    assert "Der er endnu ikke registreret forbrug." in html
    plan.budget.delete()
    html = documents.build_document(plan=plan, kind=documents.OKONOMIOPFOLGNING).render_html()
    assert "Helhedsplanen har endnu intet budget." in html


def test_the_samlet_plan_has_it_after_the_budgetark(plan):
    html = documents.build_document(plan=plan, kind=documents.SAMLET).render_html()
    assert html.index('id="budgetark"') < html.index('id="okonomiopfolgning"') < html.index('id="indikatorer"')
    assert 'href="#okonomiopfolgning"' in html
    text = " ".join(pdf_pages(pdf.render_pdf(html)))
    assert text.index("Budgetark for boligsocial indsats") < text.index("Økonomiopfølgning: budget og forbrug")


def test_preview_page_and_the_lbf_export_files(client, plan):
    client.force_login(PlanMembershipFactory(plan=plan, role=PlanMembership.Role.BOARD).user)
    response = client.get(reverse("documents:okonomiopfolgning", kwargs={"slug": plan.slug}))
    assert response.status_code == 200 and "Budget og forbrug 2022" in response.content.decode()
    files = followup_files(plan)
    assert set(files) == {"okonomiopfolgning.pdf", "okonomiopfolgning.xlsx"}
    rows = list(load_workbook(io.BytesIO(files["okonomiopfolgning.xlsx"])).active.iter_rows(values_only=True))
    assert ("Tværgående administrationsudgifter", "Økonomistyring", 2022, 100, 125.5, 30, 0, 0, 0, 0, -25.5) in rows
