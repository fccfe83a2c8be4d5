"""»Ændringer siden sidste godkendelse« for the budgetark: two versions of the budget side by side.

Plain data for a template: the lines added, removed and changed (each changed figure before and after),
the footnotes, and the key figures — each year, Samlede udgifter, each financing column, Samlet
medfinansiering, Balance and Medfinans. % — before, after and the difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from agreements.models import FocusArea, Plan

from .calculations import FINANCING_FIELDS, FINANCING_LABELS, Figures
from .content import FIELD_LABELS, FOCUS_AREA, SECTION_TITLES, BudgetChanges, BudgetContent, LineData, diff

# The changed-line fields shown as text (the rest are figures).
TEXT_FIELDS = ("name", "expense_type_code", "description", "footnote")


@dataclass
class FigureRow:
    label: str
    before: int | Decimal | None
    after: int | Decimal | None
    is_percent: bool = False

    @property
    def difference(self) -> int | Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class LineChange:
    section: str
    line: LineData
    before: LineData | None = None
    figures: list[FigureRow] = field(default_factory=list)
    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


@dataclass
class BudgetComparison:
    changes: BudgetChanges
    years: list[int]
    totals: list[FigureRow]
    added: list[LineChange]
    removed: list[LineChange]
    changed: list[LineChange]

    @property
    def is_empty(self) -> bool:
        return self.changes.is_empty


def _figure_rows(before: Figures, after: Figures, years: list[int]) -> list[FigureRow]:
    rows = [FigureRow(str(year), before.amount(year), after.amount(year)) for year in years]
    rows.append(FigureRow("Samlede udgifter", before.total, after.total))
    rows += [FigureRow(FINANCING_LABELS[name], getattr(before, name), getattr(after, name))
             for name in FINANCING_FIELDS]
    return rows


def _section_label(line: LineData, areas: dict[int, str]) -> str:
    if line.section == FOCUS_AREA:
        return areas.get(line.focus_area_id, "Indsatsområde")
    return SECTION_TITLES.get(line.section, line.section)


def compare(plan: Plan, old: BudgetContent, new: BudgetContent) -> BudgetComparison:
    """The budget ``old`` (e.g. the approved version) against ``new`` (e.g. today's budget); one query."""
    changes = diff(old, new)
    areas = dict(FocusArea.objects.filter(pulje_id=plan.pulje_id).values_list("pk", "name"))
    years = sorted(set(plan.years) | {year for line in (*old.lines, *new.lines) for year, _ in line.amounts})
    before, after = changes.before, changes.after
    totals = _figure_rows(before, after, years) + [
        FigureRow("Samlet medfinansiering", before.cofinancing, after.cofinancing),
        FigureRow("Balance", before.balance, after.balance),
        FigureRow("Medfinans. %", before.cofinancing_percent, after.cofinancing_percent, is_percent=True),
    ]

    def single(line: LineData) -> LineChange:
        empty = Figures()
        figures = line.figures
        rows = [row for row in _figure_rows(empty, figures, years) if row.after]
        return LineChange(section=_section_label(line, areas), line=line, figures=rows)

    changed = []
    for old_line, new_line, _labels in changes.changed:
        rows = [row for row in _figure_rows(old_line.figures, new_line.figures, years) if row.changed]
        texts = [(FIELD_LABELS[name], str(getattr(old_line, name) or ""), str(getattr(new_line, name) or ""))
                 for name in TEXT_FIELDS if getattr(old_line, name) != getattr(new_line, name)]
        changed.append(LineChange(section=_section_label(new_line, areas), line=new_line, before=old_line,
                                  figures=rows, texts=texts))
    return BudgetComparison(changes=changes, years=years, totals=totals,
                            added=[single(line) for line in changes.added],
                            removed=[single(line) for line in changes.removed], changed=changed)
