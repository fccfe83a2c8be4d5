"""Writes of actuals (forbrug): one year at a time from the browser, or several years from a file.

Amounts are thousands of kroner with at most one decimal, typed the Danish way (``1.234,5``). Every
write is one transaction with history; the year's ``ActualYear.version`` grows with every write, and
the browser's save is refused (``ActualsConflict``) when the year was saved after the form was opened.
A year marked "regnskabsår afsluttet" changes (or reopens) only with a note, which becomes the
history's change reason of every row it changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Plan

from .models import ACTUAL_FIELDS, Actual, ActualYear, Budget, BudgetLine

ENTERED_REASON = "Forbrug registreret"
IMPORTED_REASON = "Forbrug indlæst fra fil"
MAX_AMOUNT = Decimal(10) ** 10  # t.kr.: far above any helhedsplan, well inside the column
_THOUSANDS_WITH_POINTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DANISH_WITH_COMMA = re.compile(r"^\d{1,3}(\.\d{3})*,\d*$|^\d+,\d*$")


def parse_amount(raw: object) -> Decimal | None:
    """An amount in t.kr. as a Dane types it (``1.234,5``, ``1234,5``, ``1.234``) or a spreadsheet holds
    it; None for an empty cell. Raises ``ValueError`` with a Danish message for anything else: text
    that is no number, a negative amount, more than one decimal."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"»{raw}« er ikke et beløb.")
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(str(raw))
    elif isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
        if not text:
            return None
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if "," in digits:
            if not _DANISH_WITH_COMMA.match(digits):
                raise ValueError(f"»{raw.strip()}« er ikke et beløb. Skriv f.eks. 1.234,5.")
            digits = digits.replace(".", "").replace(",", ".")
        elif _THOUSANDS_WITH_POINTS.match(digits):
            digits = digits.replace(".", "")
        try:
            number = Decimal(digits)
        except InvalidOperation:
            raise ValueError(f"»{raw.strip()}« er ikke et beløb. Skriv f.eks. 1.234,5.") from None
        if negative:
            number = -number
    else:
        raise ValueError(f"»{raw}« er ikke et beløb.")
    if not number.is_finite():
        raise ValueError(f"»{raw}« er ikke et beløb.")
    if number < 0:
        raise ValueError("Beløbet må ikke være negativt.")
    if number != number.quantize(Decimal("0.1")):
        raise ValueError("Beløb skrives i tusinde kroner med højst én decimal (f.eks. 1.234,5).")
    if number >= MAX_AMOUNT:
        raise ValueError("Beløbet er for stort. Beløb skrives i tusinde kroner (t.kr.).")
    return number.quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ActualEntry:
    """One line's figures for one year; ``values`` None removes what was registered."""

    line: BudgetLine
    year: int
    values: dict[str, Decimal] | None

    def differs_from(self, actual: Actual | None) -> bool:
        if actual is None:
            return self.values is not None
        if self.values is None:
            return True
        return any(getattr(actual, name) != self.values.get(name, Decimal(0)) for name in ACTUAL_FIELDS)


class ActualsConflict(Exception):
    """The year's actuals were saved by someone else after the form was opened: nothing is saved."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"Forbruget for {year} er blevet ændret af en anden, efter du åbnede siden. Dine ændringer "
                         "er ikke gemt – de står stadig i formularen. Se de nye tal, og ret dem igen.")


@dataclass
class ActualsSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    years: tuple[int, ...] = ()

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    @property
    def text(self) -> str:
        return (f"{self.created} nye, {self.updated} ændrede og {self.deleted} slettede registreringer"
                f" ({self.unchanged} uændrede).")


def closed_year_message(year: int) -> str:
    return (f"Regnskabsåret {year} er afsluttet. Skriv en note om, hvorfor tallene ændres – noten gemmes i "
            "historikken.")


def _budget(plan: Plan) -> Budget:
    budget = Budget.objects.filter(plan=plan).first()
    if budget is None:
        raise ValidationError("Helhedsplanen har intet budget, så der er ingen udgiftsposter at registrere forbrug på.")
    return budget


def _check_entries(plan: Plan, budget: Budget, entries: list[ActualEntry]) -> None:
    years = set(plan.years)
    for entry in entries:
        if entry.line.budget_id != budget.pk:
            raise ValidationError(f"Udgiftsposten »{entry.line.name}« hører ikke til helhedsplanens budget.")
        if entry.year not in years:
            raise ValidationError(f"{entry.year} ligger uden for helhedsplanens periode.")


def _write(budget: Budget, year: int, entries: list[ActualEntry], existing: dict[int, Actual], *,
           user: AbstractBaseUser | None, reason: str) -> ActualsSummary:
    summary = ActualsSummary(years=(year,))
    for entry in entries:
        current = existing.get(entry.line.pk)
        if not entry.differs_from(current):
            summary.unchanged += current is not None
            continue
        if entry.values is None:
            current._history_user = user
            current._change_reason = reason
            current.delete()
            summary.deleted += 1
            continue
        actual = current or Actual(line=entry.line, year=year)
        for name in ACTUAL_FIELDS:
            setattr(actual, name, entry.values.get(name, Decimal(0)))
        actual.full_clean(exclude=["line"], validate_unique=False, validate_constraints=False)
        actual._history_user = user
        actual._change_reason = reason
        if current is None:
            summary.created += 1
        else:
            summary.updated += 1
        actual.save()
    return summary


def _existing(budget: Budget, year: int) -> dict[int, Actual]:
    return {actual.line_id: actual for actual in Actual.objects.filter(line__budget=budget, year=year)}


def _claim_year(budget: Budget, year: int, expected_version: int | None) -> ActualYear:
    """Lock the year for this write: the row at ``expected_version`` moves to the next version, or
    ``ActualsConflict`` (``expected_version`` None: whatever the version is, for imports)."""
    actual_year = ActualYear.objects.select_for_update().filter(budget=budget, year=year).first()
    if actual_year is None:
        if expected_version not in (None, 0):
            raise ActualsConflict(year)
        try:
            with transaction.atomic():
                actual_year = ActualYear.objects.create(budget=budget, year=year)
        except IntegrityError:  # created by a concurrent save of the same year
            raise ActualsConflict(year) from None
        return actual_year
    expected = actual_year.version if expected_version is None else expected_version
    if not ActualYear.objects.filter(pk=actual_year.pk, version=expected).update(version=expected + 1):
        raise ActualsConflict(year)
    actual_year.version = expected + 1
    return actual_year


def _save_year_row(actual_year: ActualYear, *, closed: bool, user: AbstractBaseUser | None, reason: str) -> None:
    actual_year.closed = closed
    actual_year._history_user = user
    actual_year._change_reason = reason
    actual_year.save()


@transaction.atomic
def actuals_save_year(*, plan: Plan, year: int, entries: Iterable[ActualEntry], expected_version: int,
                      closed: bool, note: str = "", user: AbstractBaseUser | None = None) -> ActualsSummary:
    """The year's forbrug from the browser, all lines at once, and whether the regnskabsår is closed.

    ``expected_version``: the year's version when the form was opened (0 for a year never saved).
    Raises ``ActualsConflict`` when someone saved the year since, and ``ValidationError`` (key
    ``note``) when a closed year would change without a note. Nothing is written then.
    """
    budget = _budget(plan)
    entries = list(entries)
    _check_entries(plan, budget, entries)
    if any(entry.year != year for entry in entries):
        raise ValidationError("Alle tal skal gælde samme år.")
    note = " ".join((note or "").split())
    current = ActualYear.objects.filter(budget=budget, year=year).first()
    existing = _existing(budget, year)
    changes = [entry for entry in entries if entry.differs_from(existing.get(entry.line.pk))]
    was_closed = bool(current and current.closed)
    if not changes and was_closed == closed:
        return ActualsSummary(unchanged=len(existing), years=(year,))
    if was_closed and not note:
        raise ValidationError({"note": closed_year_message(year)})
    actual_year = _claim_year(budget, year, expected_version)
    existing = _existing(budget, year)  # as locked
    reason = note or ENTERED_REASON
    summary = _write(budget, year, entries, existing, user=user, reason=reason)
    _save_year_row(actual_year, closed=closed, user=user, reason=reason)
    return summary


def closed_years_changed(plan: Plan, entries: Iterable[ActualEntry]) -> list[int]:
    """The closed years that ``entries`` would change (they need a note)."""
    budget = _budget(plan)
    closed = set(ActualYear.objects.filter(budget=budget, closed=True).values_list("year", flat=True))
    result = set()
    by_year: dict[int, list[ActualEntry]] = {}
    for entry in entries:
        by_year.setdefault(entry.year, []).append(entry)
    for year, year_entries in by_year.items():
        if year not in closed:
            continue
        existing = _existing(budget, year)
        if any(entry.differs_from(existing.get(entry.line.pk)) for entry in year_entries):
            result.add(year)
    return sorted(result)


@transaction.atomic
def actuals_import(*, plan: Plan, entries: Iterable[ActualEntry], note: str = "",
                   user: AbstractBaseUser | None = None, dry_run: bool = False) -> ActualsSummary:
    """Several lines and years at once (a file): each entry replaces that line's figures for that year;
    lines and years not in ``entries`` are left as they are. All or nothing: ``ValidationError`` when a
    closed year would change without a note. ``dry_run`` counts the changes and writes nothing."""
    budget = _budget(plan)
    entries = list(entries)
    _check_entries(plan, budget, entries)
    note = " ".join((note or "").split())
    if not note:
        closed = closed_years_changed(plan, entries)
        if closed:
            years = ", ".join(map(str, closed))
            raise ValidationError(f"Filen ændrer tal i afsluttede regnskabsår ({years}). Angiv en note om, hvorfor "
                                  "tallene ændres – noten gemmes i historikken.")
    by_year: dict[int, list[ActualEntry]] = {}
    for entry in entries:
        by_year.setdefault(entry.year, []).append(entry)
    total = ActualsSummary(years=tuple(sorted(by_year)))
    reason = note or IMPORTED_REASON
    for year in sorted(by_year):
        existing = _existing(budget, year)
        changed = [entry for entry in by_year[year] if entry.differs_from(existing.get(entry.line.pk))]
        total.unchanged += len(by_year[year]) - len(changed)
        if not changed:
            continue
        if dry_run:
            total.created += sum(existing.get(entry.line.pk) is None for entry in changed)
            total.updated += sum(existing.get(entry.line.pk) is not None for entry in changed)
            continue
        actual_year = _claim_year(budget, year, None)
        summary = _write(budget, year, changed, _existing(budget, year), user=user, reason=reason)
        _save_year_row(actual_year, closed=actual_year.closed, user=user, reason=reason)
        total.created += summary.created
        total.updated += summary.updated
        total.deleted += summary.deleted
    return total


def closed_year_notes(plan: Plan) -> list[dict]:
    """The notes written when a closed regnskabsår was changed or reopened, newest first."""
    budget = Budget.objects.filter(plan=plan).first()
    if budget is None:
        return []
    history = ActualYear.history.filter(budget_id=budget.pk).exclude(
        history_change_reason__in=["", ENTERED_REASON, IMPORTED_REASON]).exclude(
        history_change_reason__isnull=True).select_related("history_user").order_by("-history_date")
    return [{"year": record.year, "note": record.history_change_reason, "date": record.history_date,
             "user": record.history_user} for record in history[:50]]
