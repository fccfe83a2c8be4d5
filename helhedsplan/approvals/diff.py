"""What changed between two snapshots of a document (``agreements.snapshots``).

"Ændringer siden sidste godkendelse" compares the JSON of today's data with the last approval's
JSON: changed fields, added/removed/changed items of each collection (parties, activities, staff
resources, and other apps' parts such as delmål), and the added/removed words inside long texts.
The word diff is Python's ``difflib``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from helhedsplan.formatting import format_date, format_number

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of text that is unchanged (``equal``), removed (``delete``) or added (``insert``)."""

    op: str
    text: str


def inline_words(old: str, new: str) -> list[Segment]:
    """Words removed from ``old`` and added in ``new``, in reading order.

    ``difflib`` matches the spaces between changed words too, which would chop a rewritten sentence
    into alternating one-word removals and additions; a stretch that only agrees on whitespace is
    therefore shown as one removal followed by one addition.
    """
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    runs: list[list] = []  # [op, removed text, added text]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        runs.append(["equal" if op == "equal" else "change", "".join(a[i1:i2]), "".join(b[j1:j2])])
    for index in range(1, len(runs) - 1):
        if runs[index][0] == "equal" and not runs[index][1].strip() \
                and runs[index - 1][0] == "change" and runs[index + 1][0] == "change":
            runs[index][0] = "change"
    merged: list[list] = []
    for run in runs:
        if merged and run[0] == "change" and merged[-1][0] == "change":
            merged[-1][1] += run[1]
            merged[-1][2] += run[2]
        else:
            merged.append(run)
    segments: list[Segment] = []
    for op, removed, added in merged:
        if op == "equal":
            segments.append(Segment("equal", removed))
            continue
        if removed:
            segments.append(Segment("delete", removed))
        if added:
            segments.append(Segment("insert", added))
    return segments


def display_value(value, type_: str) -> str:
    """A snapshot value as Danish text."""
    if value is None or value == "" or value == []:
        return ""
    if type_ == "bool":
        return "Ja" if value else "Nej"
    if type_ == "date":
        from datetime import date

        return format_date(date.fromisoformat(value))
    if type_ == "number":
        return format_number(value)
    if type_ == "list":
        return ", ".join(value)
    return str(value)


@dataclass
class FieldChange:
    name: str
    label: str
    type: str
    old: object
    new: object

    @property
    def old_display(self) -> str:
        return display_value(self.old, self.type)

    @property
    def new_display(self) -> str:
        return display_value(self.new, self.type)

    @property
    def is_long(self) -> bool:
        return self.type == "longtext"

    @property
    def segments(self) -> list[Segment]:
        return inline_words(self.old_display, self.new_display)

    @property
    def added_items(self) -> list[str]:
        return [v for v in (self.new or []) if v not in (self.old or [])] if self.type == "list" else []

    @property
    def removed_items(self) -> list[str]:
        return [v for v in (self.old or []) if v not in (self.new or [])] if self.type == "list" else []


@dataclass
class ItemChange:
    key: str
    label: str
    status: str  # "added" | "removed" | "changed"
    fields: list[dict] = field(default_factory=list)  # the item's fields (added/removed)
    changes: list[FieldChange] = field(default_factory=list)  # changed fields (changed)
    old_label: str = ""

    @property
    def status_label(self) -> str:
        return {"added": "Tilføjet", "removed": "Fjernet", "changed": "Ændret"}[self.status]

    @property
    def shown_fields(self) -> list[dict]:
        """The non-empty fields of an added or removed item, formatted."""
        return [{"label": f["label"], "type": f["type"], "text": display_value(f["value"], f["type"])}
                for f in self.fields if display_value(f["value"], f["type"])]


@dataclass
class CollectionDiff:
    name: str
    title: str
    items: list[ItemChange] = field(default_factory=list)
    reordered: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.items) or self.reordered


@dataclass
class DocumentDiff:
    fields: list[FieldChange] = field(default_factory=list)
    collections: list[CollectionDiff] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.fields) or any(c.has_changes for c in self.collections)

    @property
    def changed_collections(self) -> list[CollectionDiff]:
        return [c for c in self.collections if c.has_changes]

    @property
    def count(self) -> int:
        return len(self.fields) + sum(len(c.items) + (1 if c.reordered else 0) for c in self.collections)


def compare_fields(old: list[dict], new: list[dict]) -> list[FieldChange]:
    old_by_name = {f["name"]: f for f in old}
    new_by_name = {f["name"]: f for f in new}
    changes = []
    for name in [*new_by_name, *(n for n in old_by_name if n not in new_by_name)]:
        before, after = old_by_name.get(name), new_by_name.get(name)
        ref = after or before
        old_value = before["value"] if before else None
        new_value = after["value"] if after else None
        if display_value(old_value, ref["type"]) != display_value(new_value, ref["type"]):
            changes.append(FieldChange(name, ref["label"], ref["type"], old_value, new_value))
    return changes


def compare_collection(old: dict | None, new: dict | None) -> CollectionDiff:
    ref = new or old
    old_items = {i["key"]: i for i in (old or {}).get("items", [])}
    new_items = {i["key"]: i for i in (new or {}).get("items", [])}
    result = CollectionDiff(ref["name"], ref["title"])
    for key, after in new_items.items():
        before = old_items.get(key)
        if before is None:
            result.items.append(ItemChange(key, after["label"], "added", fields=after["fields"]))
            continue
        changes = compare_fields(before["fields"], after["fields"])
        if changes:
            result.items.append(ItemChange(key, after["label"], "changed", changes=changes,
                                           old_label=before["label"] if before["label"] != after["label"] else ""))
    for key, before in old_items.items():
        if key not in new_items:
            result.items.append(ItemChange(key, before["label"], "removed", fields=before["fields"]))
    common_old = [key for key in old_items if key in new_items]
    common_new = [key for key in new_items if key in old_items]
    result.reordered = common_old != common_new
    return result


def compare(old: dict | None, new: dict) -> DocumentDiff:
    """Changes from snapshot ``old`` (None: nothing approved yet, everything is new) to ``new``."""
    old = old or {"fields": [], "collections": []}
    diff = DocumentDiff(fields=compare_fields(old.get("fields", []), new.get("fields", [])))
    old_collections = {c["name"]: c for c in old.get("collections", [])}
    new_collections = {c["name"]: c for c in new.get("collections", [])}
    for name in [*new_collections, *(n for n in old_collections if n not in new_collections)]:
        diff.collections.append(compare_collection(old_collections.get(name), new_collections.get(name)))
    return diff
