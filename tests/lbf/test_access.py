"""Who may use the LBF pages, exports, milestones and the public page."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from django.urls import reverse

from agreements.demo import DEMO_PLAN_SLUGS
from helhedsplan.lbf.export import ExportError, export_lbf, lbf_export_request
from tests.lbf.conftest import approve

pytestmark = pytest.mark.django_db


def test_lbf_sees_every_plan_on_the_overview(client, ws):
    client.force_login(ws.lbf)
    page = client.get(reverse("agreements:lbf_overview"))
    assert page.status_code == 200
    assert ws.plan.name in page.content.decode() and ws.other_plan.name in page.content.decode()
    dashboard = client.get(reverse("agreements:plan_list")).content.decode()
    assert reverse("agreements:lbf_overview") in dashboard


@pytest.mark.parametrize("who", ["secretary", "board", "outsider"])
def test_the_overview_is_for_lbf_only(client, ws, who):
    client.force_login(getattr(ws, who))
    assert client.get(reverse("agreements:lbf_overview")).status_code == 403
    assert reverse("agreements:lbf_overview") not in client.get(reverse("agreements:plan_list")).content.decode()


def test_anonymous_users_are_sent_to_login(client, ws):
    for url in [reverse("agreements:lbf_overview"), reverse("agreements:lbf_export_list"),
                reverse("agreements:milestone_list", kwargs={"slug": ws.plan.slug}),
                reverse("agreements:beredskabsplan", kwargs={"slug": ws.plan.slug})]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    response = client.post(reverse("agreements:plan_export", kwargs={"slug": ws.plan.slug}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_secretariat_exports_only_its_own_plans(client, ws):
    approve(ws, meeting=date(2023, 3, 1))
    client.force_login(ws.outsider)
    assert client.post(reverse("agreements:plan_export", kwargs={"slug": ws.plan.slug})).status_code == 404
    client.force_login(ws.secretary)
    assert client.post(reverse("agreements:plan_export", kwargs={"slug": ws.plan.slug})).status_code == 302


def test_an_all_plans_export_holds_only_the_plans_the_user_sees(ws, tmp_path):
    approve(ws, meeting=date(2023, 3, 1))
    with pytest.raises(ExportError) as refused:
        lbf_export_request(user=ws.outsider)  # member of the other plan only, which has nothing approved
    assert ws.plan.name not in str(refused.value) and ws.other_plan.name in str(refused.value)
    summary = export_lbf(output=tmp_path / "lbf.zip", user=ws.lbf)
    assert sorted(summary.plans) == sorted([ws.plan.slug, *DEMO_PLAN_SLUGS])  # the approved plans
    assert ws.other_plan.name in zipfile.ZipFile(tmp_path / "lbf.zip").read("README.txt").decode("utf-8")
