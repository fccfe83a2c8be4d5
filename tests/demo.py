"""The demo data every database test starts from (loaded once per session by ``tests/conftest.py``).

A test that counts or fetches rows "of the whole database" means the rows its own set-up and the
code under test created: ``without_demo`` leaves the demo data's rows out, so such an assertion says
the same as it would in an empty database.
"""

from __future__ import annotations

import io

from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import override_settings

# load_demo queues the rendering of the approvals' PDFs when it commits. The dummy backend keeps
# that task in memory, so no test starts with a queued task in the database.
QUIET_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

# model → primary keys of the rows the demo data put in the database.
_demo_pks: dict[type[models.Model], frozenset] = {}


def load() -> None:
    """Run ``manage.py load_demo`` (committed) and note which rows it left in the database."""
    with override_settings(TASKS=QUIET_TASKS):
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    _demo_pks.clear()
    for model in apps.get_models():
        _demo_pks[model] = frozenset(model._base_manager.values_list("pk", flat=True))


def is_loaded() -> bool:
    from agreements.demo import DEMO_PLAN_SLUGS
    from agreements.models import Plan

    return Plan.objects.filter(slug__in=DEMO_PLAN_SLUGS).count() == len(DEMO_PLAN_SLUGS)


def without_demo(rows: type[models.Model] | models.QuerySet) -> models.QuerySet:
    """``rows`` (a model or a queryset) without the demo data's rows."""
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    assert _demo_pks, "the demo data has not been loaded"
    return queryset.exclude(pk__in=_demo_pks.get(queryset.model, frozenset()))
