"""Bilag in the documents: the organisationsdiagram is printed in section 3 of the samarbejdsaftale (PDF and
Word), the PDF bilag are listed by title and appended after the samlet plan's own pages."""

from __future__ import annotations

import io

import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from agreements.models import Attachment
from helhedsplan.documents import builders, pdf, word
from tests import attachment_files as files
from tests.agreements.workspace_data import build_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ws(db):
    workspace = build_workspace()
    workspace.strategic.section_3_organisation = "Bestyrelsen leder indsatsen; sekretariatet udfører den."
    workspace.strategic.save()
    return workspace


def image_objects(content: bytes) -> set[tuple]:
    """The distinct image objects of the PDF (WeasyPrint may list them in resources every page shares)."""
    return {(image.name, len(image.data)) for page in PdfReader(io.BytesIO(content)).pages for image in page.images}


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_organisationsdiagram_is_an_image_in_section_3_of_the_pdf(ws):
    without = builders.samarbejdsaftale_document(plan=ws.plan).render_pdf()
    files.attach(ws.plan, ws.secretary, kind=Attachment.Kind.ORGANISATION_DIAGRAM, title="Organisationsdiagram 2024",
                 content=files.png(600, 300))

    document = builders.samarbejdsaftale_document(plan=ws.plan)
    html = document.render_html()
    content = document.render_pdf(html)

    assert image_objects(without) == set()
    assert len(image_objects(content)) == 1
    text = text_of(content)
    assert text.index("3. Organisering") < text.index("Organisationsdiagram 2024") < text.index("4. Samspil")
    # The HTML names the picture by the access-checked download page, never a user's URL.
    attachment = Attachment.objects.get(plan=ws.plan)
    assert f'src="/planer/{ws.plan.slug}/bilag/{attachment.pk}/fil/?v={attachment.sha256[:16]}"' in html


def test_the_pdf_fetches_only_the_pictures_the_renderer_names(ws):
    files.attach(ws.plan, ws.secretary, kind=Attachment.Kind.ORGANISATION_DIAGRAM, title="Diagram")
    html = builders.samarbejdsaftale_document(plan=ws.plan).render_html()
    fetcher = pdf.StaticFilesURLFetcher()

    content = pdf.render_pdf(html, url_fetcher=fetcher)

    assert image_objects(content) == set()
    assert any("/bilag/" in url for url in fetcher.refused)


def test_an_approval_pdf_from_frozen_html_shows_the_diagram_it_was_approved_with(ws):
    files.attach(ws.plan, ws.secretary, kind=Attachment.Kind.ORGANISATION_DIAGRAM, title="Diagram")
    html = builders.samarbejdsaftale_document(plan=ws.plan).render_html()

    content = pdf.render_pdf(html, url_fetcher=pdf.StaticFilesURLFetcher(
        images=builders.plan_document_images(ws.plan)))

    assert len(image_objects(content)) == 1


def test_the_samlet_pdf_lists_the_bilag_and_has_their_pages_after_its_own(ws):
    before = PdfReader(io.BytesIO(builders.samlet_document(plan=ws.plan).render_pdf()))
    files.attach(ws.plan, ws.secretary, title="Kommissorium for bestyrelsen", content=files.pdf(2))
    files.attach(ws.plan, ws.secretary, title="Samarbejdsaftale med skolen", content=files.pdf(3),
                 sub_agreement=ws.sub_agreement)

    document = builders.samlet_document(plan=ws.plan)
    reader = PdfReader(io.BytesIO(document.render_pdf()))

    assert len(reader.pages) == len(before.pages) + 1 + 2 + 3  # the "Bilag" list, then the two files
    listing = reader.pages[len(before.pages)].extract_text()
    assert "Kommissorium for bestyrelsen" in listing and "Samarbejdsaftale med skolen" in listing
    assert all(page.extract_text().strip() == "" for page in reader.pages[-5:])  # the bilag's blank pages
    assert "Bilag" in reader.pages[1].extract_text()  # in the table of contents


def test_word_has_the_diagram_in_section_3_and_lists_the_bilag(ws):
    files.attach(ws.plan, ws.secretary, kind=Attachment.Kind.ORGANISATION_DIAGRAM, title="Organisationsdiagram")
    files.attach(ws.plan, ws.secretary, title="Kommissorium for bestyrelsen")
    files.attach(ws.plan, ws.secretary, title="Aftale med skolen", sub_agreement=ws.sub_agreement)

    samarbejdsaftale = read_docx(io.BytesIO(word.render_docx(builders.samarbejdsaftale_document(plan=ws.plan))))
    samlet = read_docx(io.BytesIO(word.render_docx(builders.samlet_document(plan=ws.plan))))
    delaftale = read_docx(io.BytesIO(word.render_docx(builders.delaftale_document(
        plan=ws.plan, area_slug=ws.sub_agreement.focus_area.slug))))

    assert len(samarbejdsaftale.inline_shapes) == 1
    texts = [paragraph.text for paragraph in samarbejdsaftale.paragraphs]
    section_3 = texts.index("3. Organisering")
    assert section_3 < texts.index("Organisationsdiagram") < texts.index("4. Samspil med centrale tiltag og "
                                                                          "indsatser i boligområdet")
    assert "Kommissorium for bestyrelsen" in texts
    samlet_texts = [paragraph.text for paragraph in samlet.paragraphs]
    assert "Bilag 1: Kommissorium for bestyrelsen" in samlet_texts
    assert any(text.startswith("Bilag 2: Aftale med skolen (delaftale for indsatsområdet") for text in samlet_texts)
    assert word.APPENDICES_IN_PDF in samlet_texts
    assert "Aftale med skolen" in [paragraph.text for paragraph in delaftale.paragraphs]
