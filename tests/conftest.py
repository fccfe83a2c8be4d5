import pytest
from django.core.management import call_command

from tests.factories.agreements import PlanMembershipFactory, UserFactory


@pytest.fixture
def staff_user(db):
    return UserFactory(username="admin-test", is_staff=True, is_superuser=True)


@pytest.fixture
def member(db):
    """A secretariat member of one plan: (user, plan)."""
    membership = PlanMembershipFactory()
    return membership.user, membership.plan


@pytest.fixture
def demo_data(db):
    call_command("load_demo", verbosity=0)
