"""Revision tokens and the cached plan page: a cached part never outlives the data behind it."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, update_last_login
from django.db import transaction
from django.test import Client
from django.urls import reverse

from agreements import revisions
from agreements.models import (
    Clause,
    Contact,
    DocumentStatus,
    FocusArea,
    Organisation,
    PlanMembership,
    Pulje,
    PuljeText,
)
from budgets.content import BudgetContent, LineData
from budgets.models import BudgetLine, ExpenseType
from budgets.services import budget_replace
from helhedsplan.accounts.models import Profile
from indicators.models import StandardGoal, StandardIndicator
from tests.factories.agreements import (
    ActivityFactory,
    AgreementPartyFactory,
    CommentFactory,
    HousingAreaFactory,
    HousingDepartmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    PlanMembershipFactory,
    StaffResourceFactory,
    SubAgreementFactory,
    SubAgreementPartyFactory,
)
from tests.factories.budgets import BudgetFootnoteFactory, BudgetLineFactory
from tests.factories.indicators import (
    GoalFactory,
    GoalIndicatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SubGoalFactory,
)

pytestmark = pytest.mark.django_db


def token(plan) -> str:
    return revisions.tokens(plan.pk)


def plan_part(token_string: str) -> str:
    return token_string.split(".")[1]


def global_part(token_string: str) -> str:
    return token_string.split(".")[0]


def test_every_watched_model_is_either_plan_data_or_deliberately_shared():
    """A new model must reach its plan through a foreign key, or be added here as shared data."""
    shared = {Pulje, PuljeText, FocusArea, Organisation, Contact, Clause, ExpenseType, StandardGoal, StandardIndicator,
              get_user_model(), Group, Profile}
    assert revisions._SHARED == shared
    user_data = [model for model in apps.get_models()
                 if hasattr(model, "history") and not model.__name__.startswith("Historical")]
    assert len(user_data) > 20
    for model in user_data:
        assert revisions.is_watched(model), model


@pytest.mark.parametrize("make", [
    lambda plan: ActivityFactory(sub_agreement=SubAgreementFactory(plan=plan)),
    lambda plan: StaffResourceFactory(sub_agreement=SubAgreementFactory(plan=plan)),
    lambda plan: SubAgreementPartyFactory(sub_agreement=SubAgreementFactory(plan=plan)),
    lambda plan: AgreementPartyFactory(agreement__plan=plan),
    lambda plan: HousingDepartmentFactory(housing_area=HousingAreaFactory(plan=plan)),
    lambda plan: BudgetLineFactory(budget__plan=plan),
    lambda plan: BudgetFootnoteFactory(budget__plan=plan),
    lambda plan: GoalIndicatorFactory(goal=GoalFactory(plan=plan)),
    lambda plan: IndicatorValueFactory(indicator=IndicatorFactory(
        sub_goal=SubGoalFactory(sub_agreement=SubAgreementFactory(plan=plan)))),
    lambda plan: MilestoneFactory(plan=plan),
    lambda plan: CommentFactory(plan=plan),
], ids=["activity", "staff", "delaftale party", "agreement party", "department", "budget line", "footnote",
        "goal indicator", "indicator value", "milestone", "comment"])
def test_plan_data_is_traced_to_its_plan_and_changes_only_that_plans_token(make):
    plan, other = PlanFactory(), PlanFactory()
    obj = make(plan)
    assert revisions.plan_id_of(obj) == plan.pk
    before, other_before = token(plan), token(other)
    obj.save()
    after = token(plan)
    assert plan_part(after) != plan_part(before)
    assert global_part(after) == global_part(before)
    assert token(other) == other_before
    obj.delete()
    assert token(plan) != after


def test_shared_data_changes_the_global_token_of_every_plan():
    plan, other = PlanFactory(), PlanFactory()
    organisation = OrganisationFactory()
    before, other_before = token(plan), token(other)
    organisation.name = "Nyt navn A/S"
    organisation.save()
    assert global_part(token(plan)) != global_part(before)
    assert global_part(token(other)) != global_part(other_before)
    assert plan_part(token(plan)) == plan_part(before)


def test_many_to_many_changes_count():
    activity = ActivityFactory()
    plan = activity.sub_agreement.plan
    area = HousingAreaFactory(plan=plan)
    before = token(plan)
    activity.housing_areas.add(area)
    middle = token(plan)
    assert middle != before
    activity.housing_areas.clear()
    assert token(plan) != middle


def test_logging_in_changes_nothing_but_renaming_a_user_does():
    user = PlanMembershipFactory().user
    plan = user.plan_memberships.get().plan
    before = token(plan)
    update_last_login(None, user)
    assert token(plan) == before
    user.first_name = "Karen"
    user.save()
    assert global_part(token(plan)) != global_part(before)


def test_a_bulk_budget_import_changes_the_token():
    plan = PlanFactory()
    before = token(plan)
    line = LineData(section=BudgetLine.Section.CROSS_CUTTING, focus_area_id=None, name="Husleje",
                    amounts=((plan.years[0], 10),), lbf=10)
    budget_replace(plan=plan, content=BudgetContent(lines=(line,)))
    assert plan_part(token(plan)) != plan_part(before)


def test_a_rolled_back_change_leaves_the_token_as_it_was():
    activity = ActivityFactory()
    plan = activity.sub_agreement.plan
    before = token(plan)
    with pytest.raises(RuntimeError), transaction.atomic():
        activity.name = "Rulles tilbage"
        activity.save()
        raise RuntimeError
    assert token(plan) == before


# --- The cached plan page ---------------------------------------------------------------------

def plan_url(plan) -> str:
    return reverse("agreements:plan_detail", kwargs={"slug": plan.slug})


def test_the_plan_page_shows_a_change_made_after_it_was_cached(client):
    sub_agreement = SubAgreementFactory()
    plan = sub_agreement.plan
    user = PlanMembershipFactory(plan=plan).user
    client.force_login(user)
    assert "Fodboldskole Vest" not in client.get(plan_url(plan)).content.decode()
    ActivityFactory(sub_agreement=sub_agreement, name="Fodboldskole Vest")
    assert "Fodboldskole Vest" in client.get(plan_url(plan)).content.decode()

    municipality = plan.municipality
    municipality.name = "Nyby Kommune"
    municipality.save()
    assert "Nyby Kommune" in client.get(plan_url(plan)).content.decode()


def test_the_cached_parts_follow_the_role_not_the_first_visitor(client):
    sub_agreement = SubAgreementFactory()
    plan = sub_agreement.plan
    editor = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.SECRETARIAT).user
    board = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.BOARD).user
    edit_url = reverse("agreements:subagreement_edit",
                       kwargs={"slug": plan.slug, "area": sub_agreement.focus_area.slug})
    client.force_login(editor)
    assert edit_url in client.get(plan_url(plan)).content.decode()
    client.force_login(board)
    page = client.get(plan_url(plan)).content.decode()
    assert edit_url not in page
    assert "Din rolle: Bestyrelse" in page


def test_each_visitor_gets_their_own_csrf_token_and_comments():
    plan = PlanFactory()
    first = PlanMembershipFactory(plan=plan).user
    second = PlanMembershipFactory(plan=plan).user
    first_client, second_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_client.force_login(first)
    first_client.get(plan_url(plan))
    second_client.force_login(second)
    CommentFactory(plan=plan, author=second, text="Husk mødet torsdag")
    page = second_client.get(plan_url(plan)).content.decode()
    assert "Husk mødet torsdag" in page
    # Every form on the page (log-out, LBF export, comment) carries the second user's own token.
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 3
    comment = second_client.post(reverse("agreements:plan_comment", kwargs={"slug": plan.slug}),
                                 {"text": "Ok", "csrfmiddlewaretoken": tokens[-1]})
    assert comment.status_code == 302
    assert plan.comments.filter(author=second, text="Ok").exists()


def test_the_dashboard_card_follows_changes_to_its_plan(client):
    sub_agreement = SubAgreementFactory()
    plan = sub_agreement.plan
    client.force_login(PlanMembershipFactory(plan=plan).user)
    dashboard = reverse("agreements:plan_list")
    assert "Nyt plannavn" not in client.get(dashboard).content.decode()
    plan.name = "Nyt plannavn"
    plan.save()
    page = client.get(dashboard).content.decode()
    assert "Nyt plannavn" in page
    sub_agreement.status = DocumentStatus.SUBMITTED
    sub_agreement.save()
    assert "Til behandling" not in page
    assert "Til behandling" in client.get(dashboard).content.decode()
