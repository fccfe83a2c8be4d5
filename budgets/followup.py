"""Økonomiopfølgning: the budget against what was spent (forbrug), per year and cumulative.

``budget_followup`` is the one source for the browser page, the document (preview and PDF) and the
XLSX; it holds figures and objects, never formatted text. ``followup_findings`` are the follow-up's
rule checks (registered with ``helhedsplan.findings``). Amounts are thousands of kroner: the budget in
whole thousands, forbrug and realised medfinansiering with one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from agreements.models import Plan
from helhedsplan.findings import WARNING, Finding
from helhedsplan.formatting import format_number, format_percent

from .models import ACTUAL_COFINANCING_FIELDS, ACTUAL_FIELDS, Actual, ActualYear
from .selectors import budget_sheet

#: A line is reported when its forbrug in a year exceeds the year's budget by more than this share.
OVER_BUDGET_TOLERANCE = Decimal("0.10")
ZERO = Decimal(0)
ONE_DECIMAL = Decimal("0.1")


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Comparison:
    """Budget against forbrug for a line, a section or the total, in one year or cumulative (t.kr.).

    ``recorded``: forbrug has been registered for (one of) the year(s) compared; without it the
    forbrug is unknown, not zero, and the template prints a dash.
    """

    budget: Decimal = ZERO
    spent: Decimal = ZERO
    recorded: bool = False

    def __add__(self, other: Comparison) -> Comparison:
        return Comparison(self.budget + other.budget, self.spent + other.spent, self.recorded or other.recorded)

    @property
    def difference(self) -> Decimal:
        """Budget minus forbrug: what is left (negative: overforbrug)."""
        return self.budget - self.spent

    @property
    def percent_used(self) -> Decimal | None:
        """Forbrug as a share of the budget (one decimal); None when the budget is 0."""
        return _percent(self.spent, self.budget)

    @property
    def over_budget(self) -> bool:
        return self.recorded and self.spent > self.budget

    @property
    def over_tolerance(self) -> bool:
        """More than OVER_BUDGET_TOLERANCE over the budget (any forbrug on a budget of 0)."""
        return self.recorded and self.spent > self.budget * (1 + OVER_BUDGET_TOLERANCE)


@dataclass(frozen=True)
class Realised:
    """Forbrug and realised lokal medfinansiering (one year or cumulative), t.kr."""

    spent: Decimal = ZERO
    bo_cash: Decimal = ZERO
    bo_hours: Decimal = ZERO
    kom_cash: Decimal = ZERO
    kom_hours: Decimal = ZERO
    other: Decimal = ZERO
    recorded: bool = False

    def __add__(self, other: Realised) -> Realised:
        values = {name: getattr(self, name) + getattr(other, name) for name in ACTUAL_FIELDS}
        return Realised(**values, recorded=self.recorded or other.recorded)

    @property
    def cofinancing(self) -> Decimal:
        return sum((getattr(self, name) for name in ACTUAL_COFINANCING_FIELDS), ZERO)

    @property
    def housing(self) -> Decimal:
        return self.bo_cash + self.bo_hours

    @property
    def municipality(self) -> Decimal:
        return self.kom_cash + self.kom_hours

    @property
    def lbf(self) -> Decimal:
        """What is left for LBF to pay: forbrug minus the realised medfinansiering."""
        return self.spent - self.cofinancing

    @property
    def cofinancing_percent(self) -> Decimal | None:
        return _percent(self.cofinancing, self.spent)


@dataclass
class Row:
    """A line, a section sum or the total: one comparison per year and the cumulative one."""

    years: list[Comparison] = field(default_factory=list)
    cumulative: Comparison = field(default_factory=Comparison)
    realised: list[Realised] = field(default_factory=list)
    realised_cumulative: Realised = field(default_factory=Realised)

    def add(self, other: Row) -> None:
        if not self.years:
            self.years = [Comparison() for _ in other.years]
            self.realised = [Realised() for _ in other.realised]
        self.years = [a + b for a, b in zip(self.years, other.years, strict=True)]
        self.realised = [a + b for a, b in zip(self.realised, other.realised, strict=True)]
        self.cumulative = self.cumulative + other.cumulative
        self.realised_cumulative = self.realised_cumulative + other.realised_cumulative


def _year_state(year: int, actual_year: ActualYear | None, recorded: set[int], today: date) -> dict[str, Any]:
    return {
        "year": year,
        "closed": bool(actual_year and actual_year.closed),
        "version": actual_year.version if actual_year else 0,
        "recorded": year in recorded,
        "ended": year < today.year,
        "actual_year": actual_year,
    }


def budget_followup(plan: Plan, *, today: date | None = None,
                    sheet: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Budget against forbrug for every line, section and the total; None when the plan has no budget.

    Six queries (the budget sheet's four, the actuals and the regnskabsår). Keys: ``plan``, ``budget``;
    ``years`` (the plan's years); ``year_states`` (per year: ``closed``, ``version``, ``recorded`` —
    forbrug registered —, ``ended``); ``through_year`` (the latest year with forbrug: the cumulative
    figures cover the plan's years up to it; None without forbrug); ``sections`` (as the budget sheet,
    each with ``lines`` — ``line``, ``name``, ``row``, ``registered`` (per year: the line itself has
    figures registered) — and ``sum``, a :class:`Row`); ``total`` (a
    :class:`Row`); ``min_cofinancing_percent``; ``has_actuals``. ``sheet``: the plan's ``budget_sheet``
    when the caller has read it already (two queries then).
    """
    if sheet is None:
        sheet = budget_sheet(plan)
    if sheet is None or sheet["budget"] is None:
        return None
    today = today or timezone.localdate()
    years = list(sheet["period_years"])
    actuals = {(actual.line_id, actual.year): actual
               for actual in Actual.objects.filter(line__budget=sheet["budget"], year__in=years)}
    actual_years = {row.year: row for row in ActualYear.objects.filter(budget=sheet["budget"])}
    recorded = {year for _, year in actuals}
    through = max(recorded) if recorded else None
    cumulative_years = {year for year in years if through is not None and year <= through}

    sections = []
    total = Row(years=[Comparison() for _ in years], realised=[Realised() for _ in years])
    for section in sheet["sections"]:
        section_sum = Row(years=[Comparison() for _ in years], realised=[Realised() for _ in years])
        lines = []
        for item in section["lines"]:
            line = item["line"]
            row = Row()
            for year in years:
                actual = actuals.get((line.pk, year))
                budget = Decimal(item["amounts"][sheet["years"].index(year)])
                values = actual.values() if actual else {}
                comparison = Comparison(budget, values.get("spent", ZERO), year in recorded)
                realised = Realised(**values, recorded=year in recorded)
                row.years.append(comparison)
                row.realised.append(realised)
                if year in cumulative_years:
                    row.cumulative = row.cumulative + comparison
                    row.realised_cumulative = row.realised_cumulative + realised
            lines.append({"line": line, "pk": line.pk, "name": item["name"], "footnote": item["footnote"],
                          "row": row, "registered": [(line.pk, year) in actuals for year in years]})
            section_sum.add(row)
        total.add(section_sum)
        sections.append({"key": section["key"], "kind": section["kind"], "heading": section["heading"],
                         "title": section["title"], "chosen": section["chosen"], "lines": lines, "sum": section_sum})
    return {
        "plan": plan,
        "budget": sheet["budget"],
        "years": years,
        "year_states": [_year_state(year, actual_years.get(year), recorded, today) for year in years],
        "through_year": through,
        "sections": sections,
        "total": total,
        "min_cofinancing_percent": sheet["min_cofinancing_percent"],
        "has_actuals": bool(actuals),
        "line_count": sheet["line_count"],
    }


def year_column(followup: dict[str, Any], year: int) -> int:
    """The index of ``year`` in the follow-up's per-year lists."""
    return followup["years"].index(year)


# --- Findings --------------------------------------------------------------------------------------------

def _tkr(value: Decimal) -> str:
    return f"{format_number(value)} t.kr."


def followup_findings(plan: Plan, *, today: date | None = None,
                      followup: dict[str, Any] | None = None) -> list[Finding]:
    """Lines more than 10 % over budget in a year, realised medfinansiering under the pulje's minimum
    (per year and cumulative), and ended or closed years without forbrug (all warnings). ``followup``:
    the plan's ``budget_followup`` when the caller has it already."""
    if followup is None:
        followup = budget_followup(plan, today=today)
    if followup is None or not followup["line_count"]:
        return []
    findings: list[Finding] = []
    years = followup["years"]
    for section in followup["sections"]:
        for item in section["lines"]:
            for year, comparison in zip(years, item["row"].years, strict=True):
                if not comparison.over_tolerance:
                    continue
                over = (f"{format_percent(_percent(comparison.spent - comparison.budget, comparison.budget))} over "
                        "budgettet" if comparison.budget else "uden budget det år")
                findings.append(Finding(
                    WARNING, f"Udgiftsposten »{item['name']}« ({section['heading']}) har i {year} et forbrug på "
                             f"{_tkr(comparison.spent)} mod et budget på {_tkr(comparison.budget)} ({over}).",
                    item["line"], "actuals", code="actual_over_budget", extra={"year": year}))
    minimum = followup["min_cofinancing_percent"]
    total = followup["total"]
    for year, realised in zip(years, total.realised, strict=True):
        percent = realised.cofinancing_percent
        if realised.recorded and percent is not None and percent < minimum:
            findings.append(Finding(
                WARNING, f"Den realiserede lokale medfinansiering i {year} er {format_percent(percent)} af "
                         f"forbruget; puljen kræver mindst {format_percent(minimum)}.",
                followup["budget"], code="realised_cofinancing_below_minimum", extra={"year": year}))
    cumulative = total.realised_cumulative
    recorded_years = [state["year"] for state in followup["year_states"] if state["recorded"]]
    if len(recorded_years) > 1 and cumulative.cofinancing_percent is not None \
            and cumulative.cofinancing_percent < minimum:
        findings.append(Finding(
            WARNING, f"Den realiserede lokale medfinansiering til og med {followup['through_year']} er "
                     f"{format_percent(cumulative.cofinancing_percent)} af forbruget; puljen kræver mindst "
                     f"{format_percent(minimum)}.",
            followup["budget"], code="realised_cofinancing_below_minimum_cumulative"))
    for state in followup["year_states"]:
        if (state["ended"] or state["closed"]) and not state["recorded"]:
            why = "er markeret som afsluttet" if state["closed"] else "er slut"
            findings.append(Finding(
                WARNING, f"Regnskabsåret {state['year']} {why}, men der er ikke registreret forbrug for det.",
                followup["budget"], code="ended_year_without_actuals", extra={"year": state["year"]}))
    return findings


def followup_summary(plan: Plan) -> list[str]:
    """The follow-up's key figures for ``check_plan``: cumulative budget, forbrug and % used."""
    followup = budget_followup(plan)
    if followup is None or not followup["has_actuals"]:
        return []
    cumulative = followup["total"].cumulative
    used = cumulative.percent_used
    realised = followup["total"].realised_cumulative.cofinancing_percent
    return [
        f"Forbrug til og med {followup['through_year']} (t.kr.): budget {format_number(cumulative.budget)}, "
        f"forbrug {format_number(cumulative.spent)}, forbrugt {format_percent(used) if used is not None else '–'}, "
        f"realiseret medfinansiering {format_percent(realised) if realised is not None else '–'}"
    ]


# --- Tables ----------------------------------------------------------------------------------------------

def comparison_rows(followup: dict[str, Any], year: int | None = None) -> list[dict[str, Any]]:
    """The rows of a budget-vs-forbrug table for one ``year`` (None: cumulative): a heading per section,
    its lines, its sum, and the total. Each row has ``kind`` (section, line, sum, total), ``label``,
    ``comparison`` (a :class:`Comparison`; none for a heading) and for lines ``pk``."""
    index = None if year is None else year_column(followup, year)

    def pick(row: Row) -> Comparison:
        return row.cumulative if index is None else row.years[index]

    rows: list[dict[str, Any]] = []
    for section in followup["sections"]:
        if not section["lines"]:
            continue
        rows.append({"kind": "section", "label": section["heading"]})
        for item in section["lines"]:
            rows.append({"kind": "line", "label": item["name"], "footnote": item["footnote"], "pk": item["pk"],
                         "comparison": pick(item["row"])})
        rows.append({"kind": "sum", "label": f"Sum, {section['heading']}", "comparison": pick(section["sum"])})
    rows.append({"kind": "total", "label": "Total", "comparison": pick(followup["total"])})
    return rows


def realised_rows(followup: dict[str, Any]) -> list[dict[str, Any]]:
    """Realised medfinansiering per year with forbrug, then cumulative: ``label``, ``realised`` (a
    :class:`Realised`), ``percent`` and ``below_minimum``."""
    minimum = followup["min_cofinancing_percent"]
    total = followup["total"]
    rows = []
    for state, realised in zip(followup["year_states"], total.realised, strict=True):
        if state["recorded"]:
            rows.append({"label": str(state["year"]), "realised": realised})
    if rows:
        rows.append({"label": f"I alt til og med {followup['through_year']}", "realised": total.realised_cumulative,
                     "cumulative": True})
    for row in rows:
        percent = row["realised"].cofinancing_percent
        row["percent"] = percent
        row["below_minimum"] = percent is not None and percent < minimum
    return rows


def overview_rows(followup: dict[str, Any]) -> list[dict[str, Any]]:
    """Budget and forbrug per section (and the total) and year: ``label``, ``cells`` (a
    :class:`Comparison` per year), ``cumulative``."""
    rows = [{"label": section["heading"], "cells": section["sum"].years, "cumulative": section["sum"].cumulative}
            for section in followup["sections"] if section["lines"]]
    rows.append({"label": "Total", "cells": followup["total"].years, "cumulative": followup["total"].cumulative,
                 "total": True})
    return rows
