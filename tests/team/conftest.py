from dataclasses import dataclass

import pytest
from django.test import Client

from agreements.models import Plan, PlanMembership
from tests.factories.agreements import PlanMembershipFactory, UserFactory


@dataclass
class Team:
    plan: Plan
    secretary: object
    board: object


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver.example"


@pytest.fixture
def team(db) -> Team:
    secretary = UserFactory(username="sara", first_name="Sara", last_name="Holm", email="sara@example.dk")
    membership = PlanMembershipFactory(user=secretary, plan__name="Sammen i Sydhavn", plan__slug="sydhavn")
    board = UserFactory(username="bent", first_name="Bent", last_name="Berg", email="bent@example.dk")
    PlanMembershipFactory(user=board, plan=membership.plan, role=PlanMembership.Role.BOARD)
    return Team(plan=membership.plan, secretary=secretary, board=board)


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
