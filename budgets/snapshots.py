"""The budget in approval snapshots: a delaftale's økonomi, and the budgetark's own snapshot.

»Indsatsområdets økonomi« is derived from the budget; a delaftale's snapshot keeps the figures as
they were when the bestyrelse approved the delaftale, in kroner — so a budget change that moves a
delaftale's figures makes that delaftale (and only that one) a kladde again.

The budgetark's own snapshot is its content as plain JSON (``budget_snapshot``); ``snapshot_content``
reads it back as a ``BudgetContent``, so an approved version can be compared with today's budget
(``content.diff``), laid out as a sheet (``selectors.content_sheet``) and exported:

    {"schema": 1, "kind": "budget", "title": "Budgetark", "plan": {"slug", "name"}, "version": <n>,
     "lines": [{"section", "focus_area_id", "focus_area", "name", "expense_type_code", "description",
                "footnote", "amounts": {"2022": 100, …}, "lbf", "bo_cash", "bo_hours", "kom_cash",
                "kom_hours", "other"}, …],
     "footnotes": [{"number", "text"}, …]}

Lines are in sheet order; amounts in whole thousands of kroner, zero years left out.
"""

from __future__ import annotations

from agreements.models import FocusArea, SubAgreement
from agreements.snapshots import SCHEMA, collection, entry, item

from .calculations import FINANCING_FIELDS
from .content import BudgetContent, FootnoteData, LineData
from .models import Budget
from .selectors import Economy, budget_content, subagreement_economies

BUDGET_KIND = "budget"
BUDGET_TITLE = "Budgetark"


def subagreement_collections(sub_agreement: SubAgreement) -> list[dict]:
    return subagreements_collections([sub_agreement])[sub_agreement.pk]


def subagreements_collections(sub_agreements: list[SubAgreement]) -> dict[int, list[dict]]:
    """``subagreement_collections`` of several delaftaler (id → collections), a few queries per plan."""
    economies = subagreement_economies(sub_agreements)
    return {sub_agreement.pk: _economy_collections(economies[sub_agreement.pk]) for sub_agreement in sub_agreements}


def _economy_collections(economy: Economy | None) -> list[dict]:
    if economy is None:
        return []
    fields = [entry("lbf", "Landsbyggefonden (kr.)", str(economy.lbf), "number"),
              entry("local", "Lokal medfinansiering (kr.)", str(economy.local), "number"),
              entry("total", "Samlet budget (kr.)", str(economy.total), "number")]
    return [collection("economy", "Indsatsområdets økonomi", [item("economy", "Økonomi", fields)])]


# --- The budgetark's own snapshot ------------------------------------------------------------------------

def budget_snapshot(budget: Budget) -> dict:
    """The budget's content as plain JSON (what ``Approval.data`` stores for a budget); three queries."""
    plan = budget.plan
    content = budget_content(plan)
    areas = dict(FocusArea.objects.filter(pulje_id=plan.pulje_id).values_list("pk", "name"))
    return {
        "schema": SCHEMA,
        "kind": BUDGET_KIND,
        "title": BUDGET_TITLE,
        "plan": {"slug": plan.slug, "name": plan.name},
        "version": budget.version,
        "lines": [_line_json(line, areas) for line in content.lines],
        "footnotes": [{"number": note.number, "text": note.text} for note in content.footnotes],
    }


def _line_json(line: LineData, areas: dict[int, str]) -> dict:
    return {
        "section": line.section,
        "focus_area_id": line.focus_area_id,
        "focus_area": areas.get(line.focus_area_id, "") if line.focus_area_id else "",
        "name": line.name,
        "expense_type_code": line.expense_type_code,
        "description": line.description,
        "footnote": line.footnote,
        "amounts": line.amounts_dict,
        **{name: getattr(line, name) for name in FINANCING_FIELDS},
    }


def snapshot_content(data: dict | None) -> BudgetContent:
    """A budget snapshot (``budget_snapshot``) read back as budget content; empty for None."""
    if not data:
        return BudgetContent()
    lines = tuple(
        LineData(
            section=line["section"], focus_area_id=line["focus_area_id"], name=line["name"],
            expense_type_code=line["expense_type_code"], description=line["description"],
            footnote=line["footnote"],
            amounts=tuple(sorted((int(year), int(amount)) for year, amount in line["amounts"].items())),
            **{name: int(line[name]) for name in FINANCING_FIELDS},
            order=index,
        )
        for index, line in enumerate(data.get("lines", []), start=1)
    )
    return BudgetContent(lines=lines, footnotes=tuple(FootnoteData(note["number"], note["text"])
                                                       for note in data.get("footnotes", [])))
