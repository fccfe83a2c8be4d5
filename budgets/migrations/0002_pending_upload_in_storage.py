"""An uploaded budgetark waiting for its preview to be confirmed moves from the database row
(``content``) into the default storage (``file``, with the digest of its bytes in ``sha256``)."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import budgets.models


def content_to_storage(apps, schema_editor):
    pending_model = apps.get_model("budgets", "PendingBudgetImport")
    for pending in pending_model.objects.all():
        data = bytes(pending.content)
        name = default_storage.save(budgets.models.pending_upload_name(None, pending.file_name), ContentFile(data))
        pending_model.objects.filter(pk=pending.pk).update(file=name, sha256=hashlib.sha256(data).hexdigest())


def storage_to_content(apps, schema_editor):
    # The files stay where they are: should this migration be rolled back after all, nothing is lost.
    pending_model = apps.get_model("budgets", "PendingBudgetImport")
    for pending in pending_model.objects.exclude(file=""):
        try:
            with default_storage.open(pending.file.name, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            pending_model.objects.filter(pk=pending.pk).delete()  # nothing left to confirm
            continue
        pending_model.objects.filter(pk=pending.pk).update(content=data)


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingbudgetimport",
            name="file",
            field=models.FileField(default="", editable=False, max_length=300,
                                   upload_to=budgets.models.pending_upload_name, verbose_name="fil"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pendingbudgetimport",
            name="sha256",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="SHA-256"),
            preserve_default=False,
        ),
        migrations.RunPython(content_to_storage, storage_to_content),
        migrations.RemoveField(
            model_name="pendingbudgetimport",
            name="content",
        ),
    ]
