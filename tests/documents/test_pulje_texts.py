"""LBF's standard texts of a pulje: printed in the samarbejdsaftale (PDF and Word) where LBF's template has
them, once, before the plan's own text; part of the approved content; a pulje without them prints as before."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document as read_docx

from agreements.demo import load_reference
from agreements.models import DocumentKind, Plan, PuljeText, StrategicAgreement
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.state import document_state
from helhedsplan.documents import builders, pdf, word
from helhedsplan.documents import services as document_services
from tests.agreements.workspace_data import build_workspace
from tests.documents.helpers import normalize, pdf_pages

pytestmark = pytest.mark.django_db

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"
#: (heading, the start of LBF's text under it, the start of what follows it in the Slagelse plan)
PLACES = (
    ("Aftaledokumenter", "Som grundlag for aftaledokumenterne henvises", "1. Kort om boligområdet"),
    ("3. Organisering", "Parterne bag den strategiske samarbejdsaftale skal etablere",
     "Med midler fra 2015-18 puljen"),
    ("5. Overordnede mål og indikatorer for den boligsociale indsats",
     "Landsbyggefonden har med afsæt i lovgivningen", "Mål Indikator"),
    ("6. Indsatsområder", "De fastlagte indsatsområder, som den boligsociale indsats",
     "Uddannelse og livschancer Problemkompleks for indsatsområdet"),
)


def _in_order(text: str, *parts: str) -> bool:
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


def _docx_text(plan: Plan) -> str:
    document = read_docx(io.BytesIO(word.render_docx(builders.samarbejdsaftale_document(plan=plan))))
    lines = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines += [cell.text for row in block.rows for cell in row.cells]
        else:
            lines.append(block.text)
    return normalize(" ".join(lines))


def test_the_reference_texts_are_lbfs_and_loaded_for_the_2019_26_pulje():
    reference = {pulje["code"]: pulje.get("texts", []) for pulje in json.loads(REFERENCE.read_text())["puljer"]}
    assert [text["key"] for text in reference["2019-26"]] == list(PuljeText.Key.values)
    assert reference["2015-18"] == reference["2011-14"] == []
    stored = dict(PuljeText.objects.filter(pulje__code="2019-26").values_list("key", "text"))
    assert stored == {text["key"]: text["text"] for text in reference["2019-26"]}
    assert "- En milepælsplan\n\nDer skal tillige uploades et kommissorium" in stored["aftaledokumenter"]


def test_load_reference_adds_a_missing_text_and_keeps_an_administrators_edit():
    organisation = PuljeText.objects.get(pulje__code="2019-26", key=PuljeText.Key.SECTION_3)
    organisation.text = "Rettet af administrator."
    organisation.save()
    PuljeText.objects.filter(pulje__code="2019-26", key=PuljeText.Key.SECTION_6).delete()
    load_reference()
    assert PuljeText.objects.get(pk=organisation.pk).text == "Rettet af administrator."
    assert PuljeText.objects.get(pulje__code="2019-26", key=PuljeText.Key.SECTION_6).text.startswith(
        "De fastlagte indsatsområder")


def test_the_demo_samarbejdsaftale_prints_each_standard_text_once_where_lbf_places_it():
    plan = Plan.objects.get(slug="en-faelles-indsats")
    document = builders.samarbejdsaftale_document(plan=plan)
    for text in (normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html())))), _docx_text(plan)):
        for heading, standard, following in PLACES:
            assert _in_order(text, heading, standard, following), heading
            assert text.count(standard) == 1, standard
        assert text.count("En milepælsplan") == 1  # LBF's list, not repeated from the plan
        assert "driftsstøttesystemet ([anonymiseret webadresse])" in text
        assert "Som grundlag for aftaledokumenterne henvises til gældende regulativ om tilskud til boligsocial " \
               "indsats i udsatte almene boligafdelinger og fondens vejledning herom. Det er et krav" in text


def test_a_pulje_without_standard_texts_prints_as_before():
    plan = Plan.objects.get(slug="bispebjerg-udsatte-grupper")
    plan.document_kind = DocumentKind.LBF  # the demo plan is a contract; its pulje has no texts
    assert not PuljeText.objects.filter(pulje=plan.pulje).exists()
    html = builders.samarbejdsaftale_document(plan=plan).render_html()
    assert "Konkrete aftaler om specifikke aktiviteter mellem den boligsociale indsats og de lokale kommunale " \
           "institutioner, foreninger eller andre aktører fastlægges i særskilte delaftaler" in html
    assert "Parterne bag den strategiske samarbejdsaftale" not in html
    assert "Landsbyggefonden har med afsæt i lovgivningen" not in html
    text = _docx_text(plan)
    assert word.AGREEMENT_DOCUMENTS_TEXT[1] in text
    assert "De fastlagte indsatsområder" not in text


def test_a_standard_text_changed_by_an_administrator_leaves_approved_samarbejdsaftaler_approved():
    """LBF's wording is not the bestyrelse's decision: existing approvals stay valid when it changes."""
    ws = build_workspace()
    workflow.document_submit(document=ws.strategic, by=ws.secretary)
    document_services.document_approve(document=ws.strategic, by=ws.board, meeting_date=date(2024, 4, 2),
                                       referat="Referat pkt. 2")
    agreement = StrategicAgreement.objects.get(pk=ws.strategic.pk)
    assert document_state(agreement).is_approved
    text = PuljeText.objects.get(pulje=ws.plan.pulje, key=PuljeText.Key.SECTION_5)
    text.text = text.text + " Ny sætning fra LBF."
    text.save()
    assert document_state(agreement).is_approved
    agreement.section_2_vision = "Ændret af sekretariatet."
    agreement.save()
    assert not document_state(agreement).is_approved
