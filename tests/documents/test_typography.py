"""Typography of the demo documents, read back from the PDFs: Danish hyphenation in the narrow
table columns, numbers kept with their unit, and no placeholder for an empty section.

An *unhyphenated split* is two consecutive lines of the extracted text where the first ends in a word
fragment without a hyphen and the second starts with a fragment, such that the two joined form a
word of the document while the first fragment is not itself one: a word cut at the column edge.
"""

from __future__ import annotations

import html as html_lib
import io
import re

import pytest
from django.db import transaction
from pypdf import PdfReader

from agreements.demo import DEMO_PLAN_SLUGS
from agreements.models import Plan
from helhedsplan.documents import builders as documents
from helhedsplan.documents import pdf
from tests.factories.indicators import GoalFactory

pytestmark = pytest.mark.django_db

WORD = re.compile(r"[^\W\d_]+")
TRAILING = re.compile(r"([^\W\d_]+)$")
LEADING = re.compile(r"^([^\W\d_]+)")


def _words(html: str) -> set[str]:
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    return {word.lower() for word in WORD.findall(text)}


def unhyphenated_splits(lines: list[str], vocabulary: set[str]) -> list[str]:
    """Each ``first|second`` pair of lines that cuts a word without a hyphen (see the module doc)."""
    splits = []
    for first, second in zip(lines, lines[1:], strict=False):
        end, start = TRAILING.search(first.rstrip()), LEADING.match(second.lstrip())
        if not end or not start:
            continue
        head, tail = end.group(1).lower(), start.group(1).lower()
        if head + tail in vocabulary and head not in vocabulary:
            splits.append(f"{end.group(1)}|{start.group(1)}")
    return splits


def _lines(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [line for page in reader.pages for line in (page.extract_text() or "").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def delaftaler(django_db_setup, django_db_blocker):
    """[(name, html, extracted lines)] for every delaftale of every demo plan, then each samarbejdsaftale."""
    rendered = []
    with django_db_blocker.unblock(), transaction.atomic():
        plans = list(Plan.objects.filter(slug__in=DEMO_PLAN_SLUGS).select_related("pulje"))
        for plan in plans:
            for sub in plan.sub_agreements.select_related("focus_area"):
                html = documents.delaftale_document(plan=plan, area_slug=sub.focus_area.slug).render_html()
                rendered.append((f"{plan.slug}/{sub.focus_area.slug}", html, _lines(pdf.render_pdf(html))))
        for plan in plans:
            html = documents.samarbejdsaftale_document(plan=plan).render_html()
            rendered.append((f"{plan.slug}/samarbejdsaftale", html, _lines(pdf.render_pdf(html))))
        transaction.set_rollback(True)
    return rendered


def test_every_demo_delaftale_and_samarbejdsaftale_was_rendered(delaftaler):
    assert len(delaftaler) == 9 + 3


def test_no_word_is_cut_without_a_hyphen(delaftaler):
    found = {name: unhyphenated_splits(lines, _words(html)) for name, html, lines in delaftaler}
    assert {name: splits for name, splits in found.items() if splits} == {}


def test_no_number_is_separated_from_its_unit(delaftaler):
    units = re.compile(r"^(?:%|kr\b|t\.\s?kr\b|mio\.|pct\.)")
    separated = [f"{name}: {first[-20:]}|{second[:12]}" for name, _, lines in delaftaler
                 for first, second in zip(lines, lines[1:], strict=False)
                 if re.search(r"\d$", first.rstrip()) and units.match(second.lstrip())]
    assert separated == []
    joined = [html.count(f"\u00a0{unit}") for _, html, _ in delaftaler for unit in ("%", "kr.")]
    assert sum(joined) > 20


def test_narrow_columns_are_hyphenated(delaftaler):
    """Words cut at a hyphen the text does not have ("trivselsundersø-" / "gelse"): hyphenation at work."""
    hyphenated = []
    for _, html, lines in delaftaler:
        vocabulary = _words(html)
        for first, second in zip(lines, lines[1:], strict=False):
            end, start = re.search(r"([^\W\d_]+)-$", first.rstrip()), LEADING.match(second.lstrip())
            if end and start and (end.group(1) + start.group(1)).lower() in vocabulary:
                hyphenated.append(f"{end.group(1)}-|{start.group(1)}")
    assert len(hyphenated) >= 5, hyphenated


def test_the_definition_finds_a_cut_word_and_accepts_hyphens_and_whole_words():
    vocabulary = {"boligsociale", "data", "boligsocial", "e"}
    assert unhyphenated_splits(["LBF Boligsocial", "e data"], vocabulary) == []  # "boligsocial" is a word
    assert unhyphenated_splits(["LBF Boligso", "ciale data"], vocabulary) == ["Boligso|ciale"]
    assert unhyphenated_splits(["LBF Boligso-", "ciale data"], vocabulary) == []
    assert unhyphenated_splits(["LBF Boligsociale", "data"], vocabulary) == []


def test_an_empty_section_keeps_its_required_heading_but_prints_no_placeholder(plan_with_delaftale):
    plan, sub = plan_with_delaftale
    GoalFactory(plan=plan, text="Flere bliver tilknyttet arbejdsmarkedet")  # a goal without indicators
    html = documents.samarbejdsaftale_document(plan=plan).render_html()
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    for heading in ["Underskrifter", "1. Kort om boligområdet", "3. Organisering", "7. Lokal evaluering",
                    "8. Revision af samarbejdsaftalen", "Flere bliver tilknyttet arbejdsmarkedet"]:
        assert heading in text
    for placeholder in ["Ikke udfyldt", "Ingen indikator", "Aftalens parter er ikke angivet"]:
        assert placeholder not in text
    assert '<table class="signatures">' not in html
    delaftale = documents.delaftale_document(plan=plan, area_slug=sub.focus_area.slug).render_html()
    assert "Revision af delaftalen" in delaftale and "Ikke udfyldt" not in delaftale
