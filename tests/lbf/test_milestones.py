"""Milepælsplan: CRUD by the secretariat, rules, dashboard widget, document page; beredskabsplan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.milestones import milestone_save, milestone_summary
from agreements.models import Milestone
from tests.factories.agreements import FocusAreaFactory

pytestmark = pytest.mark.django_db


def _new(ws, **fields):
    data = {"title": "Lektiecaféen er startet", "due_date": date(2023, 9, 1)} | fields
    return milestone_save(plan=ws.plan, **data)


def test_secretariat_adds_edits_and_deletes_a_milestone(client, ws):
    client.force_login(ws.secretary)
    new_url = reverse("agreements:milestone_new", kwargs={"slug": ws.plan.slug})
    response = client.post(new_url, {"title": "Første forældremøde", "focus_area": ws.sub_agreement.focus_area_id,
                                      "due_date": "2023-02-01", "status": "planlagt", "done_date": "", "note": ""})
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.focus_area == ws.sub_agreement.focus_area
    edit_url = reverse("agreements:milestone_edit", kwargs={"slug": ws.plan.slug, "milestone": milestone.pk})
    client.post(edit_url, {"title": "Første forældremøde", "focus_area": "", "due_date": "2023-02-01",
                           "status": "naaet", "done_date": "2023-02-03", "note": "Godt fremmøde"})
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE and milestone.done_date == date(2023, 2, 3)
    assert milestone.history.count() == 2
    page = client.get(reverse("agreements:milestone_list", kwargs={"slug": ws.plan.slug})).content.decode()
    assert "Første forældremøde" in page and "1 af 1 milepæle er nået" in page
    client.post(reverse("agreements:milestone_delete", kwargs={"slug": ws.plan.slug, "milestone": milestone.pk}))
    assert not Milestone.objects.exists()


def test_form_errors_are_in_danish_and_nothing_is_saved(client, ws):
    client.force_login(ws.secretary)
    response = client.post(reverse("agreements:milestone_new", kwargs={"slug": ws.plan.slug}),
                           {"title": "X", "due_date": "2030-01-01", "status": "naaet", "done_date": ""})
    page = response.content.decode()
    assert "Fristen skal ligge inden for helhedsplanens periode" in page
    assert "Angiv datoen, hvor milepælen blev nået." in page
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("fields, message", [
    ({"status": "naaet"}, "Angiv datoen"),
    ({"done_date": date(2023, 1, 1)}, "udfyldes kun, når status er »Nået«"),
    ({"status": "naaet", "done_date": timezone.localdate() + timedelta(days=2)}, "i fremtiden"),
    ({"due_date": date(2021, 1, 1)}, "inden for helhedsplanens periode"),
])
def test_milestone_rules(ws, fields, message):
    with pytest.raises(ValidationError, match=message):
        _new(ws, **fields)


def test_focus_area_must_be_chosen_by_the_plan(ws):
    with pytest.raises(ValidationError, match="ikke valgt i helhedsplanen"):
        _new(ws, focus_area=FocusAreaFactory(pulje=ws.plan.pulje))


@pytest.mark.parametrize("who, status", [("board", 403), ("lbf", 403), ("outsider", 404)])
def test_only_the_secretariat_edits(client, ws, who, status):
    client.force_login(getattr(ws, who))
    assert client.get(reverse("agreements:milestone_new", kwargs={"slug": ws.plan.slug})).status_code == status
    expected_read = 404 if who == "outsider" else 200
    assert client.get(reverse("agreements:milestone_list", kwargs={"slug": ws.plan.slug})).status_code == expected_read


def test_dashboard_widget_shows_overdue_and_upcoming(client, ws):
    today = timezone.localdate()
    ws.plan.end_date = today + timedelta(days=400)
    ws.plan.save()
    _new(ws, title="Overskredet milepæl", due_date=today - timedelta(days=3))
    _new(ws, title="Næste milepæl", due_date=today + timedelta(days=10))
    _new(ws, title="Nået milepæl", due_date=today - timedelta(days=30), status="naaet",
         done_date=today - timedelta(days=31))
    summary = milestone_summary(ws.plan)
    assert [m.title for m in summary.overdue] == ["Overskredet milepæl"]
    assert [m.title for m in summary.upcoming] == ["Næste milepæl"]
    client.force_login(ws.secretary)
    page = client.get(reverse("agreements:plan_list")).content.decode()
    assert "1 af 3 nået" in page and "Overskredet milepæl (frist overskredet)" in page and "Næste milepæl" in page


def test_document_page_groups_by_focus_area(client, ws):
    _new(ws, title="Hele planen: midtvejsevaluering", due_date=date(2024, 1, 1))
    _new(ws, title="Lektiecafé åbner", due_date=date(2022, 9, 1), focus_area=ws.sub_agreement.focus_area)
    client.force_login(ws.lbf)
    page = client.get(reverse("documents:milestone_document", kwargs={"slug": ws.plan.slug})).content.decode()
    assert page.index("Hele helhedsplanen") < page.index("Hele planen: midtvejsevaluering")
    assert page.index(ws.sub_agreement.focus_area.name) < page.index("Lektiecafé åbner")


def test_beredskabsplan_is_edited_by_the_secretariat_and_read_by_others(client, ws):
    url = reverse("agreements:beredskabsplan", kwargs={"slug": ws.plan.slug})
    client.force_login(ws.secretary)
    client.post(url, {"beredskabsplan": "Ved uro kontaktes SSP-konsulenten."})
    ws.plan.refresh_from_db()
    assert ws.plan.beredskabsplan == "Ved uro kontaktes SSP-konsulenten."
    client.force_login(ws.board)
    assert "Ved uro kontaktes SSP-konsulenten." in client.get(url).content.decode()
    assert client.post(url, {"beredskabsplan": "ændret"}).status_code == 403
    ws.plan.refresh_from_db()
    assert ws.plan.beredskabsplan == "Ved uro kontaktes SSP-konsulenten."


def test_milepaelsplan_pdf_and_beredskabsplan_in_the_samlet_plan(client, ws):
    from helhedsplan.documents import builders as documents
    from helhedsplan.documents import pdf
    from tests import worker
    from tests.documents.helpers import normalize, pdf_pages

    _new(ws, title="Midtvejsevaluering afleveret", due_date=date(2024, 1, 1))
    client.force_login(ws.board)
    response = worker.download(client, reverse("documents:milestone_document_pdf", kwargs={"slug": ws.plan.slug}))
    assert response["Content-Type"] == "application/pdf"
    text = normalize(" ".join(pdf_pages(worker.content(response))))
    assert "Milepælsplan" in text and "Midtvejsevaluering afleveret" in text and "1. januar 2024" in text

    ws.plan.beredskabsplan = "Ved alvorlige hændelser indkalder koordinatoren beredskabsgruppen."
    ws.plan.save()
    samlet = documents.build_document(plan=ws.plan, kind=documents.SAMLET)
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(samlet.render_html()))))
    assert "Beredskabsplan" in text and "indkalder koordinatoren beredskabsgruppen" in text
