"""Stored files are handed out only by access-checked views: streamed from local files, or through a
presigned URL valid for minutes from a private S3 bucket (the real SeaweedFS server)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from helhedsplan.storage import file_download, is_object_storage

CONTENT = b"%PDF-1.7 en lille pdf"


def test_local_files_are_streamed_with_a_danish_file_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("dokumenter/aftale.pdf", ContentFile(CONTENT))
    assert not is_object_storage()

    response = file_download(name, filename="Delaftale – Uddannelse og læring.pdf", content_type="application/pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    encoded = "filename*=utf-8''Delaftale%20%E2%80%93%20Uddannelse%20og%20l%C3%A6ring.pdf"
    assert encoded in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_s3_files_are_handed_out_by_a_short_lived_presigned_url_from_a_private_bucket(s3_storage):
    name = default_storage.save("dokumenter/aftale.pdf", ContentFile(CONTENT))
    assert is_object_storage()

    response = file_download(name, filename="Delaftale – læring.pdf", content_type="application/pdf")

    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(s3_storage.endpoint_url)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["300"]
    with urllib.request.urlopen(url, timeout=10) as fetched:
        assert fetched.read() == CONTENT
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert "l%C3%A6ring.pdf" in fetched.headers["Content-Disposition"]

    # Without the signature the bucket does not hand the file out.
    plain = f"{s3_storage.endpoint_url}/{s3_storage.bucket}/{name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain, timeout=10)
    assert refused.value.code in (401, 403)


@pytest.mark.django_db
def test_an_admin_import_waits_for_its_confirmation_in_the_shared_bucket(client, staff_user, s3_storage):
    """The upload and its confirmation may reach different app servers: the file is kept in the bucket."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from indicators.models import IndicatorValue
    from tests import spreadsheets
    from tests.factories.indicators import IndicatorValueFactory

    indicator = IndicatorValueFactory(year=2023).indicator
    upload = spreadsheets.table(["plan", "indsatsområde", "indikator", "år", "værdi", "note"], [
        [indicator.plan.slug, indicator.focus_area.name, indicator.text, 2024, "77,5", "Ny"]])
    client.force_login(staff_user)
    page = client.get(reverse("admin:indicators_indicatorvalue_import")).content.decode()
    xlsx_choice = re.search(r'<option value="(\d+)">xlsx</option>', page).group(1)
    response = client.post(reverse("admin:indicators_indicatorvalue_import"), {
        "format": xlsx_choice, "import_file": SimpleUploadedFile("v.xlsx", upload)})
    confirm = response.context["confirm_form"]
    assert confirm is not None

    bucket = s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix="django-import-export/")
    assert [item["Key"] for item in bucket.get("Contents", [])] == [
        f"django-import-export/{confirm.initial['import_file_name']}"]

    response = client.post(reverse("admin:indicators_indicatorvalue_process_import"), confirm.initial)
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).value == 77.5
    bucket = s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix="django-import-export/")
    assert bucket.get("KeyCount", 0) == 0


def test_local_files_are_private_to_the_app_user(settings, tmp_path):
    import os
    import stat

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("lbf-udtraek/udtraek.zip", ContentFile(CONTENT))
    assert stat.S_IMODE(os.stat(default_storage.path(name)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "lbf-udtraek").st_mode) == 0o700


def test_admin_import_uploads_nobody_confirmed_are_deleted_after_a_day(settings, tmp_path):
    import io
    import os
    import time

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    old = default_storage.save("django-import-export/forladt.xlsx", ContentFile(b"PK"))
    young = default_storage.save("django-import-export/afventer.xlsx", ContentFile(b"PK"))
    other = default_storage.save("lbf-udtraek/udtraek.zip", ContentFile(b"PK"))
    two_days_ago = time.time() - 2 * 24 * 3600
    for name in (old, other):
        os.utime(default_storage.path(name), (two_days_ago, two_days_ago))

    out = io.StringIO()
    call_command("cleanup_admin_imports", stdout=out)

    assert out.getvalue().strip() == "1 ubekræftede importfiler slettet."
    assert not default_storage.exists(old)
    assert default_storage.exists(young) and default_storage.exists(other)


def test_unreferenced_files_leave_the_bucket_and_referenced_ones_stay(s3_storage):
    from datetime import timedelta

    from django.utils import timezone

    from helhedsplan.storage import delete_unreferenced

    kept = default_storage.save("mappe/kept.pdf", ContentFile(CONTENT))
    gone = default_storage.save("mappe/gone.pdf", ContentFile(CONTENT))
    assert delete_unreferenced("mappe", keep={kept}, older_than=timezone.now() - timedelta(hours=1)) == 0
    assert delete_unreferenced("mappe", keep={kept}, older_than=timezone.now() + timedelta(seconds=5)) == 1
    listing = s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix="mappe/")
    assert [item["Key"] for item in listing["Contents"]] == [kept]
    assert gone != kept
