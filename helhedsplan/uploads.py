"""Bounds on every imported file, checked before any parser reads it.

An import must never cost more than its limits allow, whatever the file declares about itself.
``check_import_file`` looks at a file as cheaply as possible and raises ``ImportRefused`` (a
``ValidationError`` with one Danish message) when it is over a limit:

- the size in bytes, before anything is read;
- for .xlsx (a zip archive): the zip directory only — not a zip, too many parts, too large unpacked
  in total or in one part, or packed so tightly that it can only be a zip bomb. Python's zipfile
  never inflates a part beyond the size its directory declares, so these figures bound what any later
  reader unpacks;
- then every part is streamed through expat (no DTD allowed, so no entity expansion) and stopped as
  soon as it is over a limit: rows and cells of each worksheet, and entries of the shared-strings
  table (which openpyxl keeps in memory). The declared dimension (``<dimension ref="A1:XFD1048576">``)
  is ignored: only the rows and cells actually present count;
- for .csv: lines (and separators, as a bound on cells) counted in the bounded bytes.

The limits are settings (``IMPORT_*`` and ``BUDGET_IMPORT_MAX_ROWS``, see ``DEFAULTS``). This module
imports no app of the project; each import path calls it before reading.

Bilag (``check_attachment_file``) are judged the same way, by their content: a PNG or JPEG picture (Pillow,
header first, so a decompression bomb is refused before its pixels are unpacked) or a PDF (pypdf), within
``ATTACHMENT_*`` (see ``ATTACHMENT_DEFAULTS``).
"""

from __future__ import annotations

import io
import math
import os
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .formatting import format_number

MB = 1024 * 1024

DEFAULTS = {
    "IMPORT_MAX_FILE_BYTES": 5 * MB,         # the file as uploaded
    "IMPORT_MAX_UNZIPPED_BYTES": 50 * MB,    # an .xlsx unpacked, all parts together
    "IMPORT_MAX_PART_BYTES": 25 * MB,        # one part of an .xlsx unpacked (a sheet, the shared strings …)
    "IMPORT_MAX_COMPRESSION_RATIO": 100,     # unpacked / packed size of a part of 1 MB or more
    "IMPORT_MAX_ROWS": 10_000,               # rows of a sheet or lines of a csv (indicator values, admin tables)
    "IMPORT_MAX_CELLS": 250_000,             # cells of one sheet (also shared strings; separators of a csv)
    "BUDGET_IMPORT_MAX_ROWS": 2_000,         # rows of a budgetark
}
ROW_SETTINGS = {"table": "IMPORT_MAX_ROWS", "budgetark": "BUDGET_IMPORT_MAX_ROWS"}

MAX_PARTS = 1_000          # a workbook has a few dozen parts; thousands are no spreadsheet
RATIO_FLOOR = 1 * MB       # smaller parts cost little whatever their ratio
CHUNK = 64 * 1024
READ_COLUMNS = 100         # readers built on this module read columns A–CV and nothing to the right

FORMATS = ("xlsx", "csv")


class ImportRefused(ValidationError):
    """A file refused before it was read. ``message`` says why in Danish; ``code`` names the limit."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_unzipped_bytes: int
    max_part_bytes: int
    max_compression_ratio: float
    max_rows: int
    max_cells: int


def import_limits(kind: str = "table") -> ImportLimits:
    """The limits in force: ``kind`` "table" (indicator values, admin imports) or "budgetark"."""

    def setting(name: str) -> Any:
        return getattr(settings, name, DEFAULTS[name])

    return ImportLimits(
        max_bytes=setting("IMPORT_MAX_FILE_BYTES"),
        max_unzipped_bytes=setting("IMPORT_MAX_UNZIPPED_BYTES"),
        max_part_bytes=setting("IMPORT_MAX_PART_BYTES"),
        max_compression_ratio=setting("IMPORT_MAX_COMPRESSION_RATIO"),
        max_rows=setting(ROW_SETTINGS[kind]),
        max_cells=setting("IMPORT_MAX_CELLS"),
    )


@dataclass(frozen=True)
class FileFacts:
    """What the check found: the format, bytes, and the largest sheet's rows and cells (csv: lines)."""

    file_format: str
    size: int
    unzipped_size: int = 0
    rows: int = 0
    cells: int = 0


def format_from_name(name: str) -> str | None:
    suffix = os.path.splitext(name.lower())[1].lstrip(".")
    return suffix if suffix in FORMATS else None


def check_import_file(source: bytes | str | os.PathLike | IO[bytes], *, name: str = "",
                      file_format: str | None = None, limits: ImportLimits | None = None) -> FileFacts:
    """Refuse ``source`` with ``ImportRefused`` unless it is within ``limits``; nothing is parsed first.

    ``source``: the file's bytes (text for csv), a path, or an open binary file such as an upload
    (its position is restored). ``file_format`` "xlsx" or "csv"; by default from ``name``'s suffix.
    """
    limits = limits or import_limits()
    file_format = file_format or format_from_name(name or str(getattr(source, "name", "") or ""))
    if file_format not in FORMATS:
        raise ImportRefused("Filen skal være et regneark (.xlsx) eller en CSV-fil (.csv).", "format")
    size = _size(source)
    if size > limits.max_bytes:
        raise ImportRefused(f"Filen er for stor: højst {_megabytes(limits.max_bytes)} "
                            f"(filen fylder {_megabytes(size)}).", "file_size")
    with _opened(source) as stream:
        if file_format == "xlsx":
            return _check_xlsx(stream, size, limits)
        return _check_csv(stream, size, limits)


# --- reading the source without reading it all --------------------------------------------------

def _size(source: Any) -> int:
    if isinstance(source, bytes | bytearray | memoryview):
        return len(source)
    if isinstance(source, str):
        return len(source.encode("utf-8"))
    if isinstance(source, os.PathLike):
        return os.stat(source).st_size
    size = getattr(source, "size", None)  # Django's uploaded files know their size
    if isinstance(size, int):
        return size
    position = source.tell()
    end = source.seek(0, io.SEEK_END)
    source.seek(position)
    return end


@contextmanager
def _opened(source: Any) -> Iterator[IO[bytes]]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(source)
    elif isinstance(source, str):
        yield io.BytesIO(source.encode("utf-8"))
    elif isinstance(source, os.PathLike):
        with open(source, "rb") as handle:
            yield handle
    else:
        position = source.tell()
        source.seek(0)
        try:
            yield source
        finally:
            source.seek(position)


# --- messages ----------------------------------------------------------------------------------

def _megabytes(count: int) -> str:
    """Rounded up, so that a file just over a limit never reads as being at it."""
    value = count / MB
    if value >= 10:
        return f"{format_number(math.ceil(value))} MB"
    tenths = math.ceil(value * 10)
    return f"{format_number(tenths // 10)} MB" if tenths % 10 == 0 else f"{format_number(tenths / 10, 1)} MB"


def _not_xlsx(reason: str = "den kan ikke åbnes som regneark") -> ImportRefused:
    return ImportRefused(f"Filen kunne ikke læses: den er ikke en Excel-fil i .xlsx-format ({reason}).",
                         "not_xlsx")


def _too_many(code: str, what: str, limit: int, found: int, where: str = "filen") -> ImportRefused:
    return ImportRefused(f"Filen er for stor: højst {format_number(limit)} {what} "
                         f"({where} har {format_number(found)}).", code)


# --- .xlsx -------------------------------------------------------------------------------------

def _check_xlsx(stream: IO[bytes], size: int, limits: ImportLimits) -> FileFacts:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise _not_xlsx() from exc
    with archive:
        parts = [info for info in archive.infolist() if not info.is_dir()]
        if len(parts) > MAX_PARTS:
            raise ImportRefused(f"Filen er ikke et almindeligt regneark: den består af {format_number(len(parts))} "
                                f"dele (højst {format_number(MAX_PARTS)}).", "parts")
        if "[Content_Types].xml" not in {info.filename for info in parts}:
            raise _not_xlsx()
        unzipped = sum(info.file_size for info in parts)
        if unzipped > limits.max_unzipped_bytes:
            raise ImportRefused(f"Filen er for stor udpakket: højst {_megabytes(limits.max_unzipped_bytes)} "
                                f"(filen fylder {_megabytes(unzipped)}, når den pakkes ud).", "unzipped_size")
        for info in parts:
            if info.file_size > limits.max_part_bytes:
                raise ImportRefused(f"Filen er for stor udpakket: delen »{info.filename}« fylder "
                                    f"{_megabytes(info.file_size)} (højst {_megabytes(limits.max_part_bytes)}).",
                                    "part_size")
            if info.file_size >= RATIO_FLOOR and info.file_size > limits.max_compression_ratio * max(
                    info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                raise ImportRefused(f"Filen er pakket usædvanligt tæt: delen »{info.filename}« fylder "
                                    f"{format_number(round(ratio))} gange mere udpakket (højst "
                                    f"{format_number(limits.max_compression_ratio)}). Sådan ser en zip-bombe ud, "
                                    "ikke et regneark.", "compression_ratio")
        rows = cells = 0
        for info in parts:
            scan = _scan_part(archive, info, limits)
            rows, cells = max(rows, scan.rows), max(cells, scan.cells)
    return FileFacts("xlsx", size, unzipped, rows, cells)


class _Stop(Exception):
    """Ends a part's scan early: it is no worksheet or shared-strings table, or it is over a limit."""


class _PartScan:
    """Counts, while expat streams one part: rows that hold cells and cells (worksheet), entries (sst)."""

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.kind = ""  # the root element: "worksheet", "sst", or another part's
        self.rows = self.cells = self.strings = 0
        self.row_open = False
        self.over = ""  # the limit passed: "rows", "cells" or "strings"

    def start(self, name: str, attributes: dict) -> None:
        local = name.rpartition("}")[2]
        if not self.kind:
            self.kind = local
            if local not in {"worksheet", "sst"}:
                raise _Stop
            return
        if local == "c":
            self.cells += 1
            if self.row_open:
                self.rows += 1
                self.row_open = False
                if self.rows > self.limits.max_rows:
                    self.over = "rows"
                    raise _Stop
            if self.cells > self.limits.max_cells:
                self.over = "cells"
                raise _Stop
        elif local == "row":
            self.row_open = True
        elif local == "si" and self.kind == "sst":
            self.strings += 1
            if self.strings > self.limits.max_cells:
                self.over = "strings"
                raise _Stop

    def doctype(self, *args: Any) -> None:
        # A spreadsheet part never has a DTD; one with entities could expand without bound.
        raise _not_xlsx("den indeholder en DTD")


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ImportLimits) -> _PartScan:
    scan = _PartScan(limits)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = scan.start
    parser.StartDoctypeDeclHandler = scan.doctype
    parser.EntityDeclHandler = scan.doctype
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        if scan.kind in {"worksheet", "sst"}:
            raise _not_xlsx("et ark i filen er beskadiget") from exc
        # Parts that are not XML (pictures, binary parts) are no business of this check.
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
        raise _not_xlsx() from exc
    if scan.over == "rows":
        found = max(scan.rows, _count_elements(archive, info, b"row"))
        raise _too_many("rows", "rækker", limits.max_rows, found)
    if scan.over == "cells":
        found = max(scan.cells, _count_elements(archive, info, b"c"))
        raise _too_many("cells", "celler", limits.max_cells, found, where="et ark i filen")
    if scan.over == "strings":
        found = max(scan.strings, _count_elements(archive, info, b"si"))
        raise _too_many("strings", "forskellige tekster", limits.max_cells, found)
    return scan


def _count_elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo, local_name: bytes) -> int:
    """How many ``local_name`` elements the part has, for the refusal's message: a plain byte scan of
    the part (already known to be within the size limits), much cheaper than parsing it."""
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?" + re.escape(local_name) + rb"[\s/>]")
    keep = 256  # an element's start never spans more than this across two chunks
    count, carry = 0, b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            buffer = carry + chunk
            cut = max(len(buffer) - keep, 0)
            count += sum(1 for match in pattern.finditer(buffer) if match.start() < cut)
            carry = buffer[cut:]
    return count + sum(1 for _ in pattern.finditer(carry))


# --- .csv --------------------------------------------------------------------------------------

def _check_csv(stream: IO[bytes], size: int, limits: ImportLimits) -> FileFacts:
    data = stream.read(limits.max_bytes + 1)
    crlf = data.count(b"\r\n")
    lines = data.count(b"\n") + data.count(b"\r") - crlf
    if data and not data.endswith((b"\n", b"\r")):
        lines += 1
    if lines > limits.max_rows:
        raise _too_many("rows", "rækker", limits.max_rows, lines)
    # Every cell but a line's first follows a separator; text with commas only makes this larger.
    cells = lines + data.count(b",") + data.count(b";") + data.count(b"\t")
    if cells > limits.max_cells:
        raise _too_many("cells", "celler", limits.max_cells, cells)
    return FileFacts("csv", size, rows=lines, cells=cells)


# --- .docx -------------------------------------------------------------------------------------

def check_word_file(content: bytes) -> None:
    """Refuse a Word file (.docx) over the import limits before any reader unpacks it: its size, and
    from the zip directory only, the number of parts, the size unpacked (in total and per part) and the
    compression ratio of each part. ``ImportRefused`` with a Danish message."""
    limits = import_limits()
    if len(content) > limits.max_bytes:
        raise ImportRefused(f"Filen er for stor: højst {_megabytes(limits.max_bytes)} "
                            f"(filen fylder {_megabytes(len(content))}).", "file_size")
    not_docx = ImportRefused("Filen kan ikke læses som et Word-dokument (.docx).", "not_docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise not_docx from exc
    with archive:
        parts = [info for info in archive.infolist() if not info.is_dir()]
        if len(parts) > MAX_PARTS or "word/document.xml" not in {info.filename for info in parts}:
            raise not_docx
        unzipped = sum(info.file_size for info in parts)
        if unzipped > limits.max_unzipped_bytes:
            raise ImportRefused(f"Filen er for stor udpakket: højst {_megabytes(limits.max_unzipped_bytes)} "
                                f"(filen fylder {_megabytes(unzipped)}, når den pakkes ud).", "unzipped_size")
        for info in parts:
            too_large = info.file_size > limits.max_part_bytes
            too_tight = info.file_size >= RATIO_FLOOR and info.file_size > limits.max_compression_ratio * max(
                info.compress_size, 1)
            if too_large or too_tight:
                raise ImportRefused(f"Filen er for stor udpakket eller pakket usædvanligt tæt: delen "
                                    f"»{info.filename}« fylder {_megabytes(info.file_size)}.", "part_size")


# --- Attachments (bilag): PNG, JPEG or PDF, judged by their content -----------------------------------

ATTACHMENT_DEFAULTS = {
    "ATTACHMENT_MAX_BYTES": 10 * MB,          # the file as uploaded
    "ATTACHMENT_MAX_PIXELS": 40_000_000,      # width × height of an image (an A0 poster at 200 dpi is ~30 M)
    "ATTACHMENT_MAX_PDF_PAGES": 200,          # pages of a PDF bilag
}
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class AttachmentFacts:
    """What the check found: the content type from the content itself, and for an image its size in pixels,
    for a PDF its number of pages."""

    content_type: str
    size: int
    width: int = 0
    height: int = 0
    pages: int = 0

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES.values()


def _attachment_setting(name: str) -> int:
    return getattr(settings, name, ATTACHMENT_DEFAULTS[name])


def check_attachment_file(content: bytes) -> AttachmentFacts:
    """Refuse a bilag unless it is a readable PNG, JPEG or PDF within the limits (``ImportRefused`` with a
    Danish message). The type is read from the bytes, never from the file's name or the browser's content
    type. Images are opened with Pillow (only the header is decoded; a picture whose header declares more
    pixels than ``ATTACHMENT_MAX_PIXELS`` — a decompression bomb — is refused before its data is unpacked)
    and ``verify``'d; PDFs are read with pypdf: an encrypted or damaged PDF is refused."""
    check_attachment_size(len(content))
    if not content:
        raise ImportRefused("Filen er tom.", "empty")
    if content.startswith(b"%PDF-") or content[:1024].lstrip().startswith(b"%PDF-"):
        return _check_pdf(content)
    return _check_image(content)


def attachment_limits_text() -> str:
    """The limits in force, for a form's help text: "10 MB og 200 sider"."""
    return (f"{_megabytes(_attachment_setting('ATTACHMENT_MAX_BYTES'))} og "
            f"{format_number(_attachment_setting('ATTACHMENT_MAX_PDF_PAGES'))} sider")


def check_attachment_size(size: int) -> None:
    """Refuse a bilag of ``size`` bytes over ``ATTACHMENT_MAX_BYTES`` (before it is read)."""
    max_bytes = _attachment_setting("ATTACHMENT_MAX_BYTES")
    if size > max_bytes:
        raise ImportRefused(f"Filen er for stor: højst {_megabytes(max_bytes)} "
                            f"(filen fylder {_megabytes(size)}).", "file_size")


NOT_ACCEPTED = "Filen skal være et billede (PNG eller JPEG) eller en PDF-fil."


def _check_image(content: bytes) -> AttachmentFacts:
    max_pixels = _attachment_setting("ATTACHMENT_MAX_PIXELS")
    damaged = ImportRefused("Billedet kan ikke læses: filen er beskadiget.", "damaged_image")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; every bomb is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the accepted formats' decoders ever see the bytes.
            with Image.open(io.BytesIO(content), formats=tuple(IMAGE_TYPES)) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                image.verify()
            if image_format == "JPEG":
                _decode_jpeg_reduced(content)
    except ImportRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImportRefused(f"Billedet er for stort: højst {format_number(max_pixels)} billedpunkter "
                            "(filen angiver langt flere).", "pixels") from exc
    except UnidentifiedImageError as exc:
        raise ImportRefused(NOT_ACCEPTED, "format") from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise damaged from exc
    return AttachmentFacts(IMAGE_TYPES[image_format], len(content), width=width, height=height)


def _decode_jpeg_reduced(content: bytes) -> None:
    """Read a JPEG's whole entropy-coded data at an eighth of its size (Pillow's ``verify`` reads no JPEG
    data), so a damaged picture is found here, at little memory, not when a document is rendered. WeasyPrint
    makes Pillow accept truncated pictures process-wide, so the end of the last scan is checked by hand: an
    end-of-image marker must follow it (0xFFD9 cannot occur inside the coded data, where 0xFF is stuffed)."""
    if content.rfind(b"\xff\xd9") < content.rfind(b"\xff\xda"):
        raise OSError("JPEG ends before its last scan does")
    with Image.open(io.BytesIO(content), formats=("JPEG",)) as image:
        image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
        image.load()


def _too_many_pixels(width: int, height: int, max_pixels: int) -> ImportRefused:
    return ImportRefused(f"Billedet er for stort: højst {format_number(max_pixels)} billedpunkter "
                         f"(billedet er {format_number(width)} × {format_number(height)}).", "pixels")


def _check_pdf(content: bytes) -> AttachmentFacts:
    max_pages = _attachment_setting("ATTACHMENT_MAX_PDF_PAGES")
    damaged = ImportRefused("PDF-filen kan ikke læses: den er beskadiget.", "damaged_pdf")
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ImportRefused("PDF-filen er krypteret eller beskyttet med adgangskode. Gem den uden "
                                "beskyttelse, og prøv igen.", "encrypted_pdf")
        pages = len(reader.pages)
        if pages == 0:
            raise damaged
        if pages > max_pages:
            raise ImportRefused(f"PDF-filen er for lang: højst {format_number(max_pages)} sider "
                                f"(filen har {format_number(pages)}).", "pdf_pages")
        for page in reader.pages:  # every page's size and content must be readable to be appended
            if page.mediabox.width <= 0 or page.mediabox.height <= 0:
                raise damaged
            page.get_contents()
    except ImportRefused:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            struct.error) as exc:
        raise damaged from exc
    return AttachmentFacts(PDF_TYPE, len(content), pages=pages)
