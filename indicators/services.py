"""Writes: goals, delmål, indicators and the annual follow-up values.

Every function validates with ``full_clean()`` and runs in one transaction, so forms, admin, imports
and ``load_demo`` share one set of rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, Unpack

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from agreements.models import Activity, FocusArea, Plan, PlanFocusArea, SubAgreement
from helhedsplan.formatting import format_number
from helhedsplan.importing import MoreFailingRows
from helhedsplan.spreadsheets import (
    MAX_LISTED_PROBLEMS,
    dataset_csv,
    dataset_xlsx,
    listed_problems,
    read_table,
    source_row,
)
from helhedsplan.uploads import format_from_name

from .models import Goal, Indicator, IndicatorValue, StandardGoal, StandardIndicator, SubGoal
from .resources import COLUMN_NAMES, IndicatorValueResource, plan_values_queryset

DEMO_SOURCE = "Demodata"


class IndicatorFields(TypedDict, total=False):
    """An indicator's own fields a service may set (each optional: only those given change)."""

    standard: StandardIndicator | None
    kind: str
    text: str
    unit: str
    lower_is_better: bool
    target: str
    target_value: Decimal | None
    monitoring: bool
    baseline_area: str
    baseline_area_value: Decimal | None
    baseline_other_label: str
    baseline_other: str
    baseline_other_value: Decimal | None
    baseline_year: str
    data_source: str
    activity: Activity | None
    order: int


def _apply(instance: Any, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def goal_create(*, plan: Plan, focus_area: FocusArea, text: str, order: int = 0,
                standard: StandardGoal | None = None) -> Goal:
    goal = Goal(plan=plan, focus_area=focus_area, text=text, order=order, standard=standard)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def sub_goal_create(*, sub_agreement: SubAgreement, text: str, order: int = 0) -> SubGoal:
    sub_goal = SubGoal(sub_agreement=sub_agreement, text=text, order=order)
    sub_goal.full_clean()
    sub_goal.save()
    return sub_goal


@transaction.atomic
def indicator_create(*, text: str, goal: Goal | None = None, sub_goal: SubGoal | None = None,
                     **fields: Unpack[IndicatorFields]) -> Indicator:
    indicator = Indicator(goal=goal, sub_goal=sub_goal, text=text)
    _apply(indicator, fields)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, **fields: Unpack[IndicatorFields]) -> Indicator:
    _apply(indicator, fields)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def goals_create_from_reference(*, plan: Plan) -> list[Goal]:
    """Give the plan LBF's fixed overordnede mål and faste indikatorer for its chosen indsatsområder.

    Only indsatsområder without a goal yet get one, so it can run again after an indsatsområde is
    added. Baselines are left to fill in; the faste indikatorer are monitored (no target).
    """
    existing = set(Goal.objects.filter(plan=plan).values_list("focus_area_id", flat=True))
    created: list[Goal] = []
    choices = PlanFocusArea.objects.filter(plan=plan).select_related("focus_area").order_by(
        "order", "focus_area__order")
    standards = {
        goal.focus_area_id: goal
        for goal in StandardGoal.objects.filter(focus_area__pulje=plan.pulje).prefetch_related("indicators")
    }
    order = Goal.objects.filter(plan=plan).count()
    for choice in choices:
        standard = standards.get(choice.focus_area_id)
        if standard is None or choice.focus_area_id in existing:
            continue
        order += 1
        goal = goal_create(plan=plan, focus_area=choice.focus_area, text=standard.text, order=order,
                           standard=standard)
        for position, item in enumerate(standard.indicators.all(), start=1):
            indicator_create(
                goal=goal, text=item.text, standard=item, kind=Indicator.Kind.FIXED, unit=item.unit,
                lower_is_better=item.lower_is_better, data_source=item.data_source, monitoring=True,
                order=position,
            )
        created.append(goal)
    return created


@transaction.atomic
def indicator_value_set(*, indicator: Indicator, year: int, value: Decimal | None = None,
                        value_text: str = "", note: str = "", source: str = "") -> IndicatorValue:
    """Create or replace the indicator's value for the year."""
    instance = IndicatorValue.objects.filter(indicator=indicator, year=year).first() \
        or IndicatorValue(indicator=indicator, year=year)
    _apply(instance, {"value": value, "value_text": value_text, "note": note, "source": source})
    instance.full_clean()
    instance.save()
    return instance


@dataclass(frozen=True)
class ValueEntry:
    """One indicator's input in the annual follow-up: empty value and note removes the year's value."""

    indicator: Indicator
    value: Decimal | None = None
    value_text: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.value_text.strip() and not self.note.strip()


@dataclass
class SaveSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


@transaction.atomic
def indicator_values_save(*, year: int, entries: Iterable[ValueEntry], source: str = "") -> SaveSummary:
    """The annual follow-up in one sitting: every entry for the year, all or nothing.

    Raises ``ValidationError`` (keyed by indicator id) when any entry is invalid; nothing is written.
    """
    entries = list(entries)
    existing = {v.indicator_id: v for v in IndicatorValue.objects.filter(
        indicator__in=[e.indicator for e in entries], year=year)}
    summary = SaveSummary()
    errors: dict[str, list[str]] = {}
    to_save: list[IndicatorValue] = []
    to_delete: list[IndicatorValue] = []
    for entry in entries:
        current = existing.get(entry.indicator.pk)
        if entry.is_empty:
            if current is not None:
                to_delete.append(current)
            continue
        if current is not None and (current.value, current.value_text, current.note) == (
                entry.value, entry.value_text, entry.note):
            summary.unchanged += 1
            continue
        instance = current or IndicatorValue(indicator=entry.indicator, year=year)
        # A value typed in again is no longer what was imported or demo data: its source is this entry.
        _apply(instance, {"value": entry.value, "value_text": entry.value_text, "note": entry.note,
                          "source": source})
        try:
            instance.full_clean()
        except ValidationError as exc:
            errors[str(entry.indicator.pk)] = [message for messages in exc.message_dict.values()
                                               for message in messages]
            continue
        to_save.append(instance)
    if errors:
        raise ValidationError(errors)
    for instance in to_save:
        if instance.pk:
            summary.updated += 1
        else:
            summary.created += 1
        instance.save()
    for instance in to_delete:
        instance.delete()
        summary.deleted += 1
    return summary


# --- export and import ------------------------------------------------------------------------------

EXPORT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "csv": "text/csv; charset=utf-8"}


def indicator_values_export(*, plan: Plan, file_format: str = "xlsx") -> bytes:
    """The plan's values with the import's columns; text that a spreadsheet would run as a formula is
    neutralised (``helhedsplan.spreadsheets``). xlsx keeps numbers as numbers; csv is written for Danish
    spreadsheets: semicolons, decimal commas and a UTF-8 byte order mark."""
    dataset = IndicatorValueResource(plan=plan).export(queryset=plan_values_queryset(plan))
    if file_format == "csv":
        value_column = dataset.headers.index(COLUMN_NAMES["value"])
        localised = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            cells = list(row)
            if isinstance(cells[value_column], float | int | Decimal):
                cells[value_column] = format_number(cells[value_column]).replace(".", "")
            localised.append(cells)
        return ("\ufeff" + dataset_csv(localised, delimiter=";")).encode("utf-8")
    return dataset_xlsx(dataset, title="Opfølgning")


@dataclass
class ImportOutcome:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def read_values_file(*, content: bytes, filename: str) -> tablib.Dataset:
    """An uploaded xlsx or csv (separated by semicolons, commas or tabs) as a dataset with normalised
    headers, read by the bounded reader (``helhedsplan.spreadsheets.read_table``).

    Raises ``ValidationError`` with a Danish message (``ImportRefused`` when the file is over the import
    limits, cannot be read, or has no data rows)."""
    if format_from_name(filename) is None:
        raise ValidationError("Filen skal være et regneark (.xlsx) eller en CSV-fil (.csv).")
    dataset = read_table(content, name=filename)
    headers = [str(h or "").strip().casefold() for h in (dataset.headers or [])]
    missing = [name for key, name in COLUMN_NAMES.items() if key != "note" and name not in headers]
    if missing:
        raise ValidationError(
            "Filen mangler " + ("kolonnen" if len(missing) == 1 else "kolonnerne") + " "
            + ", ".join(f"»{name}«" for name in missing) + "."
        )
    dataset.headers = headers
    return dataset


def _column(attribute: str) -> str:
    return COLUMN_NAMES.get(attribute, attribute)


def indicator_values_import(*, plan: Plan | None, dataset: tablib.Dataset) -> ImportOutcome:
    """Import follow-up values; problems are listed by spreadsheet row (the first 50, then how many
    more) and nothing is written unless all rows are valid. ``plan`` restricts the file to one plan
    (``None``: any plan)."""
    resource = IndicatorValueResource(plan=plan)
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    outcome = ImportOutcome()
    more = ""
    for error in result.base_errors:
        if isinstance(error.error, MoreFailingRows):
            more = str(error.error)
        else:
            outcome.errors.append(f"Filen: {error.error}")
    problems: list[tuple[int, str]] = []
    for number, errors in result.row_errors():
        for error in errors:
            problems.append((number, str(error.error)))
    for row in result.invalid_rows:
        for attribute, messages in row.error_dict.items():
            # A cell that could not be read is reported once: the model's own check of the same
            # field ("skal være et tal") would only repeat it.
            for message in messages[:1]:
                where = "" if attribute == NON_FIELD_ERRORS else f"kolonne »{_column(attribute)}«: "
                problems.append((row.number, where + message))
    # Data row n is the spreadsheet row the reader found it in (row 1 holds the headers).
    listed = [f"Række {source_row(dataset, number - 1)}: {message}"
              for number, message in sorted(problems, key=lambda p: p[0])]
    outcome.errors.extend(str(problem) for problem in listed_problems(listed))
    if more and len(outcome.errors) <= MAX_LISTED_PROBLEMS:
        outcome.errors.append(more)
    if not outcome.errors:
        outcome.created = result.totals.get("new", 0)
        outcome.updated = result.totals.get("update", 0)
    return outcome
