"""Handing out stored files (the "default" storage: local files or an S3-compatible bucket).

A view checks the user's access first and then calls ``file_download``: from local files the file
is streamed by the app server; from S3 the browser is redirected to a presigned URL that is valid for
``DOWNLOAD_URL_SECONDS`` and makes the bucket answer with the file name and type we choose. The
bucket itself is never public, so the short-lived URL is the only way in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


def is_object_storage(storage: Storage | None = None) -> bool:
    """True when files live in an S3-compatible bucket (downloads are then presigned redirects)."""
    return isinstance(storage or default_storage, S3Storage)


def file_download(name: str, *, filename: str, content_type: str, storage: Storage | None = None,
                  as_attachment: bool = True) -> HttpResponse:
    """The response that hands the stored file ``name`` to a user who may have it.

    Never cached by a browser or proxy: whether the user may have the file is decided per request.
    """
    storage = storage or default_storage
    disposition = content_disposition_header(as_attachment, filename)
    if is_object_storage(storage):
        url = storage.url(name, parameters={"ResponseContentDisposition": disposition,
                                            "ResponseContentType": content_type,
                                            "ResponseCacheControl": "private, no-store"},
                          expire=settings.DOWNLOAD_URL_SECONDS)
        response: HttpResponse = HttpResponseRedirect(url)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    return response
