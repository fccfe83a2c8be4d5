"""Replacing a budget: one transaction, minimal writes, history of the old one, links kept."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from budgets.content import BudgetContent, FootnoteData, diff
from budgets.models import Budget, BudgetFootnote, BudgetLine
from budgets.selectors import budget_content
from budgets.services import budget_footnotes_replace, budget_import_file, budget_replace
from tests.factories.agreements import PlanFactory, StaffResourceFactory, SubAgreementFactory, UserFactory

from .workbooks import export, exported_workbook, row_of, to_bytes

pytestmark = pytest.mark.django_db


def changed_content(plan) -> BudgetContent:
    """The small plan's budget with one line changed, one removed, one added and a footnote edited."""
    content = budget_content(plan)
    lines = list(content.lines)
    activity = next(i for i, line in enumerate(lines) if line.name == "Aktivitetsmidler")
    lines[activity] = dataclasses.replace(lines[activity], amounts=((2022, 50), (2023, 45), (2024, 45), (2025, 45)),
                                          lbf=185)
    lines = [line for line in lines if line.name != "Fritidsjob"]
    lines.insert(activity + 1, dataclasses.replace(lines[activity], name="Lektiecafé", amounts=((2022, 10),), lbf=10,
                                                   footnote=""))
    footnotes = (*content.footnotes[:3], FootnoteData("4", "Ny tekst."))
    return BudgetContent(lines=tuple(lines), footnotes=footnotes)


def test_diff_names_what_changes(small_plan):
    changes = diff(budget_content(small_plan), changed_content(small_plan))
    assert [line.name for line in changes.added] == ["Lektiecafé"]
    assert [line.name for line in changes.removed] == ["Fritidsjob"]
    assert [(new.name, fields) for _, new, fields in changes.changed] == [("Aktivitetsmidler", ["LBF", "2022"])]
    assert [new.text for _, new in changes.footnotes_changed] == ["Ny tekst."]
    assert changes.before.total == 6319 and changes.after.total == 6319 - 160 + 5 + 10
    assert changes.summary == ("Udgiftsposter: 1 nye, 1 ændrede, 1 fjernede; fodnoter: 0 nye, 1 ændrede, "
                               "0 fjernede.")


def test_replace_writes_only_what_changed_and_history_keeps_the_old_budget(small_plan):
    user = UserFactory()
    untouched = small_plan.budget.lines.get(name="Økonomistyring")
    untouched_history = untouched.history.count()
    wanted = changed_content(small_plan)
    budget_replace(plan=small_plan, content=wanted, user=user, source_name="ny.xlsx")
    assert budget_content(small_plan) == wanted
    assert untouched.history.count() == untouched_history
    lines = BudgetLine.history.filter(budget_id=small_plan.budget.pk).order_by("-history_id")
    activity = lines.filter(name="Aktivitetsmidler")
    assert activity[0].history_type == "~" and activity[0].lbf == 185 and activity[0].history_user == user
    assert activity[1].lbf == 180  # the old figure is in the history
    removed = lines.filter(name="Fritidsjob").first()
    assert removed.history_type == "-" and removed.other == 160 and removed.history_user == user
    added = lines.get(name="Lektiecafé")
    assert added.history_type == "+" and added.history_change_reason == "Indlæst fra budgetark"
    note = BudgetFootnote.history.filter(budget_id=small_plan.budget.pk, number="4").order_by("-history_id")
    assert [h.text for h in note[:2]] == ["Ny tekst.", "Medarbejderens tid fordeles ca. 75 % på lektiehjælp.\n"
                                                       "Resten på forældresamarbejde."]
    assert Budget.objects.get(plan=small_plan).source_name == "ny.xlsx"


def test_changed_lines_keep_their_staff_links(small_plan, areas):
    resource = StaffResourceFactory(sub_agreement=SubAgreementFactory(plan=small_plan, focus_area=areas["edu"]),
                                    function="Lektiecafé-koordinator")
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    line.staff_resources.add(resource)
    budget_replace(plan=small_plan, content=changed_content(small_plan))
    line.refresh_from_db()
    assert line.lbf == 185 and list(line.staff_resources.all()) == [resource]


def test_replace_with_an_invalid_line_writes_nothing(small_plan):
    content = budget_content(small_plan)
    bad = dataclasses.replace(content.lines[0], name="Økonomistyring", amounts=((2022, -5),))
    before = budget_content(small_plan)
    with pytest.raises(ValidationError):
        budget_replace(plan=small_plan, content=BudgetContent(lines=(bad, *content.lines[1:]),
                                                              footnotes=content.footnotes))
    assert budget_content(small_plan) == before


def test_dry_run_writes_nothing(small_plan):
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    ws.cell(row_of(ws, "Fritidsjob"), 1).value = "Fritidsjob for alle"
    before = budget_content(small_plan)
    outcome = budget_import_file(plan=small_plan, data=to_bytes(workbook), dry_run=True)
    assert not outcome.saved
    assert [line.name for line in outcome.changes.added] == ["Fritidsjob for alle"]
    assert [line.name for line in outcome.changes.removed] == ["Fritidsjob"]
    assert budget_content(small_plan) == before


def test_import_creates_the_budget_of_a_plan_without_one(small_plan, areas):
    data = export(small_plan)
    plan = PlanFactory()
    for choice in small_plan.plan_focus_areas.all():
        plan.plan_focus_areas.create(focus_area=choice.focus_area, order=choice.order)
    outcome = budget_import_file(plan=plan, data=data, file_name="x.xlsx")
    assert outcome.saved and Budget.objects.filter(plan=plan).exists()
    assert BudgetLine.history.filter(budget_id=plan.budget.pk, history_type="+").count() == 7


def test_footnotes_replace_keeps_order_and_history(small_plan):
    budget_footnotes_replace(plan=small_plan, footnotes=(FootnoteData("4", "Fire."), FootnoteData("1", "En.")))
    assert budget_content(small_plan).footnotes == (FootnoteData("4", "Fire."), FootnoteData("1", "En."))
    assert BudgetFootnote.history.filter(budget_id=small_plan.budget.pk, number="2", history_type="-").exists()
    with pytest.raises(ValidationError):
        budget_footnotes_replace(plan=small_plan, footnotes=(FootnoteData("1", "a"), FootnoteData("1", "b")))
