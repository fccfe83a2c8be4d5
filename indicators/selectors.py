"""Reads: the LBF tables (section 5 and "Delmål og indikatorer") and the follow-up tables.

Every selector runs a fixed number of queries, however many goals, indicators and values there are.
Rows are plain dicts so the web pages and the document/PDF templates render the same data.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from agreements.models import Plan, SubAgreement

from .models import Goal, Indicator, IndicatorValue, SubGoal
from .progress import indicator_progress


def _ordered_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("activity").order_by("order", "id")


def _indicator_cells(indicator: Indicator | None) -> dict:
    if indicator is None:
        return {"indicator": None, "indicator_text": "", "kind": "", "kind_label": "", "unit": "",
                "baseline_area": "", "baseline_other": "", "baseline_other_label": "", "baseline_year": "",
                "data_source": "", "target": "", "monitoring": False, "activity": ""}
    return {
        "indicator": indicator,
        "indicator_text": indicator.text,
        "kind": indicator.kind,
        "kind_label": indicator.get_kind_display(),
        "unit": indicator.unit,
        "baseline_area": indicator.baseline_area_display,
        "baseline_other": indicator.baseline_other_display,
        "baseline_other_label": indicator.baseline_other_label,
        "baseline_year": indicator.baseline_year,
        "data_source": indicator.data_source,
        "target": indicator.target_display,
        "monitoring": indicator.monitoring,
        "activity": indicator.activity.name if indicator.activity_id else "",
    }


def _group_rows(group_key: str, group, text: str, indicators: list[Indicator]) -> list[dict]:
    members: list[Indicator | None] = list(indicators) or [None]
    rows = []
    for position, indicator in enumerate(members):
        row = {
            group_key: group,
            f"{group_key}_text": text if position == 0 else "",
            "is_first": position == 0,
            "rowspan": len(members),
        }
        row.update(_indicator_cells(indicator))
        rows.append(row)
    return rows


def plan_goals(plan: Plan) -> list[Goal]:
    """The plan's overordnede mål with their indicators (2 queries)."""
    return list(
        Goal.objects.filter(plan=plan).select_related("focus_area")
        .prefetch_related(Prefetch("indicators", queryset=_ordered_indicators()))
        .order_by("order", "focus_area__order", "id")
    )


def goal_rows(plan: Plan) -> list[dict]:
    """Section 5 of the strategic agreement, row by row, in order.

    Columns: Mål | Indikator | Baseline boligområde | Baseline kommune (evt. andet) | Baseline år |
    Datakilde. Keys: ``goal``, ``goal_text`` (only on the group's first row, "" after),
    ``is_first``, ``rowspan``, ``focus_area``, ``indicator`` (None for a goal without indicators),
    ``indicator_text``, ``baseline_area``, ``baseline_other``, ``baseline_other_label``,
    ``baseline_year``, ``data_source``, ``target``, ``kind``, ``kind_label``, ``unit``, ``activity``.
    """
    rows: list[dict] = []
    for goal in plan_goals(plan):
        for row in _group_rows("goal", goal, goal.text, list(goal.indicators.all())):
            row["focus_area"] = goal.focus_area
            rows.append(row)
    return rows


def sub_goals_by_subagreement(sub_agreements: list[SubAgreement]) -> dict[int, list[SubGoal]]:
    """The delmål with their indicators of several delaftaler (delaftale id → delmål), two queries."""
    grouped: dict[int, list[SubGoal]] = {}
    for sub_goal in (SubGoal.objects.filter(sub_agreement__in=sub_agreements)
                     .prefetch_related(Prefetch("indicators", queryset=_ordered_indicators()))
                     .order_by("order", "id")):
        grouped.setdefault(sub_goal.sub_agreement_id, []).append(sub_goal)
    return grouped


def sub_goals_of(sub_agreement: SubAgreement) -> list[SubGoal]:
    """The delaftale's delmål with their indicators (2 queries)."""
    return list(
        SubGoal.objects.filter(sub_agreement=sub_agreement)
        .prefetch_related(Prefetch("indicators", queryset=_ordered_indicators()))
        .order_by("order", "id")
    )


def subgoal_rows(sub_agreement: SubAgreement) -> list[dict]:
    """The delaftale's "Delmål og indikatorer" table, row by row, in order.

    Columns: Delmål | Indikator | Baseline boligområde/målgruppe | Evt. anden baseline | Baseline år |
    Datakilde, plus ``target`` (the target as written, or "Monitorering (ingen mål)"). Keys as in
    ``goal_rows`` with ``sub_goal``/``sub_goal_text`` instead of ``goal``/``goal_text``, plus
    ``monitoring`` and ``activity`` (the name of the activity an aktivitetsnær indicator measures).
    """
    rows: list[dict] = []
    for sub_goal in sub_goals_of(sub_agreement):
        rows.extend(_group_rows("sub_goal", sub_goal, sub_goal.text, list(sub_goal.indicators.all())))
    return rows


# --- follow-up ----------------------------------------------------------------------------------------

def _values_by_indicator(indicator_ids: list[int]) -> dict[int, dict[int, IndicatorValue]]:
    values: dict[int, dict[int, IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(indicator_id__in=indicator_ids).order_by("year"):
        values.setdefault(value.indicator_id, {})[value.year] = value
    return values


def _followup_row(indicator: Indicator, values: dict[int, IndicatorValue], years: list[int],
                  plan_years: set[int], **group) -> dict:
    for value in values.values():
        value.indicator = indicator  # already loaded: no query per value for its unit
    numbers: dict[int, Decimal | None] = {year: v.value for year, v in values.items()}
    cells = []
    for year in years:
        value = values.get(year)
        cells.append({
            "year": year,
            "value": value,
            "number": value.value if value else None,
            "display": value.display if value else "",
            "note": value.note if value else "",
            "is_demo": bool(value and value.is_demo),
            "outside_plan": year not in plan_years,
        })
    row = {
        "indicator": indicator,
        "indicator_text": indicator.text,
        "kind": indicator.kind,
        "kind_label": indicator.get_kind_display(),
        "unit": indicator.unit,
        "lower_is_better": indicator.lower_is_better,
        "baseline": indicator.baseline_area_display,
        "baseline_value": indicator.baseline_area_value,
        "baseline_year": indicator.baseline_year,
        "baseline_other": indicator.baseline_other_display,
        "baseline_other_label": indicator.baseline_other_label,
        "baseline_other_value": indicator.baseline_other_value,
        "target": indicator.target_display,
        "target_value": None if indicator.monitoring else indicator.target_value,
        "monitoring": indicator.monitoring,
        "data_source": indicator.data_source,
        "cells": cells,
        "values": numbers,
        "progress": indicator_progress(indicator=indicator, values=numbers),
        "has_demo": any(v.is_demo for v in values.values()),
    }
    row.update(group)
    return row


def followup_years(plan: Plan, value_years: set[int] | None = None) -> list[int]:
    """The plan's calendar years, plus any year that (wrongly) holds a value outside them."""
    return sorted(set(plan.years) | (value_years or set()))


def followup_table(*, plan: Plan, sub_agreement: SubAgreement | None = None) -> dict:
    """``{"years": [...], "rows": [...], "has_demo": bool}``: see ``followup_rows``; every row's cells
    follow ``years``; ``has_demo`` tells whether any value is demo data."""
    groups: list[tuple[dict, list[Indicator]]] = []
    if sub_agreement is None:
        for goal in plan_goals(plan):
            groups.append(({"level": "goal", "group": goal, "group_text": goal.text, "focus_area": goal.focus_area,
                            "sub_agreement": None}, list(goal.indicators.all())))
        sub_goals = (SubGoal.objects.filter(sub_agreement__plan=plan)
                     .select_related("sub_agreement__focus_area")
                     .prefetch_related(Prefetch("indicators", queryset=_ordered_indicators()))
                     .order_by("sub_agreement__order", "sub_agreement__focus_area__order", "order", "id"))
    else:
        sub_goals = (SubGoal.objects.filter(sub_agreement=sub_agreement)
                     .select_related("sub_agreement__focus_area")
                     .prefetch_related(Prefetch("indicators", queryset=_ordered_indicators()))
                     .order_by("order", "id"))
    for sub_goal in sub_goals:
        groups.append(({"level": "sub_goal", "group": sub_goal, "group_text": sub_goal.text,
                        "focus_area": sub_goal.sub_agreement.focus_area,
                        "sub_agreement": sub_goal.sub_agreement}, list(sub_goal.indicators.all())))
    indicator_ids = [indicator.pk for _, indicators in groups for indicator in indicators]
    values = _values_by_indicator(indicator_ids)
    value_years = {year for by_year in values.values() for year in by_year}
    years = followup_years(plan, value_years)
    plan_years = set(plan.years)
    rows = []
    for group, indicators in groups:
        for position, indicator in enumerate(indicators):
            rows.append(_followup_row(indicator, values.get(indicator.pk, {}), years, plan_years,
                                      is_first=position == 0, **group))
    return {"years": years, "rows": rows, "has_demo": any(row["has_demo"] for row in rows)}


def followup_rows(*, plan: Plan, sub_agreement: SubAgreement | None = None) -> list[dict]:
    """The follow-up table: per indicator its baselines, target, the values per year and progress.

    Without ``sub_agreement``: every indicator of the plan, the overordnede mål first (``level``
    "goal"), then each delaftale's delmål (``level`` "sub_goal"); with it: that delaftale's delmål.
    Keys: ``indicator``, ``indicator_text``, ``level``, ``group`` (Goal/SubGoal), ``group_text``,
    ``is_first`` (first indicator of its group), ``focus_area``, ``sub_agreement``, ``kind``,
    ``kind_label``, ``unit``, ``lower_is_better``, ``baseline`` (as written), ``baseline_value``,
    ``baseline_year``, ``baseline_other``, ``baseline_other_label``, ``baseline_other_value``,
    ``target`` (as written or "Monitorering (ingen mål)"), ``target_value``, ``monitoring``,
    ``data_source``, ``cells`` (one per year of ``followup_years``: ``year``, ``value``
    (IndicatorValue or None), ``number``, ``display``, ``note``, ``is_demo``, ``outside_plan``),
    ``values`` (year → number, for charts), ``progress`` (``indicators.progress.Progress``),
    ``has_demo``. Goals/delmål without indicators have no rows here.
    """
    return followup_table(plan=plan, sub_agreement=sub_agreement)["rows"]


def entry_indicators(*, plan: Plan, sub_agreement: SubAgreement | None = None) -> list[tuple[object, list[Indicator]]]:
    """Indicators to fill in at one sitting, grouped by goal/delmål: the delaftale's delmål, or
    (without a delaftale) the plan's overordnede mål."""
    if sub_agreement is None:
        return [(goal, list(goal.indicators.all())) for goal in plan_goals(plan)]
    return [(sub_goal, list(sub_goal.indicators.all())) for sub_goal in sub_goals_of(sub_agreement)]


def plan_indicators(plan: Plan) -> QuerySet[Indicator]:
    return Indicator.objects.filter(Q(goal__plan=plan) | Q(sub_goal__sub_agreement__plan=plan))
