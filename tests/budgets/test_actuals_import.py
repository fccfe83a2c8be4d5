"""Importing actuals from .xlsx and .csv: lines found by section and name, all or nothing, Danish
row-level errors, the budget import's limits, and ``manage.py import_actuals``."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from budgets.actuals import ActualEntry, actuals_save_year
from budgets.actuals_file import ActualsFileError, actuals_import_file, read_actuals_file, write_actuals_xlsx
from budgets.followup import budget_followup
from budgets.models import Actual, ActualYear, BudgetLine
from tests.spreadsheets import csv_lines, table, with_declared_dimension

pytestmark = pytest.mark.django_db

HEADERS = ["Afsnit", "Udgiftspost", "År", "Forbrug", "Medfinansiering boligorganisation(er) – kontant",
           "Medfinansiering boligorganisation(er) – timer, lokaler", "Medfinansiering kommune – kontant",
           "Medfinansiering kommune – timer, lokaler", "Evt. anden lokal medfinansiering"]


def spent(plan) -> dict[tuple[str, int], Decimal]:
    actuals = Actual.objects.filter(line__budget__plan=plan).select_related("line")
    return {(actual.line.name, actual.year): actual.spent for actual in actuals}


def test_an_xlsx_sets_the_lines_it_names_and_leaves_the_rest(small_plan):
    data = table(HEADERS, [
        ["1. Uddannelse og livschancer", "Boligsocial medarbejder 1 (3 + 4)", 2022, 640.5, 75, 0, 75, 0, 0],
        ["Tværgående administrationsudgifter", "Kommunal facilitering (1,9 %)", 2022, 135, 0, 0, 0, 135, 0],
        ["Beskæftigelse", "fritidsjob", "2023", "41,5", "", "", "", "", "41,5"],
        [None, None, None, None, None, None, None, None, None],
    ])
    summary = actuals_import_file(plan=small_plan, data=data, file_name="forbrug.xlsx")
    assert (summary.created, summary.updated, summary.years) == (3, 0, (2022, 2023))
    assert spent(small_plan) == {("Boligsocial medarbejder 1", 2022): Decimal("640.5"),
                                 ("Kommunal facilitering (1,9 %)", 2022): Decimal("135"),
                                 ("Fritidsjob", 2023): Decimal("41.5")}
    fritidsjob = Actual.objects.get(line__name="Fritidsjob")
    assert fritidsjob.other == Decimal("41.5") and fritidsjob.history.first().history_change_reason == \
        "Forbrug indlæst fra fil"
    assert ActualYear.objects.get(budget__plan=small_plan, year=2022).version == 1


def test_a_danish_csv_with_semicolons_and_decimal_commas(small_plan):
    text = ";".join(HEADERS) + "\r\nLokal evaluering;Lokal evaluering;2022;1.015,5;0;0;0;0;0\r\n"
    with pytest.raises(ActualsFileError, match="Beløb skrives i tusinde kroner med højst én decimal"):
        actuals_import_file(plan=small_plan, data=text.replace("1.015,5", "1.015,55").encode("utf-8-sig"),
                            file_name="forbrug.csv")
    actuals_import_file(plan=small_plan, data=text.encode("utf-8-sig"), file_name="forbrug.csv")
    assert spent(small_plan) == {("Lokal evaluering", 2022): Decimal("1015.5")}


def test_every_problem_is_listed_by_row_and_nothing_is_written(small_plan):
    data = table(HEADERS, [
        ["1. Uddannelse og livschancer", "Boligsocial medarbejder 1", 2022, 600, 0, 0, 0, 0, 0],
        ["Kriminalitetsforebyggelse", "Gadeplan", 2022, 10, 0, 0, 0, 0, 0],
        ["Beskæftigelse", "Ukendt post", 2022, 10, 0, 0, 0, 0, 0],
        ["Lokal evaluering", "Lokal evaluering", 2031, 10, 0, 0, 0, 0, 0],
        ["Lokal evaluering", "Lokal evaluering", "toogtyve", "ti", 0, 0, 0, 0, -3],
        ["1. Uddannelse og livschancer", "Boligsocial medarbejder 1", 2022, 601, 0, 0, 0, 0, 0],
    ])
    with pytest.raises(ActualsFileError) as excinfo:
        actuals_import_file(plan=small_plan, data=data, file_name="forbrug.xlsx")
    problems = excinfo.value.problems
    assert problems[0].startswith("Række 3: Ukendt afsnit »Kriminalitetsforebyggelse«")
    assert problems[1] == "Række 4: Budgettet har ingen udgiftspost »Ukendt post« i afsnittet »Beskæftigelse«."
    assert problems[2] == "Række 5: 2031 ligger uden for helhedsplanens periode (2022–2025)."
    assert "Række 6: »toogtyve« er ikke et årstal." in problems
    assert "Række 6: kolonne »Forbrug«: »ti« er ikke et beløb. Skriv f.eks. 1.234,5." in problems
    assert "Række 6: kolonne »Evt. anden lokal medfinansiering«: Beløbet må ikke være negativt." in problems
    assert problems[-1] == "Række 7: Udgiftsposten »Boligsocial medarbejder 1« står allerede for 2022 i række 2."
    assert not Actual.objects.exists() and not ActualYear.objects.exists()


def test_missing_columns_are_named(small_plan):
    data = table(["Afsnit", "Udgiftspost", "År", "Forbrug"], [["Lokal evaluering", "Lokal evaluering", 2022, 1]])
    with pytest.raises(ActualsFileError) as excinfo:
        read_actuals_file(data, plan=small_plan, file_name="forbrug.xlsx")
    assert excinfo.value.problems[0].startswith("Filen mangler kolonnerne »Medfinansiering boligorganisation(er)")


def test_a_closed_year_needs_a_note_for_the_whole_file(small_plan):
    staff = BudgetLine.objects.get(budget__plan=small_plan, name="Boligsocial medarbejder 1")
    actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=True,
                      entries=[ActualEntry(staff, 2022, {"spent": Decimal(600)})])
    data = table(HEADERS, [
        ["Lokal evaluering", "Lokal evaluering", 2023, 15, 0, 0, 0, 0, 0],
        ["1. Uddannelse og livschancer", "Boligsocial medarbejder 1", 2022, 610, 0, 0, 0, 0, 0],
    ])
    with pytest.raises(ActualsFileError, match=r"afsluttede regnskabsår \(2022\)"):
        actuals_import_file(plan=small_plan, data=data, file_name="forbrug.xlsx")
    assert spent(small_plan) == {("Boligsocial medarbejder 1", 2022): 600}
    actuals_import_file(plan=small_plan, data=data, file_name="forbrug.xlsx", note="Efterpostering fra revisor.")
    assert spent(small_plan)[("Boligsocial medarbejder 1", 2022)] == 610
    assert ActualYear.objects.get(budget__plan=small_plan, year=2022).closed


def test_the_written_sheet_reads_back_exactly(small_plan):
    staff = BudgetLine.objects.get(budget__plan=small_plan, name="Boligsocial medarbejder 1")
    actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=False, entries=[
        ActualEntry(staff, 2022, {"spent": Decimal("640.5"), "bo_cash": Decimal(75), "bo_hours": Decimal(0),
                                  "kom_cash": Decimal("75.5"), "kom_hours": Decimal(0), "other": Decimal(0)})])
    data = write_actuals_xlsx(budget_followup(small_plan), plan=small_plan)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Afsnit", "Udgiftspost", "År", "Budget (t.kr.)", "Forbrug (t.kr.)")
    assert len(rows) == 1 + 7 * 4  # every line and year; the years without forbrug left to fill in
    assert ("1. Uddannelse og livschancer", "Boligsocial medarbejder 1", 2022, 662, 640.5, 75, 0, 75.5, 0, 0,
            21.5) in rows
    read = read_actuals_file(data, plan=small_plan, file_name="forbrug.xlsx")
    assert [(entry.line, entry.year, entry.values["spent"], entry.values["kom_cash"]) for entry in read.entries] == [
        (staff, 2022, Decimal("640.5"), Decimal("75.5"))]
    summary = actuals_import_file(plan=small_plan, data=data, file_name="forbrug.xlsx")
    assert summary.changed == 0 and summary.unchanged == 1


def test_the_budget_import_limits_apply_before_reading(small_plan, settings):
    settings.BUDGET_IMPORT_MAX_ROWS = 50
    too_long = csv_lines(";".join(HEADERS), "Lokal evaluering;Lokal evaluering;2022;1;0;0;0;0;0", 60)
    with pytest.raises(ActualsFileError, match="højst 50 rækker"):
        actuals_import_file(plan=small_plan, data=too_long, file_name="forbrug.csv")
    declared = with_declared_dimension(table(HEADERS, [["Lokal evaluering", "Lokal evaluering", 2022, 1, 0, 0, 0, 0,
                                                        0]]))
    actuals_import_file(plan=small_plan, data=declared, file_name="forbrug.xlsx")
    assert spent(small_plan) == {("Lokal evaluering", 2022): 1}
    with pytest.raises(ActualsFileError, match="regneark"):
        actuals_import_file(plan=small_plan, data=b"PK\x03\x04 not a zip", file_name="forbrug.xlsx")


def test_the_command_imports_and_dry_runs(small_plan, tmp_path, capsys):
    path = tmp_path / "forbrug.xlsx"
    path.write_bytes(table(HEADERS, [["Lokal evaluering", "Lokal evaluering", 2022, "14,5", 0, 0, 0, 0, 0]]))
    call_command("import_actuals", small_plan.slug, str(path), "--dry-run")
    assert "1 nye og 0 ændrede" in capsys.readouterr().out and not Actual.objects.exists()
    call_command("import_actuals", small_plan.slug, str(path))
    assert "er indlæst" in capsys.readouterr().out
    assert spent(small_plan) == {("Lokal evaluering", 2022): Decimal("14.5")}

    bad = tmp_path / "forkert.csv"
    bad.write_text(";".join(HEADERS) + "\nLokal evaluering;Ingen;2022;1;0;0;0;0;0\n", encoding="utf-8")
    with pytest.raises(SystemExit) as excinfo:
        call_command("import_actuals", small_plan.slug, str(bad))
    assert excinfo.value.code == 1
    assert "Række 2: Budgettet har ingen udgiftspost »Ingen«" in capsys.readouterr().err
