"""Background exports: request → task → file with progress → download, kept for a limited time."""

from __future__ import annotations

import os
import time
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from helhedsplan.lbf.export import ExportError, lbf_export_request, lbf_export_run, lbf_exports_cleanup
from helhedsplan.lbf.models import LbfExport
from tests.lbf.conftest import approve

pytestmark = pytest.mark.django_db

MEETING = date(2023, 3, 1)


def test_the_immediate_backend_runs_the_real_task(ws, immediate_tasks, django_capture_on_commit_callbacks):
    approve(ws, meeting=MEETING)
    with django_capture_on_commit_callbacks(execute=True):
        export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    export.refresh_from_db()
    assert export.status == LbfExport.Status.DONE, export.error
    assert export.task_id and export.steps_done == export.steps_total == 3 and export.percent == 100
    assert export.file.name == f"lbf-udtraek/{export.pk}.zip"
    assert default_storage.size(export.file.name) == export.file_size
    with export.file.open("rb") as handle:
        assert "README.txt" in zipfile.ZipFile(handle).namelist()
    assert export.expires_at - export.finished_at == timedelta(days=7)


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_picks_up_the_export(transactional_db, ws, settings):
    """The production set-up: django-tasks-db queues the task at commit, ``db_worker`` runs it (with real
    transactions: the worker closes its database connection when it is done)."""
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    approve(ws, meeting=MEETING)
    export = lbf_export_request(user=ws.lbf, as_of=date(2024, 1, 1))
    export.refresh_from_db()
    assert export.status == LbfExport.Status.QUEUED and export.task_id
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    export.refresh_from_db()
    assert export.status == LbfExport.Status.DONE, export.error
    with export.file.open("rb") as handle:
        names = zipfile.ZipFile(handle).namelist()
    assert any(name.startswith(f"{ws.plan.slug}/delaftale-") for name in names)


def test_a_request_is_checked_at_once(ws):
    with pytest.raises(ExportError, match="ingen godkendte dokumenter"):
        lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    with pytest.raises(ExportError, match="Ukendt helhedsplan"):
        lbf_export_request(user=ws.secretary, slugs=[ws.other_plan.slug])  # not visible = unknown
    assert not LbfExport.objects.exists()


def test_a_failure_in_the_worker_is_recorded_and_leaves_no_file(ws, media_root):
    approve(ws, meeting=MEETING)
    export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    ws.plan.memberships.filter(user=ws.secretary).delete()  # access lost before the worker ran
    export = lbf_export_run(export_id=str(export.pk))
    assert export.status == LbfExport.Status.FAILED
    assert "Ukendt helhedsplan" in export.error
    assert not export.file and not (media_root / "lbf-udtraek").exists()


def test_expired_files_are_deleted(ws, immediate_tasks, django_capture_on_commit_callbacks, media_root):
    approve(ws, meeting=MEETING)
    with django_capture_on_commit_callbacks(execute=True):
        export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    export.refresh_from_db()
    path = media_root / export.file.name
    assert lbf_exports_cleanup() == 0 and path.exists()
    assert lbf_exports_cleanup(now=timezone.now() + timedelta(days=8)) == 1
    export.refresh_from_db()
    assert export.status == LbfExport.Status.EXPIRED and not export.file and not path.exists()
    # What a stopped worker left: a ZIP it saved but never recorded, and a temporary file of the time
    # when exports were written next to their final name.
    unrecorded = default_storage.save("lbf-udtraek/7b0c5a8e-0000-4000-8000-000000000000.zip", ContentFile(b"PK"))
    leftover = path.parent / ".stopped.zip.abc.part"
    leftover.write_bytes(b"half a zip")
    call_command("cleanup_lbf_exports", verbosity=0)
    assert default_storage.exists(unrecorded) and leftover.exists(), "a young file may belong to a running export"
    lbf_exports_cleanup(now=timezone.now() + timedelta(days=2))
    assert not default_storage.exists(unrecorded) and not leftover.exists()


def test_cleanup_keeps_the_files_of_exports_still_in_time(ws, immediate_tasks, django_capture_on_commit_callbacks,
                                                          media_root):
    """A finished export's file is kept however old it is, until the export itself expires."""
    approve(ws, meeting=MEETING)
    with django_capture_on_commit_callbacks(execute=True):
        export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    export.refresh_from_db()
    path = media_root / export.file.name
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(path, (two_days_ago, two_days_ago))
    assert lbf_exports_cleanup(now=timezone.now() + timedelta(days=3)) == 0
    assert path.exists()


# --- Views ----------------------------------------------------------------------------------------------

def test_plan_page_button_export_status_and_download(client, ws, immediate_tasks, django_capture_on_commit_callbacks):
    approve(ws, meeting=MEETING)
    client.force_login(ws.secretary)
    page = client.get(reverse("agreements:plan_detail", kwargs={"slug": ws.plan.slug}))
    assert reverse("agreements:plan_export", kwargs={"slug": ws.plan.slug}) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:plan_export", kwargs={"slug": ws.plan.slug}), {"as_of": ""})
    export = LbfExport.objects.get()
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    status = client.get(export.get_absolute_url()).content.decode()
    assert "Udtrækket er klar" in status
    download = client.get(reverse("agreements:lbf_export_download", kwargs={"pk": export.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert f'filename="{export.download_name}"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"PK"

    client.force_login(ws.lbf)  # somebody else's export is not there for them
    assert client.get(export.get_absolute_url()).status_code == 404
    assert client.get(reverse("agreements:lbf_export_download", kwargs={"pk": export.pk})).status_code == 404


def test_status_page_shows_progress_while_running(client, ws):
    approve(ws, meeting=MEETING)
    export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    LbfExport.objects.filter(pk=export.pk).update(status=LbfExport.Status.RUNNING, steps_done=1, steps_total=4,
                                                 current_step="Tryg Toften: budgetark")
    client.force_login(ws.secretary)
    page = client.get(export.get_absolute_url()).content.decode()
    assert '<progress max="100" value="25">' in page and "Tryg Toften: budgetark" in page
    assert 'http-equiv="refresh"' in page


def test_bad_date_on_the_plan_page_gives_a_danish_message(client, ws):
    approve(ws, meeting=MEETING)
    client.force_login(ws.secretary)
    response = client.post(reverse("agreements:plan_export", kwargs={"slug": ws.plan.slug}),
                           {"as_of": "2021-06-01"}, follow=True)
    assert "begyndte først 1. januar 2022" in response.content.decode()
    assert not LbfExport.objects.exists()


def test_lbf_overview_exports_several_plans(client, ws, immediate_tasks, django_capture_on_commit_callbacks):
    approve(ws, meeting=MEETING)
    client.force_login(ws.lbf)
    page = client.get(reverse("agreements:lbf_overview")).content.decode()
    assert ws.plan.name in page and ws.other_plan.name in page
    assert "godkendt 1. marts 2023 (nr. 1)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:lbf_overview"), {"plans": [ws.plan.slug], "as_of": "2023-12-31"})
    export = LbfExport.objects.get()
    export.refresh_from_db()
    assert response["Location"] == export.get_absolute_url()
    assert export.status == LbfExport.Status.DONE and export.plan_slugs == [ws.plan.slug]
    assert export.as_of == date(2023, 12, 31)
    refused = client.post(reverse("agreements:lbf_overview"), {"plans": [ws.other_plan.slug]})
    assert "ingen godkendte dokumenter" in refused.content.decode()
