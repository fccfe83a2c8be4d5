"""Helpers for building and changing budgetark workbooks in tests."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from budgets.selectors import budget_sheet
from budgets.xlsx import write_budget_xlsx


def export(plan) -> bytes:
    return write_budget_xlsx(budget_sheet(plan, empty_if_missing=True))


def exported_workbook(plan) -> Workbook:
    return load_workbook(io.BytesIO(export(plan)))


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(ws, text: str, *, after: int = 0) -> int:
    for row in range(after + 1, ws.max_row + 1):
        if ws.cell(row, 1).value == text:
            return row
    raise LookupError(text)


def column_of(ws, header: str | int) -> int:
    for row in ws.iter_rows(min_row=1, max_row=12):
        for cell in row:
            if cell.value == header:
                return cell.column
    raise LookupError(header)


_REF = re.compile(r"^([A-Z]+)(\d+)$")


def evaluate(ws, ref: str):
    """The value of a cell, computing the few formulas the export writes (SUM, +, -, IF, /)."""
    column, row = _REF.match(ref).groups()
    value = ws.cell(int(row), column_index_from_string(column)).value
    if not (isinstance(value, str) and value.startswith("=")):
        return value or 0
    formula = value[1:]
    if match := re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula):
        c1, r1, c2, r2 = match.groups()
        return sum(evaluate(ws, f"{get_column_letter(c)}{r}")
                   for c in range(column_index_from_string(c1), column_index_from_string(c2) + 1)
                   for r in range(int(r1), int(r2) + 1))
    if match := re.fullmatch(r"IF\((\w+)=0,0,(\w+)/(\w+)\)", formula):
        total = evaluate(ws, match.group(1))
        return 0 if total == 0 else evaluate(ws, match.group(2)) / evaluate(ws, match.group(3))
    result, sign = 0, 1
    for token in re.findall(r"[+-]|[A-Z]+\d+", formula):
        if token in "+-":
            sign = 1 if token == "+" else -1
        else:
            result += sign * evaluate(ws, token)
    return result


def freeze_formulas(workbook: Workbook) -> Workbook:
    """Replace every formula by its value, as a file saved by Excel reads with stored results."""
    ws = workbook["Budgetark"]
    values = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                values[cell.coordinate] = evaluate(ws, cell.coordinate)
    for coordinate, value in values.items():
        ws[coordinate] = value
    return workbook
