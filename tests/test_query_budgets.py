"""Query budgets: every main page within a fixed number of queries, and the same count at two sizes.

An N+1 regression (a query per activity, budget line or indicator) fails here.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import PlanMembership
from budgets.models import BudgetLine
from tests.factories.agreements import (
    ActivityFactory,
    PlanMembershipFactory,
    StaffResourceFactory,
    SubAgreementFactory,
    SubAgreementPartyFactory,
)
from tests.factories.budgets import BudgetFactory, BudgetLineFactory
from tests.factories.indicators import IndicatorFactory, IndicatorValueFactory, SubGoalFactory

pytestmark = pytest.mark.django_db


def build_plan(size: int):
    """A plan with two delaftaler, each with ``size`` activities, parties, staff, indicators and budget lines."""
    first = SubAgreementFactory()
    plan = first.plan
    second = SubAgreementFactory(plan=plan)
    budget = BudgetFactory(plan=plan)
    for sub_agreement in (first, second):
        sub_goal = SubGoalFactory(sub_agreement=sub_agreement)
        for index in range(size):
            activity = ActivityFactory(sub_agreement=sub_agreement)
            activity.housing_areas.set([])
            SubAgreementPartyFactory(sub_agreement=sub_agreement)
            StaffResourceFactory(sub_agreement=sub_agreement, function=f"Medarbejder {index}")
            indicator = IndicatorFactory(sub_goal=sub_goal)
            IndicatorValueFactory(indicator=indicator, year=plan.years[1])
            BudgetLineFactory(budget=budget, section=BudgetLine.Section.FOCUS_AREA,
                              focus_area=sub_agreement.focus_area, expense_type=None)
            BudgetLineFactory(budget=budget)
    user = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.SECRETARIAT).user
    return plan, first, user


def pages(plan, sub_agreement) -> dict[str, str]:
    area = sub_agreement.focus_area.slug
    return {
        "dashboard": reverse("agreements:plan_list"),
        "plan": reverse("agreements:plan_detail", kwargs={"slug": plan.slug}),
        "delaftale": reverse("agreements:subagreement_detail", kwargs={"slug": plan.slug, "area": area}),
        "delaftale editor": reverse("agreements:subagreement_edit", kwargs={"slug": plan.slug, "area": area}),
        "strategic editor": reverse("agreements:strategic_edit", kwargs={"slug": plan.slug}),
        "budget": reverse("budgets:sheet", kwargs={"slug": plan.slug}),
        "indicators plan": reverse("indicators:plan", kwargs={"slug": plan.slug}),
        "indicators delaftale": reverse("indicators:subagreement", kwargs={"slug": plan.slug, "area": area}),
        "indicator entry": reverse("indicators:enter_plan", kwargs={"slug": plan.slug}),
    }


def count_queries(client, url: str) -> int:
    """Queries of a page built from scratch (per-process caches warm, cached page parts dropped)."""
    client.get(url)  # warm per-process caches (content types, sessions)
    cache.clear()  # the plan page's cached parts: count what building them costs
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


# Generous ceilings at a small fixed size: a regression of one query per object blows past them.
MAX_QUERIES = {
    "dashboard": 80, "plan": 70, "delaftale": 45, "delaftale editor": 75, "strategic editor": 45,
    "budget": 30, "indicators plan": 30, "indicators delaftale": 30, "indicator entry": 30,
}


def test_every_main_page_stays_within_its_query_budget(client):
    plan, sub_agreement, user = build_plan(3)
    client.force_login(user)
    for name, url in pages(plan, sub_agreement).items():
        queries = count_queries(client, url)
        assert queries <= MAX_QUERIES[name], f"{name}: {queries} queries > {MAX_QUERIES[name]}"


@pytest.mark.parametrize("name", ["plan", "delaftale", "delaftale editor", "budget", "indicators plan",
                                  "indicators delaftale", "indicator entry", "dashboard"])
def test_query_count_does_not_grow_with_the_plan(client, name):
    small_plan, small_sub, small_user = build_plan(2)
    large_plan, large_sub, large_user = build_plan(8)
    client.force_login(small_user)
    small = count_queries(client, pages(small_plan, small_sub)[name])
    client.force_login(large_user)
    large = count_queries(client, pages(large_plan, large_sub)[name])
    assert small == large, f"{name}: {small} queries for 2 per delaftale, {large} for 8"
