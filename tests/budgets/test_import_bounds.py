"""The budget upload and ``import_budget`` refuse a file over the import limits before reading it,
with a Danish message and nothing written; a sheet that merely declares a huge range is read."""

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


def too_large_unpacked(plan) -> bytes:
    return spreadsheets.with_notes_sheet(export(plan), kilobytes=1200)  # ~1,2 MB of text, limit set to 1 MB


def too_many_rows(plan) -> bytes:
    return spreadsheets.with_rows(export(plan), "Budgetark", ([f"Note {index}"] for index in range(2_050)))


def zip_bomb(plan) -> bytes:
    return spreadsheets.with_zip_bomb_part(export(plan))


def not_a_zip(plan) -> bytes:
    return spreadsheets.NOT_A_ZIP


def csv_with_too_many_rows(plan) -> bytes:
    return spreadsheets.csv_lines("Udgiftsposter;2022;2023", "Post {index};1;1", 3_000)


CASES = {
    "unzipped size": (too_large_unpacked, "budget.xlsx",
                      "Filen er for stor udpakket: højst 1 MB (filen fylder 1,"),
    "rows": (too_many_rows, "budget.xlsx", "Filen er for stor: højst 2.000 rækker (filen har 2."),
    "zip bomb": (zip_bomb, "budget.xlsx", "Filen er pakket usædvanligt tæt: delen »xl/media/image1.bin« fylder"),
    "not a zip": (not_a_zip, "budget.xlsx", "Filen kunne ikke læses: den er ikke en Excel-fil i .xlsx-format"),
    "csv": (csv_with_too_many_rows, "budget.csv", "Filen kunne ikke læses: den er ikke en Excel-fil i .xlsx-format"),
}


@pytest.fixture
def secretariat(small_plan):
    return PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user


@pytest.fixture
def limits(settings, request):
    """The default limits, but 1 MB unpacked for the "unzipped size" case (a smaller file to build)."""
    if request.node.callspec.params.get("case") == "unzipped size":
        settings.IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    return settings


def history_count() -> int:
    return BudgetLine.history.count()


@pytest.mark.parametrize("case", list(CASES))
def test_upload_over_a_limit_is_refused_in_the_page_and_nothing_is_kept(client, secretariat, small_plan, limits,
                                                                      case):
    build, name, message = CASES[case]
    data = build(small_plan)
    before, history = budget_content(small_plan), history_count()
    client.force_login(secretariat)
    response = client.post(reverse("budgets:upload", args=[small_plan.slug]), {"file": upload_file(data, name)})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'name="file"' in body  # the upload form is shown again
    assert not PendingBudgetImport.objects.exists()
    assert budget_content(small_plan) == before and history_count() == history


@pytest.mark.parametrize("case", list(CASES))
def test_import_command_over_a_limit_exits_1_and_writes_nothing(small_plan, limits, tmp_path, capsys, case):
    build, name, message = CASES[case]
    path = tmp_path / name
    path.write_bytes(build(small_plan))
    before, history = budget_content(small_plan), history_count()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_budget", small_plan.slug, str(path))
    assert exit_info.value.code == 1
    output = capsys.readouterr()
    assert f"Budgetarket blev ikke indlæst: {message}" in output.err and output.out == ""
    assert budget_content(small_plan) == before and history_count() == history


def declared_huge_range(plan) -> tuple[bytes, int]:
    """The exported budgetark with one amount changed, declaring A1:XFD1048576 for its few rows."""
    workbook = exported_workbook(plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fritidsjob")
    ws.cell(row, 3).value = 50  # 2022: 40 → 50
    return spreadsheets.with_declared_dimension(to_bytes(workbook)), row


def test_a_declared_huge_range_is_uploaded_from_its_real_rows(client, secretariat, small_plan):
    data, _row = declared_huge_range(small_plan)
    client.force_login(secretariat)
    response = client.post(reverse("budgets:upload", args=[small_plan.slug]), {"file": upload_file(data)})
    assert response.status_code == 302
    pending = PendingBudgetImport.objects.get()
    page = client.get(response.url).content.decode()
    assert "Fritidsjob" in page and pending.file_name == "budget.xlsx"


def test_a_declared_huge_range_is_imported_by_the_command(small_plan, tmp_path, capsys):
    data, _row = declared_huge_range(small_plan)
    path = tmp_path / "budget.xlsx"
    path.write_bytes(data)
    call_command("import_budget", small_plan.slug, str(path))
    assert "Fritidsjob" in capsys.readouterr().out
    assert small_plan.budget.lines.get(name="Fritidsjob").amounts["2022"] == 50


def test_styled_empty_cells_far_to_the_right_and_below_cost_nothing(small_plan, tmp_path, capsys):
    """Cells beyond column CV are not read, and the rows the file leaves out are not built."""
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    ws.cell(3, 16384).number_format = "0.00"
    ws.cell(9_000, 1).number_format = "0.00"
    path = tmp_path / "budget.xlsx"
    path.write_bytes(to_bytes(workbook))
    before = budget_content(small_plan)
    call_command("import_budget", small_plan.slug, str(path), "--dry-run")
    assert "Prøvekørsel: intet er gemt." in capsys.readouterr().out
    assert budget_content(small_plan) == before
