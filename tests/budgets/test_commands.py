"""``export_budget`` / ``import_budget`` and the demo budget loaded by ``load_demo``."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agreements.models import Plan
from budgets.demo import content_from_data, load_plan, load_reference
from budgets.models import Budget, BudgetLine, ExpenseType
from budgets.selectors import budget_content
from tests.factories.agreements import PlanFactory

from .workbooks import exported_workbook, row_of, to_bytes

pytestmark = pytest.mark.django_db


def test_export_then_import_command_round_trip(small_plan, tmp_path, capsys):
    target = tmp_path / "budget.xlsx"
    call_command("export_budget", small_plan.slug, "--output", str(target))
    assert "7 udgiftsposter" in capsys.readouterr().out
    before = budget_content(small_plan)
    call_command("import_budget", small_plan.slug, str(target))
    out = capsys.readouterr().out
    assert "Ingen ændringer." in out and "intet er ændret" in out
    assert budget_content(small_plan) == before


def test_import_dry_run_shows_changes_and_writes_nothing(small_plan, tmp_path, capsys):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    ws.cell(row_of(ws, "Fritidsjob"), 3).value = 80
    ws.cell(row_of(ws, "Fritidsjob"), 13).value = 200
    path = tmp_path / "rettet.xlsx"
    path.write_bytes(to_bytes(workbook))
    before = budget_content(small_plan)
    call_command("import_budget", small_plan.slug, str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "~ Fritidsjob: anden lokal medfinansiering, 2022" in out and "Prøvekørsel: intet er gemt." in out
    assert budget_content(small_plan) == before
    call_command("import_budget", small_plan.slug, str(path))
    assert small_plan.budget.lines.get(name="Fritidsjob").other == 200


def test_import_command_lists_problems_and_exits_1(small_plan, tmp_path, capsys):
    path = tmp_path / "budget.xlsx"
    path.write_text("ikke et regneark")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_budget", small_plan.slug, str(path))
    assert exit_info.value.code == 1
    assert "er ikke en Excel-fil i .xlsx-format" in capsys.readouterr().err


def test_commands_refuse_unknown_plans_and_files(small_plan, tmp_path):
    with pytest.raises(CommandError, match="Ukendt helhedsplan"):
        call_command("export_budget", "findes-ikke", "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_budget", small_plan.slug, str(tmp_path / "mangler.xlsx"))


def test_export_of_a_plan_without_budget_is_a_blank_template(tmp_path, capsys):
    plan = PlanFactory()
    call_command("export_budget", plan.slug, "--output", str(tmp_path / "tom.xlsx"))
    assert "tom skabelon" in capsys.readouterr().out
    assert not Budget.objects.filter(plan=plan).exists()


def test_demo_loads_the_amager_budgetark(demo_data):
    assert set(ExpenseType.objects.values_list("code", flat=True)) == set(range(10))
    assert ExpenseType.objects.get(code=4).name == "Konsulentbistand fra boligorg."
    plan = Plan.objects.get(slug="amager")
    lines = BudgetLine.objects.filter(budget__plan=plan)
    assert lines.count() == 37
    facilitation = lines.get(name="Kommunal facilitering (1,9 %)")
    assert facilitation.expense_type.code == 3 and facilitation.kom_hours == 537 and facilitation.footnote == "8"
    assert lines.get(name="Fritidsjob").footnote == "17b"
    assert plan.budget.footnotes.get(number="17b").text.startswith("Vedrører aktiviteten fritidsjob for alle")
    assert lines.get(name="Boligsocial medarbejder 6, deltid").amounts == {"2022": 583, "2023": 597, "2024": 651}
    assert not Budget.objects.filter(plan__slug="en-faelles-indsats").exists()


def test_demo_reference_is_idempotent_and_a_plan_without_budget_is_skipped(db):
    load_reference()
    history = ExpenseType.history.count()
    load_reference()
    assert ExpenseType.history.count() == history == 10
    plan = PlanFactory()
    load_plan(plan, {"budget": None})
    assert not Budget.objects.filter(plan=plan).exists()


def test_demo_data_notes_inconsistent_figures(small_plan, areas):
    data = {"years": [2022, 2023], "lines": [
        {"section": "Uddannelse og livschancer", "name": "Aktivitetsmidler", "expense_type": None,
         "footnote_number": 14, "footnote": "A", "amounts": {"2022": 10}, "lbf": 10},
        {"section": "lokal_evaluering", "name": "Evaluering", "expense_type": None, "footnote_number": 14,
         "footnote": "B", "amounts": {"2022": 5}, "lbf": 5},
    ], "printed_totals": {"total": 16, "lbf": 15}}
    content, notes = content_from_data(small_plan, data)
    assert [line.footnote for line in content.lines] == ["14", "14b"]
    assert notes == ["Fodnote 14 har to tekster; den anden (ved »Evaluering«) er gemt som 14b.",
                     "Budgettets år [2022, 2023] er ikke helhedsplanens år [2022, 2023, 2024, 2025].",
                     "Det trykte budgetark siger total = 16, linjerne giver 15."]
