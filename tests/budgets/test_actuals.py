"""Actuals (forbrug): Danish amounts, saving a year with a version check and closed years, history."""

import dataclasses
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from agreements.models import PlanMembership
from budgets import services
from budgets.actuals import ActualEntry, ActualsConflict, actuals_save_year, closed_year_notes, parse_amount
from budgets.models import Actual, ActualYear, Budget, BudgetLine
from budgets.selectors import budget_content, content_sheet
from budgets.xlsx import BudgetFileError, write_budget_xlsx
from tests.factories.agreements import PlanMembershipFactory, UserFactory
from tests.factories.budgets import BudgetLineFactory

pytestmark = pytest.mark.django_db


def line(plan, name: str) -> BudgetLine:
    return BudgetLine.objects.get(budget__plan=plan, name=name)


def values(spent, bo_cash=0, bo_hours=0, kom_cash=0, kom_hours=0, other=0) -> dict[str, Decimal]:
    return {"spent": Decimal(str(spent)), "bo_cash": Decimal(str(bo_cash)), "bo_hours": Decimal(str(bo_hours)),
            "kom_cash": Decimal(str(kom_cash)), "kom_hours": Decimal(str(kom_hours)), "other": Decimal(str(other))}


@pytest.mark.parametrize("raw, expected", [
    ("1.234,5", Decimal("1234.5")), ("1234,5", Decimal("1234.5")), ("1.234", Decimal("1234")),
    ("12", Decimal("12")), (" 0 ", Decimal("0")), ("38,0", Decimal("38.0")), ("1\u00a0234,5", Decimal("1234.5")),
    (661.5, Decimal("661.5")), (662, Decimal("662")), ("", None), (None, None),
])
def test_amounts_are_read_the_danish_way(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("tolv", "er ikke et beløb"), ("1,234,5", "er ikke et beløb"), ("-5", "negativt"),
    ("1,25", "højst én decimal"), (True, "er ikke et beløb"), ("99999999999", "for stort"),
])
def test_bad_amounts_are_refused_in_danish(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(raw)


def test_a_year_is_saved_with_history_and_a_new_version(small_plan):
    user = UserFactory()
    staff = line(small_plan, "Boligsocial medarbejder 1")
    summary = actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=False, user=user, entries=[
        ActualEntry(staff, 2022, values("640.5", bo_cash=75, kom_cash=75)),
        ActualEntry(line(small_plan, "Økonomistyring"), 2022, values(38)),
    ])
    assert (summary.created, summary.updated, summary.deleted) == (2, 0, 0)
    actual = Actual.objects.get(line=staff, year=2022)
    assert actual.spent == Decimal("640.5") and actual.bo_cash == 75 and actual.cofinancing == 150
    assert actual.history.first().history_user == user
    year = ActualYear.objects.get(budget__plan=small_plan, year=2022)
    assert year.version == 1 and not year.closed

    summary = actuals_save_year(plan=small_plan, year=2022, expected_version=1, closed=False, entries=[
        ActualEntry(staff, 2022, values(650, bo_cash=75, kom_cash=75)),
        ActualEntry(line(small_plan, "Økonomistyring"), 2022, None),
    ])
    assert (summary.created, summary.updated, summary.deleted) == (0, 1, 1)
    assert list(Actual.objects.filter(line__budget__plan=small_plan).values_list("spent", flat=True)) == [650]
    year.refresh_from_db()
    assert year.version == 2


def test_a_save_against_an_older_version_is_refused_and_writes_nothing(small_plan):
    staff = line(small_plan, "Boligsocial medarbejder 1")
    actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=False,
                      entries=[ActualEntry(staff, 2022, values(600))])
    # Two editors opened version 1; the first saves, the second is refused.
    actuals_save_year(plan=small_plan, year=2022, expected_version=1, closed=False,
                      entries=[ActualEntry(staff, 2022, values(610))])
    with pytest.raises(ActualsConflict, match="ændret af en anden"):
        actuals_save_year(plan=small_plan, year=2022, expected_version=1, closed=False,
                          entries=[ActualEntry(staff, 2022, values(999))])
    assert Actual.objects.get(line=staff, year=2022).spent == 610


def test_a_first_save_of_a_year_someone_else_saved_first_is_refused(small_plan):
    staff = line(small_plan, "Boligsocial medarbejder 1")
    actuals_save_year(plan=small_plan, year=2023, expected_version=0, closed=False,
                      entries=[ActualEntry(staff, 2023, values(600))])
    with pytest.raises(ActualsConflict):
        actuals_save_year(plan=small_plan, year=2023, expected_version=0, closed=False,
                          entries=[ActualEntry(staff, 2023, values(1))])


def test_a_closed_year_changes_only_with_a_note_kept_in_history(small_plan):
    user = UserFactory()
    staff = line(small_plan, "Boligsocial medarbejder 1")
    actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=True,
                      entries=[ActualEntry(staff, 2022, values(600))])
    with pytest.raises(ValidationError) as excinfo:
        actuals_save_year(plan=small_plan, year=2022, expected_version=1, closed=True,
                          entries=[ActualEntry(staff, 2022, values(620))])
    assert "afsluttet" in excinfo.value.message_dict["note"][0]
    with pytest.raises(ValidationError):  # reopening is a change too
        actuals_save_year(plan=small_plan, year=2022, expected_version=1, closed=False,
                          entries=[ActualEntry(staff, 2022, values(600))])
    assert Actual.objects.get(line=staff, year=2022).spent == 600

    actuals_save_year(plan=small_plan, year=2022, expected_version=1, closed=True, user=user,
                      note="Revisionen rettede lønnen for december.", entries=[ActualEntry(staff, 2022, values(620))])
    actual = Actual.objects.get(line=staff, year=2022)
    assert actual.spent == 620
    assert actual.history.first().history_change_reason == "Revisionen rettede lønnen for december."
    notes = closed_year_notes(small_plan)
    assert [(n["year"], n["note"], n["user"]) for n in notes] == [
        (2022, "Revisionen rettede lønnen for december.", user)]


def test_an_unchanged_save_writes_nothing_even_from_an_old_form(small_plan):
    staff = line(small_plan, "Boligsocial medarbejder 1")
    actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=True,
                      entries=[ActualEntry(staff, 2022, values(600))])
    summary = actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=True,
                                entries=[ActualEntry(staff, 2022, values(600))])
    assert summary.changed == 0
    assert ActualYear.objects.get(budget__plan=small_plan, year=2022).version == 1


def test_years_outside_the_plan_and_lines_of_other_plans_are_refused(small_plan):
    staff = line(small_plan, "Boligsocial medarbejder 1")
    with pytest.raises(ValidationError, match="uden for"):
        actuals_save_year(plan=small_plan, year=2030, expected_version=0, closed=False,
                          entries=[ActualEntry(staff, 2030, values(1))])
    other = BudgetLineFactory()
    with pytest.raises(ValidationError, match="hører ikke til"):
        actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=False,
                          entries=[ActualEntry(other, 2022, values(1))])
    assert not Actual.objects.exists()


def test_a_line_with_forbrug_is_never_deleted_with_it(small_plan, client):
    """Neither the line's delete, the section grid, a budget without the line nor the ORM itself
    deletes forbrug: each refuses (with the line's name), and nothing changes."""
    staff = line(small_plan, "Økonomistyring")
    actuals_save_year(plan=small_plan, year=2022, expected_version=0, closed=False,
                      entries=[ActualEntry(staff, 2022, values(38))])
    before = budget_content(small_plan)
    refusal = "»Økonomistyring« har registreret forbrug for 2022 og kan ikke slettes"

    with pytest.raises(ValidationError, match=refusal):
        services.budget_line_delete(line=staff)
    budget = Budget.objects.get(plan=small_plan)
    with pytest.raises(ValidationError, match=refusal):
        services.budget_section_save(plan=small_plan, expected_version=budget.version, saved=[], deleted=[staff])
    without = dataclasses.replace(before, lines=tuple(item for item in before.lines if item.name != "Økonomistyring"))
    with pytest.raises(ValidationError, match=refusal):
        services.budget_replace(plan=small_plan, content=without)
    with pytest.raises(ProtectedError):
        BudgetLine.objects.filter(pk=staff.pk).delete()
    # A budgetark without the line: its preview (dry run) already says so
    sheet_without = write_budget_xlsx(content_sheet(small_plan, without))
    with pytest.raises(BudgetFileError, match=refusal):
        services.budget_import_file(plan=small_plan, data=sheet_without, file_name="budgetark.xlsx", dry_run=True)

    member = PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user
    client.force_login(member)
    response = client.post(reverse("budgets:line_delete", args=[small_plan.slug, staff.pk]), follow=True)
    assert refusal in response.content.decode()
    assert budget_content(small_plan) == before
    assert Actual.objects.get(line=staff).spent == 38
