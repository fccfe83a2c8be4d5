"""Every csv, tsv and xlsx the project writes carries a hostile text as text, never as a live formula.

Hostile texts start with »=«, »+«, »-«, »@«, a tab or a carriage return (OWASP's CSV-injection rule);
numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from openpyxl import load_workbook

from agreements.models import Activity, Contact, Organisation
from budgets.actuals_file import write_actuals_xlsx
from budgets.followup import budget_followup
from budgets.models import BudgetLine
from budgets.selectors import budget_sheet
from budgets.xlsx import write_budget_xlsx
from helhedsplan.spreadsheets import is_formula_like, neutralise_cell, restore_cell, write_xlsx_cell
from indicators import services as indicator_services
from indicators.models import IndicatorValue
from tests.factories.agreements import ActivityFactory, ContactFactory, OrganisationFactory, UserFactory
from tests.factories.budgets import BudgetLineFactory
from tests.factories.indicators import IndicatorFactory, IndicatorValueFactory

HOSTILE = ['=HYPERLINK("http://x","klik")', "==1+1", "+SUM(1)", "-2+3", "@SUM(1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]
STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")  # XML reads a carriage return back as a line feed
# A carriage return may come back as a line feed (XML's line-end handling, depending on the parser).
IN_XLSX = {value.replace("\r", "\n") for value in HOSTILE}


def read_back(values) -> set:
    return {value.replace("\r", "\n") for value in values if isinstance(value, str)}


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_text_gets_an_apostrophe_and_comes_back_unchanged(value):
    assert neutralise_cell(value) == "'" + value
    assert restore_cell(neutralise_cell(value)) == value


@pytest.mark.parametrize("value", [12, -12, Decimal("-4.5"), 3.25, None, "-12", "-12,5", "+45", "-1.234,5", "Tekst",
                                   "'=already quoted", ""])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise_cell(value) == value
    assert not is_formula_like(value)


def test_an_xlsx_cell_keeps_the_text_as_text_and_drops_what_xml_cannot_hold():
    from openpyxl import Workbook

    sheet = Workbook().active
    write_xlsx_cell(sheet["A1"], "=1+1")
    write_xlsx_cell(sheet["A2"], "note\x00med\x07styretegn")
    write_xlsx_cell(sheet["A3"], Decimal("-4.5"))
    assert (sheet["A1"].data_type, sheet["A1"].quotePrefix, sheet["A1"].value) == ("s", True, "=1+1")
    assert sheet["A2"].value == "note\ufffdmed\ufffdstyretegn"
    assert (sheet["A3"].data_type, sheet["A3"].value) == ("n", Decimal("-4.5"))


def _assert_csv_is_inert(text: str, delimiter: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
    live = [cell for row in rows for cell in row if is_formula_like(cell)]
    assert not live, live
    return rows


def _assert_xlsx_is_inert(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert not formulas, formulas
    hostile = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(STARTS)]
    assert hostile and all(cell.quotePrefix for cell in hostile)
    return cells


def _hostile_objects() -> dict[type, list]:
    """One object per admin table carrying the hostile texts in its text fields."""
    organisations = [OrganisationFactory(name=value) for value in HOSTILE]
    contacts = [ContactFactory(name=value, title=value) for value in HOSTILE]
    activities = [ActivityFactory(name=value, purpose=value) for value in HOSTILE]
    values = [IndicatorValueFactory(value=Decimal("-4.5"), note=value) for value in HOSTILE]
    lines = [BudgetLineFactory(name=value, description=value) for value in HOSTILE]
    return {Organisation: organisations, Contact: contacts, Activity: activities, IndicatorValue: values,
            BudgetLine: lines}


@pytest.mark.django_db
def test_every_admin_export_opens_as_text():
    """The admin's csv, tsv and xlsx exports of organisations, contacts, activities, indicator values and
    budget lines: 15 files, none with a live formula, numbers still numbers."""
    objects = _hostile_objects()
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    checked = 0
    for model, instances in objects.items():
        model_admin = admin.site._registry[model]
        resource_class = model_admin.get_export_resource_classes(request)[0]
        queryset = model._default_manager.filter(pk__in=[obj.pk for obj in instances])
        formats = {fmt.__name__: fmt for fmt in model_admin.get_export_formats()}
        for name, delimiter in (("BoundedCSV", ","), ("BoundedTSV", "\t")):
            dataset = resource_class(**model_admin.get_export_resource_kwargs(request)).export(queryset=queryset)
            text = formats[name]().export_data(dataset)
            rows = _assert_csv_is_inert(text, delimiter)
            assert any(cell.startswith("'") for row in rows for cell in row), (model, name)
            checked += 1
        dataset = resource_class(**model_admin.get_export_resource_kwargs(request)).export(queryset=queryset)
        cells = _assert_xlsx_is_inert(formats["BoundedXLSX"]().export_data(dataset))
        if model is IndicatorValue:
            assert Decimal("-4.5") in {cell.value for cell in cells}  # a number, not the text »-4,5«
        checked += 1
    assert checked == 15


@pytest.mark.django_db
def test_indicator_exports_open_as_text():
    indicator = IndicatorFactory()
    for index, value in enumerate(HOSTILE):
        IndicatorValueFactory(indicator=indicator, note=value, year=2016 + index)
    text = indicator_services.indicator_values_export(plan=indicator.plan, file_format="csv").decode("utf-8")
    rows = _assert_csv_is_inert(text, ";")
    assert {row[-1] for row in rows[1:]} == {"'" + value for value in HOSTILE}
    assert {row[-2] for row in rows[1:]} == {"82,5"}
    cells = _assert_xlsx_is_inert(indicator_services.indicator_values_export(plan=indicator.plan, file_format="xlsx"))
    assert read_back(cell.value for cell in cells if cell.column == 6 and cell.row > 1) == IN_XLSX
    assert {cell.value for cell in cells if cell.column == 5 and cell.row > 1} == {82.5}


@pytest.mark.django_db
def test_budget_xlsx_opens_as_text():
    first = BudgetLineFactory(name=HOSTILE[0], description=HOSTILE[0])
    for value in HOSTILE[1:]:
        BudgetLineFactory(budget=first.budget, name=value, description=value)
    data = write_budget_xlsx(budget_sheet(first.budget.plan, empty_if_missing=True))
    sheet = load_workbook(io.BytesIO(data))["Budgetark"]
    names = [cell for row in sheet.iter_rows(min_col=1, max_col=1) for cell in row
             if isinstance(cell.value, str) and cell.value.startswith(STARTS)]
    assert len(names) == len(HOSTILE) and all(cell.data_type == "s" and cell.quotePrefix for cell in names)


@pytest.mark.django_db
def test_forbrug_xlsx_opens_as_text():
    first = BudgetLineFactory(name=HOSTILE[0])
    for value in HOSTILE[1:]:
        BudgetLineFactory(budget=first.budget, name=value)
    plan = first.budget.plan
    data = write_actuals_xlsx(budget_followup(plan), plan=plan)
    cells = _assert_xlsx_is_inert(data)
    assert IN_XLSX <= read_back(cell.value for cell in cells if cell.column == 2 and cell.row > 1)
