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
