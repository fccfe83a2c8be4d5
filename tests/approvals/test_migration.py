"""An existing database keeps its approvals and exports when they move to their own apps, and its
documents keep being godkendt where their content is the approved content."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.models import SubAgreement
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.state import document_state
from helhedsplan.lbf.models import LbfExport
from tests.agreements.workspace_data import build_workspace
from tests.factories.agreements import LbfExportFactory

BEFORE = [("agreements", "0004_revision")]


@pytest.mark.django_db(transaction=True)
def test_approvals_and_exports_survive_the_move_and_godkendt_is_derived():
    ws = build_workspace()
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    approval = workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=date(2024, 3, 12),
                                         referat="Referat, pkt. 3")
    export = LbfExportFactory(requested_by=ws.lbf, plan_slugs=[ws.plan.slug], status=LbfExport.Status.DONE)

    # Budget approvals (of the demo data, if loaded) came later: going back before them drops them.
    approvals_before = Approval.objects.exclude(kind=Approval.Kind.BUDGET).count()

    # Back to the schema before the move: the approval row is where it always was, status "godkendt".
    try:
        call_command("migrate", "lbf", "zero", verbosity=0)
        call_command("migrate", "approvals", "zero", verbosity=0)
        call_command("migrate", "agreements", "0004_revision", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE agreements_subagreement SET status = 'godkendt' WHERE id = %s",
                           [ws.sub_agreement.pk])
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        assert old_apps.get_model("agreements", "Approval").objects.get(pk=approval.pk).number == 1
    finally:
        call_command("migrate", verbosity=0)

    assert Approval.objects.exclude(kind=Approval.Kind.BUDGET).count() == approvals_before
    moved = Approval.objects.get(pk=approval.pk)
    assert moved.pk == approval.pk and moved.data == approval.data and moved.content_hash == approval.content_hash
    assert LbfExport.objects.get(pk=export.pk).status == LbfExport.Status.DONE
    sub_agreement = SubAgreement.objects.select_related("plan").get(pk=ws.sub_agreement.pk)
    assert sub_agreement.status == "kladde"
    assert document_state(sub_agreement).is_approved
