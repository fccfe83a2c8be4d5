"""What a security review found, closed: downloads re-check the right to every plan in an export, one
unfinished export per user, shared partners edited only by the plans that use them, no error page for a
tampered form value, and reading a page writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Contact, Organisation, PlanMembership, StrategicAgreement
from agreements.permissions import LBF_GROUP
from helhedsplan.lbf.export import ExportError, lbf_export_request
from helhedsplan.lbf.models import LbfExport
from tests.factories.agreements import (
    ContactFactory,
    OrganisationFactory,
    SubAgreementFactory,
    SubAgreementPartyFactory,
)
from tests.lbf.conftest import approve

MEETING = date(2024, 3, 12)


def _download(client, export):
    return client.get(reverse("agreements:lbf_export_download", kwargs={"pk": export.pk}))


def _finished_export(user, slugs, immediate_tasks_capture):
    with immediate_tasks_capture(execute=True):
        export = lbf_export_request(user=user, slugs=slugs)
    export.refresh_from_db()
    assert export.status == LbfExport.Status.DONE
    return export


# --- Downloads re-check the right to every plan in the export --------------------------------------------

def test_an_all_plans_export_is_gone_once_its_requester_leaves_the_lbf_group(
        client, ws, immediate_tasks, django_capture_on_commit_callbacks):
    approve(ws, meeting=MEETING)
    export = _finished_export(ws.lbf, None, django_capture_on_commit_callbacks)
    assert export.plan_slugs == []
    client.force_login(ws.lbf)
    assert _download(client, export).status_code == 200
    ws.lbf.groups.remove(Group.objects.get(name=LBF_GROUP))
    client.force_login(ws.lbf)
    assert _download(client, export).status_code == 404
    status = client.get(export.get_absolute_url()).content.decode()
    assert "ikke længere adgang" in status and "Hent ZIP-filen" not in status


def test_a_plan_export_is_gone_once_its_requester_leaves_the_plan(
        client, ws, immediate_tasks, django_capture_on_commit_callbacks):
    approve(ws, meeting=MEETING)
    export = _finished_export(ws.secretary, [ws.plan.slug], django_capture_on_commit_callbacks)
    client.force_login(ws.secretary)
    assert _download(client, export).status_code == 200
    PlanMembership.objects.filter(user=ws.secretary, plan=ws.plan).delete()
    assert _download(client, export).status_code == 404


# --- One unfinished export per user ---------------------------------------------------------------------

def test_a_second_export_waits_until_the_first_is_done(client, ws):
    approve(ws, meeting=MEETING)
    first = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    with pytest.raises(ExportError, match="allerede et udtræk, der er i gang"):
        lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    client.force_login(ws.secretary)
    response = client.post(reverse("agreements:plan_export", kwargs={"slug": ws.plan.slug}), {"as_of": ""},
                           follow=True)
    assert "allerede et udtræk, der er i gang" in response.content.decode()
    assert LbfExport.objects.count() == 1
    lbf_export_request(user=ws.lbf, slugs=[ws.plan.slug])  # another user is not held up
    LbfExport.objects.filter(pk=first.pk).update(status=LbfExport.Status.DONE)
    lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    assert LbfExport.objects.filter(requested_by=ws.secretary).count() == 2


def test_an_export_stuck_for_an_hour_no_longer_blocks(ws):
    approve(ws, meeting=MEETING)
    stuck = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    LbfExport.objects.filter(pk=stuck.pk).update(status=LbfExport.Status.RUNNING,
                                                 created_at=timezone.now() - timedelta(hours=2))
    lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    stuck.refresh_from_db()
    assert stuck.status == LbfExport.Status.FAILED and "inden for en time" in stuck.error


# --- Shared organisations and contacts ------------------------------------------------------------------

def _contact_edit(client, user, contact):
    client.force_login(user)
    return client.get(reverse("agreements:contact_edit", kwargs={"pk": contact.pk}))


def test_a_contact_used_only_by_another_plan_is_not_yours_to_edit(client, ws):
    contact_b = ContactFactory(name="Kun i plan B")
    sub_b = SubAgreementFactory(plan=ws.other_plan)
    SubAgreementPartyFactory(sub_agreement=sub_b, organisation=contact_b.organisation, contacts=[contact_b])
    assert _contact_edit(client, ws.secretary, contact_b).status_code == 403
    response = client.post(reverse("agreements:contact_edit", kwargs={"pk": contact_b.pk}),
                           {"organisation": contact_b.organisation.pk, "name": contact_b.name,
                            "email": "hijacked@example.dk"})
    assert response.status_code == 403
    assert Contact.objects.get(pk=contact_b.pk).email != "hijacked@example.dk"
    assert _contact_edit(client, ws.outsider, contact_b).status_code == 200, "plan B's secretariat"
    assert _contact_edit(client, ws.admin, contact_b).status_code == 200


def test_an_unused_contact_is_edited_by_its_creator(client, ws):
    client.force_login(ws.secretary)
    organisation = OrganisationFactory(name="Ny forening")
    response = client.post(reverse("agreements:contact_new"), {"organisation": organisation.pk,
                                                               "name": "Ny Kontakt", "email": "ny@example.dk"})
    assert response.status_code == 302
    contact = Contact.objects.get(name="Ny Kontakt")
    assert contact.created_by == ws.secretary
    assert _contact_edit(client, ws.secretary, contact).status_code == 200
    assert _contact_edit(client, ws.outsider, contact).status_code == 403


def test_an_organisation_is_edited_by_the_secretariat_of_a_plan_that_uses_it(client, ws):
    used = ws.sub_agreement.parties.first().organisation
    client.force_login(ws.secretary)
    assert client.get(reverse("agreements:organisation_edit", kwargs={"pk": used.pk})).status_code == 200
    client.force_login(ws.outsider)
    assert client.get(reverse("agreements:organisation_edit", kwargs={"pk": used.pk})).status_code == 403
    response = client.post(reverse("agreements:organisation_new"), {"name": "Helt ny", "kind": "andet"})
    assert response.status_code == 302
    assert Organisation.objects.get(name="Helt ny").created_by == ws.outsider


# --- Tampered form values and reads that write ------------------------------------------------------------

def test_a_non_numeric_overwrite_version_is_no_error_page(client, ws):
    from tests.agreements.test_editor import editor_data, editor_url

    client.force_login(ws.secretary)
    data = editor_data(ws.sub_agreement)
    data.update({"revision": "Ny tekst.", "overwrite_version": "²"})
    response = client.post(editor_url(ws), data)
    assert response.status_code == 302
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.revision == "Ny tekst."


def test_opening_the_strategic_editor_creates_nothing(client, ws):
    StrategicAgreement.objects.filter(plan=ws.plan).delete()
    client.force_login(ws.secretary)
    response = client.get(reverse("agreements:strategic_edit", kwargs={"slug": ws.plan.slug}))
    assert response.status_code == 200
    assert not StrategicAgreement.objects.filter(plan=ws.plan).exists()


@pytest.mark.parametrize("name", ["agreements:plan_list", "agreements:plan_detail", "agreements:strategic_edit",
                                  "agreements:strategic_detail", "agreements:lbf_overview"])
def test_reading_a_page_writes_nothing(client, ws, name):
    StrategicAgreement.objects.filter(plan=ws.plan).delete()
    kwargs = {} if name in ("agreements:plan_list", "agreements:lbf_overview") else {"slug": ws.plan.slug}
    client.force_login(ws.admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "django_session" not in q["sql"]]
    assert writes == []
