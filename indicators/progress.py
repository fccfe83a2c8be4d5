"""Progress of an indicator: towards its target, or versus its baselines when it is monitored.

Pure functions over an ``Indicator`` and its values by year; no queries.

- With a target value: the share of the way from the baseline to the target (from 0 when there is no
  baseline) and whether the target is reached; "lower is better" indicators (sigtede, restgruppen)
  reach their target by going below it.
- Without a target (monitorering): the change since the baseline, judged by the indicator's
  direction, and the gap to the other baseline (e.g. the kommune) now versus at baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from helhedsplan.formatting import format_number

if TYPE_CHECKING:
    from .models import Indicator

REACHED = "reached"
IMPROVING = "improving"
WORSENING = "worsening"
UNCHANGED = "unchanged"
NO_VALUE = "no_value"
NO_BASELINE = "no_baseline"
BETTER_THAN_OTHER = "better_than_other"
WORSE_THAN_OTHER = "worse_than_other"

STATUS_LABELS = {
    REACHED: "Mål nået",
    IMPROVING: "Forbedring",
    WORSENING: "Forværring",
    UNCHANGED: "Uændret",
    NO_VALUE: "Ingen værdier",
    NO_BASELINE: "Ingen baseline",
    BETTER_THAN_OTHER: "Bedre end sammenligningen",
    WORSE_THAN_OTHER: "Dårligere end sammenligningen",
}


@dataclass(frozen=True)
class Progress:
    status: str
    text: str
    year: int | None = None
    value: Decimal | None = None
    change: Decimal | None = None              # latest value − baseline (boligområde)
    share_of_target: Decimal | None = None     # 0 at baseline, 1 at the target (may exceed 1 or go below 0)
    gap_other: Decimal | None = None           # latest value − other baseline
    gap_other_at_baseline: Decimal | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def percent_of_target(self) -> Decimal | None:
        if self.share_of_target is None:
            return None
        return (self.share_of_target * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _amount(value: Decimal, unit: str) -> str:
    """A difference in the indicator's unit: percentage points for % indicators."""
    text = format_number(abs(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return f"{text} procentpoint" if unit == "%" else text


def _better(change: Decimal, lower_is_better: bool) -> bool:
    return change < 0 if lower_is_better else change > 0


def latest_value(values: dict[int, Decimal | None]) -> tuple[int, Decimal] | None:
    numeric = [(year, value) for year, value in values.items() if value is not None]
    return max(numeric) if numeric else None


def indicator_progress(*, indicator: Indicator, values: dict[int, Decimal | None]) -> Progress:
    """The indicator's progress judged on its latest numeric value (``values``: year → value)."""
    latest = latest_value(values)
    if latest is None:
        return Progress(NO_VALUE, "Ingen værdier registreret endnu.")
    year, value = latest
    baseline = indicator.baseline_area_value
    other = indicator.baseline_other_value
    lower = indicator.lower_is_better
    unit = indicator.unit
    change = value - baseline if baseline is not None else None
    gap_other = value - other if other is not None else None
    gap_at_baseline = baseline - other if (other is not None and baseline is not None) else None

    if indicator.target_value is not None and not indicator.monitoring:
        return _towards_target(indicator, year, value, baseline, change, gap_other, gap_at_baseline)

    parts: list[str] = []
    if change is None:
        status = NO_BASELINE
        parts.append(f"{year}: {format_number(value)}; ingen baseline at sammenligne med.")
    elif change == 0:
        status = UNCHANGED
        parts.append(f"{year}: uændret siden baseline.")
    elif _better(change, lower):
        status = IMPROVING
        parts.append(f"{year}: forbedret med {_amount(change, unit)} siden baseline.")
    else:
        status = WORSENING
        parts.append(f"{year}: forværret med {_amount(change, unit)} siden baseline.")
    if gap_other is not None:
        label = indicator.baseline_other_label or "anden baseline"
        where = "over" if gap_other > 0 else "under"
        if gap_other == 0:
            parts.append(f"På niveau med {label}.")
        else:
            sentence = f"{_amount(gap_other, unit)} {where} {label}"
            if gap_at_baseline is not None:
                sentence += f" (ved baseline {_amount(gap_at_baseline, unit)})"
            parts.append(sentence + ".")
        if status == NO_BASELINE and gap_other != 0:
            # Without an own baseline, judge the level against the other baseline (e.g. the kommune).
            status = BETTER_THAN_OTHER if _better(gap_other, lower) else WORSE_THAN_OTHER
    return Progress(status, " ".join(parts), year, value, change, None, gap_other, gap_at_baseline)


def _towards_target(indicator: Indicator, year: int, value: Decimal, baseline: Decimal | None,
                    change: Decimal | None, gap_other: Decimal | None,
                    gap_at_baseline: Decimal | None) -> Progress:
    target = indicator.target_value
    lower = indicator.lower_is_better
    # Without a baseline, counting indicators (aktivitetsnære) start from zero.
    start = baseline if baseline is not None else (None if lower else Decimal(0))
    share = (value - start) / (target - start) if start is not None and target != start else None
    reached = value <= target if lower else value >= target
    target_text = format_number(target)
    if reached:
        status = REACHED
    elif change is not None:
        status = UNCHANGED if change == 0 else (IMPROVING if _better(change, lower) else WORSENING)
    elif share is not None:
        status = IMPROVING if share > 0 else UNCHANGED
    else:
        status = NO_BASELINE
    if reached:
        text = f"{year}: målet ({target_text}) er nået med {format_number(value)}."
    elif share is not None:
        percent = (share * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        text = (f"{year}: {format_number(value)}, {format_number(percent)} % af vejen fra baseline "
                f"til målet ({target_text}).")
    else:
        text = f"{year}: {format_number(value)}; målet er {target_text}."
    return Progress(status, text, year, value, change, share, gap_other, gap_at_baseline)
