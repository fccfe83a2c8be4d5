"""Rendering reuses one font configuration per process, embeds the shipped font and pauses the garbage
collector only while it renders; the print CSS keeps long words inside the margins."""

import gc

import pytest
import weasyprint
from django.templatetags.static import static
from weasyprint.formatting_structure.boxes import TextBox

from helhedsplan.documents import pdf
from tests.documents.helpers import pdf_fonts, pdf_pages

HTML = f"""<html lang="da"><head><link rel="stylesheet" href="{static('documents/print.css')}"></head>
<body><p class="doc-kicker">Plan</p><h1 class="doc-title" data-running-title="Prøve">Æblegrød på Ærø</h1>
<p>Øster Åby — <strong>fed</strong> <em>kursiv</em></p></body></html>"""


def test_fonts_are_loaded_once_per_process_and_embedded():
    first = pdf.StaticFilesURLFetcher()
    pdf.render_pdf(HTML, url_fetcher=first)
    config = pdf._shared_font_config()

    second = pdf.StaticFilesURLFetcher()
    content = pdf.render_pdf(HTML, url_fetcher=second)

    assert pdf._shared_font_config() is config
    assert [url for url in second.requested if url.endswith(".ttf")] == []
    assert second.refused == []
    assert pdf_fonts(content) == {"Helhedsplan-Carlito", "Helhedsplan-Carlito-Bold", "Helhedsplan-Carlito-Italic"}
    text = " ".join(pdf_pages(content))
    assert "Æblegrød på Ærø" in text and "Øster Åby" in text
    assert "Side 1 af 1" in text


class CollectorWatchingFetcher(pdf.StaticFilesURLFetcher):
    """Notes, each time WeasyPrint fetches a file (the print CSS at least), whether the collector is on."""

    def __init__(self):
        super().__init__()
        self.collector_enabled: list[bool] = []

    def fetch(self, url, headers=None):
        self.collector_enabled.append(gc.isenabled())
        return super().fetch(url, headers)


def test_garbage_collector_is_paused_while_rendering_and_restored_after():
    assert gc.isenabled()
    fetcher = CollectorWatchingFetcher()

    content = pdf.render_pdf(HTML, url_fetcher=fetcher)

    assert fetcher.collector_enabled and not any(fetcher.collector_enabled)
    assert gc.isenabled()
    assert "Æblegrød på Ærø" in " ".join(pdf_pages(content))


def test_garbage_collector_is_restored_when_rendering_fails():
    with pytest.raises(TypeError):
        pdf.render_pdf(None)  # WeasyPrint refuses a document without input, inside the paused block

    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        pdf.render_pdf(HTML)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_word_longer_than_the_line_is_broken_at_the_margin():
    word = "https://www.eksempel.dk/bilag/" + "_".join(f"nr{number:03d}" for number in range(40))
    html = HTML.replace("</body>", f'<div class="prose"><p>Se {word} for detaljer.</p></div></body>')
    document = weasyprint.HTML(string=html, base_url=pdf.DOCUMENT_BASE_URL,
                         url_fetcher=pdf.StaticFilesURLFetcher()).render(font_config=pdf._shared_font_config())

    page = document.pages[0]._page_box
    right_margin = page.margin_left + page.width  # the right edge of the page's content area
    pieces = [box for box in page.descendants() if isinstance(box, TextBox) and "nr0" in box.text]
    assert len(pieces) > 1  # the word is spread over several lines …
    assert word[-20:] in pieces[-1].text
    assert all(piece.position_x + piece.width <= right_margin + 0.01 for piece in pieces)  # … inside the margin
