"""Reads that matter: the budgetark laid out as LBF's sheet, and each indsatsområde's økonomi.

``budget_sheet`` is the one source for the browser page, the XLSX export and the PDF document; it
holds figures and objects, never formatted text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from agreements.models import FocusArea, Plan, PlanFocusArea, SubAgreement

from .calculations import FINANCING_FIELDS, Figures, to_kroner
from .content import (
    CROSS_CUTTING,
    FOCUS_AREA,
    LOCAL_EVALUATION,
    SECTION_TITLES,
    BudgetContent,
    FootnoteData,
    LineData,
    section_rank,
)
from .models import Budget, BudgetFootnote, BudgetLine, ExpenseType

# How a section other than an indsatsområde is named in the URL of its grid editor.
GRID_SLUGS = {CROSS_CUTTING: "tvaergaaende", LOCAL_EVALUATION: "lokal-evaluering"}


@dataclass(frozen=True)
class Economy:
    """Indsatsområdets økonomi in whole kroner, as a delaftale prints it."""

    lbf: int
    local: int
    total: int


def get_budget(plan: Plan) -> Budget | None:
    return Budget.objects.filter(plan=plan).first()


def budget_content(plan: Plan) -> BudgetContent:
    """The plan's budget as plain data (empty when it has none), lines in sheet order."""
    lines = (BudgetLine.objects.filter(budget__plan=plan)
             .select_related("expense_type", "focus_area").order_by("order", "id"))
    footnotes = BudgetFootnote.objects.filter(budget__plan=plan).order_by("order", "id")
    data = [
        LineData(
            section=line.section, focus_area_id=line.focus_area_id, name=line.name,
            expense_type_code=line.expense_type.code if line.expense_type else None,
            description=line.description, footnote=line.footnote,
            amounts=tuple((int(year), amount) for year, amount in sorted(line.amounts.items()) if amount),
            **{name: getattr(line, name) for name in FINANCING_FIELDS},
            pk=line.pk, order=line.order,
        )
        for line in lines
    ]
    order = {line.focus_area_id: line.focus_area.order for line in lines if line.focus_area_id}
    data.sort(key=lambda line: section_rank(line.section, order.get(line.focus_area_id)))
    return BudgetContent(lines=tuple(data),
                         footnotes=tuple(FootnoteData(note.number, note.text) for note in footnotes))


def _figures(figures: Figures, years: list[int]) -> dict[str, Any]:
    return {
        "amounts": figures.amounts_for(years),
        "total": figures.total,
        "financing": figures.financing,
        **figures.financing,
        "cofinancing": figures.cofinancing,
        "balance": figures.balance,
        "figures": figures,
    }


def _section(key: str, kind: str, title: str, *, number: int | None = None, focus_area: FocusArea | None = None,
             chosen: bool = True) -> dict[str, Any]:
    return {
        "key": key, "kind": kind, "title": title, "number": number, "focus_area": focus_area, "chosen": chosen,
        "slug": focus_area.slug if focus_area is not None else GRID_SLUGS[kind],
        "heading": f"{number}. {title}" if number is not None else title,
        "has_expense_type": kind == CROSS_CUTTING,
        "sum_label": "I alt" if kind == LOCAL_EVALUATION else "Sum",
        "lines": [],
    }


def budget_sheet(plan: Plan, *, empty_if_missing: bool = False) -> dict[str, Any] | None:
    """Everything LBF's budgetark shows, in four queries (plus one if ``plan.pulje`` is not loaded).

    None when the plan has no budget, unless ``empty_if_missing`` (then an empty sheet with the plan's
    sections, e.g. for a blank template to download).

    Keys: ``plan``, ``budget``; ``years`` (the columns: the plan's years plus any year that holds an
    amount outside the period, listed in ``outside_years``); ``sections`` in sheet order, each with
    ``heading``, ``kind``, ``focus_area``, ``chosen`` (False for an indsatsområde the plan has not
    chosen), ``lines`` and ``sum``; per line ``line`` (the object), ``name``, ``footnote``,
    ``expense_type``, ``description``, ``amounts`` (aligned with ``years``), ``total``, the financing
    fields, ``cofinancing`` and ``balance``; ``totals`` (the same figures for the whole budget plus
    ``housing_total``, ``municipality_total``, ``cofinancing_percent`` (one decimal) and
    ``cofinancing_percent_whole`` (as the sheet prints it)); ``min_cofinancing_percent``;
    ``footnotes`` (``number``, ``text``) in order. Amounts are whole thousands of kroner.
    """
    budget = get_budget(plan)
    if budget is None and not empty_if_missing:
        return None
    lines: list[BudgetLine] = []
    footnotes: list[BudgetFootnote] = []
    if budget is not None:
        lines = list(budget.lines.select_related("expense_type", "focus_area").order_by("order", "id"))
        footnotes = list(budget.footnotes.order_by("order", "id"))
    return _sheet(plan, budget, lines, footnotes)


def content_sheet(plan: Plan, content: BudgetContent) -> dict[str, Any]:
    """``budget_sheet`` of budget content that is not (or no longer) in the database, e.g. an approved
    version: the same keys, its lines unsaved ``BudgetLine`` objects without ``pk``. Two queries more."""
    areas = {area.pk: area for area in FocusArea.objects.filter(pulje_id=plan.pulje_id)}
    types = {expense_type.code: expense_type for expense_type in ExpenseType.objects.all()}
    lines = []
    for index, data in enumerate(content.lines, start=1):
        line = BudgetLine(section=data.section, name=data.name, description=data.description,
                          footnote=data.footnote, order=index, amounts=data.amounts_dict,
                          **{name: getattr(data, name) for name in FINANCING_FIELDS})
        if data.focus_area_id is not None:
            line.focus_area = areas.get(data.focus_area_id)
        if data.expense_type_code is not None:
            line.expense_type = types.get(data.expense_type_code)
        lines.append(line)
    footnotes = [BudgetFootnote(number=note.number, text=note.text, order=index)
                 for index, note in enumerate(content.footnotes, start=1)]
    return _sheet(plan, None, lines, footnotes)


def _sheet(plan: Plan, budget: Budget | None, lines: list[BudgetLine],
           footnotes: list[BudgetFootnote]) -> dict[str, Any]:
    chosen = [choice.focus_area for choice in
              PlanFocusArea.objects.filter(plan=plan).select_related("focus_area").order_by("focus_area__order")]

    sections: dict[Any, dict[str, Any]] = {CROSS_CUTTING: _section(CROSS_CUTTING, CROSS_CUTTING,
                                                                   SECTION_TITLES[CROSS_CUTTING])}
    for area in chosen:
        sections[area.pk] = _section(f"{FOCUS_AREA}-{area.pk}", FOCUS_AREA, area.name, number=area.order,
                                     focus_area=area)
    for line in lines:
        if line.section == FOCUS_AREA and line.focus_area_id not in sections:
            area = line.focus_area
            sections[area.pk] = _section(f"{FOCUS_AREA}-{area.pk}", FOCUS_AREA, area.name, number=area.order,
                                         focus_area=area, chosen=False)
    sections[LOCAL_EVALUATION] = _section(LOCAL_EVALUATION, LOCAL_EVALUATION, SECTION_TITLES[LOCAL_EVALUATION])

    period = plan.years
    outside = sorted({int(year) for line in lines for year in line.amounts} - set(period))
    years = sorted(set(period) | set(outside))

    for line in lines:
        key = line.focus_area_id if line.section == FOCUS_AREA else line.section
        figures = Figures.of(line)
        sections[key]["lines"].append({
            "line": line, "pk": line.pk, "name": line.name, "footnote": line.footnote,
            "footnote_numbers": line.footnote_numbers, "expense_type": line.expense_type,
            "description": line.description, **_figures(figures, years),
        })
    ordered = sorted(sections.values(), key=lambda s: section_rank(
        s["kind"], s["focus_area"].order if s["focus_area"] else None))
    grand = Figures()
    for section in ordered:
        section_figures = Figures.sum(item["figures"] for item in section["lines"])
        section["sum"] = _figures(section_figures, years)
        grand.add(section_figures)

    percent = grand.cofinancing_percent
    totals = {
        **_figures(grand, years),
        "housing_total": grand.housing_total,
        "municipality_total": grand.municipality_total,
        "cofinancing_percent": percent,
        "cofinancing_percent_whole": (percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)
                                      if percent is not None else None),
    }
    return {
        "plan": plan,
        "budget": budget,
        "years": years,
        "period_years": period,
        "outside_years": outside,
        "financing_fields": FINANCING_FIELDS,
        "sections": ordered,
        "totals": totals,
        "min_cofinancing_percent": plan.pulje.min_cofinancing_percent,
        "footnotes": [{"number": note.number, "text": note.text, "footnote": note} for note in footnotes],
        "line_count": len(lines),
    }


def _economy(figures: Figures) -> Economy:
    return Economy(lbf=to_kroner(figures.lbf), local=to_kroner(figures.cofinancing), total=to_kroner(figures.total))


def focus_area_economy(plan: Plan) -> dict[int, Economy]:
    """Each indsatsområde's økonomi (FocusArea id → kroner) derived from the budget (rule 6).

    Every chosen indsatsområde is present (zero when it has no lines), plus any that has lines; empty
    when the plan has no budget. Two queries.
    """
    rows = list(BudgetLine.objects.filter(budget__plan=plan, section=FOCUS_AREA)
                .values_list("focus_area_id", "amounts", *FINANCING_FIELDS))
    if not rows and not Budget.objects.filter(plan=plan).exists():
        return {}
    per_area: dict[int, Figures] = {
        area_id: Figures() for area_id in PlanFocusArea.objects.filter(plan=plan).values_list("focus_area_id",
                                                                                                flat=True)}
    for area_id, amounts, *financing in rows:
        figures = Figures(amounts={int(y): a for y, a in amounts.items()}, **dict(zip(FINANCING_FIELDS, financing,
                                                                                      strict=True)))
        per_area.setdefault(area_id, Figures()).add(figures)
    return {area_id: _economy(figures) for area_id, figures in per_area.items()}


def subagreement_economies(sub_agreements: list[SubAgreement]) -> dict[int, Economy | None]:
    """``subagreement_economy`` of several delaftaler (id → økonomi or None), two queries per plan."""
    by_plan: dict[int, dict[int, Economy]] = {}
    result: dict[int, Economy | None] = {}
    for sub_agreement in sub_agreements:
        if sub_agreement.plan_id not in by_plan:
            by_plan[sub_agreement.plan_id] = focus_area_economy(sub_agreement.plan)
        economies = by_plan[sub_agreement.plan_id]
        result[sub_agreement.pk] = (economies.get(sub_agreement.focus_area_id) or _economy(Figures())) \
            if economies else None
    return result


def subagreement_economy(sub_agreement: SubAgreement) -> Economy | None:
    """The delaftale's »Indsatsområdets økonomi« in kroner; None when the plan has no budget."""
    if not Budget.objects.filter(plan_id=sub_agreement.plan_id).exists():
        return None
    rows = BudgetLine.objects.filter(budget__plan_id=sub_agreement.plan_id, section=FOCUS_AREA,
                                     focus_area_id=sub_agreement.focus_area_id).values_list("amounts",
                                                                                            *FINANCING_FIELDS)
    figures = Figures.sum(
        Figures(amounts={int(y): a for y, a in amounts.items()}, **dict(zip(FINANCING_FIELDS, financing, strict=True)))
        for amounts, *financing in rows
    )
    return _economy(figures)
