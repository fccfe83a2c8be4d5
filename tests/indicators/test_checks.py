"""Rule 5 and values outside the plan: the checks fire on bad data and stay quiet on good data."""

from datetime import date

import pytest

from helhedsplan.findings import plan_findings as all_findings
from indicators import checks
from tests.factories.agreements import PlanFactory, SubAgreementFactory
from tests.factories.indicators import (
    ActivityIndicatorFactory,
    GoalIndicatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SubGoalFactory,
)

pytestmark = pytest.mark.django_db


def codes(plan) -> list[str]:
    return [f.code for f in checks.plan_findings(plan)]


@pytest.fixture
def sub_agreement():
    return SubAgreementFactory(plan=PlanFactory(start_date=date(2022, 1, 1), end_date=date(2025, 12, 31)))


def test_complete_delmaal_and_indicators_give_no_findings(sub_agreement):
    sub_goal = SubGoalFactory(sub_agreement=sub_agreement)
    IndicatorFactory(sub_goal=sub_goal)  # monitored
    ActivityIndicatorFactory(sub_goal=sub_goal)  # with target
    GoalIndicatorFactory(goal__plan=sub_agreement.plan)
    IndicatorValueFactory(indicator__sub_goal=sub_goal, year=2025)
    assert checks.plan_findings(sub_agreement.plan) == []


def test_delmaal_without_indicator_is_an_error(sub_agreement):
    sub_goal = SubGoalFactory(sub_agreement=sub_agreement, text="Flere unge i fritidsjob")
    findings = checks.plan_findings(sub_agreement.plan)
    assert [f.code for f in findings] == ["subgoal_without_indicator"]
    assert findings[0].is_error and findings[0].obj == sub_goal
    assert "»Flere unge i fritidsjob«" in findings[0].message and "ingen indikator" in findings[0].message


def test_indicator_without_data_source_is_an_error(sub_agreement):
    indicator = IndicatorFactory(sub_goal__sub_agreement=sub_agreement, data_source="  ")
    findings = checks.plan_findings(sub_agreement.plan)
    assert [(f.code, f.obj, f.field) for f in findings] == [("indicator_without_data_source", indicator,
                                                             "data_source")]
    assert "ingen datakilde" in findings[0].message


def test_indicator_with_neither_target_nor_monitoring_is_an_error(sub_agreement):
    IndicatorFactory(sub_goal__sub_agreement=sub_agreement, monitoring=False, target="", target_value=None)
    GoalIndicatorFactory(goal__plan=sub_agreement.plan, monitoring=False)
    findings = checks.plan_findings(sub_agreement.plan)
    assert [f.code for f in findings] == ["indicator_without_target"] * 2
    assert "hverken et mål eller er markeret »Monitorering (ingen mål)«" in findings[0].message


def test_target_text_without_value_is_a_warning_only(sub_agreement):
    ActivityIndicatorFactory(sub_goal__sub_agreement=sub_agreement, target_value=None)
    findings = checks.plan_findings(sub_agreement.plan)
    assert [(f.code, f.severity) for f in findings] == [("indicator_target_without_value", "warning")]


def test_values_outside_the_plan_period_are_errors(sub_agreement):
    plan = sub_agreement.plan
    indicator = IndicatorFactory(sub_goal__sub_agreement=sub_agreement)
    IndicatorValueFactory(indicator=indicator, year=2022)
    late = IndicatorValueFactory(indicator=indicator, year=2025)
    assert codes(plan) == []
    # The plan period is shortened after the 2025 value was entered.
    sub_agreement.end_date = date(2024, 12, 31)
    sub_agreement.save()
    plan.end_date = date(2024, 12, 31)
    plan.save()
    findings = checks.plan_findings(plan)
    assert [(f.code, f.obj) for f in findings] == [("value_outside_plan", late)]
    assert "2025" in findings[0].message and "(2022–2024)" in findings[0].message


def test_findings_join_the_plans_findings_list(sub_agreement):
    SubGoalFactory(sub_agreement=sub_agreement)
    assert "subgoal_without_indicator" in [f.code for f in all_findings(sub_agreement.plan)]


def test_other_plans_are_not_reported(sub_agreement):
    SubGoalFactory()  # another plan's delmål without indicator
    assert codes(sub_agreement.plan) == []


def test_summary_counts_indicators_and_values(sub_agreement):
    indicator = IndicatorFactory(sub_goal__sub_agreement=sub_agreement)
    IndicatorValueFactory(indicator=indicator, year=2023)
    assert checks.plan_summary(sub_agreement.plan) == ["Indikatorer: 1; registrerede værdier: 1 (senest 2023)."]
