"""Services and model invariants: LBF goals for a new plan, validation, the one-sitting save."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from agreements import services as agreement_services
from agreements.models import FocusArea, Plan, Pulje
from indicators import services
from indicators.demo import load_reference
from indicators.models import Goal, Indicator, IndicatorValue
from tests.demo import without_demo
from tests.factories.agreements import ActivityFactory, PlanFactory, SubAgreementFactory
from tests.factories.indicators import (
    ActivityIndicatorFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SubGoalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    from agreements.demo import load_reference as load_agreement_reference

    load_agreement_reference()
    load_reference()


def test_a_new_2019_26_plan_starts_with_lbf_goals_and_faste_indikatorer(reference):
    pulje = Pulje.objects.get(code="2019-26")
    plan = PlanFactory(pulje=pulje)
    for name in ("Beskæftigelse", "Uddannelse og livschancer"):
        agreement_services.plan_focus_area_add(plan=plan, focus_area=FocusArea.objects.get(pulje=pulje, name=name),
                                               order=1 if name == "Uddannelse og livschancer" else 2)
    goals = services.goals_create_from_reference(plan=plan)
    assert [g.text for g in goals] == [
        "Der skal ske et fagligt løft af børn og unge, så flere bliver skoleparate, og flere tager en uddannelse",
        "Flere bliver tilknyttet arbejdsmarkedet"]
    indicators = list(Indicator.objects.filter(goal__plan=plan).order_by("goal__order", "order"))
    assert len(indicators) == 5
    assert all(i.kind == Indicator.Kind.FIXED and i.monitoring and i.standard_id for i in indicators)
    assert all(i.baseline_area == "" and i.baseline_area_value is None for i in indicators)  # to fill in
    assert indicators[3].text.endswith("(restgruppen)") and indicators[3].lower_is_better
    # Idempotent, and a later indsatsområde gets its goal too.
    assert services.goals_create_from_reference(plan=plan) == []
    agreement_services.plan_focus_area_add(
        plan=plan, focus_area=FocusArea.objects.get(pulje=pulje, name="Kriminalitetsforebyggelse"), order=3)
    assert [g.focus_area.name for g in services.goals_create_from_reference(plan=plan)] == [
        "Kriminalitetsforebyggelse"]
    assert Goal.objects.filter(plan=plan).count() == 3


def test_goal_must_belong_to_the_plans_pulje():
    plan = PlanFactory()
    area = FocusArea.objects.get(pulje__code="2015-18", name="Tryghed og trivsel")  # reference data
    assert area.pulje != plan.pulje
    with pytest.raises(ValidationError, match="hører ikke til helhedsplanens pulje"):
        services.goal_create(plan=plan, focus_area=area, text="Mål")


def test_indicator_belongs_to_a_goal_or_a_delmaal_not_both():
    sub_goal = SubGoalFactory()
    goal = GoalFactory(plan=sub_goal.sub_agreement.plan)
    with pytest.raises(ValidationError, match="enten til et overordnet mål eller til et delmål"):
        services.indicator_create(text="X", goal=goal, sub_goal=sub_goal, data_source="Y", monitoring=True)
    with pytest.raises(ValidationError, match="enten til et overordnet mål eller til et delmål"):
        services.indicator_create(text="X", data_source="Y", monitoring=True)


def test_monitoring_and_a_target_exclude_each_other():
    with pytest.raises(ValidationError, match="kan ikke også have et mål"):
        services.indicator_create(text="X", sub_goal=SubGoalFactory(), monitoring=True, target_value=D(4))


def test_activity_must_be_of_the_same_delaftale():
    sub_goal = SubGoalFactory()
    foreign = ActivityFactory()
    with pytest.raises(ValidationError, match="hører ikke til delmålets delaftale"):
        services.indicator_create(text="X", sub_goal=sub_goal, activity=foreign, monitoring=True)
    own = ActivityFactory(sub_agreement=sub_goal.sub_agreement)
    assert services.indicator_create(text="X", sub_goal=sub_goal, activity=own, monitoring=True).activity == own


def test_value_year_must_be_in_the_plan_and_numeric_units_need_numbers():
    plan = PlanFactory(start_date=date(2021, 10, 1), end_date=date(2025, 9, 30))
    indicator = IndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan))
    assert plan.years == [2021, 2022, 2023, 2024, 2025]
    with pytest.raises(ValidationError, match=r"Året 2026 ligger uden for helhedsplanens periode \(2021–2025\)"):
        services.indicator_value_set(indicator=indicator, year=2026, value=D(1))
    with pytest.raises(ValidationError, match="skal være et tal"):
        services.indicator_value_set(indicator=indicator, year=2023, value_text="mange")
    value = services.indicator_value_set(indicator=indicator, year=2021, value=D("80.1"))
    assert services.indicator_value_set(indicator=indicator, year=2021, value=D("81")).pk == value.pk
    assert without_demo(IndicatorValue).get().value == D(81)
    assert value.history.count() == 2


def test_save_in_one_sitting_is_all_or_nothing():
    sub_goal = SubGoalFactory()
    good, bad = IndicatorFactory(sub_goal=sub_goal), ActivityIndicatorFactory(sub_goal=sub_goal)
    year = sub_goal.sub_agreement.plan.years[0]
    with pytest.raises(ValidationError) as error:
        services.indicator_values_save(year=year, entries=[
            services.ValueEntry(indicator=good, value=D(80)),
            services.ValueEntry(indicator=bad, value=None, value_text="mange"),
        ])
    assert list(error.value.message_dict) == [str(bad.pk)]
    assert not without_demo(IndicatorValue).exists()
    summary = services.indicator_values_save(year=year, entries=[
        services.ValueEntry(indicator=good, value=D(80), note="Første måling"),
        services.ValueEntry(indicator=bad, value=D(12)),
    ])
    assert (summary.created, summary.updated, summary.deleted) == (2, 0, 0)
    summary = services.indicator_values_save(year=year, entries=[
        services.ValueEntry(indicator=good, value=D(80), note="Første måling"),
        services.ValueEntry(indicator=bad),
    ])
    assert (summary.created, summary.updated, summary.deleted, summary.unchanged) == (0, 0, 1, 1)
    assert list(without_demo(IndicatorValue).values_list("indicator_id", flat=True)) == [good.pk]


def test_retyping_a_demo_value_clears_its_demo_mark():
    value = IndicatorValueFactory(source="Demodata", value=D(10))
    services.indicator_values_save(year=value.year, entries=[services.ValueEntry(indicator=value.indicator,
                                                                                 value=D(11))])
    value.refresh_from_db()
    assert (value.value, value.source, value.is_demo) == (D(11), "", False)


def test_every_indicators_model_keeps_history():
    from indicators import models

    for model in (models.StandardGoal, models.StandardIndicator, models.Goal, models.SubGoal, models.Indicator,
                  models.IndicatorValue):
        assert hasattr(model, "history"), model.__name__


def test_deleting_a_plan_removes_its_goals_and_values():
    value = IndicatorValueFactory()
    plan = value.indicator.plan
    GoalFactory(plan=plan)
    Plan.objects.filter(pk=plan.pk).delete()
    assert not without_demo(IndicatorValue).exists() and not without_demo(Goal).exists()
    assert IndicatorValue.objects.exists() and Goal.objects.exists(), "the demo plans keep theirs"
