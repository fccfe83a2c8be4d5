"""An approval keeps the approved document's HTML, and its PDF as a file in the default storage
(the PDF column is copied into storage by the next migration, then dropped)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0002_approval_content_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="approval",
            name="html",
            field=models.TextField(blank=True, editable=False, verbose_name="godkendt dokument (HTML)"),
        ),
        migrations.AddField(
            model_name="approval",
            name="pdf_file",
            field=models.FileField(blank=True, editable=False, max_length=300, upload_to="godkendelser/",
                                   verbose_name="PDF"),
        ),
    ]
