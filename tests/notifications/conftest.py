import pytest

from tests.agreements.workspace_data import Workspace, build_workspace


@pytest.fixture
def ws(db) -> Workspace:
    return build_workspace()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver.example"
