"""Rendering reuses one font configuration per process, embeds the shipped font and pauses the garbage
collector only while it renders."""

import gc

import pytest
from django.templatetags.static import static

from agreements import pdf
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
