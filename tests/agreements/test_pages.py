"""The workspace pages as each role sees them."""

from datetime import date, timedelta

from django.urls import reverse

from agreements.models import Comment, Contact, Organisation, SubAgreement
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.state import document_state
from helhedsplan.documents import services as document_services
from tests import worker
from tests.demo import without_demo


def detail_url(ws):
    return reverse("agreements:subagreement_detail", kwargs={"slug": ws.plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})


def test_dashboard_shows_own_plans_with_document_status_and_findings(client, ws):
    SubAgreement.objects.filter(pk=ws.sub_agreement.pk).update(end_date=ws.plan.end_date + timedelta(days=1))
    client.force_login(ws.secretary)
    body = client.get(reverse("agreements:plan_list")).content.decode()
    assert "Tryg Toften" in body and "Andet Område" not in body
    assert "Din rolle: Sekretariat" in body
    assert f"Delaftale for indsatsområdet {ws.sub_agreement.focus_area.name}" in body
    assert "Kladde" in body and "Ikke godkendt endnu" in body
    assert "1 fejl" in body and "Delaftalens periode ligger uden for helhedsplanens periode" in body
    assert "Seneste ændringer" in body


def test_dashboard_for_lbf_lists_every_plan_read_only(client, ws):
    client.force_login(ws.lbf)
    body = client.get(reverse("agreements:plan_list")).content.decode()
    assert "Helhedsplaner (læseadgang)" in body and "Tryg Toften" in body and "Andet Område" in body


def test_board_member_approves_in_the_browser(client, ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    client.force_login(ws.board)
    body = client.get(detail_url(ws)).content.decode()
    assert "Til behandling i bestyrelsen" in body and "Registrér bestyrelsens godkendelse" in body
    assert "Redigér delaftalen" not in body
    url = reverse("agreements:subagreement_approve", kwargs={"slug": ws.plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})
    response = client.post(url, {"meeting_date": "2024-03-12", "referat": "Referat af mødet 12. marts, pkt. 4",
                                 "version": ws.sub_agreement.version}, follow=True)
    body = response.content.decode()
    assert "Godkendt. Version 1 er nu den gældende." in body
    assert "Gældende version:" in body and "12. marts 2024" in body
    ws.sub_agreement.refresh_from_db()
    assert document_state(ws.sub_agreement).is_approved


def test_approval_with_a_future_date_is_refused_with_a_danish_message(client, ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    client.force_login(ws.board)
    url = reverse("agreements:subagreement_approve", kwargs={"slug": ws.plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})
    future = (date.today() + timedelta(days=7)).isoformat()
    response = client.post(url, {"meeting_date": future, "referat": "R", "version": ws.sub_agreement.version},
                           follow=True)
    assert "Bestyrelsesmødet kan ikke ligge i fremtiden." in response.content.decode()
    assert not without_demo(Approval).exists()


def test_secretary_cannot_send_while_errors_and_sees_why(client, ws):
    SubAgreement.objects.filter(pk=ws.sub_agreement.pk).update(end_date=ws.plan.end_date + timedelta(days=1))
    client.force_login(ws.secretary)
    body = client.get(detail_url(ws)).content.decode()
    assert "kan ikke sendes til bestyrelsen, før fejlene er rettet" in body
    assert "Send til behandling i bestyrelsen" not in body
    url = reverse("agreements:subagreement_submit", kwargs={"slug": ws.plan.slug,
                                                            "area": ws.sub_agreement.focus_area.slug})
    response = client.post(url, follow=True)
    assert "kan ikke sendes til bestyrelsen, så længe kontrollen" in response.content.decode()


def test_snapshot_page_and_pdf_download(client, ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    approval = document_services.document_approve(document=ws.sub_agreement, by=ws.board,
                                                   meeting_date=date(2024, 3, 12), referat="Referat pkt. 4")
    client.force_login(ws.lbf)
    body = client.get(approval.get_absolute_url()).content.decode()
    assert "Godkendt version 1" in body and "Referat pkt. 4" in body and "Lektiecafé Toften" in body
    response = worker.download(client, approval.get_pdf_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = worker.content(response)
    assert content.startswith(b"%PDF-") and content == without_demo(Approval).get().read_pdf()
    assert "godkendt-v1.pdf" in response["Content-Disposition"]


def test_board_comments_on_a_delaftale(client, ws):
    client.force_login(ws.board)
    url = reverse("agreements:subagreement_comment", kwargs={"slug": ws.plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})
    response = client.post(url, {"text": "Kan vi tilføje et mål for fremmøde?"}, follow=True)
    assert "Kan vi tilføje et mål for fremmøde?" in response.content.decode()
    assert Comment.objects.get().author == ws.board


def test_lbf_approval_is_recorded_on_the_snapshot_page(client, ws):
    from agreements import services

    workflow.document_submit(document=ws.strategic, by=ws.secretary)
    workflow.document_approve(document=ws.strategic, by=ws.board, meeting_date=date(2023, 1, 5),
                                         referat="R1")
    ws.strategic.refresh_from_db()
    services.strategic_agreement_save(agreement=ws.strategic, expected_version=ws.strategic.version,
                                      fields={"section_2_vision": "Ny vision"})
    client.force_login(ws.secretary)
    body = client.get(reverse("agreements:strategic_detail", kwargs={"slug": ws.plan.slug})).content.decode()
    assert "kræver LBF-godkendelse" in body
    workflow.document_submit(document=ws.strategic, by=ws.secretary)
    second = workflow.document_approve(document=ws.strategic, by=ws.board,
                                                  meeting_date=date(2024, 1, 5), referat="R2")
    body = client.get(second.get_absolute_url()).content.decode()
    assert "Registrér LBF's godkendelse" in body
    client.post(reverse("agreements:strategic_lbf_approval", kwargs={"slug": ws.plan.slug, "number": 2}),
                {"lbf_approved_on": "2024-02-01"})
    second.refresh_from_db()
    assert second.lbf_approved_on == date(2024, 2, 1)


def test_secretary_creates_an_organisation_and_a_contact(client, ws):
    client.force_login(ws.secretary)
    response = client.post(reverse("agreements:organisation_new"), {"name": "Natteravnene Toften",
                                                                     "kind": "forening"})
    organisation = Organisation.objects.get(name="Natteravnene Toften")
    assert response.status_code == 302
    client.post(reverse("agreements:contact_new"), {"organisation": organisation.pk, "name": "Ali Hansen",
                                                    "email": "ali@example.dk"})
    assert Contact.objects.get(name="Ali Hansen").organisation == organisation
    body = client.get(reverse("agreements:organisation_detail", kwargs={"pk": organisation.pk})).content.decode()
    assert "Ali Hansen" in body and "Indgår ikke i nogen af de helhedsplaner" in body


def test_plan_page_keeps_a_slot_for_the_document_downloads(client, ws):
    """The documents app adds ``documents/_download_buttons.html``; until then the page renders without it."""
    client.force_login(ws.secretary)
    assert client.get(ws.plan.get_absolute_url()).status_code == 200
    assert client.get(detail_url(ws)).status_code == 200


def test_plan_pages_link_to_the_budget_and_the_indicator_follow_up(client, ws):
    budget = reverse("budgets:sheet", kwargs={"slug": ws.plan.slug})
    follow_up = reverse("indicators:enter_plan", kwargs={"slug": ws.plan.slug})
    goals = reverse("indicators:subagreement", kwargs={"slug": ws.plan.slug, "area": ws.sub_agreement.focus_area.slug})
    client.force_login(ws.secretary)
    body = client.get(ws.plan.get_absolute_url()).content.decode()
    assert f'href="{budget}"' in body and f'href="{follow_up}"' in body
    body = client.get(detail_url(ws)).content.decode()
    assert f'href="{goals}"' in body and f'href="{budget}"' in body
    client.force_login(ws.board)
    body = client.get(ws.plan.get_absolute_url()).content.decode()
    assert f'href="{budget}"' in body and f'href="{follow_up}"' not in body, "the board reads, it does not register"
