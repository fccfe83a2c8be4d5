"""The approved PDF: the approval commits with the document's HTML, the worker renders the PDF from it."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from agreements import services
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from helhedsplan.documents import services as document_services
from tests import worker
from tests.agreements.workspace_data import build_workspace
from tests.documents.helpers import normalize, pdf_pages
from tests.factories.agreements import PlanMembershipFactory

pytestmark = pytest.mark.django_db

APPROVED_TEXT = "Bestyrelsen reviderer delaftalen årligt."
EDITED_TEXT = "Revideres hvert kvartal efter godkendelsen."


@pytest.fixture
def ws(db):
    return build_workspace()


def approve(ws, capture) -> Approval:
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    ws.sub_agreement.refresh_from_db()
    with capture(execute=True):  # the approval's transaction commits: its on-commit callbacks run
        return document_services.document_approve(document=ws.sub_agreement, by=ws.board,
                                                  meeting_date=date(2024, 3, 12), referat="Referat pkt. 4")


def text_of(approval: Approval) -> str:
    return normalize(" ".join(pdf_pages(approval.read_pdf())))


def test_the_approval_commits_with_its_html_and_the_worker_renders_the_pdf(ws, django_capture_on_commit_callbacks):
    approval = approve(ws, django_capture_on_commit_callbacks)
    assert not approval.has_pdf and approval.pdf_pending
    assert APPROVED_TEXT in approval.html and "Godkendt af bestyrelsen 12. marts 2024" in approval.html
    assert worker.queued("render_approval_pdf") == 1

    worker.run_worker()
    assert worker.queued("render_approval_pdf") == 0
    approval.refresh_from_db()
    assert approval.has_pdf and not approval.pdf_pending
    assert default_storage.exists(approval.pdf.name)
    text = text_of(approval)
    assert APPROVED_TEXT in text and "Godkendt af bestyrelsen 12. marts 2024" in text


def test_the_pdf_shows_the_approved_text_even_if_the_document_was_edited_before_it_was_rendered(
        ws, django_capture_on_commit_callbacks):
    approval = approve(ws, django_capture_on_commit_callbacks)
    sub = ws.sub_agreement
    sub.refresh_from_db()
    services.subagreement_save(sub_agreement=sub, expected_version=sub.version, fields={"revision": EDITED_TEXT})

    worker.run_worker()
    approval.refresh_from_db()
    text = text_of(approval)
    assert APPROVED_TEXT in text and EDITED_TEXT not in text
    assert "KLADDE" not in text


def test_the_pdf_is_filled_once(ws, django_capture_on_commit_callbacks):
    approval = approve(ws, django_capture_on_commit_callbacks)
    folder = f"godkendelser/{approval.plan_id}"
    before = set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()
    assert document_services.approval_fill_pdf(approval=approval) is True
    first = Approval.objects.get(pk=approval.pk).pdf.name
    assert document_services.approval_fill_pdf(approval=approval) is False
    worker.run_worker()  # the queued task finds it filled
    assert Approval.objects.get(pk=approval.pk).pdf.name == first
    assert set(default_storage.listdir(folder)[1]) - before == {first.rsplit("/", 1)[1]}, "no second file"


def test_download_waits_for_the_worker_and_then_hands_out_the_file(client, ws, django_capture_on_commit_callbacks):
    approval = approve(ws, django_capture_on_commit_callbacks)
    url = approval.get_pdf_url()
    client.force_login(ws.board)
    detail = client.get(approval.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail and "Hent den godkendte PDF" in detail

    for _ in range(3):
        waiting = worker.get(client, url)
        assert waiting.status_code == 202 and waiting["Retry-After"] == "2"
        body = waiting.content.decode()
        assert "<h1>Dokumentet gøres klar …</h1>" in body and '<meta http-equiv="refresh" content="2">' in body
        assert f'href="{approval.get_absolute_url()}"' in body
    assert worker.queued("render_approval_pdf") == 1, "queued once, at the approval's commit"

    worker.run_worker()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{ws.plan.slug}-{ws.sub_agreement.focus_area.slug}-godkendt-v1.pdf"')
    assert worker.content(response) == Approval.objects.get(pk=approval.pk).read_pdf()

    client.force_login(PlanMembershipFactory().user)
    assert client.get(url).status_code == 404


def test_a_lost_task_is_queued_again_by_a_waiting_request(client, ws, django_capture_on_commit_callbacks):
    approval = approve(ws, django_capture_on_commit_callbacks)
    DBTaskResult.objects.update(status="RUNNING")  # its worker died
    cache.clear()  # …and PDF_RENDER_REQUEUE_SECONDS have passed
    client.force_login(ws.secretary)
    assert worker.get(client, approval.get_pdf_url()).status_code == 202
    assert worker.get(client, approval.get_pdf_url()).status_code == 202
    assert worker.queued("render_approval_pdf") == 1
    worker.run_worker()
    assert client.get(approval.get_pdf_url()).status_code == 200


def test_a_failed_render_shows_an_error_and_can_be_tried_again(client, ws, settings, tmp_path,
                                                               django_capture_on_commit_callbacks):
    approval = approve(ws, django_capture_on_commit_callbacks)
    media = settings.MEDIA_ROOT
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("storage is broken")
    settings.MEDIA_ROOT = blocked
    worker.run_worker()
    client.force_login(ws.board)
    url = approval.get_pdf_url()
    failed = worker.get(client, url)
    assert failed.status_code == 503
    body = html.unescape(failed.content.decode())
    assert "<h1>Dokumentet kunne ikke dannes</h1>" in body and "PDF'en kunne ikke dannes (" in body
    assert "Prøv igen</button>" in body and "refresh" not in body
    assert worker.queued() == 0

    settings.MEDIA_ROOT = media
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert worker.queued("render_approval_pdf") == 1
    worker.run_worker()
    assert client.get(url).status_code == 200


def test_an_external_approval_without_html_has_no_pdf_once_its_document_changed(client, ws):
    approval = workflow.approval_record_external(document=ws.sub_agreement, recorded_by=ws.board,
                                                 meeting_date=date(2024, 3, 12), referat="Papirreferat",
                                                 approved_by_name="Bestyrelsen")
    assert not approval.html and not approval.pdf_pending
    client.force_login(ws.board)
    assert worker.get(client, approval.get_pdf_url()).status_code == 202  # still faithful: it can be rendered
    sub = ws.sub_agreement
    sub.refresh_from_db()
    services.subagreement_save(sub_agreement=sub, expected_version=sub.version, fields={"revision": EDITED_TEXT})
    assert client.get(approval.get_pdf_url()).status_code == 404
    worker.run_worker()
    assert not Approval.objects.get(pk=approval.pk).has_pdf
