"""Factories for goals, delmål, indicators and their annual values (one module per domain)."""

from decimal import Decimal

import factory

from indicators.models import Goal, Indicator, IndicatorValue, StandardGoal, StandardIndicator, SubGoal, Unit
from tests.factories.agreements import FocusAreaFactory, PlanFocusAreaFactory, SubAgreementFactory


class StandardGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardGoal

    focus_area = factory.SubFactory(FocusAreaFactory)
    text = "Flere bliver tilknyttet arbejdsmarkedet"


class StandardIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardIndicator

    goal = factory.SubFactory(StandardGoalFactory)
    text = factory.Sequence(lambda n: f"Andel 18-64-årige uden tilknytning til arbejdsmarkedet ({n})")
    unit = Unit.PERCENT
    lower_is_better = True
    data_source = "LBF - Boligsociale data"
    order = factory.Sequence(lambda n: n + 1)


class GoalFactory(factory.django.DjangoModelFactory):
    """An overordnet mål of one of the plan's chosen indsatsområder."""

    class Meta:
        model = Goal

    plan = factory.SubFactory("tests.factories.agreements.PlanFactory")
    focus_area = factory.LazyAttribute(lambda o: PlanFocusAreaFactory(plan=o.plan).focus_area)
    text = "Der skal ske et fagligt løft af børn og unge"
    order = factory.Sequence(lambda n: n)


class SubGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubGoal

    sub_agreement = factory.SubFactory(SubAgreementFactory)
    text = factory.Sequence(lambda n: f"Flere børn trives i skolen ({n})")
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A monitored local indicator of a delmål (baseline 80 %, Slagelse Kommune 90 %)."""

    class Meta:
        model = Indicator

    sub_goal = factory.SubFactory(SubGoalFactory)
    goal = None
    kind = Indicator.Kind.LOCAL
    text = factory.Sequence(lambda n: f"Andel elever, der består dansk og matematik ({n})")
    unit = Unit.PERCENT
    monitoring = True
    baseline_area = "80 %"
    baseline_area_value = Decimal("80")
    baseline_other_label = "Slagelse Kommune"
    baseline_other = "90 %"
    baseline_other_value = Decimal("90")
    baseline_year = "2019"
    data_source = "LBF - Boligsociale data"
    order = factory.Sequence(lambda n: n)


class ActivityIndicatorFactory(IndicatorFactory):
    """An aktivitetsnær indicator with a target: "40 børnefamilier deltager i HippHopp+"."""

    kind = Indicator.Kind.ACTIVITY
    text = "Antal børnefamilier, der deltager i HippHopp+"
    unit = Unit.COUNT
    monitoring = False
    target = "40 børnefamilier deltager i HippHopp+"
    target_value = Decimal("40")
    baseline_area = "0"
    baseline_area_value = Decimal("0")
    baseline_other_label = ""
    baseline_other = ""
    baseline_other_value = None
    baseline_year = ""
    data_source = "Egen registrering"


class GoalIndicatorFactory(IndicatorFactory):
    """A fast LBF-indikator of an overordnet mål."""

    sub_goal = None
    goal = factory.SubFactory(GoalFactory)
    kind = Indicator.Kind.FIXED


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2023
    value = Decimal("82.5")
    note = ""
    source = "Boligsociale data"


def one_of_everything(*, plan, sub_agreement) -> None:
    """One object of every indicators model for the plan (used by the admin smoke test)."""
    StandardIndicatorFactory()
    goal = GoalFactory(plan=plan, focus_area=sub_agreement.focus_area)
    GoalIndicatorFactory(goal=goal)
    indicator = IndicatorFactory(sub_goal=SubGoalFactory(sub_agreement=sub_agreement))
    IndicatorValueFactory(indicator=indicator, year=plan.years[0])
