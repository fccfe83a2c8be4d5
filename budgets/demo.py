"""Reference data (udgiftstyper 0–9) and the demo plans' budgets (``fixtures/demo/FORMAT.md``).

Called by ``manage.py load_demo``: ``load_reference()`` every time (idempotent, records history only on
a real change), ``load_plan(plan, data)`` once for a newly created demo plan.
"""

from __future__ import annotations

import logging
import string

from agreements.demo import DEMO_DIR, read_json, upsert
from agreements.models import FocusArea, Plan

from . import services
from .content import CROSS_CUTTING, FOCUS_AREA, LOCAL_EVALUATION, BudgetContent, FootnoteData, LineData, in_sheet_order
from .models import ExpenseType

logger = logging.getLogger(__name__)

SECTION_KEYS = {"tvaergaaende": CROSS_CUTTING, "lokal_evaluering": LOCAL_EVALUATION}


def load_reference() -> None:
    """LBF's udgiftstyper 0–9 with their descriptions."""
    for item in read_json(DEMO_DIR / "expense_types.json"):
        upsert(ExpenseType, {"code": item["code"]}, {"name": item["name"], "description": item.get("description", "")})


def _footnote_numbers(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).lower() for v in value]
    return [str(value).lower()]


def content_from_data(plan: Plan, budget: dict) -> tuple[BudgetContent, list[str]]:
    """A FORMAT.md ``budget`` dictionary as budget content, with notes on anything inconsistent.

    Footnotes: a number used by two lines with different texts (the seed's »17« and »17b«) keeps the
    first text; the second becomes »17b« (the next free letter), as LBF's sheet numbers them.
    """
    notes: list[str] = []
    areas = {area.name: area for area in FocusArea.objects.filter(pulje_id=plan.pulje_id)}
    footnotes: dict[str, str] = {}
    lines: list[LineData] = []
    for index, item in enumerate(budget.get("lines", []), start=1):
        section_key = item["section"]
        if section_key in SECTION_KEYS:
            section, area_id = SECTION_KEYS[section_key], None
        else:
            section, area_id = FOCUS_AREA, areas[section_key].pk
        numbers = []
        given = _footnote_numbers(item.get("footnote_number"))
        # One text for all of the line's numbers, or (a list) one text per number.
        texts = item.get("footnote") if isinstance(item.get("footnote"), list) else [item.get("footnote")] * len(given)
        for number, text in zip(given, texts, strict=True):
            text = text or ""
            if number in footnotes and footnotes[number] != text:
                base = number.rstrip(string.ascii_lowercase)
                number = next(f"{base}{letter}" for letter in string.ascii_lowercase[1:]
                              if f"{base}{letter}" not in footnotes or footnotes[f"{base}{letter}"] == text)
                notes.append(f"Fodnote {base} har to tekster; den anden (ved »{item['name']}«) er gemt som {number}.")
            footnotes.setdefault(number, text)
            numbers.append(number)
        lines.append(LineData(
            section=section, focus_area_id=area_id, name=item["name"], expense_type_code=item.get("expense_type"),
            description=item.get("description", "") or "", footnote=" + ".join(numbers),
            amounts=tuple(sorted((int(year), int(amount)) for year, amount in item.get("amounts", {}).items()
                                 if amount)),
            lbf=item.get("lbf", 0), bo_cash=item.get("bo_cash", 0), bo_hours=item.get("bo_hours", 0),
            kom_cash=item.get("kom_cash", 0), kom_hours=item.get("kom_hours", 0), other=item.get("other", 0),
            row=index,
        ))
    order = {area.pk: area.order for area in areas.values()}
    sorted_notes = sorted(footnotes.items(), key=lambda pair: _footnote_sort_key(pair[0]))
    content = BudgetContent(lines=in_sheet_order(lines, order),
                            footnotes=tuple(FootnoteData(number, text) for number, text in sorted_notes))
    years = budget.get("years")
    if years and list(years) != plan.years:
        notes.append(f"Budgettets år {years} er ikke helhedsplanens år {plan.years}.")
    printed = budget.get("printed_totals") or {}
    figures = content.figures
    computed = {"total": figures.total, "lbf": figures.lbf, "cofinancing": figures.cofinancing,
                "balance": figures.balance}
    for key, value in computed.items():
        if key in printed and printed[key] != value:
            notes.append(f"Det trykte budgetark siger {key} = {printed[key]}, linjerne giver {value}.")
    return content, notes


def _footnote_sort_key(number: str) -> tuple[int, str]:
    digits = number.rstrip(string.ascii_lowercase)
    return (int(digits) if digits.isdigit() else 0, number)


def load_plan(plan: Plan, data: dict) -> None:
    """The demo plan's budgetark (``data["budget"]``); nothing when it has none."""
    budget = data.get("budget")
    if not budget:
        return
    content, notes = content_from_data(plan, budget)
    for note in notes:
        logger.info("Demobudget for %s: %s", plan.slug, note)
    services.budget_replace(plan=plan, content=content, source_name=f"fixtures/demo/{plan.slug}.json",
                            reason="Demodata")
