"""The workspace edits a contract: the document kind in the plan's settings, the contract's date and issuer
in the samarbejdsaftale's editor, the economic frame, each activity's revision and the staff functions'
contacts in the delaftale's editors. LBF-helhedsplaner do not show the contract's fields."""

from datetime import date

import tablib
from django.urls import reverse

from agreements.forms import (
    ActivityForm,
    ActivityFormSet,
    AgreementPartyFormSet,
    PartyFormSet,
    ProblemComplexFormSet,
    StaffResourceFormSet,
    StrategicAgreementForm,
    SubAgreementForm,
)
from agreements.models import DocumentKind, Plan, PlanFocusArea, StaffResource, StrategicAgreement, SubAgreement
from agreements.resources import ActivityResource
from tests.agreements.formdata import form_data, formset_data
from tests.factories.agreements import ContactFactory, OrganisationFactory


def make_contract(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(document_kind=DocumentKind.CONTRACT)
    plan.refresh_from_db()


def test_settings_switch_the_plan_to_a_contract(client, ws):
    client.force_login(ws.secretary)
    url = reverse("agreements:public_settings", kwargs={"slug": ws.plan.slug})
    body = client.get(url).content.decode()
    assert "Dokumenttype" in body and "Kontrakt om boligsocialt samarbejde" in body
    assert f"<title>Indstillinger – {ws.plan.name} – Helhedsplan</title>" in body
    assert body.count('id="dokumenttype"') == 1
    response = client.post(url, {"dokumenttype-document_kind": "kontrakt"}, follow=True)
    assert "Dokumenttypen er gemt: Kontrakt om boligsocialt samarbejde." in response.content.decode()
    ws.plan.refresh_from_db()
    assert ws.plan.is_contract
    assert ws.plan.history.first().document_kind == "kontrakt"


def test_board_member_cannot_switch_the_document_kind(client, ws):
    client.force_login(ws.board)
    url = reverse("agreements:public_settings", kwargs={"slug": ws.plan.slug})
    assert client.post(url, {"dokumenttype-document_kind": "kontrakt"}).status_code == 403
    ws.plan.refresh_from_db()
    assert not ws.plan.is_contract


def _strategic_data(ws) -> dict:
    agreement = StrategicAgreement.objects.select_related("plan").get(pk=ws.strategic.pk)
    data = form_data(StrategicAgreementForm(instance=agreement))
    data.update(formset_data(AgreementPartyFormSet(instance=agreement, prefix="parter")))
    data.update(formset_data(ProblemComplexFormSet(prefix="omraader",
                                                   queryset=PlanFocusArea.objects.filter(plan=ws.plan))))
    return data


def test_strategic_editor_saves_the_contract_date_and_issuer(client, ws):
    make_contract(ws.plan)
    issuer = OrganisationFactory(name="Testkommune", kind="kommune")
    client.force_login(ws.secretary)
    url = reverse("agreements:strategic_edit", kwargs={"slug": ws.plan.slug})
    assert "Kontraktens dato" in client.get(url).content.decode()
    data = _strategic_data(ws)
    data.update({"contract_date": "2013-12-12", "contract_issuer": str(issuer.pk),
                 "contract_issuer_department": "Teknik- og Miljøforvaltningen"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ws.strategic.refresh_from_db()
    assert (ws.strategic.contract_date, ws.strategic.contract_issuer, ws.strategic.contract_issuer_department) == (
        date(2013, 12, 12), issuer, "Teknik- og Miljøforvaltningen")
    detail = client.get(reverse("agreements:strategic_detail", kwargs={"slug": ws.plan.slug})).content.decode()
    assert "12. december 2013" in detail and "Testkommune, Teknik- og Miljøforvaltningen" in detail

    data = _strategic_data(ws)
    data["contract_issuer_department"] = "Teknik\x07forvaltningen"
    body = client.post(url, data).content.decode()
    assert "Samarbejdsaftalen er ikke gemt" in body
    ws.strategic.refresh_from_db()
    assert ws.strategic.contract_issuer_department == "Teknik- og Miljøforvaltningen"


def test_lbf_plan_editors_leave_the_contract_fields_alone(client, ws):
    StrategicAgreement.objects.filter(pk=ws.strategic.pk).update(contract_issuer_department="Gemt afdeling")
    client.force_login(ws.secretary)
    url = reverse("agreements:strategic_edit", kwargs={"slug": ws.plan.slug})
    assert "Kontraktens dato" not in client.get(url).content.decode()
    data = _strategic_data(ws)
    assert "contract_issuer_department" not in data
    data["section_2_vision"] = "Ny vision."
    assert client.post(url, data).status_code == 302
    ws.strategic.refresh_from_db()
    assert ws.strategic.section_2_vision == "Ny vision." and ws.strategic.contract_issuer_department == "Gemt afdeling"


def _editor_data(sub_agreement) -> dict:
    sub_agreement = SubAgreement.objects.select_related("plan").get(pk=sub_agreement.pk)
    data = form_data(SubAgreementForm(instance=sub_agreement))
    data.update(formset_data(PartyFormSet(instance=sub_agreement, prefix="parter")))
    data.update(formset_data(ActivityFormSet(instance=sub_agreement, prefix="aktiviteter")))
    data.update(formset_data(StaffResourceFormSet(instance=sub_agreement, prefix="medarbejdere")))
    return data


def test_delaftale_editor_saves_economic_frame_revisions_and_staff_contacts(client, ws):
    make_contract(ws.plan)
    first, second = ContactFactory(name="Karin Kontakt"), ContactFactory(name="Peter Person")
    client.force_login(ws.secretary)
    url = reverse("agreements:subagreement_edit", kwargs={"slug": ws.plan.slug,
                                                          "area": ws.sub_agreement.focus_area.slug})
    body = client.get(url).content.decode()
    assert "Indsatsområdets samlede økonomiske ramme" in body and "Revision af aftalen" in body
    data = _editor_data(ws.sub_agreement)
    data.update({"economic_frame_amount": "3124220", "economic_frame": "1. Beboerprojekt i alt 3.124.220 kr.",
                 "aktiviteter-0-revision": "Boligsocialt Forum på Bispebjerg",
                 "medarbejdere-0-contacts": [str(first.pk), str(second.pk)]})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    sub = SubAgreement.objects.get(pk=ws.sub_agreement.pk)
    assert (sub.economic_frame_amount, sub.economic_frame) == (3124220, "1. Beboerprojekt i alt 3.124.220 kr.")
    assert sub.activities.get(order=1).revision == "Boligsocialt Forum på Bispebjerg"
    detail = client.get(sub.get_absolute_url()).content.decode()
    assert "3.124.220 kr." in detail and "Boligsocialt Forum på Bispebjerg" in detail
    staff = StaffResource.objects.get(sub_agreement=sub)
    assert set(staff.contacts.all()) == {first, second}
    assert staff.history.first().contacts.count() == 2  # the contacts are in the history too

    data = _editor_data(sub)
    data["medarbejdere-0-contacts"] = [str(second.pk)]
    assert client.post(url, data).status_code == 302
    assert list(staff.contacts.all()) == [second]


def test_lbf_delaftale_editor_keeps_staff_contacts_it_does_not_show(client, ws):
    contact = ContactFactory(name="Karin Kontakt")
    staff = StaffResource.objects.get(sub_agreement=ws.sub_agreement)
    staff.contacts.set([contact])
    client.force_login(ws.secretary)
    url = reverse("agreements:subagreement_edit", kwargs={"slug": ws.plan.slug,
                                                          "area": ws.sub_agreement.focus_area.slug})
    body = client.get(url).content.decode()
    assert "Indsatsområdets samlede økonomiske ramme" not in body
    data = _editor_data(ws.sub_agreement)
    assert "economic_frame" not in data
    data["medarbejdere-0-note"] = "Ny bemærkning."
    assert client.post(url, data).status_code == 302
    staff.refresh_from_db()
    assert staff.note == "Ny bemærkning." and list(staff.contacts.all()) == [contact]


def test_activity_editor_saves_the_revision(client, ws):
    make_contract(ws.plan)
    sub = SubAgreement.objects.select_related("plan").get(pk=ws.sub_agreement.pk)
    activity = sub.activities.get(order=1)
    client.force_login(ws.secretary)
    url = reverse("agreements:activity_edit", kwargs={"slug": ws.plan.slug, "area": sub.focus_area.slug,
                                                      "pk": activity.pk})
    data = form_data(ActivityForm(instance=activity, sub_agreement=sub))
    data["revision"] = "Boligsocialt Forum Bispebjerg"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert activity.revision == "Boligsocialt Forum Bispebjerg"


def test_admin_import_sets_and_export_carries_an_activitys_revision(ws):
    key = f"{ws.plan.slug}/{ws.sub_agreement.focus_area.slug}"
    dataset = tablib.Dataset(headers=["delaftale", "aktivitetsnavn", "revision af aftalen"])
    dataset.append([key, "Lektiecafé Toften", "Boligsocialt Forum på Bispebjerg"])
    result = ActivityResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    activity = ws.sub_agreement.activities.get(name="Lektiecafé Toften")
    assert activity.revision == "Boligsocialt Forum på Bispebjerg"
    exported = ActivityResource().export(queryset=ws.sub_agreement.activities.filter(pk=activity.pk))
    assert exported.dict[0]["revision af aftalen"] == "Boligsocialt Forum på Bispebjerg"
