import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.factories.agreements import PlanMembershipFactory, UserFactory

# Every workspace fixture creates several users; PBKDF2 would spend seconds per test.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


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
