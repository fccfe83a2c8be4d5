"""The PDF column goes; the file field takes its name."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0004_approval_pdfs_into_storage"),
    ]

    operations = [
        migrations.RemoveField(model_name="approval", name="pdf"),
        migrations.RenameField(model_name="approval", old_name="pdf_file", new_name="pdf"),
    ]
