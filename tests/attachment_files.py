"""Files for the attachment (bilag) tests, made in memory: real PNG, JPEG and PDF files and the refused
kinds (GIF, encrypted and damaged PDFs, a decompression bomb), and ``attach`` to store one through the
service."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter

from agreements import attachments
from agreements.models import Attachment


def png(width: int = 240, height: int = 120, colour: str = "#1f6f8b") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(width: int = 200, height: int = 100) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#c06030").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (40, 40)).save(buffer, "GIF")
    return buffer.getvalue()


def pdf(pages: int = 2, *, password: str | None = None) -> bytes:
    """A PDF of ``pages`` blank A4 pages (encrypted with ``password`` if given)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def damaged_pdf() -> bytes:
    """The start of a PDF and then nothing a reader can use."""
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00garbage" * 40


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def decompression_bomb(side: int = 50_000) -> bytes:
    """A PNG of a few hundred bytes whose header declares ``side`` × ``side`` pixels (2.5 billion by
    default): unpacked it would need gigabytes."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * 3 * 16
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * 16))
            + _chunk(b"IEND", b""))


def attach(plan, by, *, content: bytes | None = None, title: str = "Kommissorium for bestyrelsen",
           kind: str = Attachment.Kind.APPENDIX, sub_agreement=None) -> Attachment:
    """Store a file through the upload service (a PDF bilag unless told otherwise)."""
    if content is None:
        content = png() if kind == Attachment.Kind.ORGANISATION_DIAGRAM else pdf()
    return attachments.attachment_upload(plan=plan, by=by, content=content, title=title, kind=kind,
                                         sub_agreement=sub_agreement, file_name="upload")
