"""The day of the annual follow-up: 1 March unless the secretariat sets another on the settings page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import plan_settings
from tests.factories.agreements import PlanFactory


def test_the_followup_day_is_1_march_by_default_and_29_february_falls_on_the_28th(db):
    plan = PlanFactory()
    assert plan.followup_date(2025) == date(2025, 3, 1)
    plan_settings.plan_followup_date_update(plan=plan, month=2, day=29)
    assert plan.followup_date(2024) == date(2024, 2, 29)
    assert plan.followup_date(2025) == date(2025, 2, 28)


def test_a_day_the_month_does_not_have_is_refused(db):
    plan = PlanFactory()
    with pytest.raises(ValidationError, match="April har kun 30 dage"):
        plan_settings.plan_followup_date_update(plan=plan, month=4, day=31)
    plan.refresh_from_db()
    assert (plan.followup_month, plan.followup_day) == (3, 1)


def test_the_secretariat_sets_the_day_on_the_settings_page(client, ws):
    url = reverse("agreements:public_settings", kwargs={"slug": ws.plan.slug})
    client.force_login(ws.secretary)
    page = client.get(url).content.decode()
    assert "Årlig opfølgning" in page and 'name="followup-followup_month"' in page
    response = client.post(url, {"followup-followup_day": "31", "followup-followup_month": "2"})
    assert response.status_code == 200 and "Februar har kun 29 dage" in response.content.decode()
    response = client.post(url, {"followup-followup_day": "15", "followup-followup_month": "6"})
    assert response.status_code == 302
    ws.plan.refresh_from_db()
    assert (ws.plan.followup_month, ws.plan.followup_day) == (6, 15)
    assert not ws.plan.public_page_enabled, "the public page's settings are untouched"
    assert ws.plan.history.first().followup_month == 6, "the change is in the plan's history"

    client.force_login(ws.board)
    assert client.post(url, {"followup-followup_day": "1", "followup-followup_month": "1"}).status_code == 403
