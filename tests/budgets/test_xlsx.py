"""The LBF budgetark file: export → import is exact, the user's own layout reads, bad files are refused."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from agreements.models import Plan
from budgets.models import Budget, BudgetLine
from budgets.selectors import budget_content, budget_sheet
from budgets.services import budget_import_file
from budgets.xlsx import BudgetFileError, read_budget_xlsx
from tests.factories.agreements import PlanFactory, PlanFocusAreaFactory

from .workbooks import column_of, evaluate, export, exported_workbook, freeze_formulas, row_of, to_bytes

pytestmark = pytest.mark.django_db


def history_count() -> int:
    return BudgetLine.history.count() + Budget.history.count()


def problems_of(data: bytes, plan) -> list[str]:
    with pytest.raises(BudgetFileError) as error:
        read_budget_xlsx(data, plan=plan)
    return [str(problem) for problem in error.value.problems]


def refused_and_untouched(data: bytes, plan) -> list[str]:
    """Import through the service: refused, and the existing budget exactly as before."""
    before, history = budget_content(plan), history_count()
    with pytest.raises(BudgetFileError) as error:
        budget_import_file(plan=plan, data=data, file_name="budget.xlsx")
    assert budget_content(plan) == before
    assert history_count() == history
    return [str(problem) for problem in error.value.problems]


# --- export → import -----------------------------------------------------------------------------


def test_export_then_import_is_exact(small_plan):
    result = read_budget_xlsx(export(small_plan), plan=small_plan)
    assert result.content == budget_content(small_plan)
    assert result.notices == []


def test_importing_the_export_twice_changes_nothing(small_plan):
    data = export(small_plan)
    before, history = budget_content(small_plan), history_count()
    for _ in range(2):
        outcome = budget_import_file(plan=small_plan, data=data)
        assert outcome.changes.is_empty and not outcome.saved
    assert budget_content(small_plan) == before
    assert history_count() == history


def test_export_imports_exactly_into_another_plan_with_the_same_areas(small_plan, areas):
    other = PlanFactory(start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    PlanFocusAreaFactory(plan=other, focus_area=areas["edu"])
    PlanFocusAreaFactory(plan=other, focus_area=areas["job"])
    outcome = budget_import_file(plan=other, data=export(small_plan), file_name="fremtid.xlsx")
    assert outcome.saved and len(outcome.changes.added) == 7
    assert budget_content(other) == budget_content(small_plan)
    assert other.budget.source_name == "fremtid.xlsx"
    assert budget_import_file(plan=other, data=export(other)).changes.is_empty


def test_amager_round_trip_is_exact(demo_data):
    plan = Plan.objects.select_related("pulje").get(slug="amager")
    result = read_budget_xlsx(export(plan), plan=plan)
    assert result.content == budget_content(plan)
    assert len(result.content.lines) == 37
    numbers = [note.number for note in result.content.footnotes]
    assert numbers[:11] == [str(n) for n in range(1, 12)] and "17b" in numbers and "20b" in numbers


def test_exported_formulas_compute_the_sheet_totals(small_plan):
    ws = exported_workbook(small_plan)["Budgetark"]
    total_row = row_of(ws, "Total")
    total_col = column_of(ws, "Samlede udgifter")
    assert evaluate(ws, ws.cell(total_row, total_col).coordinate) == 6319
    assert evaluate(ws, ws.cell(total_row, column_of(ws, "LBF")).coordinate) == 4422
    assert evaluate(ws, ws.cell(row_of(ws, "Samlet medfinansiering"), total_col).coordinate) == 1897
    assert evaluate(ws, ws.cell(row_of(ws, "Balance"), total_col).coordinate) == 0
    percent = evaluate(ws, ws.cell(row_of(ws, "Medfinans. %"), total_col).coordinate)
    assert round(percent * 100, 1) == 30.0
    years = [evaluate(ws, ws.cell(total_row, column_of(ws, year)).coordinate) for year in (2022, 2023, 2024, 2025)]
    assert years == [1597, 1542, 1574, 1606]


def test_a_file_saved_by_excel_with_stored_sums_imports(small_plan):
    workbook = freeze_formulas(exported_workbook(small_plan))
    assert read_budget_xlsx(to_bytes(workbook), plan=small_plan).content == budget_content(small_plan)


def test_export_looks_right_in_excel(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Boligsocial medarbejder 1 (3 + 4)")
    cell = ws.cell(row, column_of(ws, 2022))
    assert cell.value == 662 and cell.number_format == "#,##0"
    assert ws.cell(row_of(ws, "Medfinans. %"), column_of(ws, "Samlede udgifter")).number_format == "0.0%"
    assert ws.freeze_panes == "C10"
    assert ws.cell(row_of(ws, "Økonomistyring (1)"), 2).value == "1. Administrativ bistand fra boligorg."
    assert workbook["Udgiftstyper"]["A3"].value == "0. Forlodsudbetaling"
    assert ws.data_validations.dataValidation[0].formula1 == "'Udgiftstyper'!$A$2:$A$12"


def test_a_name_that_looks_like_a_formula_stays_text(small_plan):
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    line.name = "=HYPERLINK(\"http://example.com\")"
    line.save()
    data = export(small_plan)
    ws = exported_workbook(small_plan)["Budgetark"]
    assert ws.cell(row_of(ws, line.name), 1).data_type == "s"
    assert read_budget_xlsx(data, plan=small_plan).content == budget_content(small_plan)


def test_empty_plan_exports_a_blank_template_that_reads_as_no_lines(areas):
    plan = PlanFactory()
    PlanFocusAreaFactory(plan=plan, focus_area=areas["job"])
    ws = exported_workbook(plan)["Budgetark"]
    assert row_of(ws, "2. Beskæftigelse")
    assert "ingen udgiftsposter" in " ".join(problems_of(export(plan), plan))


# --- the layout users already have -------------------------------------------------------


def seed_style_workbook() -> Workbook:
    """The small plan's budget written the way LBF's template has it: an empty 2021
    column, stored sums, merged Total, »(Vælg udgiftstype) | 0« rows, an unchosen empty section, the
    udgiftstype table and the footnote block below the totals (two footnotes in one cell, one
    continued on the next row)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    rows = [
        ["Budgetark for boligsocial indsats inden for 2019-26-midlerne (OBS: hele tusinde kr. i x.xx.)"],
        ["Start boligsocial indsats", "01-01-2022"],
        ["Slut boligsocial indsats", "31-12-2025"],
        ["Boligområde/områdenavn", "Fælles Fremtid"],
        ["Jnr: 104242"],
        ["Udgiftsposter", None, "Projektperiode - udgifter", None, None, None, None, "Samlede udgifter",
         "Finansiering"],
        [None, None, 2021, 2022, 2023, 2024, 2025, None, "LBF", "Medfinansiering boligorganisation(er)", None,
         "Medfinansiering kommune", None, "Evt. anden lokal medfinans."],
        [None] * 9 + ["Kontant", "Timer, lokaler", "Kontant", "Timer, lokaler"],
        ["Tværgående administrationsudgifter"],
        ["Udgiftspost", "Udgiftstype"],
        ["Økonomistyring (1)", "1. Administrativ bistand fra boligorg.", None, 38, 38, 38, 38, 152, 152],
        ["Kommunal facilitering (1,9 %) (2)", "3. Mødedeltagelse fra kommunen", None, 135, 134, 134, 134, 537,
         None, None, None, None, 537],
        [None, "(Vælg udgiftstype)", None, None, None, None, None, 0],
        ["Sum", None, 0, 173, 172, 172, 172, 689, 152, 0, 0, 0, 537, 0],
        ["1. Uddannelse og livschancer"],
        ["Boligsocial medarbejder 1 (3 + 4)", "Andel af løn", None, 662, 635, 651, 667, 2615, 2015, 300, None, 300],
        ["Aktivitetsmidler", None, None, 45, 45, 45, 45, 180, 180],
        [None, None, None, None, None, None, None, 0],
        ["Sum", None, 0, 707, 680, 696, 712, 2795, 2195, 300, 0, 300, 0, 0],
        ["2. Beskæftigelse"],
        ["Boligsocial medarbejder 3", None, None, 662, 635, 651, 667, "2.615", 2015, 300, None, 300],
        ["Fritidsjob", None, None, "40", 40, 40, 40, 160, None, None, None, None, None, 160],
        ["Sum", None, 0, 702, 675, 691, 707, 2775, 2015, 300, 0, 300, 0, 160],
        ["3. Kriminalitetsforebyggelse"],
        [None, None, None, None, None, None, None, 0],
        ["Sum", None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ["Lokal evaluering"],
        ["Lokal evaluering (4)", None, None, 15, 15, 15, 15, 60, 60],
        ["I alt", None, 0, 15, 15, 15, 15, 60, 60, 0, 0, 0, 0, 0],
        ["Fordeling af medfinansiering i alt", None, None, None, None, None, None, None, None, 600, 0, 600, 537],
        ["Total", None, 0, 1597, 1542, 1574, 1606, 6319, 4422, 600, None, 1137, None, 160],
        ["Samlet medfinansiering", "1.897"],
        ["Balance", 0],
        ["Medfinans.", "30 %"],
        [],
        ["Indsatsområde", "Udgiftstype", "Beskrivelse"],
        ["Tværgående_admin.udgifter"],
        ["(Vælg udgiftstype)"],
        ["0. Forlodsudbetaling", "Denne kategori bruges til forlodsudbetaling."],
        ["1) Omfatter oprettelse af projektet i it-systemerne. Ydelsen er 37.500 kr. pr. år."],
        ["2) Kommunens facilitering, 1,9 % af det samlede budget. 3) Lønfastsættelsen sker efter gældende "
         "overenskomst."],
        ["4) Medarbejderens tid fordeles ca. 75 % på lektiehjælp."],
        ["Resten på forældresamarbejde."],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("J31:K31")
    ws.merge_cells("L31:M31")
    return wb


def test_the_layout_users_already_have_reads_exactly(small_plan):
    result = read_budget_xlsx(to_bytes(seed_style_workbook()), plan=small_plan)
    assert result.content == budget_content(small_plan)
    assert result.notices == ["Kolonnen for 2021 ligger uden for helhedsplanens periode (2022–2025) og er tom; "
                              "den er sprunget over."]


def test_upload_of_the_users_layout_into_an_empty_plan(small_plan, areas):
    plan = PlanFactory(start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    for area in (areas["edu"], areas["job"]):
        PlanFocusAreaFactory(plan=plan, focus_area=area)
    budget_import_file(plan=plan, data=to_bytes(seed_style_workbook()), file_name="budget.xlsx")
    assert budget_content(plan) == budget_content(small_plan)
    sheet = budget_sheet(plan)
    assert sheet["totals"]["total"] == 6319 and sheet["totals"]["balance"] == 0


# --- bad input: each refused with sheet, row and column; nothing written --------------------------------


def test_refuses_a_file_without_the_header_row(small_plan):
    workbook = exported_workbook(small_plan)
    workbook["Budgetark"]["A7"] = "Poster"
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == ["Ark »Budgetark«, kolonne A: Overskriftsrækken mangler: ingen række har »Udgiftsposter« i "
                        "kolonne A, så kolonnerne (år, LBF, medfinansiering) kan ikke findes. Brug LBF's budgetark."]


def test_refuses_an_unknown_expense_type(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Økonomistyring (1)")
    ws.cell(row, 2).value = "12. Kaffe og kage"
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert len(problems) == 1
    assert problems[0].startswith(f"Ark »Budgetark«, række {row}, kolonne B: Ukendt udgiftstype »12. Kaffe og kage«.")


def test_refuses_amounts_in_a_year_outside_the_plan_period(small_plan):
    data = export(small_plan)
    small_plan.end_date = date(2024, 12, 31)
    small_plan.save()
    ws = exported_workbook(small_plan)  # only to learn the layout
    problems = refused_and_untouched(data, small_plan)
    assert len(problems) == 7  # every line has an amount in 2025
    row = 12
    assert problems[0] == (f"Ark »Budgetark«, række {row}, kolonne F (2025): Året 2025 ligger uden for "
                           "helhedsplanens periode (2022–2024); der må ikke stå beløb i kolonnen.")
    assert ws is not None


def test_refuses_a_missing_year_column(small_plan):
    workbook = exported_workbook(small_plan)
    workbook["Budgetark"]["F8"] = None
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert "Ark »Budgetark«, række 7: Kolonnen for året 2025 mangler; helhedsplanens periode dækker 2022–2025." \
        in problems


def test_refuses_text_where_a_number_belongs(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Aktivitetsmidler")
    ws.cell(row, column_of(ws, 2023)).value = "otte"
    ws.cell(row, column_of(ws, "LBF")).value = "37,5"
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [
        f"Ark »Budgetark«, række {row}, kolonne D (2023): »otte« er ikke et tal. Skriv beløbet i hele tusinde kroner.",
        f"Ark »Budgetark«, række {row}, kolonne H (LBF): »37,5« er ikke et tal. Skriv beløbet i hele tusinde kroner.",
    ]


def test_refuses_fractions_of_a_thousand(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Aktivitetsmidler")
    ws.cell(row, column_of(ws, 2022)).value = 37.5
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [f"Ark »Budgetark«, række {row}, kolonne C (2022): 37,5 er ikke et helt tal. Beløb skrives i "
                        "hele tusinde kroner."]


def test_refuses_negative_amounts(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fritidsjob")
    ws.cell(row, column_of(ws, 2022)).value = -40
    ws.cell(row, column_of(ws, "Evt. anden lokal medfinans.")).value = "-80"
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [
        f"Ark »Budgetark«, række {row}, kolonne C (2022): Beløbet -40 er negativt. Beløb må ikke være negative.",
        f"Ark »Budgetark«, række {row}, kolonne M (Evt. anden lokal medfinans.): Beløbet -80 er negativt. Beløb må "
        "ikke være negative.",
    ]


def test_refuses_a_sum_row_that_disagrees_with_its_lines(small_plan):
    workbook = freeze_formulas(exported_workbook(small_plan))
    ws = workbook["Budgetark"]
    row = row_of(ws, "Sum", after=row_of(ws, "1. Uddannelse og livschancer"))
    ws.cell(row, column_of(ws, 2023)).value = 681
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [f"Ark »Budgetark«, række {row}, kolonne D (2023): »Sum«-rækken viser 681, men "
                        "udgiftsposterne giver 680."]


def test_refuses_totals_that_disagree(small_plan):
    workbook = freeze_formulas(exported_workbook(small_plan))
    ws = workbook["Budgetark"]
    total_col = column_of(ws, "Samlede udgifter")
    ws.cell(row_of(ws, "Total"), column_of(ws, "LBF")).value = 4421
    ws.cell(row_of(ws, "Samlet medfinansiering"), total_col).value = 1900
    ws.cell(row_of(ws, "Medfinans. %"), total_col).value = 0.25
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "»Total«-rækken viser 4.421, men udgiftsposterne giver 4.422.",
        "Samlet medfinansiering viser 1.900, men udgiftsposterne giver 1.897.",
        "Medfinans. % viser 25,0 %, men udgiftsposterne giver 30,0 %.",
    ]


def test_refuses_a_line_whose_total_disagrees_with_its_years(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fritidsjob")
    ws.cell(row, column_of(ws, "Samlede udgifter")).value = 170
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [f"Ark »Budgetark«, række {row}, kolonne G (Samlede udgifter): Samlede udgifter viser 170, "
                        "men årene giver 160."]


def test_refuses_a_section_that_is_not_an_indsatsomraade_of_the_plan(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "2. Beskæftigelse")
    ws.cell(row, 1).value = "2. Boligsocial bingo"
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [f"Ark »Budgetark«, række {row}, kolonne A: Afsnittet »2. Boligsocial bingo« er ikke et "
                        "indsatsområde i helhedsplanen (helhedsplanens indsatsområder: »Uddannelse og livschancer«, "
                        "»Beskæftigelse«)."]


def test_refuses_lines_in_an_indsatsomraade_the_plan_has_not_chosen(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "2. Beskæftigelse")
    ws.cell(row, 1).value = "3. Kriminalitetsforebyggelse"
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [f"Ark »Budgetark«, række {row + 1}, kolonne A: Afsnittet »Kriminalitetsforebyggelse« "
                        f"(række {row}) er ikke et af helhedsplanens valgte indsatsområder, men har udgiftsposter."]


def test_refuses_an_empty_file(small_plan):
    assert refused_and_untouched(b"", small_plan) == ["Filen er tom."]


def test_refuses_a_workbook_with_an_empty_sheet(small_plan):
    assert refused_and_untouched(to_bytes(Workbook()), small_plan) == [
        "Ark »Sheet«: Arket er tomt – der er intet budget i filen."]


@pytest.mark.parametrize("content", [
    b"Udgiftsposter;2022;2023\nRevision;16;16\n",                 # a csv renamed .xlsx
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,           # an old binary .xls renamed .xlsx
    b"PK\x03\x04 not really a zip file",                           # a damaged file
])
def test_refuses_a_file_that_is_not_xlsx(small_plan, content):
    problems = refused_and_untouched(content, small_plan)
    assert problems == ["Filen »budget.xlsx« er ikke en Excel-fil i .xlsx-format. Gem budgetarket som "
                        "»Excel-projektmappe (.xlsx)« og prøv igen."]


def test_refuses_a_zip_that_is_not_a_workbook(small_plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert "er ikke en Excel-fil" in refused_and_untouched(buffer.getvalue(), small_plan)[0]


def test_refuses_a_1500_line_file_whole(small_plan):
    # Within the row limit of a budgetark (2.000), over the line limit (1.000).
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Budgetark")
    ws.append(["Udgiftsposter", None, "Projektperiode - udgifter", None, None, None, "Samlede udgifter",
               "Finansiering"])
    ws.append([None, None, 2022, 2023, 2024, 2025, None, "LBF", "Medfinansiering boligorganisation(er)", None,
               "Medfinansiering kommune", None, "Evt. anden lokal medfinans."])
    ws.append([None] * 8 + ["Kontant", "Timer, lokaler", "Kontant", "Timer, lokaler"])
    ws.append(["1. Uddannelse og livschancer"])
    for index in range(1500):
        ws.append([f"Aktivitet {index}", None, 1, 1, 1, 1, 4, 4])
    problems = refused_and_untouched(to_bytes(wb), small_plan)
    assert problems == ["Ark »Budgetark«, række 1005, kolonne A: Filen har flere end 1.000 udgiftsposter; et "
                        "budgetark har typisk under 100. Kontrollér, at det er det rigtige ark."]


def test_refuses_a_line_without_a_name_and_a_formula_without_a_stored_result(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    blank = row_of(ws, "I alt", after=row_of(ws, "Lokal evaluering")) - 1  # one of the blank rows
    ws.cell(blank, column_of(ws, 2022)).value = 5
    row = row_of(ws, "Fritidsjob")
    ws.cell(row, column_of(ws, 2022)).value = "=10*4"
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [
        f"Ark »Budgetark«, række {row}, kolonne C (2022): Cellen indeholder en formel uden gemt resultat. Åbn og gem "
        "filen i Excel, eller skriv tallet direkte.",
        f"Ark »Budgetark«, række {blank}, kolonne A: Udgiftsposten mangler et navn.",
    ]


def test_refuses_a_footnote_numbered_twice(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Fodnoter") + 2
    ws.cell(row, 1).value = "1) Endnu en fodnote 1."
    problems = refused_and_untouched(to_bytes(workbook), small_plan)
    assert problems == [f"Ark »Budgetark«, række {row}, kolonne A: Fodnote 1) står to gange (også i række "
                        f"{row - 1})."]


def test_lists_every_problem_at_once(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    ws.cell(row_of(ws, "Økonomistyring (1)"), 2).value = "Kaffe"
    ws.cell(row_of(ws, "Fritidsjob"), 3).value = "fyrre"
    ws.cell(row_of(ws, "Aktivitetsmidler"), 4).value = -1
    assert len(refused_and_untouched(to_bytes(workbook), small_plan)) == 3


def test_footnote_texts_that_mention_other_footnotes_round_trip(small_plan):
    note = small_plan.budget.footnotes.get(number="3")
    note.text = "Lønfastsættelsen sker efter overenskomsten, jf. 4) nedenfor og punkt 2) ovenfor."
    note.save()
    assert read_budget_xlsx(export(small_plan), plan=small_plan).content == budget_content(small_plan)


def test_names_and_descriptions_are_stored_with_single_spaces(small_plan):
    from budgets.models import BudgetLine

    line = BudgetLine(budget=small_plan.budget, section="lokal_evaluering", name="  Ekstern   evaluering ",
                      description="Evaluator\n og  rapport", amounts={"2022": 10}, lbf=10)
    line.full_clean()
    assert (line.name, line.description) == ("Ekstern evaluering", "Evaluator og rapport")
