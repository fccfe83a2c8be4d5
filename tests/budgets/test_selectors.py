"""The sheet and the derived economy, against hand-computed figures (and the Amager budgetark)."""

from decimal import Decimal

import pytest

from agreements.models import FocusArea, Plan
from agreements.selectors import get_plan_for_user
from budgets.selectors import Economy, budget_content, budget_sheet, focus_area_economy, subagreement_economy
from tests.factories.agreements import PlanFactory, SubAgreementFactory, UserFactory
from tests.factories.budgets import BudgetFactory, BudgetLineFactory

pytestmark = pytest.mark.django_db


def test_sheet_of_the_small_plan_matches_the_hand_computed_figures(small_plan, areas):
    sheet = budget_sheet(small_plan)
    assert sheet["years"] == [2022, 2023, 2024, 2025] and sheet["outside_years"] == []
    headings = [section["heading"] for section in sheet["sections"]]
    assert headings == ["Tværgående administrationsudgifter", "1. Uddannelse og livschancer", "2. Beskæftigelse",
                        "Lokal evaluering"]
    cross, edu, job, local = sheet["sections"]
    assert [item["name"] for item in cross["lines"]] == ["Økonomistyring", "Kommunal facilitering (1,9 %)"]
    assert cross["lines"][0]["expense_type"].label == "1. Administrativ bistand fra boligorg."
    assert cross["sum"]["amounts"] == [173, 172, 172, 172] and cross["sum"]["total"] == 689
    assert cross["sum"]["kom_hours"] == 537 and cross["sum"]["lbf"] == 152
    line = edu["lines"][0]
    assert line["amounts"] == [662, 635, 651, 667] and line["total"] == 2615
    assert (line["lbf"], line["bo_cash"], line["kom_cash"], line["cofinancing"], line["balance"]) == (
        2015, 300, 300, 600, 0)
    assert line["footnote"] == "3 + 4" and line["footnote_numbers"] == ["3", "4"]
    assert edu["sum"]["total"] == 2795 and edu["sum"]["lbf"] == 2195 and edu["sum"]["cofinancing"] == 600
    assert job["sum"]["total"] == 2775 and job["sum"]["other"] == 160
    assert local["sum_label"] == "I alt" and local["sum"]["total"] == 60
    totals = sheet["totals"]
    assert totals["amounts"] == [1597, 1542, 1574, 1606]
    assert (totals["total"], totals["lbf"], totals["cofinancing"], totals["balance"]) == (6319, 4422, 1897, 0)
    assert (totals["bo_cash"], totals["kom_cash"], totals["kom_hours"], totals["other"]) == (600, 600, 537, 160)
    assert totals["housing_total"] == 600 and totals["municipality_total"] == 1137
    assert totals["cofinancing_percent"] == Decimal("30.0") and totals["cofinancing_percent_whole"] == 30
    assert sheet["min_cofinancing_percent"] == Decimal("25.0")
    assert [note["number"] for note in sheet["footnotes"]] == ["1", "2", "3", "4"]


def test_sheet_takes_a_fixed_number_of_queries(small_plan, django_assert_num_queries):
    user = UserFactory(is_superuser=True)
    plan = get_plan_for_user(user, small_plan.slug)  # as the views fetch it (pulje loaded)
    with django_assert_num_queries(4):
        budget_sheet(plan)
    for index in range(20):
        BudgetLineFactory(budget=plan.budget, name=f"Ekstra {index}")
    plan = get_plan_for_user(user, small_plan.slug)
    with django_assert_num_queries(4):
        assert budget_sheet(plan)["line_count"] == 27


def test_no_budget_means_no_sheet_unless_an_empty_one_is_asked_for(areas):
    plan = PlanFactory()
    assert budget_sheet(plan) is None
    empty = budget_sheet(plan, empty_if_missing=True)
    assert empty["budget"] is None and empty["totals"]["total"] == 0
    assert empty["totals"]["cofinancing_percent"] is None
    assert [s["title"] for s in empty["sections"]] == ["Tværgående administrationsudgifter", "Lokal evaluering"]


def test_amounts_outside_the_period_get_their_own_column(small_plan):
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    line.amounts = {**line.amounts, "2026": 10}
    line.save()
    sheet = budget_sheet(small_plan)
    assert sheet["years"] == [2022, 2023, 2024, 2025, 2026] and sheet["outside_years"] == [2026]
    assert sheet["totals"]["amounts"][-1] == 10


def test_lines_of_an_unchosen_focus_area_get_a_section_marked_not_chosen(small_plan, areas):
    BudgetLineFactory(budget=small_plan.budget, section="indsatsomraade", focus_area=areas["crime"],
                      name="Lommepengejob", expense_type=None)
    sections = budget_sheet(small_plan)["sections"]
    crime = next(s for s in sections if s["focus_area"] == areas["crime"])
    assert crime["chosen"] is False and crime["heading"] == "3. Kriminalitetsforebyggelse"
    assert sections.index(crime) == 3  # after 1. and 2., before Lokal evaluering


def test_focus_area_economy_is_in_kroner(small_plan, areas):
    economy = focus_area_economy(small_plan)
    assert economy == {
        areas["edu"].pk: Economy(lbf=2_195_000, local=600_000, total=2_795_000),
        areas["job"].pk: Economy(lbf=2_015_000, local=760_000, total=2_775_000),
    }


def test_subagreement_economy_comes_from_its_section(small_plan, areas):
    sub_agreement = SubAgreementFactory(plan=small_plan, focus_area=areas["edu"])
    assert subagreement_economy(sub_agreement) == Economy(lbf=2_195_000, local=600_000, total=2_795_000)
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    line.amounts, line.lbf = {"2022": 1000}, 1000
    line.save()
    assert subagreement_economy(sub_agreement).total == 3_615_000


def test_economy_without_budget_is_none_and_without_lines_zero():
    sub_agreement = SubAgreementFactory()
    assert subagreement_economy(sub_agreement) is None
    assert focus_area_economy(sub_agreement.plan) == {}
    BudgetFactory(plan=sub_agreement.plan)
    assert subagreement_economy(sub_agreement) == Economy(0, 0, 0)
    assert focus_area_economy(sub_agreement.plan) == {sub_agreement.focus_area_id: Economy(0, 0, 0)}


def test_amager_sheet_has_the_printed_totals(demo_data):
    plan = Plan.objects.select_related("pulje").get(slug="amager")
    sheet = budget_sheet(plan)
    totals = sheet["totals"]
    assert (totals["total"], totals["lbf"], totals["cofinancing"], totals["balance"]) == (31169, 19000, 12169, 0)
    assert totals["cofinancing_percent_whole"] == 39
    assert totals["amounts"] == [8057, 7735, 7940, 7437]
    assert (totals["housing_total"], totals["municipality_total"], totals["other"]) == (4629, 4629, 2911)
    assert (totals["bo_cash"], totals["bo_hours"], totals["kom_cash"], totals["kom_hours"]) == (4629, 0, 4092, 537)
    sums = {section["heading"]: section["sum"]["total"] for section in sheet["sections"]}
    assert sums == {"Tværgående administrationsudgifter": 3361, "1. Uddannelse og livschancer": 6028,
                    "2. Beskæftigelse": 6228, "3. Kriminalitetsforebyggelse": 5952,
                    "4. Sammenhængskraft og medborgerskab": 9540, "Lokal evaluering": 60}
    assert sheet["line_count"] == 37


def test_amager_economy_per_focus_area(demo_data):
    plan = Plan.objects.get(slug="amager")
    economy = {FocusArea.objects.get(pk=pk).name: value for pk, value in focus_area_economy(plan).items()}
    assert economy["Uddannelse og livschancer"] == Economy(lbf=3_828_000, local=2_200_000, total=6_028_000)
    assert economy["Sammenhængskraft og medborgerskab"] == Economy(lbf=4_108_000, local=5_432_000,
                                                                  total=9_540_000)


def test_content_lists_lines_in_sheet_order(small_plan):
    names = [line.name for line in budget_content(small_plan).lines]
    assert names == ["Økonomistyring", "Kommunal facilitering (1,9 %)", "Boligsocial medarbejder 1",
                     "Aktivitetsmidler", "Boligsocial medarbejder 3", "Fritidsjob", "Lokal evaluering"]
