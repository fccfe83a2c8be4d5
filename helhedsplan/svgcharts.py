"""What every server-rendered chart shares: pygal's style, its stylesheet and the clean-up of its SVG.

Charts are shown in the browser and embedded in the WeasyPrint PDFs, so each SVG is self-contained
and deterministic: no JavaScript (pygal's tooltip script and its config ``<script>`` are removed, and
with them the tooltip data and box that only the script used), no external stylesheets or fonts (the
CSS is inlined in the SVG's ``<style>``: pygal's base.css with the fonts plus ``chart.css``), no
comments (pygal's carry today's date), and an accessible title instead of pygal's "Pygal".
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from pygal.etree import etree as pygal_etree

# pygal builds its SVG with lxml when lxml is installed (python-docx brings it) and with the standard
# library otherwise; the two serialise differently (lxml declares the unused xlink namespace). Charts
# are built with the standard library always, so they are the same on every machine.
pygal_etree.to_etree()

#: pygal CSS template used instead of pygal's style.css and graph.css (see the file).
CHART_CSS = Path(__file__).resolve().with_name("chart.css")
#: What pygal adds for its tooltip script only: the data of each point and the (hidden) tooltip box.
SCRIPT_ONLY_TAGS = {"desc"}
SCRIPT_ONLY_CLASSES = {"tooltip-overlay"}

FONT_FAMILY = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"

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


def chart_options(*, width: int, height: int, value_formatter, legend_columns: int) -> dict:
    """The pygal options every chart shares: self-contained SVG at a fixed size, values printed on top,
    the legend below, no title of pygal's own (``titled`` adds an accessible one)."""
    return dict(width=width, height=height, js=[], css=[f"file://{CHART_CSS}"], disable_xml_declaration=True,
                explicit_size=True, print_values=True, print_values_position="top", value_formatter=value_formatter,
                legend_at_bottom=True, legend_at_bottom_columns=legend_columns, truncate_legend=-1,
                show_y_guides=True, margin=12, title=None)


def self_contained(root: ElementTree.Element) -> ElementTree.Element:
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


def titled(root: ElementTree.Element, text: str) -> ElementTree.Element:
    """The SVG's accessible title is ``text`` (pygal would say "Pygal")."""
    for child in root:
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "title":
            child.text = text
    return root
