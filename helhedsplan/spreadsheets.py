"""Spreadsheets in and out: the one bounded reader every import uses, and the cell rule every export uses.

Reading (``read_table``): the file is first checked by ``helhedsplan.uploads.check_import_file`` (bytes,
zip directory, rows and cells streamed, never the range a sheet declares); only then is it parsed —
an .xlsx with openpyxl in read-only mode, columns A–CV, a .csv with its separator (``;``, ``,`` or tab)
found from the header. Whatever goes wrong while parsing becomes one ``ImportRefused`` with a Danish
message that names the row where it can; a file without data rows is refused too.

Writing (``neutralise_cell``, ``write_xlsx_cell``, ``dataset_csv``, ``dataset_xlsx``): text that a
spreadsheet would run as a formula — it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (OWASP's rule for CSV injection) — reaches the file as text: in csv/tsv with a leading
apostrophe, in xlsx as a text cell with Excel's own "quote prefix" (shown as typed, never run).
Numbers stay numbers; a text that is only a number (»-12,5«) is left alone, as it cannot run.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any, TypeVar

import tablib
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .formatting import format_number
from .uploads import READ_COLUMNS, ImportLimits, ImportRefused, check_import_file, format_from_name, import_limits

MAX_LISTED_PROBLEMS = 50

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_RE = re.compile(r"^[+-]?\d[\d.,\u00a0 ]*%?$")
CSV_DELIMITERS = (";", ",", "\t")

T = TypeVar("T")


# --- problems ------------------------------------------------------------------------------------

def listed_problems(problems: Sequence[T], limit: int = MAX_LISTED_PROBLEMS) -> list[T | str]:
    """The first ``limit`` problems, then »… og N flere« when there are more."""
    shown: list[T | str] = list(problems[:limit])
    if len(problems) > limit:
        shown.append(f"… og {format_number(len(problems) - limit)} flere.")
    return shown


# --- cells going out -----------------------------------------------------------------------------

def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet would take ``value`` for a formula (text only: numbers never are)."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not PLAIN_NUMBER_RE.match(value))


def neutralise_cell(value: Any) -> Any:
    """``value`` as it may go into a csv or tsv: text that would run as a formula gets a leading
    apostrophe (spreadsheets show it as text); everything else is returned as it is."""
    return "'" + value if is_formula_like(value) else value


def restore_cell(value: Any) -> Any:
    """The reverse of ``neutralise_cell`` for a cell read back from a csv the project wrote."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def xlsx_text(value: str) -> str:
    """Text that an .xlsx can hold: characters XML forbids (NUL, most control characters) become »\ufffd«."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def write_xlsx_cell(cell: Any, value: Any) -> None:
    """Put ``value`` into an openpyxl cell: text always as text (a formula-like text with Excel's quote
    prefix, so it is not run even when edited), numbers and dates as themselves."""
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        if value:
            cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    elif value is None or isinstance(value, bool | int | float | Decimal | date | datetime | time):
        cell.value = value
    else:
        write_xlsx_cell(cell, str(value))


def neutralised_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` with every cell (and header) through ``neutralise_cell``."""
    copy = tablib.Dataset(headers=[neutralise_cell(h) for h in dataset.headers or []] or None,
                          title=dataset.title)
    for row in dataset:
        copy.append([neutralise_cell(cell) for cell in row])
    return copy


def dataset_csv(dataset: tablib.Dataset, *, delimiter: str = ",") -> str:
    """``dataset`` as csv (or tsv with ``delimiter="\\t"``), every cell neutralised."""
    return neutralised_dataset(dataset).export("csv", delimiter=delimiter)


def dataset_xlsx(dataset: tablib.Dataset, *, title: str = "") -> bytes:
    """``dataset`` as an .xlsx of one sheet (bold header row), every cell through ``write_xlsx_cell``."""
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or dataset.title or "Ark1")[:31]
    bold = Font(bold=True)
    for column, header in enumerate(dataset.headers or [], start=1):
        cell = sheet.cell(1, column)
        write_xlsx_cell(cell, header)
        cell.font = bold
    first = 2 if dataset.headers else 1
    for row_number, row in enumerate(dataset, start=first):
        for column, value in enumerate(row, start=1):
            write_xlsx_cell(sheet.cell(row_number, column), value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- files coming in -----------------------------------------------------------------------------

def unreadable(reason: str = "den kan ikke åbnes som regneark", *, row: int | None = None) -> ImportRefused:
    where = f" (række {format_number(row)})" if row else ""
    return ImportRefused(f"Filen kunne ikke læses{where}: {reason}.", "unreadable")


def open_workbook(data: bytes, *, data_only: bool = True) -> Any:
    """An .xlsx already checked with ``check_import_file``, opened read-only (``ImportRefused`` when
    openpyxl cannot open it)."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, zip and XML errors)
        raise unreadable("den er ikke en Excel-fil i .xlsx-format, eller den er beskadiget") from exc


def guarded_rows(rows: Iterable[T]) -> Iterator[T]:
    """``rows`` (from openpyxl's ``iter_rows``) with any error while the sheet is parsed turned into an
    ``ImportRefused`` naming the row after the last one read: a damaged part or a cell openpyxl cannot
    read is found only while the rows are read."""
    iterator = iter(rows)
    number = 0
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # a damaged zip part, broken XML or an unreadable cell value
            raise unreadable("et ark i filen er beskadiget eller har en celle, der ikke kan læses",
                             row=number + 1) from exc
        number += 1
        yield row


def _header(values: Iterable[Any]) -> list[str]:
    headers = ["" if value is None else str(value).strip() for value in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _xlsx_rows(data: bytes) -> tuple[list[str], list[list[Any]]]:
    book = open_workbook(data)
    try:
        try:
            sheet = book.active
            sheet.reset_dimensions()  # ignore the declared range; read the rows and cells present
        except Exception as exc:
            raise unreadable("den har intet ark, der kan læses") from exc
        rows = guarded_rows(sheet.iter_rows(max_col=READ_COLUMNS, values_only=True))
        headers = _header(next(rows, ()))
        width = len(headers)
        body: list[list[Any]] = []
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            body.append(values)
        return headers, body
    finally:
        book.close()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[:exc.start].count(b"\n") + 1
        raise ImportRefused(f"CSV-filen skal være gemt som UTF-8 (række {format_number(row)} har et tegn, der ikke "
                            "kan læses). Vælg »CSV UTF-8« i Excel, når du gemmer.", "encoding") from None


def _split(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise unreadable("en celle i CSV-filen kan ikke læses (tjek anførselstegnene)", row=reader.line_num) from exc
    return rows


def csv_delimiter(text: str) -> str:
    """The separator of a csv: the one that splits its header into the most columns (``;`` on a tie,
    as Danish Excel writes), with the data rows deciding when the header is a single column."""
    lines = text.splitlines()
    header = lines[0] if lines else ""
    counts = {delimiter: len(_split(header, delimiter)[0]) if header else 1 for delimiter in CSV_DELIMITERS}
    best = max(counts.values())
    if best > 1:
        return next(d for d in CSV_DELIMITERS if counts[d] == best)
    sample = "\n".join(lines[1:20])
    return max(CSV_DELIMITERS, key=lambda d: (sample.count(d), d == ";"))


def _csv_rows(data: bytes) -> tuple[list[str], list[list[Any]]]:
    text = _decode(data)
    delimiter = csv_delimiter(text)
    rows = _split(text, delimiter)
    if not rows:
        return [], []
    headers = _header(rows[0])
    width = len(headers)
    body: list[list[Any]] = []
    name = {";": "semikolon", ",": "komma", "\t": "tabulator"}[delimiter]
    raw_width = len(rows[0])  # the header with its trailing empty fields, if it has any
    for number, row in enumerate(rows[1:], start=2):
        # More fields than the header is an error even when they are empty: »…;2023;12,5;« split at commas
        # puts 5 in the next column. Empty fields that the header row has too are only trailing separators.
        extra = [cell for cell in row[width:] if cell.strip()] or len(row) > raw_width
        if extra:
            hint = (" Står der et decimaltal med komma (fx 12,5) uden anførselstegn? Gem filen med semikolon "
                    "som skilletegn, eller sæt tallet i anførselstegn." if delimiter == "," else "")
            raise ImportRefused(
                f"Række {format_number(number)} har {format_number(len(row))} felter adskilt med {name}, men "
                f"overskriftsrækken har {format_number(width)}.{hint}", "columns")
        values = [restore_cell(cell) for cell in row[:width]]
        body.append(values + [""] * (width - len(values)))
    return headers, body


def read_table(source: bytes | str | IO[bytes], *, name: str = "", file_format: str | None = None,
               limits: ImportLimits | None = None) -> tablib.Dataset:
    """An uploaded .xlsx (first sheet) or .csv as a dataset: the first row gives the headers (the file's
    own column names, trimmed), empty rows are left out, at most ``READ_COLUMNS`` columns.

    Raises ``ImportRefused`` (Danish) when the file is over ``limits`` (default: ``import_limits()``),
    cannot be parsed, has no header row, or has no data rows."""
    if isinstance(source, str):
        data = source.encode("utf-8")
    elif not isinstance(source, bytes | bytearray):
        position = source.tell()
        source.seek(0)
        data = source.read()
        source.seek(position)
    else:
        data = bytes(source)
    file_format = file_format or format_from_name(name)
    if not data:
        raise ImportRefused("Filen er tom.", "empty")
    check_import_file(data, name=name, file_format=file_format, limits=limits or import_limits())
    headers, body = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)
    if not any(headers):
        raise ImportRefused("Filen har ingen overskriftsrække: række 1 skal rumme kolonnernes navne.", "no_header")
    dataset = tablib.Dataset(headers=headers)
    source_rows: list[int] = []
    for number, row in enumerate(body, start=2):
        if any(not _blank(cell) for cell in row):
            dataset.append(row)
            source_rows.append(number)
    if not source_rows:
        raise ImportRefused("Filen har ingen rækker med data, kun overskriftsrækken. Intet er importeret.", "no_rows")
    dataset.source_rows = source_rows  # the spreadsheet row of each data row (empty rows are left out)
    return dataset


def source_row(dataset: tablib.Dataset, index: int) -> int:
    """The spreadsheet row of the dataset's data row ``index`` (0-based), as ``read_table`` read it."""
    rows = getattr(dataset, "source_rows", None)
    return rows[index] if rows and 0 <= index < len(rows) else index + 2


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
