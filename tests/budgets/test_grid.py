"""The section grid: a section's lines edited in place with Danish numbers, errors beside the cell,
and no silent overwrite of a budget somebody else changed meanwhile."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agreements.models import PlanMembership
from budgets.forms import parse_danish_amount
from budgets.models import Budget, BudgetLine
from tests.agreements.formdata import formset_data
from tests.factories.agreements import PlanFocusAreaFactory, PlanMembershipFactory, UserFactory
from tests.factories.budgets import BudgetLineFactory

pytestmark = pytest.mark.django_db

AREA = BudgetLine.Section.FOCUS_AREA


@pytest.fixture
def grid(db):
    """A plan with two lines in one indsatsområde and one tværgående line; a secretary and a board member."""
    choice = PlanFocusAreaFactory()
    plan, area = choice.plan, choice.focus_area
    worker = BudgetLineFactory(budget__plan=plan, section=AREA, focus_area=area, name="Boligsocial medarbejder",
                               amounts={"2022": 1234, "2023": 1000}, lbf=1734, bo_cash=500)
    club = BudgetLineFactory(budget__plan=plan, section=AREA, focus_area=area, name="Klubaktiviteter",
                             amounts={"2022": 50}, lbf=50)
    BudgetLineFactory(budget__plan=plan, name="Revision", amounts={"2022": 100}, lbf=75, kom_cash=25)
    secretary = UserFactory(first_name="Sara", last_name="Sekretær")
    PlanMembershipFactory(plan=plan, user=secretary, role=PlanMembership.Role.SECRETARIAT)
    board = UserFactory()
    PlanMembershipFactory(plan=plan, user=board, role=PlanMembership.Role.BOARD)
    url = reverse("budgets:section_grid", args=[plan.slug, area.slug])
    return type("Grid", (), {"plan": plan, "area": area, "worker": worker, "club": club, "secretary": secretary,
                             "board": board, "url": url})


def shown(client, grid) -> tuple[dict, str]:
    client.force_login(grid.secretary)
    response = client.get(grid.url)
    assert response.status_code == 200
    data = formset_data(response.context["formset"])
    data.update(version=str(response.context["version"]), loaded_at=response.context["loaded_at"])
    return data, response.content.decode()


def row_of(data: dict, name: str) -> str:
    return next(key[: -len("-name")] for key, value in data.items() if key.endswith("-name") and value == name)


@pytest.mark.parametrize(("text", "amount"), [("1.234", 1234), ("1234", 1234), (" 12 ", 12), ("", 0),
                                              ("1.234.567", 1234567), ("0", 0)])
def test_danish_amounts_are_read(text, amount):
    assert parse_danish_amount(text) == amount


@pytest.mark.parametrize("text", ["12,5", "1.23", "1,234", "abc", "1.2345", "-5"])
def test_anything_but_a_whole_number_of_thousands_is_refused(text):
    with pytest.raises(ValueError):
        parse_danish_amount(text)


def test_the_grid_shows_the_sections_lines_with_danish_numbers_and_labels(client, grid):
    data, page = shown(client, grid)
    assert 'value="1.234"' in page and 'value="1.734"' in page
    assert "Boligsocial medarbejder" in page and "Klubaktiviteter" in page and "Revision" not in page
    assert re.search(r'<label for="id_linjer-0-amount_2022" class="visually-hidden">2022, række 1</label>', page)
    assert 'data-other-total="100"' in page and 'data-other-cofinancing="25"' in page
    assert "budgets/grid.js" in page


def test_saving_the_grid_with_danish_numbers(client, grid):
    data, _ = shown(client, grid)
    prefix = row_of(data, "Klubaktiviteter")
    data[f"{prefix}-amount_2023"] = "1.500"
    data[f"{prefix}-lbf"] = "1.000"
    data[f"{prefix}-bo_hours"] = "550"
    version = Budget.objects.get(plan=grid.plan).version
    response = client.post(grid.url, data)
    assert response.status_code == 302 and response.url.endswith(f"#afsnit-{grid.area.slug}")
    club = BudgetLine.objects.get(pk=grid.club.pk)
    assert club.amounts == {"2022": 50, "2023": 1500} and (club.lbf, club.bo_hours) == (1000, 550)
    assert Budget.objects.get(plan=grid.plan).version > version
    assert BudgetLine.objects.get(pk=grid.worker.pk).amounts == {"2022": 1234, "2023": 1000}, "untouched"


def test_adding_and_removing_rows(client, grid):
    data, _ = shown(client, grid)
    data[f"{row_of(data, 'Klubaktiviteter')}-DELETE"] = "on"
    data.update({"linjer-2-name": "Lektiehjælp", "linjer-2-amount_2024": "80", "linjer-2-lbf": "60",
                 "linjer-2-kom_cash": "20"})
    assert client.post(grid.url, data).status_code == 302
    names = list(BudgetLine.objects.filter(budget__plan=grid.plan, focus_area=grid.area)
                 .order_by("order").values_list("name", flat=True))
    assert names == ["Boligsocial medarbejder", "Lektiehjælp"]
    assert BudgetLine.objects.get(budget__plan=grid.plan, name="Lektiehjælp").amounts == {"2024": 80}


def test_an_error_stands_beside_its_cell_and_nothing_is_saved(client, grid):
    data, _ = shown(client, grid)
    prefix = row_of(data, "Boligsocial medarbejder")
    data[f"{prefix}-amount_2022"] = "12,5"
    data[f"{prefix}-name"] = "Boligsocial medarbejder (ny)"
    response = client.post(grid.url, data)
    page = response.content.decode()
    assert response.status_code == 400
    cell = re.search(r'<td class="num invalid" data-col="year-0">(.*?)</td>', page, re.S).group(1)
    assert 'value="12,5"' in cell and 'aria-invalid="true"' in cell
    assert f'aria-describedby="id_{prefix}-amount_2022-fejl"' in cell
    assert re.search(rf'id="id_{prefix}-amount_2022-fejl">Skriv et helt antal tusinde kroner', cell)
    assert "Boligsocial medarbejder (ny)" in page, "what was typed stays"
    assert BudgetLine.objects.get(pk=grid.worker.pk).name == "Boligsocial medarbejder"


def test_no_silent_overwrite_of_a_change_made_meanwhile(client, grid):
    data, _ = shown(client, grid)
    other = BudgetLine.objects.get(pk=grid.worker.pk)
    other.bo_cash, other.bo_hours = 400, 100
    other._history_user = grid.board
    other.save()
    prefix = row_of(data, "Klubaktiviteter")
    data[f"{prefix}-name"] = "Klub og café"
    response = client.post(grid.url, data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Budgettet er blevet ændret af en anden, efter du åbnede det" in page
    assert "ændrede udgiftsposten »Boligsocial medarbejder«" in page
    assert 'value="Klub og café"' in page, "the form keeps what was typed"
    assert BudgetLine.objects.get(pk=grid.club.pk).name == "Klubaktiviteter"
    current = re.search(r'name="overwrite_version" value="(\d+)"', page).group(1)
    response = client.post(grid.url, {**data, "overwrite_version": current})
    assert response.status_code == 302
    assert BudgetLine.objects.get(pk=grid.club.pk).name == "Klub og café"


def test_readers_cannot_open_the_grid(client, grid):
    client.force_login(grid.board)
    assert client.get(grid.url).status_code == 403
    assert client.get(reverse("budgets:section_grid", args=[grid.plan.slug, "ukendt"])).status_code == 403


def test_the_tvaergaaende_grid_has_udgiftstyper_and_reads_them_once(client, grid, django_assert_max_num_queries):
    from tests.factories.budgets import expense_types

    types = expense_types()
    for index in range(6):
        BudgetLineFactory(budget=grid.worker.budget, name=f"Administration {index}", expense_type=types[1])
    client.force_login(grid.secretary)
    url = reverse("budgets:section_grid", args=[grid.plan.slug, "tvaergaaende"])
    client.get(url)
    with django_assert_max_num_queries(15):
        page = client.get(url).content.decode()
    # 7 lines, the empty row and the template a new row is made from
    assert page.count("1. Administrativ bistand fra boligorg.</option>") == 9
    data = formset_data(client.get(url).context["formset"])
    data.update(version=str(Budget.objects.get(plan=grid.plan).version))
    data[f"{row_of(data, 'Revision')}-expense_type"] = str(types[7].pk)
    assert client.post(url, data).status_code == 302
    assert BudgetLine.objects.get(budget__plan=grid.plan, name="Revision").expense_type.code == 7
