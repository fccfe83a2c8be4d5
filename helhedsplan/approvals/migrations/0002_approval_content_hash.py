"""Each approval keeps the hash of its approved content; a document is godkendt while its live content
has the same hash."""

from django.db import migrations, models

from helhedsplan.approvals.snapshots import content_hash


def hash_approved_content(apps, schema_editor):
    approval_model = apps.get_model("approvals", "Approval")
    for approval in approval_model.objects.only("pk", "data").iterator():
        approval_model.objects.filter(pk=approval.pk).update(content_hash=content_hash(approval.data))


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="approval",
            name="content_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="indholdets fingeraftryk",
                                   help_text="SHA-256 af det godkendte indhold; dokumentet er godkendt, så længe "
                                             "dets indhold giver samme fingeraftryk."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalapproval",
            name="content_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="indholdets fingeraftryk",
                                   help_text="SHA-256 af det godkendte indhold; dokumentet er godkendt, så længe "
                                             "dets indhold giver samme fingeraftryk."),
            preserve_default=False,
        ),
        migrations.RunPython(hash_approved_content, migrations.RunPython.noop),
    ]
