"""Readable change lists, restoring a deleted activity, and "ændringer siden sidste godkendelse"."""

from datetime import date

from django.urls import reverse

from agreements import services
from agreements.models import Activity, SubAgreementParty
from agreements.services import ChildChanges
from helhedsplan.approvals import diff, history, snapshots
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from tests.factories.agreements import OrganisationFactory


def _save(ws, **kwargs):
    ws.sub_agreement.refresh_from_db()
    services.subagreement_save(sub_agreement=ws.sub_agreement, expected_version=ws.sub_agreement.version, **kwargs)


def _approve(ws, meeting=date(2024, 3, 1)):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    return workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=meeting,
                                         referat="Referat, pkt. 3")


# --- Word diff ------------------------------------------------------------------------------------------

def test_inline_words_marks_added_and_removed_words():
    segments = diff.inline_words("Bestyrelsen reviderer delaftalen årligt.",
                                 "Bestyrelsen reviderer delaftalen hvert halve år.")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Bestyrelsen reviderer delaftalen "), ("delete", "årligt."), ("insert", "hvert halve år."),
    ]
    assert "".join(s.text for s in segments if s.op != "insert") == "Bestyrelsen reviderer delaftalen årligt."
    assert "".join(s.text for s in segments if s.op != "delete") == "Bestyrelsen reviderer delaftalen hvert halve år."


def test_compare_reports_fields_and_added_removed_changed_items(ws):
    before = snapshots.subagreement_snapshot(ws.sub_agreement)
    familieklub = ws.sub_agreement.activities.get(name="Familieklub")
    lektiecafe = ws.sub_agreement.activities.get(name="Lektiecafé Toften")
    lektiecafe.purpose = "At styrke børnenes faglighed og trivsel."
    partner = OrganisationFactory(name="Ungdomsskolen")
    _save(ws, fields={"revision": "Bestyrelsen reviderer delaftalen hvert halve år."},
          activities=ChildChanges(saved=[lektiecafe, Activity(name="Forældrecafé")], deleted=[familieklub]),
          parties=ChildChanges(saved=[SubAgreementParty(organisation=partner, role="Partner")]))
    result = diff.compare(before, snapshots.subagreement_snapshot(ws.sub_agreement))
    assert [c.label for c in result.fields] == ["Revision af delaftalen"]
    assert result.fields[0].is_long
    collections = {c.name: c for c in result.collections}
    activities = {i.label: i for i in collections["activities"].items}
    assert activities["Forældrecafé"].status == "added"
    assert activities["Familieklub"].status == "removed"
    assert activities["Lektiecafé Toften"].status == "changed"
    purpose = activities["Lektiecafé Toften"].changes[0]
    assert purpose.label == "Formål"
    assert [s.op for s in purpose.segments] == ["equal", "delete", "insert"]
    assert purpose.segments[-1].text == "faglighed og trivsel."
    assert [i.label for i in collections["parties"].items] == ["Ungdomsskolen"]
    assert not collections["staff_resources"].has_changes
    assert result.count == 5


def test_compare_with_nothing_approved_shows_everything_as_new(ws):
    result = diff.compare(None, snapshots.subagreement_snapshot(ws.sub_agreement))
    activities = next(c for c in result.collections if c.name == "activities")
    assert {i.status for i in activities.items} == {"added"}


def test_changes_page_compares_today_with_the_last_approval(client, ws):
    _approve(ws)
    _save(ws, fields={"revision": "Bestyrelsen reviderer delaftalen hvert halve år."},
          activities=ChildChanges(deleted=[ws.sub_agreement.activities.get(name="Familieklub")]))
    client.force_login(ws.board)
    url = reverse("agreements:subagreement_changes", kwargs={"slug": ws.plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})
    body = client.get(url).content.decode()
    assert "Dagens udgave sammenlignet med version 1" in body
    assert "<del>årligt.</del>" in body and "<ins>hvert halve år.</ins>" in body
    assert "Fjernet</span> Familieklub" in body
    assert "Lektiecafé Toften" not in body, "unchanged activities are not listed"


# --- Change list -------------------------------------------------------------------------------------------

def test_subagreement_change_list_says_who_changed_which_field(client, ws):
    client.force_login(ws.secretary)
    from tests.agreements.test_editor import editor_data, editor_url

    data = editor_data(ws.sub_agreement)
    data["revision"] = "Ny revisionstekst."
    data["initiative_name"] = "Toften Sammen"
    client.post(editor_url(ws), data)
    entries = history.subagreement_changes(ws.sub_agreement)
    latest = entries[0]
    assert latest.who == "Sara Sekretær" and latest.action == "ændrede"
    assert {f.label for f in latest.fields} == {"Revision af delaftalen", "Navn på den boligsociale indsats"}
    name_change = next(f for f in latest.fields if f.label == "Navn på den boligsociale indsats")
    assert name_change.new == "Toften Sammen"
    page = client.get(reverse("agreements:subagreement_history", kwargs={
        "slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug})).content.decode()
    assert "Sara Sekretær" in page and "Navn på den boligsociale indsats" in page and "Toften Sammen" in page


def test_plan_change_list_covers_agreement_and_delaftaler(client, ws):
    services.strategic_agreement_save(agreement=ws.strategic, expected_version=ws.strategic.version,
                                      fields={"section_2_vision": "Ny vision"})
    _save(ws, fields={"revision": "Ny tekst"})
    labels = [(e.object_label, e.field_names) for e in history.plan_changes(ws.plan)[:2]]
    assert (f"Delaftale for indsatsområdet {ws.sub_agreement.focus_area.name}", "Revision af delaftalen") in labels
    assert ("Strategisk samarbejdsaftale", "2. Vision for boligområdet") in labels
    client.force_login(ws.lbf)
    body = client.get(reverse("agreements:plan_history", kwargs={"slug": ws.plan.slug})).content.decode()
    assert "2. Vision for boligområdet" in body


def test_version_only_saves_are_not_listed(ws):
    before = len(history.subagreement_changes(ws.sub_agreement))
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    entries = history.subagreement_changes(ws.sub_agreement)
    assert len(entries) == before + 1
    assert entries[0].fields[0].label == "Sendt til bestyrelsen"
    assert entries[0].fields[0].new == "Til behandling i bestyrelsen"


# --- Restore -----------------------------------------------------------------------------------------------

def test_restore_a_deleted_activity_with_its_links(client, ws):
    activity = ws.sub_agreement.activities.get(name="Lektiecafé Toften")
    activity_id, areas, organisations = activity.pk, list(activity.housing_areas.all()), \
        list(activity.responsible_organisations.all())
    _save(ws, activities=ChildChanges(deleted=[activity]))
    assert not Activity.objects.filter(pk=activity_id).exists()

    client.force_login(ws.secretary)
    url = reverse("agreements:subagreement_history", kwargs={"slug": ws.plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})
    body = client.get(url).content.decode()
    assert "Gendan »Lektiecafé Toften«" in body
    record = history.deleted_activities(ws.sub_agreement)[0]
    response = client.post(reverse("agreements:activity_restore", kwargs={
        "slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug, "history_id": record.history_id}),
        follow=True)
    assert "Aktiviteten »Lektiecafé Toften« er gendannet." in response.content.decode()
    restored = Activity.objects.get(pk=activity_id)
    assert restored.purpose == "At styrke børnenes faglighed."
    assert list(restored.housing_areas.all()) == areas
    assert list(restored.responsible_organisations.all()) == organisations
    assert history.deleted_activities(ws.sub_agreement) == []


def test_restore_after_approval_shows_up_as_no_change(ws):
    activity = ws.sub_agreement.activities.get(name="Familieklub")
    approval = _approve(ws)
    _save(ws, activities=ChildChanges(deleted=[activity]))
    record = history.deleted_activities(ws.sub_agreement)[0]
    history.activity_restore(sub_agreement=ws.sub_agreement, history_id=record.history_id)
    result = diff.compare(approval.data, snapshots.subagreement_snapshot(ws.sub_agreement))
    assert not result.has_changes, "the restored activity is the same item as the approved one"


def test_restoring_twice_is_refused(client, ws):
    activity = ws.sub_agreement.activities.get(name="Familieklub")
    _save(ws, activities=ChildChanges(deleted=[activity]))
    record = history.deleted_activities(ws.sub_agreement)[0]
    url = reverse("agreements:activity_restore", kwargs={
        "slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug, "history_id": record.history_id})
    client.force_login(ws.secretary)
    client.post(url)
    response = client.post(url, follow=True)
    assert "allerede gendannet" in response.content.decode()
    assert Activity.objects.filter(name="Familieklub").count() == 1


def test_a_rewritten_sentence_is_one_removal_and_one_addition():
    segments = diff.inline_words("Bestyrelsen reviderer delaftalen årligt.",
                                 "Delaftalen revideres én gang om året af bestyrelsen.")
    assert [(s.op, s.text) for s in segments] == [
        ("delete", "Bestyrelsen reviderer delaftalen årligt."),
        ("insert", "Delaftalen revideres én gang om året af bestyrelsen."),
    ]


def test_word_diff_keeps_paragraphs_and_unchanged_words():
    old = "Første afsnit.\n\nAndet afsnit med tekst."
    new = "Første afsnit.\n\nAndet afsnit med ny tekst."
    segments = diff.inline_words(old, new)
    assert [s.op for s in segments] == ["equal", "insert", "equal"]
    assert segments[1].text.strip() == "ny"
    assert "".join(s.text for s in segments if s.op != "delete") == new


def test_filling_a_snapshots_pdf_later_is_not_listed_as_a_change(ws):
    approval = _approve(ws)
    approval = Approval.objects.get(pk=approval.pk)
    assert not approval.pdf  # rendered later, by the worker
    approval.pdf = "godkendelser/senere.pdf"
    approval.save()
    entries = [e for e in history.plan_changes(ws.plan) if e.model == "approval"]
    assert [e.action for e in entries] == ["oprettede"]
