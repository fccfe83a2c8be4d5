from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0012_party_contacts_from_single_contact"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalsubagreementparty",
            name="contact",
        ),
        migrations.RemoveField(
            model_name="subagreementparty",
            name="contact",
        ),
    ]
