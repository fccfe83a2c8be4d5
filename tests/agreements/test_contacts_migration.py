"""A delaftale's party with its one old contact person gets it as its first (and only) contact person,
and going back gives each party its first contact person again."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.models import SubAgreementParty

BEFORE = ("agreements", "0010_contract_document")
AFTER = ("agreements", "0013_remove_subagreementparty_contact")


def _apps(target):
    return MigrationExecutor(connection).loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_the_single_contact_becomes_the_list_and_back():
    try:
        call_command("migrate", *BEFORE, verbosity=0)
        old = _apps(BEFORE)
        Organisation, Contact = old.get_model("agreements", "Organisation"), old.get_model("agreements", "Contact")
        Party = old.get_model("agreements", "SubAgreementParty")
        sub_agreement = old.get_model("agreements", "SubAgreement").objects.first()
        organisation = Organisation.objects.create(name="Migreret Boligselskab")
        other = Organisation.objects.create(name="Migreret Forening")
        lone = Contact.objects.create(organisation=organisation, name="Lone Migreret")
        with_contact = Party.objects.create(sub_agreement=sub_agreement, organisation=organisation,
                                            contact=lone, order=90)
        without = Party.objects.create(sub_agreement=sub_agreement, organisation=other, order=91)

        call_command("migrate", *AFTER, verbosity=0)
        assert [c.name for c in SubAgreementParty.objects.get(pk=with_contact.pk).contact_list] == ["Lone Migreret"]
        assert SubAgreementParty.objects.get(pk=without.pk).contact_list == []
        party = SubAgreementParty.objects.get(pk=with_contact.pk)
        second = party.organisation.contacts.create(name="Kim Migreret")
        party.contacts.through.objects.create(party=party, contact=second, order=2)

        call_command("migrate", *BEFORE, verbosity=0)
        Party = _apps(BEFORE).get_model("agreements", "SubAgreementParty")
        assert Party.objects.get(pk=with_contact.pk).contact_id == lone.pk, "the first contact person"
        assert Party.objects.get(pk=without.pk).contact_id is None
    finally:
        call_command("migrate", verbosity=0)
