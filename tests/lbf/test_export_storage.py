"""The export's ZIP lives in the default storage (local files or the S3 bucket), written by the worker,
handed out only to the user who asked for it, and removed when the export expires. Every test runs on
both backends; on S3 against the real SeaweedFS server."""

from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from helhedsplan.lbf.export import lbf_export_request, lbf_export_run, lbf_exports_cleanup
from helhedsplan.lbf.models import LbfExport
from tests.lbf.conftest import approve

pytestmark = pytest.mark.django_db

MEETING = date(2023, 3, 1)
PREFIX = "lbf-udtraek"


def finished_export(ws, django_capture_on_commit_callbacks) -> LbfExport:
    approve(ws, meeting=MEETING)
    with django_capture_on_commit_callbacks(execute=True):
        export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    export.refresh_from_db()
    assert export.status == LbfExport.Status.DONE, export.error
    return export


def download_url(export: LbfExport) -> str:
    return reverse("agreements:lbf_export_download", kwargs={"pk": export.pk})


def fetch(response) -> bytes:
    """The file a download response hands out: streamed, or from the presigned URL it redirects to."""
    if response.status_code == 302:
        with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
            assert fetched.headers["Content-Type"] == "application/zip"
            return fetched.read()
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_zip_written_by_the_task_is_downloaded_by_its_owner(client, ws, immediate_tasks, stored,
                                                                django_capture_on_commit_callbacks):
    export = finished_export(ws, django_capture_on_commit_callbacks)
    assert stored.names(PREFIX) == [export.file.name] == [f"{PREFIX}/{export.pk}.zip"]
    in_storage = stored.read(export.file.name)
    assert len(in_storage) == export.file_size
    assert f"{ws.plan.slug}/delaftaler.json" in zipfile.ZipFile(io.BytesIO(in_storage)).namelist()

    client.force_login(ws.secretary)
    response = client.get(download_url(export))
    assert response["Cache-Control"] == "private, no-store"
    if stored.is_s3:
        assert response.status_code == 302
        url = response["Location"]
        assert url.startswith(f"{stored.s3.endpoint_url}/{stored.s3.bucket}/{export.file.name}?")
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["X-Amz-Expires"] == ["300"]
        with urllib.request.urlopen(url, timeout=10) as fetched:
            assert fetched.read() == in_storage
            assert export.download_name in fetched.headers["Content-Disposition"]
        with pytest.raises(urllib.error.HTTPError) as refused:  # the bucket itself is private
            urllib.request.urlopen(f"{stored.s3.endpoint_url}/{stored.s3.bucket}/{export.file.name}", timeout=10)
        assert refused.value.code in (401, 403)
    else:
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        assert fetch(response) == in_storage


def test_nobody_else_gets_the_file_or_a_link_to_it(client, ws, immediate_tasks, stored,
                                                   django_capture_on_commit_callbacks):
    export = finished_export(ws, django_capture_on_commit_callbacks)

    client.force_login(ws.lbf)  # sees the plan, but did not ask for the export
    response = client.get(download_url(export))
    assert response.status_code == 404 and "Location" not in response
    assert export.file.name not in response.content.decode()

    client.force_login(ws.secretary)
    ws.plan.memberships.filter(user=ws.secretary).delete()  # the owner has lost the plan
    response = client.get(download_url(export))
    assert response.status_code == 404 and "Location" not in response

    client.logout()
    response = client.get(download_url(export))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert stored.names(PREFIX) == [export.file.name]  # still there, only not for them


def test_a_file_gone_from_the_storage_is_not_found(client, ws, immediate_tasks, stored,
                                                   django_capture_on_commit_callbacks):
    export = finished_export(ws, django_capture_on_commit_callbacks)
    stored.remove(export.file.name)
    client.force_login(ws.secretary)
    response = client.get(download_url(export))
    assert response.status_code == 404 and "Location" not in response


def test_expired_exports_files_are_deleted_from_the_storage(client, ws, immediate_tasks, stored,
                                                            django_capture_on_commit_callbacks):
    export = finished_export(ws, django_capture_on_commit_callbacks)
    unrecorded = default_storage.save(f"{PREFIX}/stopped-worker.zip", ContentFile(b"PK\x03\x04"))

    assert lbf_exports_cleanup() == 0
    assert stored.names(PREFIX) == sorted([export.file.name, unrecorded])

    assert lbf_exports_cleanup(now=timezone.now() + timedelta(days=8)) == 1
    export.refresh_from_db()
    assert export.status == LbfExport.Status.EXPIRED and not export.file and export.file_size == 0
    assert stored.names(PREFIX) == []  # the file without an export went too, being over a day old by then
    client.force_login(ws.secretary)
    assert client.get(download_url(export)).status_code == 404


def test_a_failed_export_leaves_nothing_in_the_storage(ws, stored):
    approve(ws, meeting=MEETING)
    export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    ws.plan.memberships.filter(user=ws.secretary).delete()  # access lost before the worker ran
    export = lbf_export_run(export_id=str(export.pk))
    assert export.status == LbfExport.Status.FAILED and not export.file
    assert stored.names(PREFIX) == []


def test_a_storage_refusing_the_file_fails_the_export_without_marking_it_finished(ws, s3_storage, settings):
    """The bucket refuses the worker's credentials: the export is recorded as failed, with no file."""
    approve(ws, meeting=MEETING)
    export = lbf_export_request(user=ws.secretary, slugs=[ws.plan.slug])
    refused = {**settings.STORAGES["default"]["OPTIONS"], "secret_key": "not-the-secret"}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": refused}}
    export = lbf_export_run(export_id=str(export.pk))
    assert export.status == LbfExport.Status.FAILED and not export.file and export.file_size == 0
    assert "kunne ikke laves" in export.error
    listing = s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix=f"{PREFIX}/")
    assert listing.get("KeyCount", 0) == 0  # (the approval's PDF is in the bucket: saved before the keys broke)
