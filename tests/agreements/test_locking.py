"""No lost work: the second of two concurrent saves is refused and keeps what its author typed."""

import pytest
from django.test import Client
from django.urls import reverse

from agreements import services
from agreements.models import StrategicAgreement, SubAgreement
from agreements.services import VersionConflict
from tests.agreements.test_editor import editor_data, editor_url
from tests.factories.agreements import PlanMembershipFactory


def test_second_save_of_the_same_version_is_refused_by_the_service(ws):
    first = SubAgreement.objects.get(pk=ws.sub_agreement.pk)
    second = SubAgreement.objects.get(pk=ws.sub_agreement.pk)
    loaded = first.version
    services.subagreement_save(sub_agreement=first, expected_version=loaded, fields={"revision": "Saras udgave"})
    with pytest.raises(VersionConflict) as excinfo:
        services.subagreement_save(sub_agreement=second, expected_version=loaded, fields={"revision": "Bents udgave"})
    assert excinfo.value.current == loaded + 1
    assert "ændret af en anden" in str(excinfo.value)
    assert SubAgreement.objects.get(pk=ws.sub_agreement.pk).revision == "Saras udgave"


def test_a_save_outside_the_editor_still_invalidates_open_editors(ws):
    """The admin saves the model directly; an editor opened before must not overwrite it."""
    loaded = ws.sub_agreement.version
    admin_copy = SubAgreement.objects.get(pk=ws.sub_agreement.pk)
    admin_copy.revision = "Rettet i administrationen"
    admin_copy.save()
    with pytest.raises(VersionConflict):
        services.subagreement_save(sub_agreement=ws.sub_agreement, expected_version=loaded,
                                   fields={"revision": "Fra editoren"})
    assert SubAgreement.objects.get(pk=ws.sub_agreement.pk).revision == "Rettet i administrationen"


def test_two_people_editing_the_same_delaftale(ws):
    colleague = PlanMembershipFactory(plan=ws.plan, user__first_name="Kim", user__last_name="Kollega").user
    sara, kim = Client(), Client()
    sara.force_login(ws.secretary)
    kim.force_login(colleague)
    url = editor_url(ws)
    assert sara.get(url).status_code == 200 and kim.get(url).status_code == 200
    sara_data = editor_data(ws.sub_agreement)
    kim_data = editor_data(ws.sub_agreement)  # both opened the same version

    sara_data["revision"] = "Saras revisionstekst."
    assert sara.post(url, sara_data).status_code == 302

    kim_data["revision"] = "Kims revisionstekst, skrevet med omhu."
    kim_data["municipal_coherence"] = "Kims nye tekst om kommunen."
    response = kim.post(url, kim_data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Delaftalen er blevet ændret af en anden, efter du åbnede den." in body
    assert "Kims revisionstekst, skrevet med omhu." in body, "the form keeps what Kim typed"
    assert "Kims nye tekst om kommunen." in body
    assert "Sara Sekretær" in body and "Revision af delaftalen" in body, "who changed what in the meantime"
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.revision == "Saras revisionstekst.", "never a silent overwrite"

    # Kim decides to keep his version after seeing Sara's change
    current = ws.sub_agreement.version
    kim_data["overwrite_version"] = str(current)
    assert kim.post(url, kim_data).status_code == 302
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.revision == "Kims revisionstekst, skrevet med omhu."
    assert ws.sub_agreement.version == current + 1


def test_activity_editor_refuses_a_stale_version(client, ws):
    activity = ws.sub_agreement.activities.get(name="Familieklub")
    url = reverse("agreements:activity_edit", kwargs={"slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug,
                                                      "pk": activity.pk})
    stale = ws.sub_agreement.version
    services.subagreement_save(sub_agreement=ws.sub_agreement, expected_version=stale,
                               fields={"revision": "Ændret imens"})
    client.force_login(ws.secretary)
    response = client.post(url, {"version": stale, "name": "Familieklub med nyt navn"})
    assert response.status_code == 409
    assert "Familieklub med nyt navn" in response.content.decode()
    activity.refresh_from_db()
    assert activity.name == "Familieklub"


def test_strategic_agreement_editor_refuses_a_stale_version(client, ws):
    from agreements.forms import AgreementPartyFormSet, ProblemComplexFormSet, StrategicAgreementForm
    from agreements.models import PlanFocusArea
    from tests.agreements.formdata import form_data, formset_data

    data = form_data(StrategicAgreementForm(instance=ws.strategic))
    data.update(formset_data(AgreementPartyFormSet(instance=ws.strategic, prefix="parter")))
    data.update(formset_data(ProblemComplexFormSet(prefix="omraader",
                                                   queryset=PlanFocusArea.objects.filter(plan=ws.plan))))
    services.strategic_agreement_save(agreement=ws.strategic, expected_version=ws.strategic.version,
                                      fields={"section_2_vision": "Bents vision"})
    data["section_2_vision"] = "Saras vision"
    client.force_login(ws.secretary)
    response = client.post(reverse("agreements:strategic_edit", kwargs={"slug": ws.plan.slug}), data)
    assert response.status_code == 409
    assert "Samarbejdsaftalen er blevet ændret af en anden" in response.content.decode()
    assert "Saras vision" in response.content.decode()
    assert StrategicAgreement.objects.get(pk=ws.strategic.pk).section_2_vision == "Bents vision"
