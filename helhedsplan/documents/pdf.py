"""WeasyPrint rendering of the documents, fetching nothing but the project's own static files.

The HTML comes from ``templates/documents/`` (see ``agreements.documents``). It is rendered against
a base URL on a reserved host that never resolves; :class:`StaticFilesURLFetcher` answers requests
for the project's static files (print CSS, fonts) from disk and refuses everything else: other
``file://`` paths, ``http(s)``, ``data:`` and anything a user text might smuggle in. Nothing goes
over the network. The only other thing it serves is what the renderer hands it: the plan's uploaded
organisationsdiagram, under exactly the URL the document names it by (``builders.document_images``).

One ``FontConfiguration`` and one image cache are shared by every render in the process (the
``@font-face`` fonts are loaded once); a lock serialises renders because they share them.

A render takes a whole core for up to a few seconds, so at most ``PDF_RENDER_SLOTS`` renders run at
once on a machine, whatever the number of processes: each holds one of that many lock files in
``PDF_RENDER_SLOT_DIR`` (``flock``, released by the kernel when a process dies) and a render waits
until one is free (see :func:`render_slot`).

The cyclic garbage collector is paused while WeasyPrint renders (see :func:`_collector_paused`).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import io
import logging
import os
import posixpath
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfWriter
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

#: Documents are rendered as if they lived here. ``.invalid`` is reserved (RFC 2606): never resolved.
DOCUMENT_BASE_URL = "https://dokumenter.helhedsplan.invalid/"

#: What a document may load from the static files, by extension.
ALLOWED_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class RefusedURL(ValueError):
    """A document asked for something outside the project's static files."""


#: What a document may show of the plan's own files (the organisationsdiagram), by content type.
IMAGE_TYPES = ("image/png", "image/jpeg")


@dataclass(frozen=True)
class DocumentImage:
    """A picture of the plan's own (an uploaded organisationsdiagram) that a document shows: its content type
    and how to read its bytes (only when WeasyPrint asks for it)."""

    content_type: str
    read: Callable[[], bytes]


class StaticFilesURLFetcher(URLFetcher):
    """Serves the project's static files, and exactly the pictures named in ``images`` (absolute URL →
    :class:`DocumentImage`, given by the code that renders, never taken from a text); refuses every other URL.

    ``requested`` lists every URL WeasyPrint asked for, ``refused`` the ones it did not get.
    """

    def __init__(self, *, images: Mapping[str, DocumentImage] | None = None, **kwargs):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, **kwargs)
        self.images = dict(images or {})
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        image = self.images.get(url)
        if image is not None and image.content_type in IMAGE_TYPES:
            return URLFetcherResponse(url, body=image.read(), headers={"Content-Type": image.content_type})
        path = static_file_for_url(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Dokument: afviste hentning af %s", url[:200])
            raise RefusedURL(f"Dokumenter må kun hente projektets egne statiske filer, ikke {url[:200]}")
        return URLFetcherResponse(url, body=path.read_bytes(),
                                  headers={"Content-Type": ALLOWED_TYPES[path.suffix.lower()]})


def _static_prefix() -> str:
    """The absolute URL the static files have inside a document (``…/static/``)."""
    # STATIC_URL, not static(""): a manifest storage (production) has no entry for "" and would raise.
    return urljoin(DOCUMENT_BASE_URL, settings.STATIC_URL)


def static_file_for_url(url: str) -> Path | None:
    """The file on disk behind a document URL, or None if the URL is not one of our static files."""
    prefix = _static_prefix()
    if not url.startswith(prefix):
        return None
    parts = urlsplit(url)
    if parts.query or parts.username or parts.password:
        return None
    relative = unquote(url[len(prefix):].split("#", 1)[0])
    if "\\" in relative or "\x00" in relative:
        return None
    normalized = posixpath.normpath(relative)
    if normalized in ("", ".") or normalized.startswith(("/", "..")) or normalized != relative:
        return None
    if posixpath.splitext(normalized)[1].lower() not in ALLOWED_TYPES:
        return None
    found = finders.find(normalized)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:  # collected (possibly hashed) names in production
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / normalized).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate
    return None


_render_lock = threading.Lock()
_font_config: FontConfiguration | None = None
_image_cache: dict = {}


def _shared_font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside the block; the collector's state is restored after.

    WeasyPrint allocates a few hundred thousand long-lived objects (boxes, styles, layout state) while
    it renders a long document. With the collector on, the growing heap triggers several full
    collections that walk all of it again: about a fifth of the render time of the samlet plan, for
    little gain, since most of the objects are alive until the PDF is written. Paused, the render's
    cyclic garbage is freed in one pass by the collector's first run after the render (peak memory
    grows by a few MB).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


#: How often a render waiting for a slot looks again.
SLOT_POLL_SECONDS = 0.05


def _take_slot(path: Path) -> int | None:
    """The open, exclusively locked slot file ``path``, or None if another render holds it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


@contextlib.contextmanager
def render_slot() -> Iterator[int]:
    """Hold one of the machine's ``PDF_RENDER_SLOTS`` render slots for the block (yields its number),
    waiting for one to be free.

    A slot is an ``flock`` on its own file, so it is shared by every process and thread that uses
    the same directory, and given back by the kernel when the holder exits, however it exits.
    """
    directory = Path(settings.PDF_RENDER_SLOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"slot-{number}.lock" for number in range(settings.PDF_RENDER_SLOTS)]
    while True:
        for number, path in enumerate(paths):
            descriptor = _take_slot(path)
            if descriptor is None:
                continue
            try:
                yield number
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
                os.close(descriptor)
            return
        time.sleep(SLOT_POLL_SECONDS)


def render_pdf(html: str, *, url_fetcher: StaticFilesURLFetcher | None = None) -> bytes:
    """The PDF of a document's HTML (the same HTML the preview page shows), rendered in one of the
    machine's render slots (it waits for one)."""
    fetcher = url_fetcher if url_fetcher is not None else StaticFilesURLFetcher()
    with _render_lock, render_slot(), _collector_paused():
        document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher)
        # The plan's own pictures are kept for this render only: the shared cache would hold every plan's
        # pictures (up to 10 MB each) for the life of the process, and a refused one as refused.
        cache = {} if fetcher.images else _image_cache
        return document.write_pdf(font_config=_shared_font_config(), cache=cache)



def document_url(path: str) -> str:
    """The absolute URL a root-relative ``path`` (as a template prints it) has inside a rendered document."""
    return urljoin(DOCUMENT_BASE_URL, path)


def append_pdfs(content: bytes, appendices: list[bytes]) -> bytes:
    """``content`` with the pages of each PDF in ``appendices`` after it, in order (pypdf). The appended files
    were checked when they were uploaded (readable, not encrypted)."""
    if not appendices:
        return content
    writer = PdfWriter(clone_from=io.BytesIO(content))
    for appendix in appendices:
        writer.append(io.BytesIO(appendix), import_outline=False)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
