"""Handing out stored files (the "default" storage: local files or an S3-compatible bucket).

A view checks the user's access first and then calls ``file_download``: from local files the file
is streamed by the app server; from S3 the browser is redirected to a presigned URL that is valid for
``DOWNLOAD_URL_SECONDS`` and makes the bucket answer with the file name and type we choose. The
bucket itself is never public, so the short-lived URL is the only way in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

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


def delete_unreferenced(folder: str, *, keep: Collection[str], older_than: datetime,
                        storage: Storage | None = None) -> int:
    """Delete the files directly in ``folder`` that are not named in ``keep`` and were last written
    before ``older_than`` (a younger one may belong to a row about to be committed). Returns how many."""
    storage = storage or default_storage
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:  # local files: nothing was ever stored there
        return 0
    deleted = 0
    for name in names:
        stored = f"{folder}/{name}"
        if stored not in keep and storage.get_modified_time(stored) < older_than:
            storage.delete(stored)
            deleted += 1
    return deleted
