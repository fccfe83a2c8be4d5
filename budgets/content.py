"""A budget as plain, comparable data: what a budgetark file holds, and what the database holds.

The XLSX reader and the demo loader produce a ``BudgetContent``; ``selectors.budget_content`` reads
one from the database; ``diff`` compares two (the import preview) and ``services`` writes one. Export
→ import is exact when ``budget_content(plan) == read(export(plan))``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .calculations import FINANCING_FIELDS, Figures

CROSS_CUTTING = "tvaergaaende"
FOCUS_AREA = "indsatsomraade"
LOCAL_EVALUATION = "lokal_evaluering"
SECTION_TITLES = {CROSS_CUTTING: "Tværgående administrationsudgifter", LOCAL_EVALUATION: "Lokal evaluering"}

# Labels of the compared fields, for the preview ("Ændret: LBF, 2023").
FIELD_LABELS = {
    "name": "navn",
    "expense_type_code": "udgiftstype",
    "description": "beskrivelse",
    "footnote": "fodnote",
    "lbf": "LBF",
    "bo_cash": "boligorganisation kontant",
    "bo_hours": "boligorganisation timer/lokaler",
    "kom_cash": "kommune kontant",
    "kom_hours": "kommune timer/lokaler",
    "other": "anden lokal medfinansiering",
}


@dataclass(frozen=True)
class LineData:
    """One udgiftspost. ``amounts`` holds (year, amount) pairs in year order, zero years left out."""

    section: str
    focus_area_id: int | None
    name: str
    expense_type_code: int | None = None
    description: str = ""
    footnote: str = ""
    amounts: tuple[tuple[int, int], ...] = ()
    lbf: int = 0
    bo_cash: int = 0
    bo_hours: int = 0
    kom_cash: int = 0
    kom_hours: int = 0
    other: int = 0
    # Where it came from (row in a file, or primary key and position in the database): not content.
    row: int | None = field(default=None, compare=False)
    pk: int | None = field(default=None, compare=False)
    order: int = field(default=0, compare=False)

    @property
    def identity(self) -> tuple:
        return (self.section, self.focus_area_id, self.name.casefold())

    @property
    def amounts_dict(self) -> dict[str, int]:
        return {str(year): amount for year, amount in self.amounts}

    @property
    def figures(self) -> Figures:
        return Figures(amounts=dict(self.amounts), **{name: getattr(self, name) for name in FINANCING_FIELDS})

    def changed_fields(self, other: LineData) -> list[str]:
        """Labels of what differs from ``other`` (years by number)."""
        changed = [label for name, label in FIELD_LABELS.items() if getattr(self, name) != getattr(other, name)]
        mine, theirs = dict(self.amounts), dict(other.amounts)
        changed += [str(year) for year in sorted(set(mine) | set(theirs)) if mine.get(year, 0) != theirs.get(year, 0)]
        return changed


@dataclass(frozen=True)
class FootnoteData:
    number: str
    text: str


@dataclass(frozen=True)
class BudgetContent:
    lines: tuple[LineData, ...] = ()
    footnotes: tuple[FootnoteData, ...] = ()

    @property
    def figures(self) -> Figures:
        return Figures.sum(line.figures for line in self.lines)


def section_rank(section: str, focus_area_order: int | None) -> tuple[int, int]:
    """Sheet order: tværgående, the indsatsområder in the pulje's order, lokal evaluering."""
    if section == CROSS_CUTTING:
        return (0, 0)
    if section == FOCUS_AREA:
        return (1, focus_area_order or 0)
    return (2, 0)


def in_sheet_order(lines: list[LineData], focus_area_order: dict[int, int]) -> tuple[LineData, ...]:
    """Lines grouped by section in sheet order, keeping their order inside each section."""
    return tuple(sorted(lines, key=lambda line: section_rank(line.section, focus_area_order.get(line.focus_area_id))))


@dataclass
class BudgetChanges:
    """What saving a new budget content would change (the import preview)."""

    added: list[LineData] = field(default_factory=list)
    removed: list[LineData] = field(default_factory=list)
    changed: list[tuple[LineData, LineData, list[str]]] = field(default_factory=list)
    reordered: int = 0
    footnotes_added: list[FootnoteData] = field(default_factory=list)
    footnotes_removed: list[FootnoteData] = field(default_factory=list)
    footnotes_changed: list[tuple[FootnoteData, FootnoteData]] = field(default_factory=list)
    footnotes_reordered: bool = False
    before: Figures = field(default_factory=Figures)
    after: Figures = field(default_factory=Figures)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reordered or self.footnotes_added
                    or self.footnotes_removed or self.footnotes_changed or self.footnotes_reordered)

    @property
    def summary(self) -> str:
        if self.is_empty:
            return "Ingen ændringer."
        parts = [f"{len(self.added)} nye", f"{len(self.changed)} ændrede", f"{len(self.removed)} fjernede"]
        text = f"Udgiftsposter: {', '.join(parts)}"
        if self.reordered:
            text += f"; {self.reordered} flyttet"
        footnotes = len(self.footnotes_added) + len(self.footnotes_removed) + len(self.footnotes_changed)
        if footnotes or self.footnotes_reordered:
            text += f"; fodnoter: {len(self.footnotes_added)} nye, {len(self.footnotes_changed)} ændrede, " \
                    f"{len(self.footnotes_removed)} fjernede"
        return text + "."


def match_lines(old: tuple[LineData, ...], new: tuple[LineData, ...]) -> tuple[
        list[tuple[LineData, LineData]], list[LineData], list[LineData]]:
    """Pair old and new lines by (section, indsatsområde, name, n-th occurrence of that name).

    Returns (pairs, added, removed).
    """
    def keyed(lines: tuple[LineData, ...]) -> dict[tuple, LineData]:
        seen: Counter = Counter()
        result = {}
        for line in lines:
            seen[line.identity] += 1
            result[(*line.identity, seen[line.identity])] = line
        return result

    old_keyed, new_keyed = keyed(old), keyed(new)
    pairs = [(old_keyed[key], line) for key, line in new_keyed.items() if key in old_keyed]
    added = [line for key, line in new_keyed.items() if key not in old_keyed]
    removed = [line for key, line in old_keyed.items() if key not in new_keyed]
    return pairs, added, removed


def diff(old: BudgetContent, new: BudgetContent) -> BudgetChanges:
    pairs, added, removed = match_lines(old.lines, new.lines)
    changes = BudgetChanges(added=added, removed=removed, before=old.figures, after=new.figures)
    new_position = {id(line): index for index, line in enumerate(new.lines)}
    old_position = {id(line): index for index, line in enumerate(old.lines)}
    # A line has moved when its place among the lines both versions share differs.
    shared_old = sorted(pairs, key=lambda pair: old_position[id(pair[0])])
    shared_new = sorted(pairs, key=lambda pair: new_position[id(pair[1])])
    changes.reordered = sum(1 for a, b in zip(shared_old, shared_new, strict=True) if a is not b)
    for old_line, new_line in shared_new:
        fields = new_line.changed_fields(old_line)
        if fields:
            changes.changed.append((old_line, new_line, fields))

    old_notes = {note.number: note for note in old.footnotes}
    new_notes = {note.number: note for note in new.footnotes}
    changes.footnotes_added = [note for number, note in new_notes.items() if number not in old_notes]
    changes.footnotes_removed = [note for number, note in old_notes.items() if number not in new_notes]
    changes.footnotes_changed = [(old_notes[number], note) for number, note in new_notes.items()
                                 if number in old_notes and old_notes[number].text != note.text]
    shared = [number for number in new_notes if number in old_notes]
    changes.footnotes_reordered = shared != [number for number in old_notes if number in new_notes]
    return changes
