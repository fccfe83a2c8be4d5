"""The delaftale editor, the activity editor and the strategic agreement editor in the browser's shoes."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from agreements.forms import ActivityFormSet, PartyFormSet, StaffResourceFormSet, SubAgreementForm
from agreements.models import Activity, Clause, DocumentStatus, SubAgreement
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.state import document_state
from tests.agreements.formdata import form_data, formset_data
from tests.factories.agreements import OrganisationFactory


def editor_url(ws):
    return reverse("agreements:subagreement_edit", kwargs={"slug": ws.plan.slug,
                                                           "area": ws.sub_agreement.focus_area.slug})


def editor_data(sub_agreement) -> dict:
    """What the editor page posts when nothing is changed."""
    sub_agreement = SubAgreement.objects.get(pk=sub_agreement.pk)
    data = form_data(SubAgreementForm(instance=sub_agreement))
    data.update(formset_data(PartyFormSet(instance=sub_agreement, prefix="parter")))
    data.update(formset_data(ActivityFormSet(instance=sub_agreement, prefix="aktiviteter")))
    data.update(formset_data(StaffResourceFormSet(instance=sub_agreement, prefix="medarbejdere")))
    return data


def _activity_index(data, name):
    return next(k.split("-")[1] for k, v in data.items() if k.startswith("aktiviteter-") and k.endswith("-name")
                and v == name)


def test_editor_shows_every_field_and_the_children(client, ws):
    client.force_login(ws.secretary)
    body = client.get(editor_url(ws)).content.decode()
    for label in ("Navn på den boligsociale indsats", "Gælder fra", "Sammenhæng med den kommunale indsats",
                  "Konflikthåndtering og underretning", "Revision af delaftalen", "Delaftalens parter",
                  "Aktiviteter", "Medarbejderressourcer", "Tilføj aktivitet", "Tilføj part",
                  "Lektiecafé Toften", "Familieklub", "Boligsocial koordinator"):
        assert label in body, label


def test_save_fields_add_remove_and_reorder_children_in_one_go(client, ws):
    client.force_login(ws.secretary)
    version = ws.sub_agreement.version
    data = editor_data(ws.sub_agreement)
    data["revision"] = "Delaftalen revideres hvert halve år."
    # remove Familieklub, move Lektiecafé after a new activity
    data[f"aktiviteter-{_activity_index(data, 'Familieklub')}-DELETE"] = "on"
    data[f"aktiviteter-{_activity_index(data, 'Lektiecafé Toften')}-order"] = "2"
    new = int(data["aktiviteter-TOTAL_FORMS"])
    data["aktiviteter-TOTAL_FORMS"] = str(new + 1)
    data.update({f"aktiviteter-{new}-name": "Forældrecafé", f"aktiviteter-{new}-purpose": "Netværk for forældre.",
                 f"aktiviteter-{new}-order": "1"})
    # a new party and a new staff resource without numbers go last
    partner = OrganisationFactory(name="Ungdomsskolen")
    p = int(data["parter-TOTAL_FORMS"])
    data["parter-TOTAL_FORMS"] = str(p + 1)
    data.update({f"parter-{p}-organisation": str(partner.pk), f"parter-{p}-role": "Samarbejdspartner"})
    s = int(data["medarbejdere-TOTAL_FORMS"])
    data["medarbejdere-TOTAL_FORMS"] = str(s + 1)
    data.update({f"medarbejdere-{s}-function": "Ungementor", f"medarbejdere-{s}-hours_per_week": "10",
                 f"medarbejdere-{s}-financed_by_plan": "on"})

    response = client.post(editor_url(ws), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.revision == "Delaftalen revideres hvert halve år."
    assert ws.sub_agreement.version == version + 1, "one save, one new version"
    assert list(ws.sub_agreement.activities.values_list("name", "order")) == [("Forældrecafé", 1),
                                                                              ("Lektiecafé Toften", 2)]
    assert list(ws.sub_agreement.parties.values_list("organisation__name", "order")) == [
        ("Boligselskabet Toften", 1), ("Ungdomsskolen", 2)]
    staff = ws.sub_agreement.staff_resources.get(function="Ungementor")
    assert staff.hours_per_week == 10 and staff.order == 2
    # the changes are recorded with the user
    assert ws.sub_agreement.history.first().history_user == ws.secretary
    assert Activity.history.filter(name="Familieklub", history_type="-").get().history_user == ws.secretary


def test_saving_without_changes_writes_nothing(client, ws):
    client.force_login(ws.secretary)
    version = ws.sub_agreement.version
    history_rows = ws.sub_agreement.history.count()
    response = client.post(editor_url(ws), editor_data(ws.sub_agreement), follow=True)
    assert "Der var ingen ændringer at gemme." in response.content.decode()
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.version == version and ws.sub_agreement.history.count() == history_rows


def test_invalid_input_saves_nothing_and_keeps_what_was_typed(client, ws):
    client.force_login(ws.secretary)
    data = editor_data(ws.sub_agreement)
    data["revision"] = "Min nye tekst om revision."
    data["end_date"] = (ws.sub_agreement.start_date - timedelta(days=1)).isoformat()
    data[f"aktiviteter-{_activity_index(data, 'Familieklub')}-name"] = ""
    response = client.post(editor_url(ws), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Delaftalen er ikke gemt" in body
    assert "Min nye tekst om revision." in body
    assert "Delaftalens slutdato skal ligge inden for helhedsplanens periode" in body
    assert "Dette felt er påkrævet." in body
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.revision == "Bestyrelsen reviderer delaftalen årligt."
    assert ws.sub_agreement.activities.filter(name="Familieklub").exists()


def test_findings_are_shown_next_to_the_field_they_concern(client, ws):
    SubAgreement.objects.filter(pk=ws.sub_agreement.pk).update(start_date=ws.plan.start_date - timedelta(days=30))
    client.force_login(ws.secretary)
    body = client.get(editor_url(ws)).content.decode()
    start_field = body[body.index('id="id_start_date"'):body.index('id="id_end_date"')]
    assert "Delaftalens periode ligger uden for helhedsplanens periode" in start_field
    assert 'class="finding error"' in start_field


def test_editing_an_approved_delaftale_says_it_becomes_a_draft(client, ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=date(2024, 3, 1), referat="Pkt. 2")
    client.force_login(ws.secretary)
    body = client.get(editor_url(ws)).content.decode()
    assert "bliver de en ny kladde" in body
    data = editor_data(SubAgreement.objects.get(pk=ws.sub_agreement.pk))
    data["revision"] = "Ny tekst."
    client.post(editor_url(ws), data)
    state = document_state(SubAgreement.objects.get(pk=ws.sub_agreement.pk))
    assert state.code == DocumentStatus.DRAFT and state.changed_since_approval


# --- Clause library -------------------------------------------------------------------------------------

def test_editor_offers_the_clauses_of_each_field_category(client, ws):
    Clause.objects.create(category=Clause.Category.REVISION, title="Årlig revision",
                          text="Delaftalen revideres én gang årligt af bestyrelsen.")
    Clause.objects.create(category=Clause.Category.CONFLICT, title="Underretningspligt",
                          text="Alle medarbejdere kender underretningspligten.")
    client.force_login(ws.secretary)
    body = client.get(editor_url(ws)).content.decode()
    revision = body[body.index('id="id_revision"'):]
    assert "Indsæt »Årlig revision«" in revision
    assert 'data-target="id_revision"' in revision
    assert "Delaftalen revideres én gang årligt af bestyrelsen." in revision
    conflict = body[body.index('id="id_conflict_handling"'):body.index('id="id_revision"')]
    assert "Indsæt »Underretningspligt«" in conflict and "Årlig revision" not in conflict


def test_clause_library_is_browsed_by_category(client, ws):
    Clause.objects.create(category=Clause.Category.REVISION, title="Årlig revision", text="Tekst A")
    Clause.objects.create(category=Clause.Category.CONFLICT, title="Underretningspligt", text="Tekst B")
    client.force_login(ws.board)
    body = client.get(reverse("agreements:clause_list") + "?kategori=revision").content.decode()
    assert "Årlig revision" in body and "Underretningspligt" not in body
    body = client.get(reverse("agreements:clause_list")).content.decode()
    assert "Årlig revision" in body and "Underretningspligt" in body


def test_save_a_fields_text_as_a_new_clause(client, ws):
    client.force_login(ws.secretary)
    url = reverse("agreements:clause_new") + f"?fra={ws.plan.slug}/{ws.sub_agreement.focus_area.slug}/revision"
    body = client.get(url).content.decode()
    assert "Bestyrelsen reviderer delaftalen årligt." in body
    response = client.post(url, {"category": "revision", "title": "Toftens revisionsklausul",
                                 "text": "Bestyrelsen reviderer delaftalen årligt."})
    assert response.status_code == 302
    clause = Clause.objects.get(title="Toftens revisionsklausul")
    assert clause.created_by == ws.secretary and clause.category == Clause.Category.REVISION


def test_prefilling_a_clause_from_another_plan_is_404(client, ws):
    client.force_login(ws.outsider)
    url = reverse("agreements:clause_new") + f"?fra={ws.plan.slug}/{ws.sub_agreement.focus_area.slug}/revision"
    assert client.get(url).status_code == 404


# --- Activity editor ----------------------------------------------------------------------------------

def test_activity_editor_saves_places_organisations_and_contacts(client, ws):
    activity = ws.sub_agreement.activities.get(name="Familieklub")
    url = reverse("agreements:activity_edit", kwargs={"slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug,
                                                      "pk": activity.pk})
    client.force_login(ws.secretary)
    area = ws.plan.housing_areas.get()
    organisation = ws.sub_agreement.parties.get().organisation
    response = client.post(url, {
        "version": ws.sub_agreement.version, "name": "Familieklub Toften", "purpose": "Stærkere familier.",
        "housing_areas": [area.pk], "responsible_organisations": [organisation.pk],
        "contacts": [organisation.contacts.get().pk],
    })
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Familieklub Toften"
    assert list(activity.housing_areas.all()) == [area]
    assert list(activity.contacts.values_list("name", flat=True)) == ["Lone Madsen"]


def test_activity_editor_refuses_a_housing_area_of_another_plan(client, ws):
    from tests.factories.agreements import HousingAreaFactory

    foreign = HousingAreaFactory(plan=ws.other_plan)
    client.force_login(ws.secretary)
    url = reverse("agreements:activity_new", kwargs={"slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug})
    response = client.post(url, {"version": ws.sub_agreement.version, "name": "Ny", "housing_areas": [foreign.pk]})
    assert response.status_code == 200
    assert not Activity.objects.filter(name="Ny").exists()


# --- Strategic agreement editor ---------------------------------------------------------------------

def test_strategic_agreement_editor_saves_sections_parties_and_problem_complex(client, ws):
    from agreements.forms import AgreementPartyFormSet, ProblemComplexFormSet, StrategicAgreementForm
    from agreements.models import PlanFocusArea

    client.force_login(ws.secretary)
    url = reverse("agreements:strategic_edit", kwargs={"slug": ws.plan.slug})
    assert client.get(url).status_code == 200
    data = form_data(StrategicAgreementForm(instance=ws.strategic))
    data.update(formset_data(AgreementPartyFormSet(instance=ws.strategic, prefix="parter")))
    data.update(formset_data(ProblemComplexFormSet(prefix="omraader",
                                                   queryset=PlanFocusArea.objects.filter(plan=ws.plan))))
    data["section_2_vision"] = "Toften skal være et sted, man vælger til."
    data["parter-0-signatory_name"] = "Jens Borgmester"
    data["parter-0-signed_date"] = "2024-02-01"
    data["omraader-0-problem_complex"] = "For mange unge uden uddannelse."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ws.strategic.refresh_from_db()
    assert ws.strategic.section_2_vision == "Toften skal være et sted, man vælger til."
    assert ws.strategic.parties.get().signatory_name == "Jens Borgmester"
    assert PlanFocusArea.objects.get(plan=ws.plan).problem_complex == "For mange unge uden uddannelse."


def test_new_delaftale_for_a_chosen_focus_area(client, ws):
    from tests.factories.agreements import PlanFocusAreaFactory

    choice = PlanFocusAreaFactory(plan=ws.plan)
    client.force_login(ws.secretary)
    response = client.post(reverse("agreements:subagreement_new", kwargs={"slug": ws.plan.slug}),
                           {"focus_area": choice.focus_area.pk})
    assert response.status_code == 302
    assert ws.plan.sub_agreements.filter(focus_area=choice.focus_area).exists()


@pytest.mark.parametrize("field", ["municipal_coherence", "conflict_handling", "revision"])
def test_every_clause_field_has_a_picker(client, ws, field):
    client.force_login(ws.secretary)
    body = client.get(editor_url(ws)).content.decode()
    assert re.search(rf'id="id_{field}".*?Indsæt eksempelklausul', body, re.S)
