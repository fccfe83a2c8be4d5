"""Charts of an indicator's development: server-rendered SVG made with pygal.

The same SVG is shown in the browser and embedded in the WeasyPrint PDFs, so it is
self-contained and deterministic (``helhedsplan.svgcharts``):

- the chart id comes from the indicator's id (pygal would use a random uuid) and pygal's comments,
  which carry today's date, are removed — the same data always gives the same bytes;
- values are printed on the points, in Danish number format, so the chart reads without hovering.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import pygal
from pygal.style import Style

from helhedsplan.formatting import format_number
from helhedsplan.svgcharts import STYLE_OPTIONS, chart_options, self_contained, titled

from .models import Indicator, IndicatorValue, Unit, format_with_unit

VALUE_COLOUR, BASELINE_COLOUR, OTHER_COLOUR, TARGET_COLOUR = "#0b5f8a", "#6b7785", "#d08c00", "#2e8b57"
VALUE_LABEL = "Værdi"

Y_TITLES = {Unit.PERCENT: "%", Unit.COUNT: "Antal", Unit.GRADE: "Karaktergennemsnit", Unit.SCORE: "Score"}


def _blank(_value) -> str:
    return ""


def _danish(value) -> str:
    return "" if value is None else format_number(Decimal(str(value)).quantize(Decimal("0.01")))


def _numbers(indicator: Indicator,
             values: Mapping[int, Decimal | None] | Iterable[IndicatorValue] | None) -> dict[int, Decimal | None]:
    if values is None:
        values = IndicatorValue.objects.filter(indicator=indicator)
    if isinstance(values, Mapping):
        return {int(year): value for year, value in values.items()}
    return {value.year: value.value for value in values}


def indicator_chart_svg(indicator: Indicator,
                        values: Mapping[int, Decimal | None] | Iterable[IndicatorValue] | None = None,
                        *, years: list[int] | None = None, width: int = 640, height: int = 360) -> str:
    """The indicator's values by year, with its baseline, other baseline and target as lines.

    ``values``: year → number (or IndicatorValue objects); read from the database when omitted.
    ``years``: the x axis (default: the plan's years plus any year holding a value).
    Returns an ``<svg>`` element as text, ready to embed in HTML.
    """
    numbers = _numbers(indicator, values)
    if years is None:
        years = sorted(set(indicator.plan.years) | {y for y, v in numbers.items() if v is not None})
    series: list[tuple[str, list[float | None], str, dict]] = [
        (VALUE_LABEL, [float(numbers[y]) if numbers.get(y) is not None else None for y in years], VALUE_COLOUR, {}),
    ]
    flat = {"show_dots": False, "formatter": _blank}
    if indicator.baseline_area_value is not None:
        year = f" ({indicator.baseline_year})" if indicator.baseline_year else ""
        label = f"Baseline{year}: {format_with_unit(indicator.baseline_area_value, indicator.unit)}"
        series.append((label, [float(indicator.baseline_area_value)] * len(years), BASELINE_COLOUR,
                       {"stroke_style": {"dasharray": "8, 5"}, **flat}))
    if indicator.baseline_other_value is not None:
        who = indicator.baseline_other_label or "Anden baseline"
        label = f"{who}: {format_with_unit(indicator.baseline_other_value, indicator.unit)}"
        series.append((label, [float(indicator.baseline_other_value)] * len(years), OTHER_COLOUR,
                       {"stroke_style": {"dasharray": "2, 4"}, **flat}))
    if indicator.target_value is not None and not indicator.monitoring:
        label = f"Mål: {format_with_unit(indicator.target_value, indicator.unit)}"
        series.append((label, [float(indicator.target_value)] * len(years), TARGET_COLOUR,
                       {"stroke_style": {"dasharray": "12, 4"}, **flat}))
    chart = pygal.Line(
        style=Style(colors=tuple(colour for _, _, colour, _ in series), **STYLE_OPTIONS),
        y_title=Y_TITLES.get(indicator.unit, ""),
        no_data_text="Ingen værdier endnu",
        dots_size=4,
        # pygal reserves too little room for several legend columns on a line chart
        **chart_options(width=width, height=height, value_formatter=_danish, legend_columns=1),
    )
    chart.uuid = f"indikator-{indicator.pk or 'ny'}"
    chart.x_labels = [str(year) for year in years]
    for label, points, _, options in series:
        chart.add(label, points, **options)
    chart.add_xml_filter(self_contained)
    chart.add_xml_filter(lambda root: titled(root, indicator.text))
    return chart.render(is_unicode=True)
