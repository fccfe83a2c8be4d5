"""Approval PDFs kept in the database move into the default storage, and back when migrated back."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from tests.agreements.workspace_data import build_workspace

BEFORE = [("approvals", "0002_approval_content_hash")]
PDF = b"%PDF-1.7 godkendt i 2024 og gemt i databasen"


def _old_approval_model():
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("approvals", "Approval")


@pytest.mark.django_db(transaction=True)
def test_a_pdf_in_the_database_moves_into_storage_and_back():
    ws = build_workspace()
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    approval = workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=date(2024, 3, 12),
                                         referat="Referat, pkt. 3")
    without_pdf = workflow.approval_record_external(document=ws.strategic, recorded_by=ws.board,
                                                    meeting_date=date(2024, 3, 12), referat="Papir",
                                                    approved_by_name="Bestyrelsen")
    try:
        call_command("migrate", "approvals", "0002_approval_content_hash", verbosity=0)
        _old_approval_model().objects.filter(pk=approval.pk).update(pdf=PDF)
    finally:
        call_command("migrate", verbosity=0)

    moved = Approval.objects.get(pk=approval.pk)
    assert moved.has_pdf and moved.pdf.name.startswith(f"godkendelser/{ws.plan.pk}/")
    assert default_storage.exists(moved.pdf.name)
    assert moved.read_pdf() == PDF
    assert moved.content_hash == approval.content_hash and moved.data == approval.data
    assert not Approval.objects.get(pk=without_pdf.pk).has_pdf
    with connection.cursor() as cursor:
        columns = {c.name: c for c in connection.introspection.get_table_description(cursor, "agreements_approval")}
    assert "pdf_file" not in columns and "html" in columns

    # Migrated back, the column holds the bytes again.
    try:
        call_command("migrate", "approvals", "0002_approval_content_hash", verbosity=0)
        assert bytes(_old_approval_model().objects.get(pk=approval.pk).pdf) == PDF
        assert _old_approval_model().objects.get(pk=without_pdf.pk).pdf is None
    finally:
        call_command("migrate", verbosity=0)
    assert Approval.objects.get(pk=approval.pk).read_pdf() == PDF
