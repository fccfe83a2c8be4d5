"""A realistic plan with one member of every role, shared by the workspace tests."""

import pytest

from tests.agreements.workspace_data import Workspace, build_workspace


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every workspace fixture creates several users; PBKDF2 would spend seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ws(db) -> Workspace:
    return build_workspace()
