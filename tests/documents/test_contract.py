"""A plan of the kind "Kontrakt om boligsocialt samarbejde" prints as the Copenhagen contract it is (seed
003): title, date and issuer on the cover, the contract's sections in its order, each activity's
revision, the staff functions with their contacts and the economic frame per indsatsområde. LBF-
helhedsplaner print as before."""

import io
import json
from datetime import date

import pytest
from django.utils import timezone
from docx import Document as read_docx

from agreements import plan_settings, services
from agreements.models import Activity, Contact, DocumentKind, Plan, StaffResource, SubAgreement
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.snapshots import document_snapshot
from helhedsplan.approvals.state import document_state
from helhedsplan.documents import builders, pdf, word
from helhedsplan.lbf.export import delaftaler_json, plan_content
from tests.agreements.workspace_data import build_workspace
from tests.documents.helpers import normalize, pdf_pages
from tests.documents.test_word import SOFFICE, _soffice_pdf, docx_text
from tests.factories.agreements import ContactFactory, OrganisationFactory

BISPEBJERG = "bispebjerg-udsatte-grupper"
MEETING = date(2024, 3, 12)


def pdf_text(document: builders.Document) -> str:
    return normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html()))))


def bispebjerg() -> Plan:
    return Plan.objects.get(slug=BISPEBJERG)


# --- The demo contract ------------------------------------------------------------------------------

def test_bispebjerg_demo_pdf_is_the_contract_in_its_order(demo_data):
    plan = bispebjerg()
    text = pdf_text(builders.samlet_document(plan=plan))

    assert text.startswith("Kontrakt om boligsocialt samarbejde på Bispebjerg Udsatte grupper 12. december 2013")
    assert "Udstedt af Københavns Kommune Teknik- og Miljøforvaltningen" in text
    order = ["Boligsociale helhedsplaner i området",
             "Samarbejdet mellem Københavns Kommune og boligsociale helhedsplaner",
             "Overordnet om indsatsområdet – Udsatte grupper",
             "Hvilke overordnede mål har indsatsområdet?",
             "Indsatsområdet understøtter de 3 overordnede mål fra 'Politik for Udsatte Byområder'",
             "Samarbejde mellem kommune og boligorganisationer",
             "Boligorganisationer og forvaltninger, som er involveret i indsatsområdet",
             "Indsatsområdets samlede økonomiske ramme i den boligsociale helhedsplan",
             "Aktiviteter/netværk under indsatsområdet – Udsatte grupper",
             "Medarbejderfunktioner og kontaktpersoner",
             "Øvrige parter og aktiviteter"]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    # The economic frame as the contract states it (no budgetark, no invented total).
    assert ("1. Beboerprojekt Bispebjerg i alt 3.124.220 kr. 2. Hothers Plads helhedsplanen i alt 0 kr.* "
            "3. Beboerprojekt Puls i alt 4.554.472 kr.") in text
    assert "Indsatsområdets økonomi" not in text and "Strategisk samarbejdsaftale" not in text
    # Each of the six activities ends with its own revision.
    assert text.count("Revision af aftalen Boligsocialt Forum Bispebjerg") == 2
    assert text.count("Revision af aftalen Boligsocialt Forum på Bispebjerg") == 4
    # Staff functions with their contacts: name, title, organisation and e-mail.
    staff = text[text.index("Medarbejderfunktioner og kontaktpersoner"):]
    assert "Sektionsleder Karina Holm Madsen, Sektionsleder (fsb) E-mail: khm@example.dk" in staff
    for name in ("Malene Vestergaard", "Anders Bech Nielsen", "Hanne Dam Jessen", "Pernille Krog Ibsen"):
        assert name in staff


def test_bispebjerg_delaftale_is_the_contract_for_its_indsatsomraade(demo_data):
    document = builders.delaftale_document(plan=bispebjerg(), area_slug="udsatte-grupper")
    text = pdf_text(document)

    assert document.title == "Kontrakt om boligsocialt samarbejde – Udsatte grupper"
    assert document.filename == f"{BISPEBJERG}-kontrakt-udsatte-grupper.pdf"
    assert text.startswith("Kontrakt om boligsocialt samarbejde på Bispebjerg Udsatte grupper 12. december 2013")
    assert "Udstedt af Københavns Kommune Teknik- og Miljøforvaltningen" in text
    assert "4.554.472 kr." in text and "Revision af aftalen Boligsocialt Forum på Bispebjerg" in text
    # The common part belongs to the samarbejdsaftale's document, which approves it.
    assert "Samarbejdet mellem" not in text and "Øvrige parter og aktiviteter" not in text


def test_bispebjerg_word_file_is_the_contract(demo_data):
    document = builders.samlet_document(plan=bispebjerg())
    text = docx_text(word.render_docx(document))

    assert text.startswith("Kontrakt om boligsocialt samarbejde på Bispebjerg Udsatte grupper 12. december 2013")
    assert "Udstedt af Københavns Kommune Teknik- og Miljøforvaltningen" in text
    assert "Revision af aftalen Boligsocialt Forum Bispebjerg" in text
    assert "Karina Holm Madsen, Sektionsleder (fsb) E-mail: khm@example.dk" in text
    assert "3. Beboerprojekt Puls i alt 4.554.472 kr." in text
    assert word.docx_filename(document) == f"{BISPEBJERG}-kontrakt.docx"


@pytest.mark.libreoffice
@pytest.mark.skipif(not SOFFICE.exists(), reason="LibreOffice is missing at /usr/bin/soffice")
def test_libreoffice_converts_the_contract(demo_data, tmp_path):
    """The Word file opens and prints: LibreOffice's PDF carries the contract's cover and its fields (table
    headers repeat on each page there, so the text is compared by its parts)."""
    source = tmp_path / "kontrakt.docx"
    source.write_bytes(word.render_docx(builders.samlet_document(plan=bispebjerg())))
    printed = " ".join(pdf_pages(_soffice_pdf(source, tmp_path)))
    assert printed.startswith("Kontrakt om boligsocialt samarbejde på Bispebjerg Udsatte grupper 12. december 2013")
    for part in ("Udstedt af Københavns Kommune Teknik- og Miljøforvaltningen",
                 "Revision af aftalen Boligsocialt Forum på Bispebjerg",
                 "Karina Holm Madsen, Sektionsleder (fsb) E-mail: khm@example.dk",
                 "3. Beboerprojekt Puls i alt 4.554.472 kr.",
                 "Øvrige parter og aktiviteter"):
        assert part in printed


def test_a_normal_plan_prints_as_before(demo_data):
    plan = Plan.objects.get(slug="amager")
    assert plan.document_kind == DocumentKind.LBF
    samlet = builders.samlet_document(plan=plan)
    assert samlet.template_name == "documents/samlet.html"
    assert samlet.filename == "amager-samlet-plan.pdf"
    html = samlet.render_html()
    assert "Kontrakt om boligsocialt samarbejde" not in html and "Strategisk samarbejdsaftale" in html
    sub = plan.sub_agreements.select_related("plan", "focus_area").first()
    snapshot = document_snapshot(sub)
    names = {entry["name"] for entry in snapshot["fields"]}
    assert "economic_frame" not in names and "document_kind" not in names
    assert "Kontrakt" not in docx_text(word.render_docx(builders.samarbejdsaftale_document(plan=plan)))


# --- Approval: every printed contract field is in the snapshot ------------------------------------------

@pytest.fixture
def contract(db):
    """The workspace plan as an approved contract."""
    ws = build_workspace()
    ws.plan.document_kind = DocumentKind.CONTRACT
    ws.plan.save()
    ws.plan.refresh_from_db()
    ws.issuer = OrganisationFactory(name="Testkommune", kind="kommune")
    services.strategic_agreement_save(agreement=ws.strategic, expected_version=ws.strategic.version,
                                      fields={"contract_date": date(2013, 12, 12), "contract_issuer": ws.issuer,
                                              "contract_issuer_department": "Teknik- og Miljøforvaltningen"})
    ws.contact = ContactFactory(organisation=ws.issuer, name="Kim Kontakt", title="", email="kim@example.dk",
                                phone="+45 12 34 56 78")
    ws.staff = StaffResource.objects.get(sub_agreement=ws.sub_agreement)
    ws.staff.contacts.set([ws.contact])
    for document in (ws.sub_agreement, ws.strategic):
        document = type(document).objects.select_related("plan").get(pk=document.pk)
        workflow.document_submit(document=document, by=ws.secretary)
        workflow.document_approve(document=document, by=ws.board, meeting_date=MEETING, referat="Referat, pkt. 3")
    assert approved(ws.sub_agreement) and approved(ws.strategic)
    return ws


def approved(document) -> bool:
    return document_state(type(document).objects.select_related("plan").get(pk=document.pk)).is_approved


def test_contract_pdf_of_an_approved_contract_prints_its_fields(contract):
    text = pdf_text(builders.delaftale_document(plan=contract.plan, area_slug=contract.sub_agreement.focus_area.slug))
    assert text.startswith("Kontrakt om boligsocialt samarbejde på Tryg Toften")
    assert "Godkendt af bestyrelsen 12. marts 2024" in text
    assert "Kim Kontakt (Testkommune) E-mail: kim@example.dk Telefon: +45 12 34 56 78" in text


def test_changing_the_contract_date_or_issuer_unapproves_the_common_part(contract):
    agreement = type(contract.strategic).objects.get(pk=contract.strategic.pk)
    services.strategic_agreement_save(agreement=agreement, expected_version=agreement.version,
                                      fields={"contract_date": date(2014, 1, 6)})
    assert not approved(contract.strategic)
    assert approved(contract.sub_agreement)
    services.strategic_agreement_save(agreement=agreement, expected_version=agreement.version,
                                      fields={"contract_date": date(2013, 12, 12)})
    assert approved(contract.strategic)
    services.strategic_agreement_save(agreement=agreement, expected_version=agreement.version,
                                      fields={"contract_issuer_department": "Økonomiforvaltningen"})
    assert not approved(contract.strategic)


@pytest.mark.parametrize("change", ["economic_frame", "economic_frame_amount", "activity_revision",
                                    "staff_contact", "contact_email"])
def test_changing_a_contract_field_unapproves_the_delaftale(contract, change):
    sub = SubAgreement.objects.select_related("plan").get(pk=contract.sub_agreement.pk)
    if change == "economic_frame":
        services.subagreement_update(sub_agreement=sub, economic_frame="Beboerprojekt i alt 100.000 kr.")
    elif change == "economic_frame_amount":
        services.subagreement_update(sub_agreement=sub, economic_frame_amount=7_678_692)
    elif change == "activity_revision":
        activity = Activity.objects.filter(sub_agreement=sub).first()
        services.activity_save(activity=activity, expected_version=sub.version,
                               fields={"revision": "Boligsocialt Forum på Bispebjerg"})
    elif change == "staff_contact":
        contract.staff.contacts.add(ContactFactory(organisation=contract.issuer, name="Ny Kontakt"))
    else:
        Contact.objects.filter(pk=contract.contact.pk).update(email="ny@example.dk")
    assert not approved(contract.sub_agreement)
    assert approved(contract.strategic)


def test_switching_an_approved_plan_to_a_contract_unapproves_it(db):
    ws = build_workspace()
    for document in (ws.sub_agreement, ws.strategic):
        workflow.document_submit(document=document, by=ws.secretary)
        workflow.document_approve(document=document, by=ws.board, meeting_date=MEETING, referat="Referat")
    assert approved(ws.sub_agreement) and approved(ws.strategic)
    plan_settings.plan_document_kind_update(plan=ws.plan, document_kind=DocumentKind.CONTRACT)
    assert not approved(ws.sub_agreement) and not approved(ws.strategic)
    plan_settings.plan_document_kind_update(plan=ws.plan, document_kind=DocumentKind.LBF)
    assert approved(ws.sub_agreement) and approved(ws.strategic)


def test_lbf_export_data_carries_the_contract_fields(contract):
    content = plan_content(Plan.objects.get(pk=contract.plan.pk))
    data = json.loads(delaftaler_json(content, exported_at=timezone.now(), as_of=None))
    assert data["helhedsplan"]["dokumenttype"] == "Kontrakt om boligsocialt samarbejde"
    record = data["delaftaler"][0]
    assert record["felter"]["document_kind"] == "Kontrakt om boligsocialt samarbejde"
    assert "economic_frame" in record["felter"] and "economic_frame_amount" in record["felter"]
    assert all("revision" in row for row in record["activities"])
    assert record["staff_resources"][0]["contacts"] == [
        "Kim Kontakt, Testkommune, kim@example.dk, +45 12 34 56 78"]
    strategic = content.strategic.data
    fields = {entry["name"]: entry["value"] for entry in strategic["fields"]}
    assert fields["contract_date"] == "2013-12-12" and fields["contract_issuer"] == "Testkommune"


def test_word_of_a_contract_delaftale_carries_revision_and_contacts(contract):
    sub = contract.sub_agreement
    Activity.objects.filter(sub_agreement=sub).update(revision="Bestyrelsen reviderer aktiviteten.")
    content = word.render_docx(builders.delaftale_document(plan=contract.plan, area_slug=sub.focus_area.slug))
    document = read_docx(io.BytesIO(content))
    assert document.paragraphs[0].text == "Kontrakt om boligsocialt samarbejde på Tryg Toften"
    text = docx_text(content)
    assert text.count("Revision af aftalen Bestyrelsen reviderer aktiviteten.") == 2
    assert "Kim Kontakt (Testkommune) E-mail: kim@example.dk Telefon: +45 12 34 56 78" in text
