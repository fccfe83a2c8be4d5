"""LBF's budgetark as an .xlsx file (openpyxl): the layout users already have, read and written.

Reading: a header row whose first cell is »Udgiftsposter«; year columns headed by
four-digit years; the other columns found by their header text; section rows »Tværgående
administrationsudgifter«, »N. <indsatsområde>« and »Lokal evaluering«; »Sum«, »I alt«, »Fordeling af
medfinansiering i alt«, »Total«, »Samlet medfinansiering«, »Balance« and »Medfinans. %« are checked
against the lines, never stored; »(Vælg udgiftstype)« and empty »0« rows are skipped; footnote markers
»(12)« in names and the numbered footnote block become the lines' footnotes. A file with any problem
is rejected whole, with every problem named by sheet, row and column (``BudgetFileError``).

Writing produces the same layout with live formulas for every derived figure, so the file keeps
adding up in Excel, and export → import is exact.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from agreements.models import FocusArea, Plan, PlanFocusArea
from helhedsplan.formatting import format_number
from helhedsplan.spreadsheets import (
    MAX_LISTED_PROBLEMS,
    guarded_rows,
    listed_problems,
    open_workbook,
    unreadable,
    write_xlsx_cell,
)
from helhedsplan.uploads import READ_COLUMNS, ImportRefused, check_import_file, import_limits

from .calculations import FINANCING_FIELDS, Figures, name_with_footnote, strip_footnote_markers
from .content import (
    CROSS_CUTTING,
    FOCUS_AREA,
    LOCAL_EVALUATION,
    SECTION_TITLES,
    BudgetContent,
    FootnoteData,
    LineData,
    in_sheet_order,
)
from .models import BudgetFootnote, BudgetLine, ExpenseType

SHEET_TITLE = "Budgetark"
EXPENSE_TYPE_SHEET = "Udgiftstyper"
CHOOSE_EXPENSE_TYPE = "(Vælg udgiftstype)"
# Bytes, unpacked size, rows (BUDGET_IMPORT_MAX_ROWS) and cells are bounded by helhedsplan.uploads
# before the file is opened; MAX_ROWS is the highest row number read (rows may be far apart).
MAX_ROWS = 10_000
MAX_LINES = 1_000
MAX_COUNTED_PROBLEMS = 10_000  # reading stops here; the first MAX_LISTED_PROBLEMS are listed
BLANK_ROWS_PER_SECTION = 3

SUM_LABELS = {"sum", "i alt"}
DISTRIBUTION_LABEL = "fordeling af medfinansiering i alt"
TOTAL_LABEL = "total"
COFINANCING_LABEL = "samlet medfinansiering"
BALANCE_LABEL = "balance"
PERCENT_LABEL_RE = re.compile(r"^medfinans(\.|iering)?\s*(%|pct\.?)?$")
FOOTNOTE_ROW_RE = re.compile(r"^\s*(\d{1,3}[a-zA-Z]?)\)\s*(.*)$", re.DOTALL)
FOOTNOTE_ONLY_RE = re.compile(r"^\s*(\d{1,3}[a-zA-Z]?)\)\s*$")
SECTION_NUMBER_RE = re.compile(r"^(\d{1,2})\s*\.\s*(\S.*)$")
DANISH_INTEGER_RE = re.compile(r"^-?\d{1,3}(\.\d{3})+$|^-?\d+$")
EXPENSE_TYPE_RE = re.compile(r"^(\d{1,2})\s*\.?\s*(.*)$")
HEADER_WORDS = {"udgiftsposter", "udgiftspost", "udgiftstype", "projektperiode - udgifter", "samlede udgifter",
                "finansiering", "lbf", "kontant", "timer, lokaler", "evt. anden lokal medfinans.",
                "medfinansiering boligorganisation(er)", "medfinansiering kommune"}

COLUMN_HEADINGS = {
    "total": "Samlede udgifter",
    "lbf": "LBF",
    "bo_cash": "Medfinansiering boligorganisation(er) – Kontant",
    "bo_hours": "Medfinansiering boligorganisation(er) – Timer, lokaler",
    "kom_cash": "Medfinansiering kommune – Kontant",
    "kom_hours": "Medfinansiering kommune – Timer, lokaler",
    "other": "Evt. anden lokal medfinans.",
}


# ---------------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, where to find it, in Danish."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: int | None = None  # 1-based
    column_label: str = ""

    @property
    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Ark »{self.sheet}«")
        if self.row is not None:
            parts.append(f"række {self.row}")
        if self.column is not None:
            letter = get_column_letter(self.column)
            parts.append(f"kolonne {letter}" + (f" ({self.column_label})" if self.column_label else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class BudgetFileError(Exception):
    """The file cannot be imported; ``problems`` lists every reason (nothing has been written)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class ReadResult:
    content: BudgetContent
    sheet: str
    notices: list[str] = field(default_factory=list)


class _TooManyProblems(Exception):
    pass


class _CellError(ValueError):
    pass


class _StopReading(Exception):
    """The rest of the sheet is not read (the problem saying why has been recorded)."""


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass
class _Cell:
    value: Any
    formula: bool = False

    @property
    def empty(self) -> bool:
        value = self.value
        if value is None:
            return True
        if isinstance(value, str):
            return not value.strip()
        return False

    @property
    def blank_or_zero(self) -> bool:
        if self.empty:
            return True
        value = self.value
        if isinstance(value, str):
            return value.strip() in {"0", "-"}
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value == 0

    @property
    def text(self) -> str:
        value = self.value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(":").strip()


def _label(file_name: str) -> str:
    return f" »{file_name}«" if file_name else ""


def _not_xlsx(file_label: str) -> Problem:
    return Problem(f"Filen{file_label} er ikke en Excel-fil i .xlsx-format. Gem budgetarket som »Excel-projektmappe "
                   "(.xlsx)« og prøv igen.")


def check_budget_file(source, *, file_name: str = "") -> None:
    """Refuse a file over the import limits before anything reads it (``BudgetFileError``)."""
    try:
        check_import_file(source, name=file_name, file_format="xlsx", limits=import_limits("budgetark"))
    except ImportRefused as exc:
        if exc.code == "not_xlsx":
            raise BudgetFileError([_not_xlsx(_label(file_name))]) from exc
        raise BudgetFileError([Problem(exc.message)]) from exc


def _check_container(data: bytes, file_name: str) -> None:
    if not data:
        raise BudgetFileError([Problem("Filen er tom.")])
    check_budget_file(data, file_name=file_name)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if not any(name.startswith("xl/") for name in names):
        raise BudgetFileError([_not_xlsx(_label(file_name))])


def _choose_sheet(workbook) -> str:
    names = workbook.sheetnames
    for name in names:
        if "budget" in name.casefold():
            return name
    for name in names:
        for row in workbook[name].iter_rows(max_row=60, max_col=1, values_only=True):
            if row and isinstance(row[0], str) and _norm(row[0]) == "udgiftsposter":
                return name
    return names[0]


def _load_rows(data: bytes, file_name: str) -> tuple[str, list[list[_Cell]], bool]:
    """The chosen sheet's rows (values as last calculated, and which cells hold formulas)."""
    _check_container(data, file_name)
    try:
        return _read_rows(data)
    except ImportRefused as exc:  # damaged or foreign inside, found while opening or reading the rows
        raise BudgetFileError([Problem(f"Filen{_label(file_name)}: {exc.message} Gem budgetarket som "
                                       "»Excel-projektmappe (.xlsx)« og prøv igen.")]) from exc


def _read_rows(data: bytes) -> tuple[str, list[list[_Cell]], bool]:
    formulas_book = open_workbook(data, data_only=False)
    try:
        values_book = open_workbook(data, data_only=True)
    except ImportRefused:
        formulas_book.close()
        raise
    try:
        try:
            sheet = _choose_sheet(values_book)
            value_sheet, formula_sheet = values_book[sheet], formulas_book[sheet]
        except Exception as exc:  # an unreadable sheet list or first column
            raise unreadable("et ark i filen er beskadiget") from exc
        # The rows and cells present, never the range the sheet declares (which may be A1:XFD1048576):
        # a missing row reads as empty and a row ends at its last cell, at most READ_COLUMNS wide.
        value_sheet.reset_dimensions()
        formula_sheet.reset_dimensions()
        value_rows = guarded_rows(value_sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=READ_COLUMNS))
        formula_rows = guarded_rows(formula_sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=READ_COLUMNS))
        rows: list[list[_Cell]] = []
        missing_row = None  # openpyxl yields one shared empty row for every row the file leaves out
        for value_row, formula_row in zip(value_rows, formula_rows, strict=False):
            if formula_row is missing_row:
                rows.append([])
                continue
            # Up to the row's last cell with content (a formula or a value).
            width = next((index + 1 for index in range(len(formula_row) - 1, -1, -1)
                          if formula_row[index].value is not None), 0)
            if not width:
                missing_row = formula_row
            rows.append([_Cell(value_row[index].value, getattr(formula_row[index], "data_type", None) == "f")
                         for index in range(width)])
        truncated = len(rows) > MAX_ROWS
        return sheet, rows[:MAX_ROWS], truncated
    finally:
        formulas_book.close()
        values_book.close()


@dataclass
class _Columns:
    years: dict[int, int]            # column index (0-based) → year
    fields: dict[str, int]           # "total", "lbf", "bo_cash", … → column index
    expense: int                     # the udgiftstype / beskrivelse column

    def label(self, index: int) -> str:
        if index in self.years:
            return str(self.years[index])
        for name, column in self.fields.items():
            if column == index:
                return COLUMN_HEADINGS[name]
        return ""


@dataclass
class _Section:
    kind: str
    title: str
    row: int
    focus_area: FocusArea | None = None
    chosen: bool = True
    valid: bool = True
    lines: list[LineData] = field(default_factory=list)
    reported: bool = False


class _Reader:
    def __init__(self, rows: list[list[_Cell]], *, sheet: str, plan: Plan):
        self.rows = rows
        self.sheet = sheet
        self.plan = plan
        self.problems: list[Problem] = []
        self.notices: list[str] = []
        self.period = plan.years
        pulje_areas = list(FocusArea.objects.filter(pulje_id=plan.pulje_id))
        self.areas_by_name = {_norm(area.name): area for area in pulje_areas}
        self.chosen_ids = set(PlanFocusArea.objects.filter(plan=plan).values_list("focus_area_id", flat=True))
        types = list(ExpenseType.objects.all())
        self.types_by_code = {t.code: t for t in types}
        self.types_by_name = {_norm(t.name): t for t in types}
        self.lines: list[LineData] = []
        self.footnotes: dict[str, FootnoteData] = {}
        self.footnote_rows: dict[str, int] = {}
        self.raw_footnotes: list[list] = []  # [number, text, row] as found

    # -- problems ---------------------------------------------------------------------------

    def problem(self, message: str, row: int | None = None, column: int | None = None) -> None:
        label = self.columns.label(column) if column is not None and hasattr(self, "columns") else ""
        self.problems.append(Problem(message, self.sheet, row + 1 if row is not None else None,
                                     column + 1 if column is not None else None, label))
        if len(self.problems) >= MAX_COUNTED_PROBLEMS:
            raise _TooManyProblems

    def listed_problems(self) -> list[Problem]:
        """The first problems, then »… og N flere problemer.« (``helhedsplan.spreadsheets``)."""
        listed = listed_problems(self.problems)
        if len(listed) > len(self.problems[:MAX_LISTED_PROBLEMS]):
            more = len(self.problems) - MAX_LISTED_PROBLEMS
            prefix = "mindst " if len(self.problems) >= MAX_COUNTED_PROBLEMS else ""
            listed[-1] = Problem(f"… og {prefix}{format_number(more)} flere problemer.")
        return listed

    def cell(self, row: int, column: int) -> _Cell:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else _Cell(None)

    # -- numbers ----------------------------------------------------------------------------

    def number(self, row: int, column: int, *, derived: bool = False) -> int | None:
        """The whole number in a cell; None when empty (or a formula with no stored result)."""
        cell = self.cell(row, column)
        if cell.formula and cell.value is None:
            if derived:
                return None
            raise _CellError("Cellen indeholder en formel uden gemt resultat. Åbn og gem filen i Excel, "
                             "eller skriv tallet direkte.")
        value = cell.value
        if cell.empty:
            return None
        if isinstance(value, bool) or isinstance(value, date | datetime):
            raise _CellError(f"»{cell.text}« er ikke et beløb.")
        if isinstance(value, str):
            text = value.strip().replace("\u00a0", "").replace(" ", "")
            if text == "-":
                return 0
            if not DANISH_INTEGER_RE.match(text):
                raise _CellError(f"»{value.strip()}« er ikke et tal. Skriv beløbet i hele tusinde kroner.")
            value = int(text.replace(".", ""))
        if isinstance(value, float | Decimal):
            if value != int(value):
                raise _CellError(f"{format_number(value)} er ikke et helt tal. Beløb skrives i hele tusinde kroner.")
            value = int(value)
        if value < 0:
            raise _CellError(f"Beløbet {format_number(value)} er negativt. Beløb må ikke være negative.")
        return value

    def stated(self, row: int, column: int | None) -> int | None:
        """A derived figure as the file states it (None when not stated); reports unreadable cells."""
        if column is None:
            return None
        try:
            return self.number(row, column, derived=True)
        except _CellError as exc:
            self.problem(str(exc), row, column)
            return None

    def compare(self, row: int, column: int | None, expected: int, what: str) -> None:
        stated = self.stated(row, column)
        if stated is not None and stated != expected:
            self.problem(f"{what} viser {format_number(stated)}, men udgiftsposterne giver {format_number(expected)}.",
                         row, column)

    # -- header -----------------------------------------------------------------------------

    def find_header(self) -> int:
        for index, cells in enumerate(self.rows):
            if cells and isinstance(cells[0].value, str) and _norm(cells[0].value) == "udgiftsposter":
                return index
        if not any(not cell.empty for cells in self.rows for cell in cells):
            self.problems.append(Problem("Arket er tomt – der er intet budget i filen.", self.sheet))
        else:
            self.problems.append(Problem(
                "Overskriftsrækken mangler: ingen række har »Udgiftsposter« i kolonne A, så kolonnerne "
                "(år, LBF, medfinansiering) kan ikke findes. Brug LBF's budgetark.", self.sheet, None, 1))
        raise BudgetFileError(self.problems)

    def find_columns(self, header: int) -> tuple[_Columns, int]:
        years: dict[int, int] = {}
        texts: list[tuple[int, int, str]] = []
        last = header
        for index in range(header, min(header + 4, len(self.rows))):
            cells = self.rows[index]
            if index > header and cells and not cells[0].empty and _norm(cells[0].text) not in HEADER_WORDS:
                break
            last = index
            for column, cell in enumerate(cells[1:], start=1):
                value = cell.value
                year = None
                if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
                    year = int(value)
                elif isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
                    year = int(value)
                if year is not None and 1900 <= year <= 2200:
                    if year in years.values():
                        self.problems.append(Problem(f"Året {year} står som overskrift i to kolonner.", self.sheet,
                                                     index + 1, column + 1))
                    years[column] = year
                elif isinstance(value, str) and value.strip():
                    texts.append((index, column, _norm(value)))
        fields: dict[str, int] = {}
        kontant = sorted(column for _, column, text in texts if text == "kontant")
        timer = sorted(column for _, column, text in texts if text.startswith("timer"))
        groups = []
        for _, column, text in texts:
            if text == "samlede udgifter":
                fields["total"] = column
            elif text == "lbf":
                fields["lbf"] = column
            elif text.startswith("medfinansiering boligorganisation"):
                groups.append((column, "bo"))
            elif text.startswith("medfinansiering kommune"):
                groups.append((column, "kom"))
            elif text.startswith("evt. anden") or text.startswith("anden lokal"):
                fields["other"] = column
        for column, prefix in sorted(groups):
            cash = next((c for c in kontant if c >= column and c not in fields.values()), None)
            hours = next((c for c in timer if c >= column and c not in fields.values()), None)
            if cash is not None:
                fields[f"{prefix}_cash"] = cash
            if hours is not None:
                fields[f"{prefix}_hours"] = hours
        missing = [COLUMN_HEADINGS[name] for name in ("total", *FINANCING_FIELDS) if name not in fields]
        for heading in missing:
            self.problems.append(Problem(f"Kolonnen »{heading}« mangler i overskriften.", self.sheet, header + 1))
        if not years:
            self.problems.append(Problem("Der er ingen årskolonner (overskrifter med firecifrede årstal).",
                                         self.sheet, header + 1))
        for year in self.period:
            if years and year not in years.values():
                self.problems.append(Problem(
                    f"Kolonnen for året {year} mangler; helhedsplanens periode dækker {self.period_text}.",
                    self.sheet, header + 1))
        expense = self.find_expense_column(header, set(years) | set(fields.values()))
        if self.problems:
            raise BudgetFileError(self.problems)
        return _Columns(years=years, fields=fields, expense=expense), last

    @property
    def period_text(self) -> str:
        return f"{self.period[0]}–{self.period[-1]}" if len(self.period) > 1 else str(self.period[0])

    def find_expense_column(self, header: int, used: set[int]) -> int:
        for cells in self.rows[header:header + 15]:
            for column, cell in enumerate(cells[1:], start=1):
                if isinstance(cell.value, str) and _norm(cell.value) == "udgiftstype":
                    return column
        return 1 if 1 not in used else -1

    # -- rows -------------------------------------------------------------------------------

    def read(self) -> ReadResult:
        header = self.find_header()
        self.columns, last_header = self.find_columns(header)
        try:
            self.read_body(last_header + 1)
            self.resolve_footnotes()
            self.check_duplicates()
            self.check_texts()
        except _TooManyProblems:
            pass  # counted up to MAX_COUNTED_PROBLEMS; a file this wrong is no budgetark
        except _StopReading:
            pass
        if not self.problems and not self.lines:
            self.problem("Arket indeholder ingen udgiftsposter under overskriftsrækken.", header)
        if self.problems:
            raise BudgetFileError(self.listed_problems())
        for line in self.lines:
            for number in line.footnote and line.footnote.split(" + ") or []:
                if number not in self.footnotes:
                    self.footnotes[number] = FootnoteData(number, "")
                    self.notices.append(f"Fodnote {number} (ved »{line.name}«, række {line.row}) står ikke i "
                                        "fodnoteblokken; den oprettes uden tekst.")
        order = {area.pk: area.order for area in self.areas_by_name.values()}
        content = BudgetContent(lines=in_sheet_order(self.lines, order), footnotes=tuple(self.footnotes.values()))
        return ReadResult(content=content, sheet=self.sheet, notices=self.notices)

    def others_empty(self, cells: list[_Cell]) -> bool:
        return all(cell.blank_or_zero for cell in cells[1:])

    def read_body(self, start: int) -> None:
        section: _Section | None = None
        after_total = False
        last_footnote = False
        outside_columns = {column: year for column, year in self.columns.years.items() if year not in self.period}
        outside_used: set[int] = set()
        for row in range(start, len(self.rows)):
            cells = self.rows[row]
            first = cells[0] if cells else _Cell(None)
            text = first.text
            key = _norm(text)
            others_empty = self.others_empty(cells)
            if first.empty and others_empty:
                if all(cell.empty for cell in cells):
                    last_footnote = False  # a blank row ends a footnote's continuation lines
                continue
            # The numbered footnote block (anywhere; usually after the totals).
            if others_empty and FOOTNOTE_ROW_RE.match(text):
                match = FOOTNOTE_ROW_RE.match(text)
                self.raw_footnotes.append([match.group(1).lower(), match.group(2), row])
                last_footnote = True
                continue
            if FOOTNOTE_ONLY_RE.match(text) and self.cell(row, 1).text and \
                    all(cell.empty for cell in cells[2:]):
                self.raw_footnotes.append([FOOTNOTE_ONLY_RE.match(text).group(1).lower(), self.cell(row, 1).text, row])
                last_footnote = True
                continue
            if last_footnote and after_total and others_empty and text:
                self.raw_footnotes[-1][1] += f"\n{text}"
                continue
            last_footnote = False
            if key == COFINANCING_LABEL:
                self.compare(row, self.first_number_column(row), self.grand.cofinancing, "Samlet medfinansiering")
                after_total = True
                continue
            if key == BALANCE_LABEL:
                self.compare(row, self.first_number_column(row), self.grand.balance, "Balance")
                after_total = True
                continue
            if PERCENT_LABEL_RE.match(key):
                self.check_percent(row)
                after_total = True
                continue
            if after_total:
                continue  # e.g. LBF's table of udgiftstyper below the totals
            if key in {"udgiftsposter", "udgiftspost"} or (first.empty and self.header_like(cells)):
                continue
            if key in SUM_LABELS:
                if section is not None and section.valid:
                    self.check_sum(row, Figures.sum(line.figures for line in section.lines), label=text)
                continue
            if key == DISTRIBUTION_LABEL:
                for name in ("bo_cash", "bo_hours", "kom_cash", "kom_hours"):
                    self.compare(row, self.columns.fields[name], getattr(self.grand, name), text)
                continue
            if key == TOTAL_LABEL:
                self.check_total(row)
                after_total = True
                continue
            new_section = self.section_row(row, text, others_empty, section)
            if new_section is not None:
                section = new_section
                continue
            line = self.line_row(row, cells, section, outside_columns, outside_used)
            if line is not None and section is not None:
                section.lines.append(line)
                self.lines.append(line)
                if len(self.lines) > MAX_LINES:
                    self.lines.pop()
                    self.problem(f"Filen har flere end {format_number(MAX_LINES)} udgiftsposter; et budgetark har "
                                 "typisk under 100. Kontrollér, at det er det rigtige ark.", row, 0)
                    raise _StopReading
        for column, year in outside_columns.items():
            if column not in outside_used:
                self.notices.append(f"Kolonnen for {year} ligger uden for helhedsplanens periode ({self.period_text}) "
                                    "og er tom; den er sprunget over.")

    @property
    def grand(self) -> Figures:
        return Figures.sum(line.figures for line in self.lines)

    def header_like(self, cells: list[_Cell]) -> bool:
        for cell in cells[1:]:
            if cell.empty:
                continue
            if isinstance(cell.value, str) and _norm(cell.value) in HEADER_WORDS:
                continue
            if isinstance(cell.value, int) and 1900 <= cell.value <= 2200:
                continue
            return False
        return True

    def first_number_column(self, row: int) -> int | None:
        for column, cell in enumerate(self.rows[row][1:], start=1):
            if not cell.empty:
                return column
        return None

    def check_duplicates(self) -> None:
        """The same udgiftspost twice in one section would be imported as two lines: refused."""
        first_row: dict[tuple, int | None] = {}
        for line in self.lines:
            if line.identity in first_row:
                self.problem(f"Udgiftsposten »{line.name}« står to gange i samme afsnit (også i række "
                             f"{first_row[line.identity]}). Læg de to rækker sammen, eller giv dem hver sit navn.",
                             line.row - 1 if line.row else None, 0)
            else:
                first_row[line.identity] = line.row

    def check_texts(self) -> None:
        """Texts the budget line and footnote fields would refuse (too long, control characters), refused
        here with their row and column, before anything is written."""
        texts = (("name", 0), ("description", 1), ("footnote", 0))
        for line in self.lines:
            for name, column in texts:
                self.check_text(BudgetLine, name, getattr(line, name), line.row, column)
        for number, note in self.footnotes.items():
            self.check_text(BudgetFootnote, "text", note.text, self.footnote_rows.get(number), 0)

    def check_text(self, model: type, field_name: str, value: str, row: int | None, column: int) -> None:
        if not value:
            return
        model_field = model._meta.get_field(field_name)
        if row is not None and any(p.row == row and p.column == column + 1 for p in self.problems):
            return  # the cell's problem is already named (e.g. a name over the length limit)
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            for message in exc.messages:
                self.problem(f"{model_field.verbose_name.capitalize()}: {message}", row - 1 if row else None, column)

    def resolve_footnotes(self) -> None:
        """The footnote block's cells as numbered footnotes.

        LBF's sheet sometimes holds two footnotes in one cell (»17) … 17b) …«): a cell is split at a
        marker that continues its numbering and is not a footnote of its own elsewhere in the block.
        """
        numbers = {number for number, _, _ in self.raw_footnotes}
        for number, text, row in self.raw_footnotes:
            for part_number, part_text in _split_footnotes(number, text, numbers):
                if part_number in self.footnotes:
                    self.problem(f"Fodnote {part_number}) står to gange (også i række "
                                 f"{self.footnote_rows[part_number]}).", row, 0)
                    continue
                self.footnotes[part_number] = FootnoteData(part_number, part_text)
                self.footnote_rows[part_number] = row + 1

    def section_row(self, row: int, text: str, others_empty: bool, current: _Section | None) -> _Section | None:
        if not others_empty or not text:
            return None
        key = _norm(text)
        if key.startswith("tværgående"):
            return _Section(CROSS_CUTTING, SECTION_TITLES[CROSS_CUTTING], row)
        if key == "lokal evaluering":
            if current is not None and current.kind == LOCAL_EVALUATION:
                return None  # a line called »Lokal evaluering« inside its own section
            return _Section(LOCAL_EVALUATION, SECTION_TITLES[LOCAL_EVALUATION], row)
        match = SECTION_NUMBER_RE.match(text)
        name = _norm(match.group(2)) if match else key
        area = self.areas_by_name.get(name)
        if area is not None:
            return _Section(FOCUS_AREA, area.name, row, focus_area=area, chosen=area.pk in self.chosen_ids)
        if match:
            known = ", ".join(f"»{a.name}«" for a in self.areas_by_name.values() if a.pk in self.chosen_ids)
            self.problem(f"Afsnittet »{text}« er ikke et indsatsområde i helhedsplanen "
                         f"(helhedsplanens indsatsområder: {known or 'ingen'}).", row, 0)
            return _Section(FOCUS_AREA, text, row, valid=False)
        return None

    def line_row(self, row: int, cells: list[_Cell], section: _Section | None,
                 outside_columns: dict[int, int], outside_used: set[int]) -> LineData | None:
        first = cells[0] if cells else _Cell(None)
        expense_cell = self.cell(row, self.columns.expense) if self.columns.expense >= 0 else _Cell(None)
        numbers: dict[int, int | None] = {}
        bad_cells = False
        for column in [*self.columns.years, *self.columns.fields.values()]:
            try:
                numbers[column] = self.number(row, column, derived=column == self.columns.fields["total"])
            except _CellError as exc:
                self.problem(str(exc), row, column)
                bad_cells = True
        name_text = first.text
        placeholder = _norm(name_text) in {"", _norm(CHOOSE_EXPENSE_TYPE), "0"}
        if placeholder and not bad_cells and not any(numbers.values()):
            return None  # LBF's empty »(Vælg udgiftstype) | 0« rows
        if section is None:
            self.problem("Udgiftsposten står før det første afsnit (»Tværgående administrationsudgifter«, "
                         "»1. <indsatsområde>« eller »Lokal evaluering«).", row, 0)
            return None
        if not section.valid:
            return None
        if not section.chosen:
            if not section.reported:
                section.reported = True
                self.problem(f"Afsnittet »{section.title}« (række {section.row + 1}) er ikke et af helhedsplanens "
                             "valgte indsatsområder, men har udgiftsposter.", row, 0)
            return None
        if placeholder:
            self.problem("Udgiftsposten mangler et navn.", row, 0)
            return None
        name, footnote = strip_footnote_markers(name_text)
        if len(name) > 300:
            self.problem("Navnet er for langt (højst 300 tegn).", row, 0)
        expense_code = None
        description = ""
        if section.kind == CROSS_CUTTING:
            expense_code = self.expense_type(row, expense_cell)
        elif not expense_cell.empty and _norm(expense_cell.text) != _norm(CHOOSE_EXPENSE_TYPE):
            description = " ".join(expense_cell.text.split())
            if len(description) > 300:
                self.problem("Beskrivelsen er for lang (højst 300 tegn).", row, self.columns.expense)
        amounts: dict[int, int] = {}
        for column, year in self.columns.years.items():
            amount = numbers.get(column) or 0
            if not amount:
                continue
            if column in outside_columns:
                outside_used.add(column)
                self.problem(f"Året {year} ligger uden for helhedsplanens periode ({self.period_text}); der må ikke "
                             "stå beløb i kolonnen.", row, column)
                continue
            amounts[year] = amount
        total_column = self.columns.fields["total"]
        stated_total = numbers.get(total_column)
        if stated_total is not None and stated_total != sum(amounts.values()) and not bad_cells:
            self.problem(f"Samlede udgifter viser {format_number(stated_total)}, men årene giver "
                         f"{format_number(sum(amounts.values()))}.", row, total_column)
        financing = {name: numbers.get(self.columns.fields[name]) or 0 for name in FINANCING_FIELDS}
        return LineData(
            section=section.kind, focus_area_id=section.focus_area.pk if section.focus_area else None,
            name=name, expense_type_code=expense_code, description=description, footnote=footnote,
            amounts=tuple(sorted(amounts.items())), **financing, row=row + 1,
        )

    def expense_type(self, row: int, cell: _Cell) -> int | None:
        if cell.empty or _norm(cell.text) == _norm(CHOOSE_EXPENSE_TYPE):
            return None
        text = cell.text
        match = EXPENSE_TYPE_RE.match(text)
        if match and int(match.group(1)) in self.types_by_code:
            return int(match.group(1))
        found = self.types_by_name.get(_norm(text))
        if found is not None:
            return found.code
        valid = ", ".join(t.label for t in self.types_by_code.values())
        self.problem(f"Ukendt udgiftstype »{text}«. Gyldige udgiftstyper: {valid}.", row, self.columns.expense)
        return None

    def check_sum(self, row: int, figures: Figures, *, label: str) -> None:
        what = f"»{label}«-rækken"
        for column, year in self.columns.years.items():
            self.compare(row, column, figures.amount(year), what)
        self.compare(row, self.columns.fields["total"], figures.total, what)
        for name in FINANCING_FIELDS:
            self.compare(row, self.columns.fields[name], getattr(figures, name), what)

    def check_total(self, row: int) -> None:
        grand = self.grand
        what = "»Total«-rækken"
        for column, year in self.columns.years.items():
            self.compare(row, column, grand.amount(year), what)
        self.compare(row, self.columns.fields["total"], grand.total, what)
        self.compare(row, self.columns.fields["lbf"], grand.lbf, what)
        self.compare(row, self.columns.fields["other"], grand.other, what)
        for prefix in ("bo", "kom"):
            cash_column, hours_column = self.columns.fields[f"{prefix}_cash"], self.columns.fields[f"{prefix}_hours"]
            cash, hours = getattr(grand, f"{prefix}_cash"), getattr(grand, f"{prefix}_hours")
            if self.stated(row, hours_column) is None:  # LBF merges kontant and timer in the Total row
                self.compare(row, cash_column, cash + hours, what)
            else:
                self.compare(row, cash_column, cash, what)
                self.compare(row, hours_column, hours, what)

    def check_percent(self, row: int) -> None:
        column = self.first_number_column(row)
        if column is None:
            return
        cell = self.cell(row, column)
        value = cell.value
        if cell.formula and value is None:
            return
        try:
            if isinstance(value, str):
                value = float(value.replace("%", "").replace(",", ".").strip())
            stated = float(value) * (100 if float(value) <= 1 else 1)
        except (TypeError, ValueError):
            self.problem(f"»{cell.text}« er ikke en procentsats.", row, column)
            return
        grand = self.grand
        if grand.total:
            actual = grand.cofinancing * 100 / grand.total
            if abs(stated - actual) > 0.5:
                self.problem(f"Medfinans. % viser {format_number(stated, 1)} %, men udgiftsposterne giver "
                             f"{format_number(actual, 1)} %.", row, column)


def _split_footnotes(number: str, text: str, elsewhere: set[str]) -> list[tuple[str, str]]:
    """``("17", "… m.v. 17b) Vedrører …")`` → two footnotes. A marker inside the text only counts when
    it continues the numbering (same number with a letter, or the next number) and is not in
    ``elsewhere`` (the numbers that start a cell of their own)."""
    result: list[tuple[str, str]] = []
    rest = text
    while True:
        base = int(re.match(r"\d+", number).group())
        split = None
        for inner in re.finditer(r"(?<=\s)(\d{1,3}[a-z]?)\)\s", rest):
            candidate = inner.group(1)
            candidate_base = int(re.match(r"\d+", candidate).group())
            continues = (candidate_base == base and candidate != number) or candidate_base == base + 1
            if continues and candidate not in elsewhere and candidate not in {n for n, _ in result}:
                split = inner
                break
        if split is None:
            result.append((number, rest.strip()))
            return result
        result.append((number, rest[:split.start()].strip()))
        number, rest = split.group(1), rest[split.end():]


def read_budget_xlsx(data: bytes, *, plan: Plan, file_name: str = "") -> ReadResult:
    """Read an LBF budgetark for ``plan``; raises ``BudgetFileError`` listing every problem."""
    sheet, rows, truncated = _load_rows(data, file_name)
    reader = _Reader(rows, sheet=sheet, plan=plan)
    if truncated:
        raise BudgetFileError([Problem(f"Arket har flere end {format_number(MAX_ROWS)} rækker; et budgetark er "
                                       "langt mindre. Kontrollér, at det er det rigtige ark.", sheet, MAX_ROWS + 1)])
    return reader.read()


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

THIN = Side(style="thin", color="9AA5B1")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
SECTION_FILL = PatternFill("solid", fgColor="EEF3F8")
SUM_FILL = PatternFill("solid", fgColor="F4F6F8")
NUMBER_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"


def _text(cell, value: str) -> None:
    """Write text that stays text: a name starting with »=« must never become a formula."""
    write_xlsx_cell(cell, value)


def write_budget_xlsx(sheet: dict[str, Any]) -> bytes:
    """The budgetark as LBF's layout, from ``selectors.budget_sheet(plan, empty_if_missing=True)``."""
    plan = sheet["plan"]
    years = sheet["years"]
    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET_TITLE

    first_year_col = 3
    total_col = first_year_col + len(years)
    col = {name: total_col + 1 + index for index, name in enumerate(FINANCING_FIELDS)}
    last_col = col["other"]
    letter = get_column_letter

    bold = Font(bold=True)
    ws["A1"] = f"Budgetark for boligsocial indsats inden for {plan.pulje.name} (OBS: hele tusinde kr.)"
    ws["A1"].font = Font(bold=True, size=13)
    facts = [("Start boligsocial indsats", plan.start_date), ("Slut boligsocial indsats", plan.end_date),
             ("Boligområde/områdenavn", plan.area_name or plan.name), ("Jnr:", plan.lbf_journal_number)]
    for offset, (label, value) in enumerate(facts, start=2):
        ws.cell(offset, 1, label)
        target = ws.cell(offset, 2)
        if isinstance(value, date):
            target.value = value
            target.number_format = "DD-MM-YYYY"
            target.alignment = Alignment(horizontal="left")
        else:
            _text(target, value or "")

    header = 7
    ws.cell(header, 1, "Udgiftsposter")
    ws.cell(header, first_year_col, "Projektperiode - udgifter")
    if len(years) > 1:
        ws.merge_cells(start_row=header, start_column=first_year_col, end_row=header, end_column=total_col - 1)
    ws.cell(header, total_col, "Samlede udgifter")
    ws.cell(header, col["lbf"], "Finansiering")
    ws.merge_cells(start_row=header, start_column=col["lbf"], end_row=header, end_column=last_col)
    for index, year in enumerate(years):
        ws.cell(header + 1, first_year_col + index, year)
    ws.cell(header + 1, col["lbf"], "LBF")
    ws.cell(header + 1, col["bo_cash"], "Medfinansiering boligorganisation(er)")
    ws.merge_cells(start_row=header + 1, start_column=col["bo_cash"], end_row=header + 1, end_column=col["bo_hours"])
    ws.cell(header + 1, col["kom_cash"], "Medfinansiering kommune")
    ws.merge_cells(start_row=header + 1, start_column=col["kom_cash"], end_row=header + 1,
                   end_column=col["kom_hours"])
    ws.cell(header + 1, col["other"], "Evt. anden lokal medfinans.")
    for name in ("bo_cash", "kom_cash"):
        ws.cell(header + 2, col[name], "Kontant")
    for name in ("bo_hours", "kom_hours"):
        ws.cell(header + 2, col[name], "Timer, lokaler")
    for row in range(header, header + 3):
        for column in range(1, last_col + 1):
            cell = ws.cell(row, column)
            cell.font = bold
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center" if column > 2 else "left", vertical="center",
                                       wrap_text=True)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)

    number_columns = [*range(first_year_col, total_col + 1), *col.values()]
    validation = DataValidation(type="list", formula1=f"'{EXPENSE_TYPE_SHEET}'!$A$2:$A$12", allow_blank=True,
                                showErrorMessage=True, errorTitle="Ukendt udgiftstype",
                                error="Vælg en udgiftstype fra listen.")
    ws.add_data_validation(validation)

    def write_numbers(row: int, values: dict[int, int | None]) -> None:
        for column in number_columns:
            cell = ws.cell(row, column)
            value = values.get(column)
            if value:
                cell.value = value
            cell.number_format = NUMBER_FORMAT

    def sum_formula(column: int, rows: list[int]) -> str:
        return "=" + "+".join(f"{letter(column)}{row}" for row in rows) if rows else "=0"

    row = header + 3
    sum_rows: list[int] = []
    for section in sheet["sections"]:
        heading = ws.cell(row, 1)
        _text(heading, section["heading"])
        for column in range(1, last_col + 1):
            ws.cell(row, column).fill = SECTION_FILL
        heading.font = bold
        row += 1
        if section["has_expense_type"]:
            ws.cell(row, 1, "Udgiftspost").font = Font(italic=True)
            ws.cell(row, 2, "Udgiftstype").font = Font(italic=True)
            row += 1
        first_line_row = row
        for item in section["lines"]:
            _text(ws.cell(row, 1), name_with_footnote(item["name"], item["footnote"]))
            if section["has_expense_type"]:
                kind = item["expense_type"]
                ws.cell(row, 2, kind.label if kind else CHOOSE_EXPENSE_TYPE)
                validation.add(f"B{row}")
            else:
                _text(ws.cell(row, 2), item["description"])
            values = {first_year_col + index: amount for index, amount in enumerate(item["amounts"])}
            values.update({col[name]: item[name] for name in FINANCING_FIELDS})
            write_numbers(row, values)
            ws.cell(row, total_col, f"=SUM({letter(first_year_col)}{row}:{letter(total_col - 1)}{row})")
            row += 1
        for _ in range(BLANK_ROWS_PER_SECTION):
            if section["has_expense_type"]:
                ws.cell(row, 2, CHOOSE_EXPENSE_TYPE)
                validation.add(f"B{row}")
            write_numbers(row, {})
            ws.cell(row, total_col, f"=SUM({letter(first_year_col)}{row}:{letter(total_col - 1)}{row})")
            row += 1
        ws.cell(row, 1, section["sum_label"])
        for column in number_columns:
            ws.cell(row, column, f"=SUM({letter(column)}{first_line_row}:{letter(column)}{row - 1})")
        _style_sum_row(ws, row, last_col)
        sum_rows.append(row)
        row += 1

    ws.cell(row, 1, "Fordeling af medfinansiering i alt")
    for name in ("bo_cash", "bo_hours", "kom_cash", "kom_hours"):
        ws.cell(row, col[name], sum_formula(col[name], sum_rows))
    _style_sum_row(ws, row, last_col)
    row += 1
    total_row = row
    ws.cell(row, 1, "Total")
    for column in [*range(first_year_col, total_col + 1), col["lbf"], col["other"]]:
        ws.cell(row, column, sum_formula(column, sum_rows))
    for prefix in ("bo", "kom"):
        cash, hours = col[f"{prefix}_cash"], col[f"{prefix}_hours"]
        ws.cell(row, cash, "=" + "+".join(f"{letter(c)}{r}" for r in sum_rows for c in (cash, hours)))
        ws.merge_cells(start_row=row, start_column=cash, end_row=row, end_column=hours)
    _style_sum_row(ws, row, last_col, strong=True)
    row += 2
    total_ref = f"{letter(total_col)}{total_row}"
    lbf_ref = f"{letter(col['lbf'])}{total_row}"
    cofinancing_refs = "+".join(f"{letter(col[name])}{total_row}" for name in ("bo_cash", "kom_cash", "other"))
    ws.cell(row, 1, "Samlet medfinansiering").font = bold
    ws.cell(row, total_col, f"={cofinancing_refs}").number_format = NUMBER_FORMAT
    cofinancing_ref = f"{letter(total_col)}{row}"
    row += 1
    ws.cell(row, 1, "Balance").font = bold
    ws.cell(row, total_col, f"={total_ref}-{lbf_ref}-{cofinancing_ref}").number_format = NUMBER_FORMAT
    row += 1
    ws.cell(row, 1, "Medfinans. %").font = bold
    ws.cell(row, total_col, f"=IF({total_ref}=0,0,{cofinancing_ref}/{total_ref})").number_format = PERCENT_FORMAT
    row += 2

    if sheet["footnotes"]:
        ws.cell(row, 1, "Fodnoter").font = bold
        row += 1
        for note in sheet["footnotes"]:
            cell = ws.cell(row, 1)
            _text(cell, f"{note['number']}) {note['text']}".rstrip() if note["text"] else f"{note['number']})")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
            lines = sum(1 + len(part) // 160 for part in note["text"].split("\n"))
            ws.row_dimensions[row].height = max(15, 15 * lines)
            row += 1

    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["B"].width = 40
    for column in number_columns:
        ws.column_dimensions[letter(column)].width = 12
    for name in ("bo_cash", "bo_hours", "kom_cash", "kom_hours", "other"):
        ws.column_dimensions[letter(col[name])].width = 14
    ws.freeze_panes = ws.cell(header + 3, 3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header}:{header + 2}"

    types = workbook.create_sheet(EXPENSE_TYPE_SHEET)
    types["A1"], types["B1"] = "Udgiftstype", "Beskrivelse"
    types["A1"].font = types["B1"].font = bold
    types["A2"] = CHOOSE_EXPENSE_TYPE
    for index, kind in enumerate(ExpenseType.objects.order_by("code"), start=3):
        types.cell(index, 1, kind.label)
        types.cell(index, 2, kind.description).alignment = Alignment(wrap_text=True, vertical="top")
    types.column_dimensions["A"].width = 42
    types.column_dimensions["B"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _style_sum_row(ws, row: int, last_col: int, *, strong: bool = False) -> None:
    for column in range(1, last_col + 1):
        cell = ws.cell(row, column)
        cell.font = Font(bold=True)
        cell.fill = SUM_FILL
        cell.border = Border(top=THIN, bottom=Side(style="double" if strong else "thin", color="9AA5B1"))
        if column > 2:
            cell.number_format = NUMBER_FORMAT
