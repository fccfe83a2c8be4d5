"""An upload waiting for its confirmation when the database row still held the file's bytes moves into
the default storage: the same bytes, still previewed and confirmed by its user."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.models import PlanMembership
from budgets import services
from budgets.models import PENDING_UPLOAD_DIR, PendingBudgetImport
from tests.factories.agreements import PlanMembershipFactory

from .workbooks import exported_workbook, row_of, to_bytes

BEFORE = ("budgets", "0001_initial")


@pytest.mark.django_db(transaction=True)
def test_waiting_uploads_move_from_the_database_into_the_storage(small_plan, stored):
    user = PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    ws.cell(row_of(ws, "Fritidsjob"), 1).value = "Fritidsjob fra før flytningen"
    data = to_bytes(workbook)
    try:
        call_command("migrate", *BEFORE, verbosity=0)
        old_model = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model(
            "budgets", "PendingBudgetImport")
        old = old_model.objects.create(plan_id=small_plan.pk, user_id=user.pk, file_name="budgetark.xlsx",
                                       content=data)
    finally:
        call_command("migrate", verbosity=0)

    pending = PendingBudgetImport.objects.get(pk=old.pk)
    assert pending.file.name.startswith(f"{PENDING_UPLOAD_DIR}/") and pending.file_name == "budgetark.xlsx"
    assert stored.names(PENDING_UPLOAD_DIR) == [pending.file.name] and stored.read(pending.file.name) == data
    assert pending.sha256 == hashlib.sha256(data).hexdigest()
    assert "content" not in {field.name for field in PendingBudgetImport._meta.get_fields()}

    services.budget_upload_confirm(pending=pending, user=user)
    assert "Fritidsjob fra før flytningen" in [line.name for line in small_plan.budget.lines.all()]
