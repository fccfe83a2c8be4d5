"""Real files for the import-bounds tests, built with openpyxl and zipfile (no mocks).

Each builder returns bytes; tests write them to ``tmp_path`` where a path is needed.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

MB = 1024 * 1024


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(headers: list, rows: Iterable[list]) -> bytes:
    """A one-sheet workbook: a header row, then ``rows`` (streamed, so thousands are cheap)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ark1")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    return save(workbook)


def with_rows(data: bytes, sheet: str, rows: Iterable[list]) -> bytes:
    """``data`` with ``rows`` appended to the sheet named ``sheet``."""
    workbook = load_workbook(io.BytesIO(data))
    for row in rows:
        workbook[sheet].append(row)
    return save(workbook)


def with_notes_sheet(data: bytes, *, kilobytes: int) -> bytes:
    """``data`` with a sheet »Noter« of about ``kilobytes`` of distinct text (it hardly compresses)."""
    workbook = load_workbook(io.BytesIO(data))
    notes = workbook.create_sheet("Noter")
    for _ in range(kilobytes):
        notes.append([secrets.token_hex(512)])
    return save(workbook)


def with_styled_empty_cells(data: bytes, sheet: str, count: int, *, first_row: int = 1) -> bytes:
    """``data`` with ``count`` empty cells that only carry a fill, far to the right of the data."""
    workbook = load_workbook(io.BytesIO(data))
    fill = PatternFill("solid", fgColor="FFFF00")
    ws = workbook[sheet]
    for index in range(count):
        ws.cell(first_row + index // 50, 200 + index % 50).fill = fill
    return save(workbook)


def rezip(data: bytes, *, change=None, extra: dict[str, tuple[bytes, int]] | None = None) -> bytes:
    """``data``'s parts copied into a new zip; ``change(name, content)`` may rewrite a part, ``extra``
    adds parts (name → (content, compression))."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if change is not None:
                content = change(info.filename, content)
            target.writestr(info.filename, content)
        for name, (content, compression) in (extra or {}).items():
            target.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


def with_declared_dimension(data: bytes, ref: str = "A1:XFD1048576") -> bytes:
    """``data`` whose worksheets declare the range ``ref`` (the rows and cells stay as they are)."""

    declared = f'<dimension ref="{ref}"/>'.encode()

    def change(name: str, content: bytes) -> bytes:
        if not name.startswith("xl/worksheets/sheet"):
            return content
        if b"<dimension" in content:
            return re.sub(rb'<dimension ref="[^"]*"\s*/>', declared, content)
        # Streamed workbooks have none; it goes before the sheet's views, format and data.
        return re.sub(rb"<(sheetViews|sheetFormatPr|cols|sheetData)\b", lambda m: declared + m.group(0), content,
                      count=1)

    return rezip(data, change=change)


def with_zip_bomb_part(data: bytes, *, megabytes: int = 4) -> bytes:
    """``data`` with one more part: ``megabytes`` of zeros, which deflate about a thousandfold."""
    return rezip(data, extra={"xl/media/image1.bin": (b"\0" * (megabytes * MB), zipfile.ZIP_DEFLATED)})


def csv_lines(header: str, line: str, count: int) -> bytes:
    return (header + "\n" + "".join(line.format(index=index) + "\n" for index in range(count))).encode()


NOT_A_ZIP = b"plan;indsatsomr\xc3\xa5de;indikator;\xc3\xa5r;v\xc3\xa6rdi\nDette er ikke et regneark.\n"
