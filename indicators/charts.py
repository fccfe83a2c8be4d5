"""Charts of an indicator's development: server-rendered SVG made with pygal.

The same SVG is shown in the browser and embedded in the WeasyPrint PDFs, so it is
self-contained and deterministic:

- no JavaScript (pygal's tooltip script and its config ``<script>`` are removed, and with them the
  tooltip data and box that only the script used), no external stylesheets or fonts (the CSS is
  inlined in the SVG's ``<style>``: pygal's base.css with the fonts plus ``chart.css``, the part of
  pygal's own sheets these charts use — every chart of a PDF carries it, so it is kept short);
- the chart id comes from the indicator's id (pygal would use a random uuid) and pygal's comments,
  which carry today's date, are removed — the same data always gives the same bytes;
- values are printed on the points, in Danish number format, so the chart reads without hovering.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from helhedsplan.formatting import format_number

from .models import Indicator, IndicatorValue, Unit, format_with_unit

#: pygal CSS template used instead of pygal's style.css and graph.css (see the file).
CHART_CSS = Path(__file__).resolve().with_name("chart.css")
#: What pygal adds for its tooltip script only: the data of each point and the (hidden) tooltip box.
SCRIPT_ONLY_TAGS = {"desc"}
SCRIPT_ONLY_CLASSES = {"tooltip-overlay"}

FONT_FAMILY = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"
VALUE_COLOUR, BASELINE_COLOUR, OTHER_COLOUR, TARGET_COLOUR = "#0b5f8a", "#6b7785", "#d08c00", "#2e8b57"
VALUE_LABEL = "Værdi"

STYLE_OPTIONS = dict(
    font_family=FONT_FAMILY,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2a38",
    foreground_strong="#1d2a38",
    foreground_subtle="#6b7785",
    opacity="1",
    opacity_hover="1",
    stroke_width="2.5",
    stroke_width_hover="2.5",
    stroke_opacity="1",
    stroke_opacity_hover="1",
    guide_stroke_color="#c9d0d8",
    major_guide_stroke_color="#c9d0d8",
    guide_stroke_dasharray="3,3",
    major_guide_stroke_dasharray="3,3",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
    value_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    no_data_font_size=16,
)

Y_TITLES = {Unit.PERCENT: "%", Unit.COUNT: "Antal", Unit.GRADE: "Karaktergennemsnit", Unit.SCORE: "Score"}


def _blank(_value) -> str:
    return ""


def _danish(value) -> str:
    return "" if value is None else format_number(Decimal(str(value)).quantize(Decimal("0.01")))


def _self_contained(root: ElementTree.Element) -> ElementTree.Element:
    """Drop pygal's scripts, what only they use, and comments (the comments carry the render date)."""
    for parent in list(root.iter()):
        for child in list(parent):
            # Comments and processing instructions have a callable tag (stdlib etree and lxml alike).
            if not isinstance(child.tag, str) or _only_for_scripts(child):
                parent.remove(child)
    return root


def _only_for_scripts(element: ElementTree.Element) -> bool:
    tag = element.tag.rsplit("}", 1)[-1]
    classes = set((element.get("class") or "").split())
    return tag == "script" or tag in SCRIPT_ONLY_TAGS or bool(classes & SCRIPT_ONLY_CLASSES)


def _titled(root: ElementTree.Element, text: str) -> ElementTree.Element:
    """The SVG's accessible title is the indicator (pygal would say "Pygal")."""
    for child in root:
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "title":
            child.text = text
    return root


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
        width=width,
        height=height,
        js=[],
        css=[f"file://{CHART_CSS}"],
        disable_xml_declaration=True,
        explicit_size=True,
        print_values=True,
        print_values_position="top",
        value_formatter=_danish,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,  # pygal reserves too little room for several columns
        truncate_legend=-1,
        show_y_guides=True,
        y_title=Y_TITLES.get(indicator.unit, ""),
        no_data_text="Ingen værdier endnu",
        margin=12,
        dots_size=4,
        title=None,
    )
    chart.uuid = f"indikator-{indicator.pk or 'ny'}"
    chart.x_labels = [str(year) for year in years]
    for label, points, _, options in series:
        chart.add(label, points, **options)
    chart.add_xml_filter(_self_contained)
    chart.add_xml_filter(lambda root: _titled(root, indicator.text))
    return chart.render(is_unicode=True)
