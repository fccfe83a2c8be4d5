"""Charts: self-contained, deterministic SVG with the values, the baseline and the target."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from indicators.charts import BASELINE_COLOUR, VALUE_COLOUR, indicator_chart_svg
from tests.factories.agreements import PlanFactory, SubAgreementFactory
from tests.factories.indicators import ActivityIndicatorFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.fixture
def plan():
    return PlanFactory(start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))


def test_chart_shows_values_by_year_baselines_and_target(plan):
    indicator = ActivityIndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan),
                                         baseline_area_value=D(5), baseline_year="2021")
    IndicatorValueFactory(indicator=indicator, year=2022, value=D(18))
    IndicatorValueFactory(indicator=indicator, year=2024, value=D("31.5"))
    svg = indicator_chart_svg(indicator)
    labels = texts(svg)
    assert {"2022", "2023", "2024", "2025"} <= set(labels)
    assert "18" in labels and "31,5" in labels  # printed on the points, Danish decimals
    assert "Baseline (2021): 5" in labels
    assert "Mål: 40" in labels
    assert "Antal" in labels  # y axis title from the unit


def test_monitored_percentage_chart_has_the_other_baseline_and_no_target(plan):
    indicator = IndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan),
                                 baseline_area_value=D("5.1"), baseline_other_value=D("3.0"),
                                 baseline_other_label="Slagelse Kommune", lower_is_better=True)
    svg = indicator_chart_svg(indicator, {2022: D("4.8"), 2023: D("4.6")})
    labels = texts(svg)
    assert "4,8" in labels and "4,6" in labels
    assert "Baseline (2019): 5,1 %" in labels
    assert "Slagelse Kommune: 3 %" in labels
    assert not any(label.startswith("Mål") for label in labels)


def test_chart_is_self_contained_and_deterministic(plan):
    indicator = IndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan))
    values = {2022: D(81), 2023: D(84)}
    svg = indicator_chart_svg(indicator, values)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<script" not in svg and "<!--" not in svg
    assert "href" not in svg and "@import" not in svg and "url(" not in svg
    assert re.findall(r"https?://[^\"' ]+", svg) == ["http://www.w3.org/2000/svg"]  # the namespace only
    assert f'id="chart-indikator-{indicator.pk}"' in svg
    assert f"<title>{indicator.text}</title>" in svg and "Pygal" not in svg
    assert indicator_chart_svg(indicator, values) == svg
    other = IndicatorFactory(sub_goal=indicator.sub_goal)
    assert f"chart-indikator-{other.pk}" in indicator_chart_svg(other, values)


def test_chart_carries_only_what_a_printed_line_chart_uses(plan):
    indicator = ActivityIndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan),
                                         baseline_area_value=D(5))
    svg = indicator_chart_svg(indicator, {2022: D(18), 2023: D(31)})
    # The point data and the hidden box of pygal's tooltip script (which is removed) are left out …
    assert "<desc" not in svg and "tooltip-overlay" not in svg
    # … and the stylesheet has no rules for other chart types or scripted states,
    style = re.search(r"<style[^>]*>(.*)</style>", svg, flags=re.S).group(1)
    for unused in ("map-element", "gauge", ".ci", ".tooltip rect", "y2", ".active", "subtle-fill"):
        assert unused not in style
    # but still colours and dashes the lines, hides the x guides and keeps the hover effects.
    assert f"stroke:{VALUE_COLOUR};fill:{VALUE_COLOUR}" in style
    assert f"stroke:{BASELINE_COLOUR};fill:{BASELINE_COLOUR}" in style and "stroke-dasharray:8,5" in style
    assert ".vertical .axis.x .guide.line{opacity:0}" in style
    assert ".axis.x .guides:hover .guide.line{opacity:1}" in style


def test_chart_without_values_still_renders(plan):
    indicator = IndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan), baseline_area_value=None,
                                 baseline_other_value=None)
    svg = indicator_chart_svg(indicator, {})
    assert "Ingen værdier endnu" in texts(svg)


def test_user_text_in_labels_is_escaped(plan):
    indicator = IndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan),
                                 baseline_other_label="<script>alert(1)</script> & Co")
    svg = indicator_chart_svg(indicator, {2022: D(1)})
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co: 90 %" in svg


def test_weasyprint_embeds_the_chart_with_its_text(plan, tmp_path):
    import weasyprint

    indicator = ActivityIndicatorFactory(sub_goal__sub_agreement=SubAgreementFactory(plan=plan))
    svg = indicator_chart_svg(indicator, {2022: D(18), 2023: D(31)})
    html = f"<html><body><h1>Opfølgning</h1><div style='width: 16cm'>{svg}</div></body></html>"
    pdf = tmp_path / "chart.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    text = PdfReader(pdf).pages[0].extract_text()
    for expected in ("Opfølgning", "2022", "2025", "31", "Mål: 40", "Værdi"):
        assert expected in text
