"""The PDF renderer fetches nothing but the project's own static files."""

import io
import socket

import pytest
from pypdf import PdfReader

from helhedsplan.documents import builders as documents
from helhedsplan.documents import pdf
from helhedsplan.documents.pdf import DOCUMENT_BASE_URL, StaticFilesURLFetcher, static_file_for_url
from tests.documents.helpers import normalize, pdf_pages
from tests.factories.agreements import ActivityFactory, StrategicAgreementFactory

STATIC = DOCUMENT_BASE_URL + "static/"
PASSWD_MARKER = "root:x:0:0"


@pytest.fixture
def listener():
    """A local TCP port that records whether anybody connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def connections(server) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def payloads(port: int) -> str:
    return (
        'Se <img src="file:///etc/passwd"> og <link rel="attachment" href="file:///etc/passwd">\n'
        f'- <img src="http://127.0.0.1:{port}/spor.png"> http://127.0.0.1:9/ '
        f'<a rel="attachment" href="http://127.0.0.1:{port}/a.txt">bilag</a>\n\n'
        f'<style>@import url("http://127.0.0.1:{port}/x.css");</style>'
        '<svg><image href="file:///etc/passwd"/></svg>'
    )


def assert_nothing_leaked(content: bytes):
    reader = PdfReader(io.BytesIO(content))
    assert reader.attachments == {}
    assert b"/EmbeddedFile" not in content
    assert PASSWD_MARKER.encode() not in content
    assert all(PASSWD_MARKER not in text for text in pdf_pages(content))


@pytest.mark.parametrize("url", [
    STATIC + "documents/print.css",
    STATIC + "fonts/Carlito-Regular.ttf",
    STATIC + "fonts/Carlito-Bold.ttf",
])
def test_project_static_files_are_served(url):
    path = static_file_for_url(url)
    assert path is not None and path.is_file()
    response = StaticFilesURLFetcher().fetch(url)
    assert response.read() == path.read_bytes()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/",
    "https://example.com/static/documents/print.css",
    "data:text/plain;base64,cm9vdDp4OjA6MA==",
    STATIC + "../../../../etc/passwd",
    STATIC + "%2e%2e/%2e%2e/manage.py",
    STATIC + "documents/../../manage.py",
    STATIC + "documents//print.css",
    STATIC + "fonts/OFL.txt",  # a static file, but not a kind documents load
    STATIC + "documents/print.css?x=1",
    STATIC + "documents/missing.css",
    DOCUMENT_BASE_URL + "admin/",
])
def test_everything_else_is_refused(url):
    fetcher = StaticFilesURLFetcher()
    assert static_file_for_url(url) is None
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_raw_html_with_references_gets_nothing(listener):
    """Even markup that reached WeasyPrint unescaped cannot fetch or attach anything."""
    port = listener.getsockname()[1]
    fetcher = StaticFilesURLFetcher()
    html = f"""<html><head><link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head>
      <body><p>Tekst</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/a.png">
      <img src="http://127.0.0.1:9/"><a rel="attachment" href="file:///etc/passwd">x</a>
      <iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>
      <img src="data:image/svg+xml;utf8,&lt;svg xmlns='http://www.w3.org/2000/svg'/&gt;"></body></html>"""
    content = pdf.render_pdf(html, url_fetcher=fetcher)
    assert content.startswith(b"%PDF")
    assert_nothing_leaked(content)
    assert connections(listener) == 0
    assert "file:///etc/passwd" in fetcher.refused
    assert f"http://127.0.0.1:{port}/a.png" in fetcher.refused
    assert "http://127.0.0.1:9/" in fetcher.refused
    assert all(url in fetcher.refused for url in fetcher.requested)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(documents.DOCUMENT_KINDS))
def test_plan_texts_with_references_are_printed_as_text_and_fetch_nothing(kind, listener):
    port = listener.getsockname()[1]
    text = payloads(port)
    activity = ActivityFactory(name="Lektiecafé <img src=x>", purpose=text, content=text)
    plan = activity.sub_agreement.plan
    StrategicAgreementFactory(plan=plan, section_1_area=text, section_8_revision=text)
    activity.sub_agreement.revision = text
    activity.sub_agreement.save()

    document = documents.build_document(plan=plan, kind=kind, area_slug=activity.sub_agreement.focus_area.slug)
    fetcher = StaticFilesURLFetcher()
    content = pdf.render_pdf(document.render_html(), url_fetcher=fetcher)

    assert fetcher.refused == []
    assert all(url.startswith(STATIC) for url in fetcher.requested)
    assert connections(listener) == 0
    assert_nothing_leaked(content)
    whole = normalize(" ".join(pdf_pages(content)))
    if kind in (documents.DELAFTALE, documents.SAMLET):
        assert "Lektiecafé <img src=x>" in whole
    if kind not in (documents.BUDGET, documents.OKONOMIOPFOLGNING):  # these two print no plan texts
        assert '<img src="file:///etc/passwd">' in whole
        assert '<link rel="attachment" href="file:///etc/passwd">' in whole


def test_with_production_static_files_the_documents_find_their_hashed_stylesheet(settings, tmp_path):
    """Production's manifest storage names files by their hash; the PDF still gets its print stylesheet."""
    from django.core.management import call_command
    from django.templatetags.static import static

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)

    hashed = static("documents/print.css")
    assert hashed != "/static/documents/print.css"  # the manifest's name
    found = static_file_for_url(DOCUMENT_BASE_URL + hashed.lstrip("/"))
    assert found is not None and found.parent == settings.STATIC_ROOT / "documents"
    assert "@page" in found.read_text(encoding="utf-8")
