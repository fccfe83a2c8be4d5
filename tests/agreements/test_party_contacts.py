"""Several contact persons per party (in the order they were entered) and an activity's one-line
description: the service, the editors, the snapshot that decides "godkendt"."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import services
from agreements.models import Activity, SubAgreementParty
from agreements.snapshots import strategic_agreement_snapshot, subagreement_snapshot
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.state import document_state
from tests.agreements.formdata import form_data, formset_data
from tests.agreements.test_editor import editor_data, editor_url
from tests.factories.agreements import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _party(ws) -> SubAgreementParty:
    return ws.sub_agreement.parties.get(organisation__name="Boligselskabet Toften")


def _names(party) -> list[str]:
    return [contact.name for contact in type(party).objects.get(pk=party.pk).contact_list]


def test_contacts_keep_their_place_and_new_ones_follow_in_the_order_given(ws):
    party = _party(ws)
    organisation = party.organisation
    kim = ContactFactory(organisation=organisation, name="Kim Andersen")
    bo = ContactFactory(organisation=organisation, name="Bo Ibsen")
    lone = party.contact_list[0]

    assert services.party_contacts_set(party=party, contacts=[kim, lone, bo]) is True
    assert _names(party) == ["Lone Madsen", "Kim Andersen", "Bo Ibsen"], "Lone was there first"
    assert services.party_contacts_set(party=party, contacts=[bo, kim, lone]) is False, "same people: no write"
    services.party_contacts_set(party=party, contacts=[bo, kim])
    assert _names(party) == ["Kim Andersen", "Bo Ibsen"]
    services.party_contacts_set(party=party, contacts=[])
    assert _names(party) == []


def test_a_contact_of_another_organisation_is_refused_and_nothing_changes(ws):
    party = _party(ws)
    stranger = ContactFactory(organisation=OrganisationFactory(name="Andet Boligselskab"), name="Pia Fremmed")
    with pytest.raises(ValidationError, match="hører ikke til organisationen Boligselskabet Toften"):
        services.party_contacts_set(party=party, contacts=[party.contact_list[0], stranger])
    assert _names(party) == ["Lone Madsen"]


def test_short_description_is_one_limited_line_without_control_characters(ws):
    activity = ws.sub_agreement.activities.get(name="Lektiecafé Toften")
    activity.short_description = "lektiehjælp to gange om ugen"
    activity.full_clean()
    for bad, message in (("x" * 301, "højst have 300 tegn"), ("lektie\x07hjælp", "styretegn")):
        activity.short_description = bad
        with pytest.raises(ValidationError, match=message):
            activity.full_clean()


def test_delaftale_editor_saves_several_contacts_and_refuses_a_stranger(client, ws):
    client.force_login(ws.secretary)
    party = _party(ws)
    kim = ContactFactory(organisation=party.organisation, name="Kim Andersen")
    stranger = ContactFactory(organisation=OrganisationFactory(name="Andet Boligselskab"), name="Pia Fremmed")
    data = editor_data(ws.sub_agreement)
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-organisation")
                 and v == str(party.organisation_id))
    assert data[f"parter-{index}-contacts"] == [str(party.contact_list[0].pk)]

    data[f"parter-{index}-contacts"] = [str(stranger.pk)]
    response = client.post(editor_url(ws), data)
    assert response.status_code == 200
    assert "Hører ikke til Boligselskabet Toften: Pia Fremmed." in response.content.decode()
    assert _names(party) == ["Lone Madsen"]

    data[f"parter-{index}-contacts"] = [str(kim.pk), str(party.contact_list[0].pk)]
    data["version"] = str(type(ws.sub_agreement).objects.get(pk=ws.sub_agreement.pk).version)
    response = client.post(editor_url(ws), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _names(party) == ["Lone Madsen", "Kim Andersen"]
    page = client.get(ws.sub_agreement.get_absolute_url()).content.decode()
    assert "Lone Madsen</a>, Boligsocial koordinator; <a" in page and "Kim Andersen" in page


def test_strategic_editor_gives_a_party_contact_persons(client, ws):
    from agreements.forms import AgreementPartyFormSet, ProblemComplexFormSet, StrategicAgreementForm
    from agreements.models import PlanFocusArea

    client.force_login(ws.secretary)
    party = ws.strategic.parties.get()
    kim = ContactFactory(organisation=party.organisation, name="Kim Andersen")
    data = form_data(StrategicAgreementForm(instance=ws.strategic))
    data.update(formset_data(AgreementPartyFormSet(instance=ws.strategic, prefix="parter")))
    data.update(formset_data(ProblemComplexFormSet(prefix="omraader",
                                                   queryset=PlanFocusArea.objects.filter(plan=ws.plan))))
    data["parter-0-contacts"] = [str(kim.pk)]
    response = client.post(reverse("agreements:strategic_edit", kwargs={"slug": ws.plan.slug}), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _names(party) == ["Kim Andersen"]
    snapshot = strategic_agreement_snapshot(ws.strategic)
    fields = snapshot["collections"][0]["items"][0]["fields"]
    assert {"name": "contacts", "label": "Kontaktpersoner", "type": "list",
            "value": [f"Kim Andersen, Boligsocial koordinator, {kim.email}"]} in fields


def test_activity_editor_saves_the_short_description(client, ws):
    client.force_login(ws.secretary)
    activity = ws.sub_agreement.activities.get(name="Lektiecafé Toften")
    url = reverse("agreements:activity_edit", kwargs={"slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug,
                                                      "pk": activity.pk})
    from agreements.forms import ActivityForm

    data = form_data(ActivityForm(instance=activity, sub_agreement=ws.sub_agreement))
    data["short_description"] = "lektiehjælp for børn i 1.-6. klasse"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Activity.objects.get(pk=activity.pk).short_description == "lektiehjælp for børn i 1.-6. klasse"
    page = client.get(ws.sub_agreement.get_absolute_url()).content.decode()
    assert "Lektiecafé Toften</a>, lektiehjælp for børn i 1.-6. klasse" in page


def test_snapshot_holds_what_is_printed_of_the_contacts_and_a_change_unapproves(ws):
    party = _party(ws)
    lone = party.contact_list[0]
    lone.phone = "+45 12 34 56 78"
    lone.save()
    activity = ws.sub_agreement.activities.get(name="Lektiecafé Toften")
    activity.short_description = "lektiehjælp"
    activity.save()
    items = {item["label"]: item for group in subagreement_snapshot(ws.sub_agreement)["collections"]
             for item in group["items"]}
    party_fields = {field["name"]: field["value"] for field in items["Boligselskabet Toften"]["fields"]}
    assert party_fields["contacts"] == [f"Lone Madsen, Boligsocial koordinator, {lone.email}, +45 12 34 56 78"]
    activity_fields = {field["name"]: field["value"] for field in items["Lektiecafé Toften"]["fields"]}
    assert activity_fields["short_description"] == "lektiehjælp"
    assert "short_description" not in {field["name"] for field in items["Familieklub"]["fields"]}

    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=date(2024, 3, 12),
                              referat="Referat, pkt. 3")
    assert document_state(type(ws.sub_agreement).objects.get(pk=ws.sub_agreement.pk)).is_approved
    lone.phone = "+45 87 65 43 21"  # printed in the party table: the approved content has changed
    lone.save()
    assert not document_state(type(ws.sub_agreement).objects.get(pk=ws.sub_agreement.pk)).is_approved


def test_a_party_without_contacts_has_the_snapshot_entry_it_always_had(ws):
    """Documents approved before parties had several contacts stay approved when nothing changed."""
    party = _party(ws)
    services.party_contacts_set(party=party, contacts=[])
    item = next(item for group in subagreement_snapshot(ws.sub_agreement)["collections"]
                for item in group["items"] if item["label"] == "Boligselskabet Toften")
    assert item["fields"] == [
        {"name": "organisation", "label": "Organisation", "type": "text", "value": "Boligselskabet Toften"},
        {"name": "role", "label": "Rolle/funktion", "type": "text", "value": "Primær aktør"},
        {"name": "contact", "label": "Kontaktperson", "type": "text", "value": ""},
    ]


def test_a_party_moved_to_another_organisation_cannot_keep_the_old_contact_persons(ws):
    party = _party(ws)
    party.organisation = OrganisationFactory(name="Nyt Boligselskab")
    with pytest.raises(ValidationError, match="har kontaktpersoner fra en anden organisation"):
        services.subagreement_save(sub_agreement=ws.sub_agreement, expected_version=ws.sub_agreement.version,
                                   parties=services.ChildChanges(saved=[party]))
    assert SubAgreementParty.objects.get(pk=party.pk).organisation.name == "Boligselskabet Toften"
    assert _names(party) == ["Lone Madsen"]
