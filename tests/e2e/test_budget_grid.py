"""The secretariat revises a section of the budget in the grid: the sums, the balance, the budget's
total and the medfinansiering % follow each keystroke before anything is saved, a bad number is marked
beside its cell, Enter moves down the column, and "Gem afsnittet" saves the section."""

import pytest
from playwright.sync_api import expect

from budgets.models import BudgetLine
from tests.e2e.conftest import login
from tests.factories.budgets import BudgetLineFactory, ExpenseTypeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def budget(ws):
    area = ws.sub_agreement.focus_area
    ws.line = BudgetLineFactory(budget__plan=ws.plan, section=BudgetLine.Section.FOCUS_AREA, focus_area=area,
                                name="Boligsocial medarbejder", lbf=300, bo_cash=100)  # 100 a year, 2022–25
    BudgetLineFactory(budget__plan=ws.plan, name="Revision", expense_type=ExpenseTypeFactory(code=7),
                      amounts={"2022": 40}, lbf=30, bo_cash=10)
    return ws


def test_the_grid_sums_update_as_you_type(live_server, new_page, budget):
    ws = budget
    page = new_page()
    login(page, live_server, "sara")
    page.goto(f"{live_server.url}/planer/{ws.plan.slug}/budget/")
    section = page.locator(f"#afsnit-{ws.sub_agreement.focus_area.slug}")
    section.get_by_role("link", name="Ret afsnittets udgiftsposter").click()

    row_total = page.locator("tbody.rows tr").first.locator('output[data-row="total"]')
    row_balance = page.locator("tbody.rows tr").first.locator('output[data-row="balance"]')
    key = {name: page.locator(f'output[data-key="{name}"]') for name in ("total", "cofinancing", "balance",
                                                                           "percent")}
    expect(row_total).to_have_text("400")
    expect(key["total"]).to_have_text("440")
    expect(key["percent"]).to_have_text("25,0 %")

    cell = page.get_by_label("2022, række 1")
    cell.fill("1.100")
    expect(row_total).to_have_text("1.400")
    expect(page.locator('tfoot output[data-sum="total"]')).to_have_text("1.400")
    expect(row_balance).to_have_text("1.000")
    expect(key["total"]).to_have_text("1.440")
    expect(key["balance"]).to_have_text("1.000")
    expect(key["percent"]).to_have_text("7,6 %")  # 110 of 1.440
    assert BudgetLine.objects.get(pk=ws.line.pk).amounts["2022"] == 100, "nothing is saved while typing"

    page.get_by_label("Medfinansiering boligorganisation(er), kontant, række 1").fill("1.100")
    expect(row_balance).to_have_text("0")
    expect(key["percent"]).to_have_text("77,1 %")  # 1.110 of 1.440

    # A number that is not whole thousands is marked beside the cell at once.
    page.get_by_label("2023, række 1").fill("12,5")
    error = page.locator("#id_linjer-0-amount_2023-fejl")
    expect(error).to_have_text("Skriv et helt antal tusinde kroner, f.eks. 1.234.")
    expect(page.get_by_label("2023, række 1")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("2023, række 1").fill("100")
    expect(error).to_be_hidden()

    # Enter moves to the same column in the row below instead of sending the form.
    page.get_by_label("2023, række 1").press("Enter")
    expect(page.get_by_label("2023, række 2")).to_be_focused()

    page.get_by_role("button", name="Gem afsnittet").click()
    expect(page.get_by_text("er gemt")).to_be_visible()
    line = BudgetLine.objects.get(pk=ws.line.pk)
    assert line.amounts == {"2022": 1100, "2023": 100, "2024": 100, "2025": 100} and line.bo_cash == 1100
