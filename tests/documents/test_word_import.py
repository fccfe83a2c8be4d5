"""Word in: a delaftale exported as .docx and imported again (``manage.py import_word``) gives the same
fields; what cannot be placed is listed; errors are Danish and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from agreements import services as party_services
from agreements.models import SubAgreement
from agreements.services import plan_focus_area_add
from helhedsplan.documents import builders, word
from helhedsplan.documents.word_import import WordImportError, delaftale_import, read_delaftale
from indicators.selectors import subgoal_rows
from tests.documents.helpers import plan_with_activities
from tests.factories.agreements import ContactFactory, HousingAreaFactory, PlanFactory, PlanMembershipFactory

pytestmark = pytest.mark.django_db

SUB_FIELDS = ("initiative_name", "start_date", "end_date", "municipal_coherence", "conflict_handling", "revision")
ACTIVITY_FIELDS = ("name", "short_description", "purpose", "target_group", "content", "anchoring",
                   "responsibilities", "locations", "municipal_cofinancing")
INDICATOR_KEYS = ("sub_goal_text", "indicator_text", "kind", "baseline_area", "baseline_other", "baseline_year",
                  "data_source", "target", "monitoring")


def _snapshot(sub: SubAgreement) -> dict:
    return {
        "fields": {name: getattr(sub, name) for name in SUB_FIELDS},
        "focus_area": sub.focus_area_id,
        "parties": [(party.organisation_id, party.role, [contact.pk for contact in party.contact_list])
                    for party in sub.parties.order_by("order", "id")],
        "staff": [(r.function, r.percent, r.hours_per_week, r.financed_by, r.note)
                  for r in sub.staff_resources.order_by("order", "id")],
        "activities": [(*(getattr(activity, name) for name in ACTIVITY_FIELDS),
                        sorted(area.name for area in activity.housing_areas.all()),
                        sorted(org.pk for org in activity.responsible_organisations.all()))
                       for activity in sub.activities.order_by("order", "id")],
        "sub_goals": [tuple(row[key] for key in INDICATOR_KEYS) for row in subgoal_rows(sub)],
    }


@pytest.fixture
def exported():
    plan = plan_with_activities(2, sub_agreements=1)
    sub = plan.sub_agreements.get()
    sub.conflict_handling = "Konflikter løses i styregruppen.\n\n- først dialog\n- så bestyrelsen"
    sub.save()
    # A party with two contact persons (the second entered first in the list of the organisation), and
    # one-line descriptions, one with a comma of its own.
    party = sub.parties.exclude(contacts=None).get()
    party_services.party_contacts_set(party=party, contacts=[
        *party.contact_list, ContactFactory(organisation=party.organisation, name="Aase Ødegaard",
                                            title="Projektleder", phone="+45 12 34 56 78")])
    first, second = sub.activities.order_by("order", "id")
    first.short_description = "lektiehjælp for børn i 1.-6. klasse, i samarbejde med frivillige"
    first.save()
    second.short_description = "forløb for forældre"
    second.save()
    content = word.render_docx(builders.delaftale_document(plan=plan, area_slug=sub.focus_area.slug))
    target = PlanFactory(pulje=plan.pulje, start_date=plan.start_date, end_date=plan.end_date)
    plan_focus_area_add(plan=target, focus_area=sub.focus_area)
    for area in plan.housing_areas.all():
        HousingAreaFactory(plan=target, name=area.name)
    return sub, content, target


def test_exported_delaftale_imported_again_gives_the_same_fields(exported, tmp_path, capsys):
    sub, content, target = exported
    path = tmp_path / "delaftale.docx"
    path.write_bytes(content)

    call_command("import_word", target.slug, str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Prøvekørsel: intet er gemt." in out
    assert f"Indsatsområde: {sub.focus_area.name}" in out
    assert "Kontaktpersoner" in out.split("Ikke placeret:")[1]  # contacts are not imported: said so
    assert not SubAgreement.objects.filter(plan=target).exists()

    call_command("import_word", target.slug, str(path))
    imported = SubAgreement.objects.get(plan=target)
    assert imported.status == sub.status == "kladde"
    before, after = _snapshot(sub), _snapshot(imported)
    for key in before:
        assert after[key] == before[key], key
    assert any(len(contacts) == 2 for _, _, contacts in after["parties"])
    assert [row[1] for row in after["activities"]] == [
        "lektiehjælp for børn i 1.-6. klasse, i samarbejde med frivillige", "forløb for forældre"]


def test_errors_are_danish_and_nothing_is_written(exported, tmp_path):
    sub, content, target = exported
    result = read_delaftale(plan=target, content=content)
    delaftale_import(plan=target, content=result)
    again = read_delaftale(plan=target, content=content)
    assert again.errors == [f"Helhedsplanen »{target.name}« har allerede en delaftale for indsatsområdet "
                            f"»{sub.focus_area.name}«."]
    with pytest.raises(WordImportError, match="har allerede en delaftale"):
        delaftale_import(plan=target, content=again)
    assert SubAgreement.objects.filter(plan=target).count() == 1

    broken = tmp_path / "ikke-word.docx"
    broken.write_bytes(b"ikke en zip")
    with pytest.raises(CommandError, match=r"kan ikke læses som et Word-dokument \(\.docx\)"):
        call_command("import_word", target.slug, str(broken))
    with pytest.raises(CommandError, match="Helhedsplanen »findes-ikke« findes ikke"):
        call_command("import_word", "findes-ikke", str(broken))


def test_a_rule_broken_by_the_file_writes_nothing(exported):
    sub, content, target = exported
    result = read_delaftale(plan=target, content=content)
    result.activities.append({"name": ""})  # an activity needs a name
    with pytest.raises(WordImportError, match="Delaftalen kan ikke oprettes"):
        delaftale_import(plan=target, content=result)
    assert not SubAgreement.objects.filter(plan=target).exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(exported, tmp_path, settings):
    sub, content, target = exported
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info.filename))
        bomb.writestr("word/media/fyld.xml", b"0" * (3 * 1024 * 1024))
    settings.IMPORT_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    with pytest.raises(WordImportError, match="Filen er for stor udpakket"):
        read_delaftale(plan=target, content=buffer.getvalue())
    settings.IMPORT_MAX_FILE_BYTES = 1000
    with pytest.raises(WordImportError, match="Filen er for stor: højst"):
        read_delaftale(plan=target, content=content)


def test_browser_upload_shows_a_preview_and_creates_the_kladde_only_on_confirm(client, exported):
    sub, content, target = exported
    url = reverse("documents:word_import", args=[target.slug])
    client.force_login(PlanMembershipFactory(plan=target, role="bestyrelse").user)
    assert client.get(url).status_code == 403
    client.force_login(PlanMembershipFactory(plan=target, role="sekretariat").user)
    assert client.get(url).status_code == 200

    upload = SimpleUploadedFile("delaftale.docx", content)
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Forhåndsvisning" in body and "Kunne ikke placeres" in body and "Kontaktpersoner" in body
    assert not SubAgreement.objects.filter(plan=target).exists()

    payload = preview.context["payload"]
    assert client.post(url, {"payload": payload + "x", "confirm": "1"}).status_code == 400
    assert not SubAgreement.objects.filter(plan=target).exists()
    done = client.post(url, {"payload": payload, "confirm": "1"})
    imported = SubAgreement.objects.get(plan=target)
    assert done.status_code == 302 and done["Location"] == imported.get_absolute_url()
    again = client.post(url, {"payload": payload, "confirm": "1"})
    assert again.status_code == 400 and "har allerede en delaftale" in again.content.decode()
