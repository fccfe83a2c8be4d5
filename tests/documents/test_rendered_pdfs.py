"""PDF downloads off the request path: the waiting page, the worker, the stored file, failures, cleanup."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agreements import revisions
from helhedsplan.documents import rendering
from helhedsplan.documents.models import RenderedDocument
from tests import worker
from tests.documents.helpers import pdf_pages
from tests.factories.agreements import (
    ActivityFactory,
    MilestoneFactory,
    PlanMembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, plan_with_delaftale):
    plan, _ = plan_with_delaftale
    client.force_login(PlanMembershipFactory(plan=plan).user)
    return client


def delaftale_url(plan, sub) -> str:
    return reverse("documents:delaftale_pdf", args=[plan.slug, sub.focus_area.slug])


def assert_waiting_page(response, plan):
    assert response.status_code == 202
    assert response["Retry-After"] == "2"
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in body
    assert re.search(r"<h1>Dokumentet gøres klar …</h1>", body)
    assert 'lang="da"' in body
    assert f'href="{plan.get_absolute_url()}"' in body  # back to the plan
    assert "<script" not in body  # a strict CSP allows no inline script


def test_first_request_waits_and_queues_one_render_however_often_it_is_asked(member_client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    url = delaftale_url(plan, sub)
    for _ in range(3):
        response = worker.get(member_client, url)
        assert_waiting_page(response, plan)
        assert "Delaftale for indsatsområdet" in response.content.decode()
    assert worker.queued("render_document") == 1
    rendered = RenderedDocument.objects.get(plan=plan)
    assert rendered.document == f"delaftale:{sub.focus_area.slug}"
    assert rendered.key == rendering.version_key(plan.pk, rendered.document)
    assert not rendered.file and not rendered.error

    assert worker.run_worker() == 1
    download = member_client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="{plan.slug}-delaftale-{sub.focus_area.slug}.pdf"')
    assert "Skoleparathed for førskolebørn." in " ".join(pdf_pages(worker.content(download)))
    rendered.refresh_from_db()
    assert rendered.rendered_at is not None and default_storage.exists(rendered.file.name)
    assert worker.queued() == 0


def test_an_edit_gives_a_new_version_and_the_old_file_is_deleted_later(member_client, plan_with_delaftale,
                                                                     django_capture_on_commit_callbacks):
    plan, sub = plan_with_delaftale
    url = delaftale_url(plan, sub)
    worker.download(member_client, url)
    old = RenderedDocument.objects.get(plan=plan)

    ActivityFactory(sub_agreement=sub, name="Lektiecafé Nord")
    assert_waiting_page(worker.get(member_client, url), plan)
    assert worker.run_worker() == 1
    new = RenderedDocument.objects.exclude(pk=old.pk).get(plan=plan)
    assert "Lektiecafé Nord" in " ".join(pdf_pages(worker.content(member_client.get(url))))
    # The superseded version stays while a download handed out just before may still fetch it …
    assert default_storage.exists(old.file.name)
    assert rendering.rendered_documents_cleanup() == 0
    # … and goes with the daily cleanup once nobody has asked for it for a while; the current one stays.
    later = timezone.now() + rendering.keep_superseded() + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert rendering.rendered_documents_cleanup(now=later) == 1
    assert not RenderedDocument.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.file.name)
    assert RenderedDocument.objects.filter(pk=new.pk).exists() and default_storage.exists(new.file.name)


def test_yesterdays_file_is_not_served_today_and_the_command_cleans_it_up(member_client, plan_with_delaftale,
                                                                        django_capture_on_commit_callbacks):
    plan, _ = plan_with_delaftale
    url = reverse("documents:samlet_pdf", args=[plan.slug])
    worker.download(member_client, url)
    yesterday = timezone.localdate() - timedelta(days=1)
    rendered = RenderedDocument.objects.get(plan=plan)
    long_ago = timezone.now() - timedelta(days=1)
    RenderedDocument.objects.filter(pk=rendered.pk).update(
        key=rendering.version_key(plan.pk, "samlet", day=yesterday), requested_at=long_ago, queued_at=long_ago,
        rendered_at=long_ago)
    assert_waiting_page(worker.get(member_client, url), plan)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_rendered_documents", verbosity=0)
    assert not RenderedDocument.objects.filter(pk=rendered.pk).exists()
    assert not default_storage.exists(rendered.file.name)
    assert RenderedDocument.objects.filter(plan=plan).count() == 1  # today's request, still waiting


def test_a_render_of_a_version_that_changed_meanwhile_is_dropped(member_client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    url = delaftale_url(plan, sub)
    worker.get(member_client, url)
    ActivityFactory(sub_agreement=sub, name="Ny aktivitet")  # before the worker gets to it
    assert worker.run_worker() == 1
    assert not RenderedDocument.objects.filter(plan=plan).exists(), "nobody asks for that version again"
    assert_waiting_page(worker.get(member_client, url), plan)
    worker.run_worker()
    assert "Ny aktivitet" in " ".join(pdf_pages(worker.content(member_client.get(url))))


def test_a_failed_render_shows_an_error_and_can_be_tried_again(member_client, plan_with_delaftale, settings,
                                                               tmp_path, django_capture_on_commit_callbacks):
    plan, sub = plan_with_delaftale
    url = delaftale_url(plan, sub)
    media = settings.MEDIA_ROOT
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("storage is broken")
    settings.MEDIA_ROOT = blocked  # the storage cannot write: the render fails
    worker.get(member_client, url)
    worker.run_worker()

    failed = member_client.get(url)
    assert failed.status_code == 503
    body = failed.content.decode()
    assert "<h1>Dokumentet kunne ikke dannes</h1>" in body
    assert "Dokumentet kunne ikke dannes (" in body and 'role="alert"' in body
    assert "http-equiv=\"refresh\"" not in body, "no endless wait"
    assert re.search(r'<form method="post" action="' + re.escape(url) + '">', body)
    assert "Prøv igen</button>" in body
    assert worker.get(member_client, url).status_code == 503  # reloading does not queue it again by itself
    assert worker.queued() == 0

    settings.MEDIA_ROOT = media
    with django_capture_on_commit_callbacks(execute=True):
        retry = member_client.post(url)
    assert retry.status_code == 302 and retry["Location"] == url
    assert worker.queued("render_document") == 1
    assert_waiting_page(member_client.get(url), plan)
    worker.run_worker()
    assert member_client.get(url).status_code == 200


def test_a_render_lost_with_its_worker_is_queued_again(member_client, plan_with_delaftale, settings):
    plan, sub = plan_with_delaftale
    url = delaftale_url(plan, sub)
    worker.get(member_client, url)
    # A worker claimed the task and died: the task stays "running" for ever.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    assert worker.queued() == 0
    assert_waiting_page(worker.get(member_client, url), plan)
    assert worker.queued() == 0, "not before PDF_RENDER_REQUEUE_SECONDS"

    long_ago = timezone.now() - timedelta(seconds=settings.PDF_RENDER_REQUEUE_SECONDS + 1)
    RenderedDocument.objects.filter(plan=plan).update(queued_at=long_ago, started_at=long_ago)
    assert_waiting_page(worker.get(member_client, url), plan)
    assert_waiting_page(worker.get(member_client, url), plan)
    assert worker.queued("render_document") == 1, "queued again, once"
    worker.run_worker()
    assert member_client.get(url).status_code == 200


def test_the_milestone_plan_pdf_takes_the_same_path(member_client, plan_with_delaftale):
    plan, _ = plan_with_delaftale
    MilestoneFactory(plan=plan, title="Lektiecafé åbner")
    url = reverse("documents:milestone_document_pdf", kwargs={"slug": plan.slug})
    assert_waiting_page(worker.get(member_client, url), plan)
    download = worker.download(member_client, url)
    assert download["Content-Disposition"] == f'attachment; filename="{plan.slug}-milepaelsplan.pdf"'
    assert "Lektiecafé åbner" in " ".join(pdf_pages(worker.content(download)))


def test_an_unknown_document_queues_nothing(member_client, plan_with_delaftale):
    plan, _ = plan_with_delaftale
    assert worker.get(member_client, reverse("documents:delaftale_pdf", args=[plan.slug, "findes-ikke"])) \
        .status_code == 404
    assert not RenderedDocument.objects.filter(plan=plan).exists() and worker.queued() == 0


def test_access_is_checked_before_anything_else(client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    url = delaftale_url(plan, sub)
    client.force_login(PlanMembershipFactory().user)  # a member of another plan
    assert worker.get(client, url).status_code == 404
    assert not RenderedDocument.objects.filter(plan=plan).exists() and worker.queued() == 0

    client.force_login(PlanMembershipFactory(plan=plan).user)
    worker.download(client, url)
    client.force_login(PlanMembershipFactory().user)
    assert client.get(url).status_code == 404  # the file exists; still no
    assert client.post(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- S3 (a real SeaweedFS bucket) ------------------------------------------------------------------

def test_on_s3_the_download_is_a_presigned_redirect_and_outsiders_get_nothing(s3_storage, client,
                                                                             plan_with_delaftale):
    plan, sub = plan_with_delaftale
    url = reverse("documents:samarbejdsaftale_pdf", args=[plan.slug])
    client.force_login(PlanMembershipFactory(plan=plan).user)
    assert_waiting_page(worker.get(client, url), plan)
    worker.run_worker()
    rendered = RenderedDocument.objects.get(plan=plan)
    assert s3_storage.client().head_object(Bucket=s3_storage.bucket, Key=rendered.file.name)

    response = client.get(url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(s3_storage.endpoint_url) and "X-Amz-Signature=" in location
    with urllib.request.urlopen(location, timeout=10) as fetched:
        pdf = fetched.read()
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert f"{plan.slug}-strategisk-samarbejdsaftale.pdf" in fetched.headers["Content-Disposition"]
    assert "Et trygt boligområde for alle." in " ".join(pdf_pages(pdf))
    # The object itself is private: without the signature the bucket refuses it.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(location.split("?", 1)[0], timeout=10)
    assert refused.value.code in (401, 403)

    client.force_login(PlanMembershipFactory().user)
    outsider = client.get(url)
    assert outsider.status_code == 404 and "Location" not in outsider


def test_the_key_costs_one_query(plan_with_delaftale, django_assert_num_queries):
    plan, _ = plan_with_delaftale
    with django_assert_num_queries(1):
        key = rendering.version_key(plan.pk, "samlet")
    assert key.endswith(revisions.tokens(plan.pk)) and f":{timezone.localdate().isoformat()}:" in key


# --- Concurrent requests ------------------------------------------------------------------------------

def test_a_request_that_loses_the_race_to_create_the_row_queues_nothing(plan_with_delaftale,
                                                                        django_capture_on_commit_callbacks):
    plan, _ = plan_with_delaftale
    key = rendering.version_key(plan.pk, "samlet")
    winner = RenderedDocument.objects.create(plan=plan, document="samlet", key=key)  # the other request
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        found, created = rendering._create(plan, "samlet", key)  # this one, a moment later
    assert found.pk == winner.pk and created is False
    assert callbacks == [] and worker.queued() == 0


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs concurrent writers (SQLite's shared in-memory test database refuses them)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_requests_queue_one_render(plan_with_delaftale):
    plan, _ = plan_with_delaftale
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def request() -> None:
        try:
            start.wait(timeout=30)
            with transaction.atomic():  # like a request: the render is queued once this commits
                rendering.rendered_document_request(plan=plan, name="samlet")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert RenderedDocument.objects.filter(plan=plan).count() == 1
    assert worker.queued("render_document") == 1
