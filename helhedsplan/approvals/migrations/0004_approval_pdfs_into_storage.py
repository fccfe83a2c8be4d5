"""The approval PDFs kept in the database move into the default storage (local files or the bucket)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations


def pdf_name(approval) -> str:
    return f"godkendelser/{approval.plan_id}/godkendelse-{approval.pk}-v{approval.number}.pdf"


def pdfs_into_storage(apps, schema_editor):
    approval_model = apps.get_model("approvals", "Approval")
    stored = approval_model.objects.filter(pdf__isnull=False, pdf_file="").only("pk", "plan_id", "number", "pdf")
    for approval in stored.iterator(chunk_size=20):
        content = bytes(approval.pdf)
        if not content:
            continue
        name = default_storage.save(pdf_name(approval), ContentFile(content))
        approval_model.objects.filter(pk=approval.pk).update(pdf_file=name)


def pdfs_into_database(apps, schema_editor):
    approval_model = apps.get_model("approvals", "Approval")
    for approval in approval_model.objects.exclude(pdf_file="").only("pk", "pdf_file").iterator(chunk_size=20):
        with default_storage.open(approval.pdf_file.name, "rb") as handle:
            approval_model.objects.filter(pk=approval.pk).update(pdf=handle.read())


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0003_approval_html_and_pdf_file"),
    ]

    operations = [
        migrations.RunPython(pdfs_into_storage, pdfs_into_database, elidable=False),
    ]
