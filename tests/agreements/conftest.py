"""A realistic plan with one member of every role, shared by the workspace tests."""

import pytest

from tests.agreements.workspace_data import Workspace, build_workspace


@pytest.fixture
def ws(db) -> Workspace:
    return build_workspace()
