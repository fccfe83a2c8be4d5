"""The table selectors: row shapes, order, and a fixed number of queries however large the plan is."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import MONITORING_LABEL
from indicators.progress import REACHED
from indicators.selectors import followup_rows, followup_table, goal_rows, subgoal_rows
from tests.factories.agreements import PlanFactory, SubAgreementFactory
from tests.factories.indicators import (
    ActivityIndicatorFactory,
    GoalFactory,
    GoalIndicatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SubGoalFactory,
)

pytestmark = pytest.mark.django_db


def build(plan, sub_agreements: int, sub_goals: int, indicators: int, years=(2022, 2023)):
    for _ in range(sub_agreements):
        sub_agreement = SubAgreementFactory(plan=plan)
        goal = GoalFactory(plan=plan, focus_area=sub_agreement.focus_area)
        for _ in range(indicators):
            indicator = GoalIndicatorFactory(goal=goal)
            for year in years:
                IndicatorValueFactory(indicator=indicator, year=year)
        for _ in range(sub_goals):
            sub_goal = SubGoalFactory(sub_agreement=sub_agreement)
            for _ in range(indicators):
                indicator = ActivityIndicatorFactory(sub_goal=sub_goal)
                for year in years:
                    IndicatorValueFactory(indicator=indicator, year=year, value=D(30))
    return plan


def count_queries(function, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as context:
        function(*args, **kwargs)
    return len(context.captured_queries)


def test_selectors_run_a_fixed_number_of_queries():
    small = build(PlanFactory(), sub_agreements=1, sub_goals=1, indicators=1)
    large = build(PlanFactory(), sub_agreements=3, sub_goals=2, indicators=3, years=(2022, 2023, 2024))
    small_sa, large_sa = small.sub_agreements.first(), large.sub_agreements.last()
    for function, args, kwargs, expected in [
        (goal_rows, (small,), {}, 2),
        (subgoal_rows, (small_sa,), {}, 2),
        (followup_rows, (), {"plan": small}, 5),
        (followup_rows, (), {"plan": small, "sub_agreement": small_sa}, 3),
    ]:
        assert count_queries(function, *args, **kwargs) == expected, function.__name__
    assert count_queries(goal_rows, large) == 2
    assert count_queries(subgoal_rows, large_sa) == 2
    assert count_queries(followup_rows, plan=large) == 5
    assert count_queries(followup_rows, plan=large, sub_agreement=large_sa) == 3
    assert len(goal_rows(large)) == 9 and len(followup_rows(plan=large)) == 9 + 18


def test_goal_rows_group_and_order():
    plan = PlanFactory()
    second = GoalFactory(plan=plan, order=2, text="Flere bliver tilknyttet arbejdsmarkedet")
    first = GoalFactory(plan=plan, order=1, text="Der skal ske et fagligt løft")
    a = GoalIndicatorFactory(goal=first, order=1, text="Andel 1-5-årige i dagtilbud")
    b = GoalIndicatorFactory(goal=first, order=2, text="Karaktergennemsnit", baseline_other="",
                             baseline_other_value=D("6.6"), unit="karaktergennemsnit")
    rows = goal_rows(plan)
    assert [(r["goal_text"], r["indicator"], r["is_first"], r["rowspan"]) for r in rows] == [
        ("Der skal ske et fagligt løft", a, True, 2), ("", b, False, 2),
        ("Flere bliver tilknyttet arbejdsmarkedet", None, True, 1)]
    assert rows[0]["goal"] == rows[1]["goal"] == first and rows[2]["goal"] == second
    assert rows[0]["baseline_other"] == "90 %" and rows[0]["baseline_other_label"] == "Slagelse Kommune"
    assert rows[1]["baseline_other"] == "6,6"  # no wording typed: the number in Danish format


def test_subgoal_rows_show_target_or_monitoring():
    sub_goal = SubGoalFactory(text="Flere børn er skoleparate")
    monitored = IndicatorFactory(sub_goal=sub_goal, order=1)
    target = ActivityIndicatorFactory(sub_goal=sub_goal, order=2)
    value_only = ActivityIndicatorFactory(sub_goal=sub_goal, order=3, target="", target_value=D(25))
    empty = SubGoalFactory(sub_agreement=sub_goal.sub_agreement, text="Uden indikator")
    rows = subgoal_rows(sub_goal.sub_agreement)
    assert [r["indicator"] for r in rows] == [monitored, target, value_only, None]
    assert [r["target"] for r in rows] == [MONITORING_LABEL, "40 børnefamilier deltager i HippHopp+", "25", ""]
    assert rows[0]["sub_goal_text"] == "Flere børn er skoleparate" and rows[1]["sub_goal_text"] == ""
    assert rows[3]["sub_goal"] == empty and rows[3]["is_first"]
    assert rows[1]["kind_label"] == "Aktivitetsnær indikator"


def test_followup_rows_values_by_year_and_progress():
    plan = PlanFactory(start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    sub_agreement = SubAgreementFactory(plan=plan)
    indicator = ActivityIndicatorFactory(sub_goal__sub_agreement=sub_agreement)
    IndicatorValueFactory(indicator=indicator, year=2023, value=D(20))
    IndicatorValueFactory(indicator=indicator, year=2024, value=D(41), source="Demodata")
    table = followup_table(plan=plan, sub_agreement=sub_agreement)
    assert table["years"] == [2022, 2023, 2024, 2025]
    (row,) = table["rows"]
    assert [c["display"] for c in row["cells"]] == ["", "20", "41", ""]
    assert [c["is_demo"] for c in row["cells"]] == [False, False, True, False]
    assert row["values"] == {2023: D(20), 2024: D(41)}
    assert row["progress"].status == REACHED
    assert row["target_value"] == D(40) and row["level"] == "sub_goal"
    assert table["has_demo"] and row["has_demo"]


def test_followup_shows_a_year_outside_the_plan_as_its_own_column():
    plan = PlanFactory(start_date=date(2022, 1, 1), end_date=date(2023, 12, 31))
    indicator = IndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan))
    IndicatorValueFactory.build(indicator=indicator, year=2026).save()  # bypasses validation, as old data might
    table = followup_table(plan=plan)
    assert table["years"] == [2022, 2023, 2026]
    assert [c["outside_plan"] for c in table["rows"][0]["cells"]] == [False, False, True]


def test_followup_for_the_plan_lists_goals_before_delmaal():
    plan = PlanFactory()
    sub_agreement = SubAgreementFactory(plan=plan)
    sub_indicator = IndicatorFactory(sub_goal__sub_agreement=sub_agreement)
    goal_indicator = GoalIndicatorFactory(goal=GoalFactory(plan=plan, focus_area=sub_agreement.focus_area))
    rows = followup_rows(plan=plan)
    assert [(r["indicator"], r["level"]) for r in rows] == [(goal_indicator, "goal"), (sub_indicator, "sub_goal")]
    assert rows[1]["sub_agreement"] == sub_agreement and rows[0]["sub_agreement"] is None
    assert followup_rows(plan=plan, sub_agreement=sub_agreement)[0]["indicator"] == sub_indicator
