"""The budgetark's arithmetic and notation, as plain functions on plain data (no database).

Used by the selectors (the sheet, the economy of each indsatsområde), the checks, the XLSX reader
(to verify a file's Sum rows) and the property-based tests. Amounts are whole thousands of kroner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# The financing columns of LBF's sheet, left to right.
FINANCING_FIELDS: tuple[str, ...] = ("lbf", "bo_cash", "bo_hours", "kom_cash", "kom_hours", "other")
COFINANCING_FIELDS: tuple[str, ...] = FINANCING_FIELDS[1:]
FINANCING_LABELS: dict[str, str] = {
    "lbf": "LBF",
    "bo_cash": "Medfinansiering boligorganisation(er), kontant",
    "bo_hours": "Medfinansiering boligorganisation(er), timer og lokaler",
    "kom_cash": "Medfinansiering kommune, kontant",
    "kom_hours": "Medfinansiering kommune, timer og lokaler",
    "other": "Evt. anden lokal medfinansiering",
}

# A footnote number: 12, 17b. A reference: one or more numbers, "11 + 12".
_NUMBER = r"\d{1,3}[a-zA-Z]?"
_SEPARATOR = r"(?:\s*\+\s*|,\s+|\s+og\s+)"
FOOTNOTE_REF_RE = re.compile(rf"^{_NUMBER}(?:{_SEPARATOR}{_NUMBER})*$")
FOOTNOTE_IN_NAME_RE = re.compile(rf"\(\s*({_NUMBER}(?:{_SEPARATOR}{_NUMBER})*)\s*\)")
FOOTNOTE_NUMBER_RE = re.compile(_NUMBER)


def split_footnote_ref(ref: str) -> list[str]:
    """``"11 + 12"`` → ``["11", "12"]``; ``""`` → ``[]``."""
    ref = (ref or "").strip()
    if not ref:
        return []
    return [number.lower() for number in FOOTNOTE_NUMBER_RE.findall(ref)]


def normalise_footnote_ref(ref: str) -> str:
    """A footnote reference in its one written form: ``"(11+12)"`` → ``"11 + 12"``."""
    text = (ref or "").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if not text:
        return ""
    if not FOOTNOTE_REF_RE.match(text):
        raise ValueError("Skriv fodnotens nummer, f.eks. 12, 17b eller 11 + 12.")
    numbers = split_footnote_ref(text)
    return " + ".join(dict.fromkeys(numbers))


def strip_footnote_markers(name: str) -> tuple[str, str]:
    """Split LBF's ``"Boligsocial medarbejder 2 (13), deltid"`` into name and footnote reference.

    Returns ``("Boligsocial medarbejder 2, deltid", "13")``. Markers are parentheses holding only
    footnote numbers, so ``"Kommunal facilitering (1,9 %)"`` keeps its parenthesis.
    """
    numbers: list[str] = []
    for match in FOOTNOTE_IN_NAME_RE.finditer(name):
        numbers.extend(split_footnote_ref(match.group(1)))
    if not numbers:
        return " ".join(name.split()), ""
    cleaned = FOOTNOTE_IN_NAME_RE.sub(" ", name)
    cleaned = re.sub(r"\s+([,.;:])", r"\1", " ".join(cleaned.split()))
    return cleaned, " + ".join(dict.fromkeys(numbers))


def name_with_footnote(name: str, footnote: str) -> str:
    """The inverse of ``strip_footnote_markers`` as the sheet prints it: ``"Revision (7)"``."""
    return f"{name} ({footnote})" if footnote else name


def normalise_amounts(amounts: Mapping[Any, Any] | None) -> dict[str, int]:
    """Year → whole thousands, keys as strings in year order, zero years left out.

    Raises ``ValueError`` (Danish message) for a year that is not a year or an amount that is not a
    non-negative whole number.
    """
    result: dict[int, int] = {}
    for year, amount in (amounts or {}).items():
        try:
            year_number = int(str(year))
        except ValueError as exc:
            raise ValueError(f"»{year}« er ikke et årstal.") from exc
        if not 1900 <= year_number <= 2200:
            raise ValueError(f"»{year}« er ikke et årstal.")
        if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
            raise ValueError(f"Beløbet for {year_number} skal være et helt antal tusinde kroner.")
        if amount != int(amount):
            raise ValueError(f"Beløbet for {year_number} skal være et helt antal tusinde kroner.")
        if amount < 0:
            raise ValueError(f"Beløbet for {year_number} må ikke være negativt.")
        if int(amount):
            result[year_number] = result.get(year_number, 0) + int(amount)
    return {str(year): result[year] for year in sorted(result)}


@dataclass
class Figures:
    """Yearly amounts and financing of a line, a section or a whole budget (t.kr.)."""

    amounts: dict[int, int] = field(default_factory=dict)
    lbf: int = 0
    bo_cash: int = 0
    bo_hours: int = 0
    kom_cash: int = 0
    kom_hours: int = 0
    other: int = 0

    @classmethod
    def of(cls, line: Any) -> Figures:
        """Figures of anything with ``amounts`` (year → amount) and the financing attributes."""
        return cls(
            amounts={int(year): int(amount) for year, amount in dict(line.amounts).items()},
            **{name: int(getattr(line, name)) for name in FINANCING_FIELDS},
        )

    @classmethod
    def sum(cls, items: Iterable[Figures]) -> Figures:
        total = cls()
        for item in items:
            total.add(item)
        return total

    def add(self, other: Figures) -> None:
        for year, amount in other.amounts.items():
            self.amounts[year] = self.amounts.get(year, 0) + amount
        for name in FINANCING_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def amount(self, year: int) -> int:
        return self.amounts.get(year, 0)

    def amounts_for(self, years: Iterable[int]) -> list[int]:
        return [self.amounts.get(year, 0) for year in years]

    @property
    def financing(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FINANCING_FIELDS}

    @property
    def total(self) -> int:
        """Samlede udgifter: the sum of the yearly amounts."""
        return sum(self.amounts.values())

    @property
    def cofinancing(self) -> int:
        """Samlet (lokal) medfinansiering: everything not paid by LBF."""
        return sum(getattr(self, name) for name in COFINANCING_FIELDS)

    @property
    def financing_total(self) -> int:
        return self.lbf + self.cofinancing

    @property
    def balance(self) -> int:
        """Samlede udgifter minus finansiering: must be 0."""
        return self.total - self.financing_total

    @property
    def housing_total(self) -> int:
        return self.bo_cash + self.bo_hours

    @property
    def municipality_total(self) -> int:
        return self.kom_cash + self.kom_hours

    @property
    def cofinancing_percent(self) -> Decimal | None:
        return cofinancing_percent(cofinancing=self.cofinancing, total=self.total)


def cofinancing_percent(*, cofinancing: int, total: int, decimals: int = 1) -> Decimal | None:
    """Medfinans. % = (everything not LBF) / Samlede udgifter, rounded half up; None for 0 kr."""
    if not total:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return (Decimal(cofinancing) * 100 / Decimal(total)).quantize(quantum, rounding=ROUND_HALF_UP)


def to_kroner(thousands: int) -> int:
    """Budget amounts are thousands of kroner; documents speak kroner."""
    return int(thousands) * 1000
