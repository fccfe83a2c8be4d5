"""A delaftale's party had one optional contact person; now it has a list: the old contact becomes
the first (and only) entry. Backwards, a party keeps its first contact person."""

from django.db import migrations


def single_to_list(apps, schema_editor):
    SubAgreementParty = apps.get_model("agreements", "SubAgreementParty")
    SubAgreementPartyContact = apps.get_model("agreements", "SubAgreementPartyContact")
    SubAgreementPartyContact.objects.bulk_create(
        SubAgreementPartyContact(party_id=party_id, contact_id=contact_id, order=1)
        for party_id, contact_id in SubAgreementParty.objects.filter(contact__isnull=False)
        .values_list("id", "contact_id").iterator()
    )


def list_to_single(apps, schema_editor):
    SubAgreementParty = apps.get_model("agreements", "SubAgreementParty")
    SubAgreementPartyContact = apps.get_model("agreements", "SubAgreementPartyContact")
    first: dict[int, int] = {}
    for party_id, contact_id in SubAgreementPartyContact.objects.order_by("party_id", "order", "id") \
            .values_list("party_id", "contact_id").iterator():
        first.setdefault(party_id, contact_id)
    for party_id, contact_id in first.items():
        SubAgreementParty.objects.filter(pk=party_id).update(contact_id=contact_id)
    SubAgreementPartyContact.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0011_party_contacts_and_activity_short_description"),
    ]

    operations = [
        migrations.RunPython(single_to_list, list_to_single),
    ]
