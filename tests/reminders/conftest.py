import pytest

from tests.agreements.workspace_data import Workspace, build_workspace


@pytest.fixture
def ws(db) -> Workspace:
    """The workspace plan (period 2022–2025) with a secretary and a board member."""
    return build_workspace()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver.example"
