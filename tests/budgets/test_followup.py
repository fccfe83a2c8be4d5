"""The økonomiopfølgning: budget against forbrug per year and cumulative, findings and the chart."""

from datetime import date
from decimal import Decimal

import pytest

from budgets.actuals import ActualEntry, actuals_save_year
from budgets.charts import followup_chart_svg, followup_charts
from budgets.followup import budget_followup, comparison_rows, followup_findings, realised_rows
from budgets.models import BudgetLine

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)  # 2022 and 2023 have ended; 2024 and 2025 have not


def amounts(spent, **cofinancing) -> dict[str, Decimal]:
    return {"spent": Decimal(str(spent)), **{name: Decimal(str(value)) for name, value in cofinancing.items()}}


def enter(plan, year: int, figures: dict[str, dict], *, closed: bool = False) -> None:
    lines = {line.name: line for line in BudgetLine.objects.filter(budget__plan=plan)}
    actuals_save_year(plan=plan, year=year, expected_version=0, closed=closed,
                      entries=[ActualEntry(lines[name], year, values) for name, values in figures.items()])


@pytest.fixture
def with_actuals(small_plan):
    """2022: the staff line 10 % under, Fritidsjob 25 % over (50 of 40), the rest on budget; 2023: only the
    staff line, exactly on budget. Medfinansiering realised: 150 + 160 (kom timer) + 50 (anden) in 2022."""
    enter(small_plan, 2022, {
        "Økonomistyring": amounts(38),
        "Kommunal facilitering (1,9 %)": amounts(135, kom_hours=135),
        "Boligsocial medarbejder 1": amounts("595.8", bo_cash=75, kom_cash=75),
        "Aktivitetsmidler": amounts(45),
        "Boligsocial medarbejder 3": amounts(662, bo_cash=75, kom_cash=75),
        "Fritidsjob": amounts(50, other=50),
        "Lokal evaluering": amounts(15),
    }, closed=True)
    enter(small_plan, 2023, {"Boligsocial medarbejder 1": amounts(635, bo_cash=75, kom_cash=75)})
    return small_plan


def row_by_label(rows, label):
    return next(row for row in rows if row["label"] == label)


def test_per_year_and_cumulative_figures_by_line_section_and_total(with_actuals):
    followup = budget_followup(with_actuals, today=TODAY)
    assert followup["years"] == [2022, 2023, 2024, 2025] and followup["through_year"] == 2023
    assert [(s["year"], s["closed"], s["recorded"], s["ended"]) for s in followup["year_states"]] == [
        (2022, True, True, True), (2023, False, True, True), (2024, False, False, False), (2025, False, False, False)]

    rows = comparison_rows(followup, 2022)
    staff = row_by_label(rows, "Boligsocial medarbejder 1")["comparison"]
    assert (staff.budget, staff.spent, staff.difference, staff.percent_used) == (
        662, Decimal("595.8"), Decimal("66.2"), Decimal("90.0"))
    job = row_by_label(rows, "Fritidsjob")["comparison"]
    assert (job.difference, job.percent_used, job.over_tolerance) == (-10, Decimal("125.0"), True)
    education = row_by_label(rows, "Sum, 1. Uddannelse og livschancer")["comparison"]
    assert (education.budget, education.spent) == (662 + 45, Decimal("640.8"))
    total = row_by_label(rows, "Total")["comparison"]
    assert (total.budget, total.spent) == (1597, Decimal("1540.8"))

    # Cumulative 2022–2023: every line's budget of both years against what was spent.
    cumulative = comparison_rows(followup)
    staff = row_by_label(cumulative, "Boligsocial medarbejder 1")["comparison"]
    assert (staff.budget, staff.spent, staff.percent_used) == (662 + 635, Decimal("1230.8"), Decimal("94.9"))
    total = row_by_label(cumulative, "Total")["comparison"]
    assert (total.budget, total.spent, total.difference) == (1597 + 1542, Decimal("2175.8"), Decimal("963.2"))

    # 2024 has no forbrug: unknown, not zero.
    assert not row_by_label(comparison_rows(followup, 2024), "Total")["comparison"].recorded


def test_realised_medfinansiering_per_year_and_cumulative(with_actuals):
    rows = realised_rows(budget_followup(with_actuals, today=TODAY))
    assert [row["label"] for row in rows] == ["2022", "2023", "I alt til og med 2023"]
    year = rows[0]["realised"]
    assert (year.housing, year.municipality, year.other, year.cofinancing) == (150, 285, 50, 485)
    assert rows[0]["percent"] == Decimal("31.5")  # 485 / 1540,8
    assert rows[1]["percent"] == Decimal("23.6") and rows[1]["below_minimum"]  # 150 / 635
    assert rows[2]["percent"] == Decimal("29.2") and not rows[2]["below_minimum"]  # 635 / 2175,8


def test_findings_over_budget_cofinancing_under_minimum_and_ended_years_without_forbrug(with_actuals):
    findings = followup_findings(with_actuals, today=date(2025, 3, 1))
    assert {(f.code, f.severity) for f in findings} == {
        ("actual_over_budget", "warning"), ("realised_cofinancing_below_minimum", "warning"),
        ("ended_year_without_actuals", "warning")}
    messages = [f.message for f in findings]
    assert ("Udgiftsposten »Fritidsjob« (2. Beskæftigelse) har i 2022 et forbrug på 50 t.kr. mod et budget på "
            "40 t.kr. (25,0 % over budgettet).") in messages
    assert ("Den realiserede lokale medfinansiering i 2023 er 23,6 % af forbruget; puljen kræver mindst "
            "25,0 %.") in messages
    assert "Regnskabsåret 2024 er slut, men der er ikke registreret forbrug for det." in messages
    assert not any("2025" in message for message in messages)
    over = next(f for f in findings if f.code == "actual_over_budget")
    assert over.obj == BudgetLine.objects.get(budget__plan=with_actuals, name="Fritidsjob")


def test_exactly_ten_percent_over_is_not_reported(small_plan):
    enter(small_plan, 2022, {"Fritidsjob": amounts(44, other=44), "Boligsocial medarbejder 1": amounts(
        "728.3", bo_cash=200)})
    findings = followup_findings(small_plan, today=TODAY)
    over = [f.message for f in findings if f.code == "actual_over_budget"]
    assert len(over) == 1 and "»Boligsocial medarbejder 1«" in over[0] and "(10,0 % over budgettet)" in over[0]


def test_a_plan_without_forbrug_is_reported_only_for_ended_years(small_plan):
    codes = [(f.code, f.extra.get("year")) for f in followup_findings(small_plan, today=TODAY)]
    assert codes == [("ended_year_without_actuals", 2022), ("ended_year_without_actuals", 2023)]
    assert followup_findings(small_plan, today=date(2022, 5, 1)) == []


def test_the_chart_draws_budget_and_forbrug_per_year_deterministically(with_actuals):
    followup = budget_followup(with_actuals, today=TODAY)
    charts = followup_charts(followup)
    assert [chart["title"] for chart in charts] == ["Hele budgettet", "Tværgående administrationsudgifter",
                                                    "1. Uddannelse og livschancer", "2. Beskæftigelse",
                                                    "Lokal evaluering"]
    svg = charts[0]["svg"]
    assert svg.startswith("<svg") and "<script" not in svg and "<!--" not in svg
    assert "Budget og forbrug pr. år, hele budgettet" in svg
    for text in ("1.597", "1.540,8", "1.542", "635", "Budget", "Forbrug", "t.kr.", "2025"):
        assert text in svg, text
    assert followup_charts(budget_followup(with_actuals, today=TODAY))[0]["svg"] == svg
    again = followup_chart_svg(key="total", title="x", years=followup["years"], row=followup["total"],
                               recorded=[False] * 4)
    assert "1.540,8" not in again  # without registered forbrug there is no forbrug bar


def test_the_plan_findings_carry_the_budget_checks_and_the_followup_findings_from_one_read(with_actuals):
    """The budget's rule checks and the follow-up's findings are registered together and read the budget
    sheet once; the plan's findings hold both, the same as each check gives on its own."""
    from budgets import checks
    from helhedsplan.findings import plan_findings

    BudgetLine.objects.filter(budget__plan=with_actuals, name="Økonomistyring").update(lbf=0)  # out of balance
    together = checks.budget_findings(with_actuals)
    assert together == checks.plan_findings(with_actuals) + followup_findings(with_actuals)
    codes = {f.code for f in together}
    assert "actual_over_budget" in codes and any(f.is_error for f in together)
    assert set(together) <= set(plan_findings(with_actuals))
