"""Budget against forbrug as bar charts: server-rendered SVG made with pygal (see ``helhedsplan.svgcharts``).

One chart per section of the budget and one for the total: per year a bar for the budget and one for
the forbrug, the amounts (t.kr.) printed on the bars so the chart reads without hovering. A year
without registered forbrug has no forbrug bar (unknown, not zero). The same data always gives the
same bytes: the chart id comes from the section's key.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pygal
from pygal.style import Style

from helhedsplan.formatting import format_number
from helhedsplan.svgcharts import STYLE_OPTIONS, chart_options, self_contained, titled

BUDGET_COLOUR, SPENT_COLOUR = "#9fb3c8", "#0b5f8a"


def _danish(value) -> str:
    return "" if value is None else format_number(Decimal(str(value)).quantize(Decimal("0.1")))


def followup_chart_svg(*, key: str, title: str, years: list[int], row: Any, recorded: list[bool],
                       width: int = 640, height: int = 300) -> str:
    """Budget and forbrug per year of one section's (or the total's) ``row`` (``followup.Row``).

    ``recorded`` says per year whether forbrug is registered. Returns an ``<svg>`` element as text.
    """
    chart = pygal.Bar(
        style=Style(colors=(BUDGET_COLOUR, SPENT_COLOUR), **STYLE_OPTIONS),
        y_title="t.kr.",
        no_data_text="Intet budget",
        **chart_options(width=width, height=height, value_formatter=_danish, legend_columns=2),
    )
    chart.uuid = "forbrug-" + re.sub(r"[^a-z0-9-]", "-", key.lower())
    chart.x_labels = [str(year) for year in years]
    chart.add("Budget", [float(comparison.budget) for comparison in row.years])
    chart.add("Forbrug", [float(comparison.spent) if seen else None
                          for comparison, seen in zip(row.years, recorded, strict=True)])
    chart.add_xml_filter(self_contained)
    chart.add_xml_filter(lambda root: titled(root, title))
    return chart.render(is_unicode=True)


def followup_charts(followup: dict[str, Any]) -> list[dict[str, Any]]:
    """The charts of a follow-up: the total first, then each section with lines (``title`` and ``svg``,
    the SVG as plain text: mark it safe where it is embedded)."""
    years = followup["years"]
    recorded = [state["recorded"] for state in followup["year_states"]]
    charts = [{"title": "Hele budgettet", "svg": followup_chart_svg(
        key="total", title="Budget og forbrug pr. år, hele budgettet", years=years, row=followup["total"],
        recorded=recorded)}]
    for section in followup["sections"]:
        if not section["lines"]:
            continue
        charts.append({"title": section["heading"], "svg": followup_chart_svg(
            key=section["key"], title=f"Budget og forbrug pr. år, {section['heading']}", years=years,
            row=section["sum"], recorded=recorded)})
    return charts
