"""The admin: budget with per-year line inline, line pages, and the flat csv/xlsx line list."""

import pytest
import tablib
from django.urls import reverse

from budgets.models import BudgetLine
from budgets.resources import BudgetLineResource
from tests.demo import without_demo

pytestmark = pytest.mark.django_db


def test_budget_change_page_has_year_fields_per_line(client, staff_user, small_plan):
    client.force_login(staff_user)
    response = client.get(reverse("admin:budgets_budget_change", args=[small_plan.budget.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="lines-0-amount_2022"' in body and 'name="lines-0-amount_2025"' in body
    assert 'name="footnotes-0-text"' in body


def test_budget_inline_saves_amounts(client, staff_user, small_plan):
    client.force_login(staff_user)
    change = reverse("admin:budgets_budget_change", args=[small_plan.budget.pk])
    response = client.get(change)
    data = {}
    for form in [response.context["adminform"].form, *[f for fs in response.context["inline_admin_formsets"]
                                                       for f in fs.formset.forms]]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if hasattr(value, "pk"):
                value = value.pk
            if value is not None and name != "staff_resources":
                data[form.add_prefix(name)] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, management[name].value())
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    index = next(i for i, f in enumerate(response.context["inline_admin_formsets"][0].formset.forms)
                 if f.instance.pk == line.pk)
    data[f"lines-{index}-amount_2022"] = 60
    data[f"lines-{index}-lbf"] = 195
    saved = client.post(change, data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    line.refresh_from_db()
    assert line.amounts["2022"] == 60 and line.lbf == 195


def test_line_change_page_and_list(client, staff_user, small_plan):
    client.force_login(staff_user)
    line = small_plan.budget.lines.get(name="Boligsocial medarbejder 1")
    assert client.get(reverse("admin:budgets_budgetline_changelist")).status_code == 200
    body = client.get(reverse("admin:budgets_budgetline_change", args=[line.pk])).content.decode()
    assert 'name="amount_2023"' in body and 'name="staff_resources"' in body
    assert client.get(reverse("admin:budgets_budgetline_history", args=[line.pk])).status_code == 200
    assert client.get(reverse("admin:budgets_expensetype_changelist")).status_code == 200


def test_flat_export_and_import_of_lines(small_plan):
    dataset = BudgetLineResource().export(queryset=without_demo(BudgetLine))
    assert dataset.headers[:8] == ["id", "helhedsplan", "afsnit", "udgiftspost", "udgiftstype", "beskrivelse",
                                   "fodnote", "rækkefølge"]
    assert dataset.headers[8:12] == ["2022", "2023", "2024", "2025"]
    first = dataset.dict[2]
    assert first["afsnit"] == "Uddannelse og livschancer" and first["2022"] == 662 and first["LBF"] == 2015
    result = BudgetLineResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 7

    new = tablib.Dataset(headers=["id", "helhedsplan", "afsnit", "udgiftspost", "udgiftstype", "2022", "2023", "LBF"])
    new.append(["", small_plan.slug, "Tværgående administrationsudgifter", "Revision", 7, 16, 16, 32])
    fritidsjob = BudgetLine.objects.get(budget__plan=small_plan, name="Fritidsjob")
    new.append([fritidsjob.pk, small_plan.slug, "Beskæftigelse", "Fritidsjob", "", 45, "", 0])
    result = BudgetLineResource().import_data(new, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    revision = BudgetLine.objects.get(budget__plan=small_plan, name="Revision")
    assert revision.amounts == {"2022": 16, "2023": 16} and revision.expense_type.code == 7
    assert BudgetLine.objects.get(budget__plan=small_plan, name="Fritidsjob").amounts["2022"] == 45


def test_flat_import_with_a_bad_row_writes_nothing(small_plan):
    before = list(BudgetLine.objects.values_list("name", "amounts"))
    dataset = tablib.Dataset(headers=["id", "helhedsplan", "afsnit", "udgiftspost", "udgiftstype", "2022", "LBF"])
    dataset.append(["", small_plan.slug, "Lokal evaluering", "Evaluering", "", 10, 10])
    dataset.append(["", small_plan.slug, "Boligsocial bingo", "Bingo", "", 10, 10])
    dataset.append(["", small_plan.slug, "Lokal evaluering", "Negativ", "", -5, 0])
    dataset.append(["", "findes-ikke", "Lokal evaluering", "Andet", "", 1, 1])
    dataset.append(["", small_plan.slug, "Lokal evaluering", "Tekst", "", "otte", 1])
    result = BudgetLineResource().import_data(dataset, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert list(BudgetLine.objects.values_list("name", "amounts")) == before
    messages = " ".join(str(error.error) for row in result.row_errors() for error in row[1]) + " ".join(
        str(row.error) for row in result.invalid_rows)
    assert "Ukendt afsnit »Boligsocial bingo«" in messages
    assert "Ukendt helhedsplan »findes-ikke«" in messages


def test_add_a_line_in_the_admin_with_amounts_as_json(client, staff_user, small_plan):
    client.force_login(staff_user)
    data = {"budget": small_plan.budget.pk, "section": "lokal_evaluering", "name": "Ekstern evaluering",
            "description": "", "footnote": "", "order": 9, "amounts": '{"2024": 30, "2025": 0}', "lbf": 30,
            "bo_cash": 0, "bo_hours": 0, "kom_cash": 0, "kom_hours": 0, "other": 0}
    response = client.post(reverse("admin:budgets_budgetline_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert BudgetLine.objects.get(name="Ekstern evaluering").amounts == {"2024": 30}
