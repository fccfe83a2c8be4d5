"""Rendering reuses one font configuration per process and embeds the shipped font."""

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
