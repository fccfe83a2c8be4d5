"""The documents print every contact person of a party (name, title, e-mail, phone, in their order) and
each activity's one-line description after its name in the delaftale's list of activities."""

from __future__ import annotations

import io

import pytest
from docx import Document as read_docx

from agreements import services
from helhedsplan.documents import builders, pdf, word
from tests.documents.helpers import normalize, pdf_pages, plan_with_activities
from tests.factories.agreements import AgreementPartyFactory, ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _squeeze(text: str) -> str:
    """Without whitespace and hyphens: narrow table columns wrap and hyphenate long words."""
    return "".join(text.split()).replace("-", "")


@pytest.fixture
def plan():
    plan = plan_with_activities(2, sub_agreements=1)
    sub = plan.sub_agreements.get()
    party = sub.parties.exclude(contacts=None).get()
    aase = ContactFactory(organisation=party.organisation, name="Aase Ødegaard", title="Projektleder",
                          email="aase.oedegaard@example.dk", phone="+45 12 34 56 78")
    services.party_contacts_set(party=party, contacts=[*party.contact_list, aase])
    first, second = sub.activities.order_by("order", "id")
    first.short_description = "lektiehjælp for børn i 1.-6. klasse, i samarbejde med frivillige"
    first.save()
    second.short_description = ""
    second.save()
    organisation = OrganisationFactory(name="Tryg Kommune")
    AgreementPartyFactory(agreement=plan.strategic_agreement, organisation=organisation, contacts=[
        ContactFactory(organisation=organisation, name="Ib Holm", title="Direktør", email="ib.holm@example.dk",
                       phone="+45 87 65 43 21")])
    return plan


def test_delaftale_pdf_prints_the_contacts_in_order_and_the_one_line_descriptions(plan):
    sub = plan.sub_agreements.get()
    party = sub.parties.exclude(contacts=None).get()
    first_contact = party.contact_list[0]
    first, second = sub.activities.order_by("order", "id")
    document = builders.delaftale_document(plan=plan, area_slug=sub.focus_area.slug)
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html()))))

    assert "Kontaktpersoner" in text
    row = (f"{party.organisation.name} {party.role} {first_contact.name} {first_contact.title} "
           f"{first_contact.email} Aase Ødegaard Projektleder aase.oedegaard@example.dk Tlf. +45 12 34 56 78")
    assert _squeeze(row) in _squeeze(text)
    listed = text.split("Medarbejderressourcer for indsatsområdet")[0]
    assert f"{first.name}, lektiehjælp for børn i 1.-6. klasse, i samarbejde med frivillige" in listed
    assert f"{second.name}," not in listed


def test_samarbejdsaftale_pdf_lists_the_contact_persons_of_the_parties(plan):
    document = builders.build_document(plan=plan, kind=builders.SAMARBEJDSAFTALE)
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html()))))
    assert "Tryg Kommune Kontaktperson: Ib Holm Direktør ib.holm@example.dk Tlf. +45 87 65 43 21" in text


def test_word_prints_the_same_contacts_and_descriptions(plan):
    sub = plan.sub_agreements.get()
    party = sub.parties.exclude(contacts=None).get()
    first_contact = party.contact_list[0]
    delaftale = read_docx(io.BytesIO(word.render_docx(
        builders.delaftale_document(plan=plan, area_slug=sub.focus_area.slug))))
    party_table = next(table for table in delaftale.tables if table.rows[0].cells[0].text == "Organisation")
    assert [cell.text for cell in party_table.rows[0].cells] == ["Organisation", "Rolle/funktion", "Kontaktpersoner"]
    cells = {row.cells[0].text: row.cells[2].text for row in party_table.rows[1:]}
    assert cells[party.organisation.name] == (
        f"{first_contact.name}\n{first_contact.title}\n{first_contact.email}\n\n"
        "Aase Ødegaard\nProjektleder\naase.oedegaard@example.dk\nTlf. +45 12 34 56 78")
    first = sub.activities.order_by("order", "id").first()
    paragraphs = [paragraph.text for paragraph in delaftale.paragraphs]
    assert f"{first.name}, lektiehjælp for børn i 1.-6. klasse, i samarbejde med frivillige" in paragraphs

    samarbejdsaftale = read_docx(io.BytesIO(word.render_docx(
        builders.build_document(plan=plan, kind=builders.SAMARBEJDSAFTALE))))
    fields = {row.cells[0].text: row.cells[1].text for row in samarbejdsaftale.tables[0].rows}
    assert "Tryg Kommune\nKontaktperson: Ib Holm, Direktør, ib.holm@example.dk, Tlf. +45 87 65 43 21" \
        in fields["Aftalens parter"]
