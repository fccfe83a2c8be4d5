"""LbfExport.file_name (a name under MEDIA_ROOT/LBF_EXPORT_DIR) becomes ``file``, a name in the default
storage. With local files that is the same file; with an S3 bucket a file still on this machine is
copied into the bucket, so that a finished export stays downloadable."""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import migrations, models

import helhedsplan.lbf.models


def file_name_to_storage(apps, schema_editor):
    export_model = apps.get_model("lbf", "LbfExport")
    for export in export_model.objects.exclude(file_name=""):
        name = f"{settings.LBF_EXPORT_DIR}/{export.file_name}"
        local = Path(settings.MEDIA_ROOT) / settings.LBF_EXPORT_DIR / export.file_name
        if not default_storage.exists(name) and local.is_file():
            with local.open("rb") as handle:
                name = default_storage.save(name, File(handle))
        export_model.objects.filter(pk=export.pk).update(file=name)


def storage_to_file_name(apps, schema_editor):
    export_model = apps.get_model("lbf", "LbfExport")
    for export in export_model.objects.exclude(file=""):
        export_model.objects.filter(pk=export.pk).update(file_name=Path(export.file.name).name)


class Migration(migrations.Migration):

    dependencies = [
        ("lbf", "0002_one_unfinished_export_per_user"),
    ]

    operations = [
        migrations.AddField(
            model_name="lbfexport",
            name="file",
            field=models.FileField(blank=True, editable=False, max_length=300,
                                   upload_to=helhedsplan.lbf.models.export_file_name, verbose_name="fil"),
        ),
        migrations.RunPython(file_name_to_storage, storage_to_file_name),
        migrations.RemoveField(
            model_name="lbfexport",
            name="file_name",
        ),
    ]
