"""Every management command of the project loads (a moved module is caught here, not by `make run`)."""

import pytest
from django.core.management import get_commands, load_command_class

PROJECT_APPS = ("agreements", "budgets", "indicators", "helhedsplan.")


@pytest.mark.parametrize("name, app", sorted((name, app) for name, app in get_commands().items()
                                              if app.startswith(PROJECT_APPS)))
def test_command_loads(name, app):
    assert load_command_class(app, name).help
