"""Bad budgetark, as a careless or hostile user sends them: each refused in the upload page (400) and by
``import_budget`` (exit 1) with a Danish message naming where, and nothing written."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from agreements.models import PlanMembership
from budgets.models import BudgetLine, PendingBudgetImport
from budgets.selectors import budget_content
from tests import spreadsheets
from tests.factories.agreements import PlanMembershipFactory

from .test_views import upload_file
from .workbooks import export, exported_workbook, row_of, to_bytes

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def _change_sheet(data: bytes, change) -> bytes:
    return spreadsheets.rezip(data, change=lambda name, content: change(content) if name == SHEET else content)


def damaged_zip_inside_the_sheet(plan) -> bytes:
    """The sheet's compressed bytes damaged half-way (its directory entry intact)."""
    data = bytearray(export(plan))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + info.compress_size // 2, start + info.compress_size // 2 + 64):
        data[offset] ^= 0x5A
    return bytes(data)


def raw_control_characters(plan) -> bytes:
    """A raw NUL and a bell in the sheet's XML (which XML forbids)."""
    return _change_sheet(export(plan), lambda xml: xml.replace(b"<sheetData>", b"<sheetData>\x00\x07", 1))


def broken_number_cell(plan) -> bytes:
    """A numeric cell whose value is no number: openpyxl fails only while the rows are read."""
    return _change_sheet(export(plan), lambda xml: re.sub(rb"<c r=\"C12\"([^>]*)><v>[^<]*</v>",
                                                          rb'<c r="C12" t="n"><v>ikke-et-tal</v>', xml, count=1))


def control_character_in_a_name(plan) -> tuple[bytes, int]:
    """DEL, the one control character XML lets through (NUL and the others never parse, see above)."""
    workbook = exported_workbook(plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fritidsjob")
    ws.cell(row, 1).value = "Fritids\x7fjob"
    return to_bytes(workbook), row


def too_long_name(plan) -> tuple[bytes, int]:
    workbook = exported_workbook(plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fritidsjob")
    ws.cell(row, 1).value = "Fritidsjob " + "x" * 400
    return to_bytes(workbook), row


def duplicate_line(plan) -> tuple[bytes, int]:
    """The line »Fritidsjob« copied into the empty row under it, amounts and all."""
    workbook = exported_workbook(plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fritidsjob")
    blank = row + 1
    while ws.cell(blank, 1).value:
        blank += 1
    for column in range(1, ws.max_column + 1):
        source = ws.cell(row, column).value
        if isinstance(source, str) and source.startswith("="):
            source = source.replace(str(row), str(blank))
        ws.cell(blank, column).value = source
    return to_bytes(workbook), blank


def only_headers(plan) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Budgetark"
    workbook.active.append(["Udgiftsposter", None, 2022, 2023, 2024, 2025])
    return spreadsheets.save(workbook)


def empty_sheet(plan) -> bytes:
    from openpyxl import Workbook

    return spreadsheets.save(Workbook())


def with_row(build):
    def wrapped(plan):
        data, row = build(plan)
        return data

    return wrapped


CASES = {
    "damaged zip inside the sheet": (damaged_zip_inside_the_sheet,
                                     "Filen kunne ikke læses: den er ikke en Excel-fil i .xlsx-format"),
    "raw control characters": (raw_control_characters, "Filen kunne ikke læses: den er ikke en Excel-fil"),
    "broken number cell": (broken_number_cell, "kunne ikke læses (række"),
    "control character in a name": (with_row(control_character_in_a_name),
                                    "række {row}, kolonne A: Udgiftspost: Teksten indeholder et usynligt styretegn "
                                    "(kode 7F)"),
    "too long name": (with_row(too_long_name), "række {row}, kolonne A: Navnet er for langt (højst 300 tegn)."),
    "duplicate line": (with_row(duplicate_line), "række {row}, kolonne A: Udgiftsposten »Fritidsjob« står to gange"),
    "only headers": (only_headers, "række 1: Kolonnen »Samlede udgifter« mangler i overskriften."),
    "empty sheet": (empty_sheet, "Arket er tomt – der er intet budget i filen."),
}
ROWS = {"control character in a name": control_character_in_a_name, "too long name": too_long_name,
        "duplicate line": duplicate_line}


def expected(case: str, plan) -> str:
    message = CASES[case][1]
    if case in ROWS:
        message = message.format(row=ROWS[case](plan)[1])
    return message


@pytest.fixture
def secretariat(small_plan):
    return PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user


def unchanged(plan, before, history: int) -> bool:
    return budget_content(plan) == before and BudgetLine.history.count() == history


@pytest.mark.parametrize("case", list(CASES))
def test_upload_refuses_with_a_danish_message_and_keeps_nothing(client, secretariat, small_plan, case):
    data = CASES[case][0](small_plan)
    message = expected(case, small_plan)
    before, history = budget_content(small_plan), BudgetLine.history.count()
    client.force_login(secretariat)
    response = client.post(reverse("budgets:upload", args=[small_plan.slug]), {"file": upload_file(data)})
    assert response.status_code == 400
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())).split())
    assert message in text
    assert not PendingBudgetImport.objects.exists()
    assert unchanged(small_plan, before, history)


@pytest.mark.parametrize("case", list(CASES))
def test_import_command_refuses_with_exit_1_and_writes_nothing(small_plan, tmp_path, capsys, case):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(CASES[case][0](small_plan))
    before, history = budget_content(small_plan), BudgetLine.history.count()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_budget", small_plan.slug, str(path))
    assert exit_info.value.code == 1
    output = capsys.readouterr()
    assert expected(case, small_plan) in output.err and "Traceback" not in output.err
    assert unchanged(small_plan, before, history)


def test_at_most_fifty_problems_are_listed(small_plan):
    from budgets.xlsx import BudgetFileError, read_budget_xlsx

    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fritidsjob")
    for offset in range(80):  # 80 rows whose amount is no number
        ws.insert_rows(row + 1)
        ws.cell(row + 1, 1).value = f"Post {offset}"
        ws.cell(row + 1, 3).value = "mange"
    with pytest.raises(BudgetFileError) as error:
        read_budget_xlsx(to_bytes(workbook), plan=small_plan)
    problems = [str(problem) for problem in error.value.problems]
    assert len(problems) == 51
    assert re.fullmatch(r"… og \d+ flere problemer\.", problems[-1])
