"""Actuals (forbrug) as a table file: read from .xlsx or .csv, written as .xlsx.

One row per udgiftspost and year, with the columns Afsnit, Udgiftspost, År, Forbrug and the five
realised medfinansiering columns (boligorganisation kontant / timer og lokaler, kommune kontant /
timer og lokaler, anden); other columns (such as the written file's Budget and Difference) are
ignored. Lines are found by section and name (footnote markers such as »(12)« ignored), exactly as
the budget names them. Amounts are thousands of kroner with at most one decimal, in Danish notation
or as spreadsheet numbers.

A file is bounded before it is read, with the budget import's limits
(``helhedsplan.uploads.import_limits("budgetark")``), and rejected whole with its problems listed (the first 50)
by row (``ActualsFileError``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import tablib
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from agreements.models import FocusArea, Plan
from helhedsplan.spreadsheets import listed_problems, read_table, source_row, write_xlsx_cell
from helhedsplan.uploads import ImportRefused, format_from_name, import_limits

from .actuals import ActualEntry, ActualsSummary, actuals_import, parse_amount
from .calculations import strip_footnote_markers
from .content import CROSS_CUTTING, FOCUS_AREA, LOCAL_EVALUATION, SECTION_TITLES
from .models import ACTUAL_FIELDS, BudgetLine

MAX_PROBLEMS = 200
HEADINGS = {
    "section": "Afsnit",
    "name": "Udgiftspost",
    "year": "År",
    "budget": "Budget (t.kr.)",
    "spent": "Forbrug (t.kr.)",
    "bo_cash": "Medfinansiering boligorganisation(er) – kontant (t.kr.)",
    "bo_hours": "Medfinansiering boligorganisation(er) – timer, lokaler (t.kr.)",
    "kom_cash": "Medfinansiering kommune – kontant (t.kr.)",
    "kom_hours": "Medfinansiering kommune – timer, lokaler (t.kr.)",
    "other": "Evt. anden lokal medfinansiering (t.kr.)",
    "difference": "Difference, budget − forbrug (t.kr.)",
}
REQUIRED = ("section", "name", "year", *ACTUAL_FIELDS)
SECTION_NUMBER_RE = re.compile(r"^\d{1,2}\s*\.\s*")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ActualsFileError(Exception):
    """The file cannot be imported; ``problems`` lists every reason in Danish (nothing is written)."""

    def __init__(self, problems: list[str]):
        self.problems = [str(problem) for problem in listed_problems(problems)]
        super().__init__("\n".join(problems))


@dataclass
class ActualsFile:
    entries: list[ActualEntry]
    rows: int


def _norm(text: Any) -> str:
    text = str(text or "").replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return " ".join(text.casefold().split())


def _column_key(heading: Any) -> str | None:
    """The field a column heading names (None: a column the import does not read)."""
    text = _norm(heading).replace("(t.kr.)", "").replace("t.kr.", "").strip(" :")
    if text in {"afsnit"}:
        return "section"
    if text in {"udgiftspost", "udgiftsposter"}:
        return "name"
    if text in {"år", "aar", "regnskabsår", "regnskabsaar"}:
        return "year"
    if text.startswith("forbrug"):
        return "spent"
    if text.startswith("budget") or text.startswith("difference"):
        return None
    hours = "timer" in text or "lokaler" in text
    if "boligorganisation" in text and ("kontant" in text or hours):
        return "bo_hours" if hours else "bo_cash"
    if "kommune" in text and ("kontant" in text or hours):
        return "kom_hours" if hours else "kom_cash"
    if "anden" in text:
        return "other"
    return None


def _dataset(data: bytes, file_name: str) -> tablib.Dataset:
    """The file as a dataset through the shared bounded reader (the budget import's limits)."""
    file_format = format_from_name(file_name)
    if file_format is None:
        raise ActualsFileError(["Filen skal være et regneark (.xlsx) eller en CSV-fil (.csv)."])
    try:
        return read_table(data, name=file_name, file_format=file_format, limits=import_limits("budgetark"))
    except ImportRefused as exc:
        raise ActualsFileError([exc.message]) from exc


class _Lines:
    """The budget's lines by section and name, as a file names them."""

    def __init__(self, plan: Plan):
        lines = list(BudgetLine.objects.filter(budget__plan=plan).select_related("focus_area"))
        self.by_key: dict[tuple, list[BudgetLine]] = {}
        for line in lines:
            self.by_key.setdefault((self.section_key_of(line), self.name_key(line.name)), []).append(line)
        areas = {line.focus_area_id: line.focus_area for line in lines if line.focus_area_id}
        areas.update({area.pk: area for area in FocusArea.objects.filter(plan_focus_areas__plan=plan)})
        self.areas = {_norm(area.name): area for area in areas.values()}

    @staticmethod
    def section_key_of(line: BudgetLine) -> Any:
        return line.focus_area_id if line.section == FOCUS_AREA else line.section

    @staticmethod
    def name_key(name: str) -> str:
        return _norm(strip_footnote_markers(str(name or ""))[0])

    def section(self, text: Any) -> Any:
        """The section key a cell names; raises ``ValueError`` (Danish) when it names none."""
        norm = _norm(text)
        if not norm:
            raise ValueError("Afsnittet mangler.")
        if norm == _norm(SECTION_TITLES[CROSS_CUTTING]) or norm == "tværgående":
            return CROSS_CUTTING
        if norm == _norm(SECTION_TITLES[LOCAL_EVALUATION]):
            return LOCAL_EVALUATION
        area = self.areas.get(SECTION_NUMBER_RE.sub("", norm))
        if area is None:
            raise ValueError(f"Ukendt afsnit »{str(text).strip()}«. Skriv »{SECTION_TITLES[CROSS_CUTTING]}«, "
                             f"»{SECTION_TITLES[LOCAL_EVALUATION]}« eller et af helhedsplanens indsatsområder.")
        return area.pk


def read_actuals_file(data: bytes, *, plan: Plan, file_name: str) -> ActualsFile:
    """The entries of an actuals file for ``plan``; ``ActualsFileError`` lists every problem by row."""
    dataset = _dataset(data, file_name)
    headers = list(dataset.headers or [])
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, heading in enumerate(headers):
        key = _column_key(heading)
        if key is None:
            continue
        if key in columns:
            problems.append(f"Række 1: kolonnen »{HEADINGS[key]}« står to gange (»{headers[columns[key]]}« og "
                            f"»{heading}«).")
        columns[key] = index
    missing = [HEADINGS[key] for key in REQUIRED if key not in columns]
    if missing:
        problems.append("Filen mangler " + ("kolonnen " if len(missing) == 1 else "kolonnerne ")
                        + ", ".join(f"»{name}«" for name in missing) + ".")
    if problems:
        raise ActualsFileError(problems)

    lines = _Lines(plan)
    years = set(plan.years)
    entries: list[ActualEntry] = []
    seen: dict[tuple[int, int], int] = {}
    count = 0
    for index, row in enumerate(dataset):
        number = source_row(dataset, index)
        cells = list(row) + [None] * (len(headers) - len(row))

        def cell(key: str, cells=cells) -> Any:
            return cells[columns[key]]

        if all(cell(key) is None or str(cell(key)).strip() == "" for key in ACTUAL_FIELDS):
            continue  # an empty row, or a line and year left to fill in (as the written file has them)
        count += 1
        row_problems: list[str] = []

        try:
            section = lines.section(cell("section"))
        except ValueError as exc:
            row_problems.append(str(exc))
            section = None
        name = str(cell("name") or "").strip()
        line = None
        if not name:
            row_problems.append("Udgiftsposten mangler.")
        elif section is not None:
            found = lines.by_key.get((section, lines.name_key(name)), [])
            if not found:
                where = str(cell("section")).strip()
                row_problems.append(f"Budgettet har ingen udgiftspost »{name}« i afsnittet »{where}«.")
            elif len(found) > 1:
                row_problems.append(f"Budgettet har flere udgiftsposter »{name}« i afsnittet; giv dem "
                                    "forskellige navne.")
            else:
                line = found[0]
        year = _year(cell("year"), row_problems)
        if year is not None and year not in years:
            row_problems.append(f"{year} ligger uden for helhedsplanens periode ({min(years)}–{max(years)}).")
            year = None
        values: dict[str, Decimal] = {}
        for key in ACTUAL_FIELDS:
            try:
                values[key] = parse_amount(cell(key)) or Decimal(0)
            except ValueError as exc:
                row_problems.append(f"kolonne »{headers[columns[key]]}«: {exc}")
        if line is not None and year is not None:
            first = seen.get((line.pk, year))
            if first is not None:
                row_problems.append(f"Udgiftsposten »{line.name}« står allerede for {year} i række {first}.")
            else:
                seen[(line.pk, year)] = number
        if row_problems:
            problems.extend(f"Række {number}: {problem}" for problem in row_problems)
            if len(problems) >= MAX_PROBLEMS:
                problems.append("… og flere fejl. Ret ovenstående, og indlæs filen igen.")
                break
            continue
        entries.append(ActualEntry(line=line, year=year, values=values))
    if not problems and not entries:
        problems.append("Filen har ingen rækker med forbrug.")
    if problems:
        raise ActualsFileError(problems)
    return ActualsFile(entries=entries, rows=count)


def _year(raw: Any, problems: list[str]) -> int | None:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw if raw is not None else "").strip()
    if not text:
        problems.append("Året mangler.")
        return None
    if not re.fullmatch(r"\d{4}", text):
        problems.append(f"»{text}« er ikke et årstal.")
        return None
    return int(text)


# --- Writing ---------------------------------------------------------------------------------------------

def write_actuals_xlsx(followup: dict[str, Any] | None, *, plan: Plan) -> bytes:
    """Every line and year of the budget with its forbrug: the import's layout, plus the budget and the
    difference for the reader. A year without forbrug has empty cells to fill in."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Forbrug"
    keys = ["section", "name", "year", "budget", *ACTUAL_FIELDS, "difference"]
    for column, key in enumerate(keys, start=1):
        cell = ws.cell(1, column, HEADINGS[key])
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = 2
    if followup is not None:
        for section in followup["sections"]:
            for item in section["lines"]:
                for index, year in enumerate(followup["years"]):
                    comparison = item["row"].years[index]
                    realised = item["row"].realised[index]
                    write_xlsx_cell(ws.cell(row, 1), section["heading"])
                    write_xlsx_cell(ws.cell(row, 2), item["name"])
                    ws.cell(row, 3, year)
                    ws.cell(row, 4, int(comparison.budget)).number_format = "#,##0"
                    if item["registered"][index]:
                        for offset, name in enumerate(ACTUAL_FIELDS, start=5):
                            ws.cell(row, offset, float(getattr(realised, name))).number_format = "#,##0.0"
                        ws.cell(row, 11, float(comparison.difference)).number_format = "#,##0.0"
                    row += 1
    widths = [34, 40, 8, 12, 12, 16, 16, 16, 16, 16, 16]
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "D2"
    note = workbook.create_sheet("Vejledning")
    for index, text in enumerate([
        f"Forbrug for {plan.name}",
        "Alle beløb er i tusinde kroner (t.kr.) med højst én decimal, f.eks. 1.234,5 = 1.234.500 kr.",
        "Én række pr. udgiftspost og år. Afsnit og udgiftspost skal stå, som i budgettet.",
        "Kolonnerne Budget og Difference læses ikke ved indlæsning; tomme tal læses som 0.",
        "Rækker, der ikke står i filen, bliver ikke ændret. Tal i et afsluttet regnskabsår ændres kun med en note.",
    ], start=1):
        note.cell(index, 1, text).font = Font(bold=index == 1)
    note.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Importing -------------------------------------------------------------------------------------------

def actuals_import_file(*, plan: Plan, data: bytes, file_name: str, note: str = "",
                        user: AbstractBaseUser | None = None, dry_run: bool = False) -> ActualsSummary:
    """Read an actuals file and (unless ``dry_run``) save its figures, all or nothing.

    Raises ``ActualsFileError`` listing every problem (nothing written), including a closed
    regnskabsår the file would change without a note.
    """
    read = read_actuals_file(data, plan=plan, file_name=file_name)
    try:
        return actuals_import(plan=plan, entries=read.entries, note=note, user=user, dry_run=dry_run)
    except ValidationError as exc:
        raise ActualsFileError(list(exc.messages)) from exc
