"""The fidelity audit of the demo plans (``manage.py fidelity_audit``) against their source documents.

The audit runs on the loaded demo data and the sources in ``../shared/seeds``; without the sources
(they live beside the repository, not in it) the plan tests are skipped.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from agreements.demo import DEMO_DIR
from agreements.models import Plan
from helhedsplan.documents import fidelity
from helhedsplan.documents.fidelity import Field, SourceIndex, normalise

SEEDS = fidelity.default_seeds_dir()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the source documents are not in {SEEDS}")

# The verbatim share (%) each demo plan has reached, rounded down; the audit must not fall below it.
VERBATIM_FLOOR = {
    "en-faelles-indsats": 98.5,
    "amager": 96.5,
    "bispebjerg-udsatte-grupper": 87.5,
}


@pytest.fixture(scope="module")
def audits(django_db_setup, django_db_blocker) -> dict[str, fidelity.PlanAudit]:
    with django_db_blocker.unblock():
        return {slug: fidelity.audit_plan(Plan.objects.get(slug=slug), SEEDS) for slug in VERBATIM_FLOOR}


@needs_seeds
@pytest.mark.parametrize("slug", VERBATIM_FLOOR)
def test_no_demo_value_is_absent_from_its_source(audits, slug):
    assert [f"{miss.path}: {miss.detail}" for miss in audits[slug].by_cause(fidelity.ABSENT)] == []


@needs_seeds
@pytest.mark.parametrize("slug", VERBATIM_FLOOR)
def test_every_audited_value_is_printed_in_the_document(audits, slug):
    assert [f"{miss.path}: {miss.detail}" for miss in audits[slug].by_cause(fidelity.NOT_PRINTED)] == []


@needs_seeds
@pytest.mark.parametrize("slug", VERBATIM_FLOOR)
def test_verbatim_share_does_not_fall_back(audits, slug):
    result = audits[slug]
    assert result.fields > 100
    assert result.percent >= VERBATIM_FLOOR[slug], [f"{m.path} ({m.cause}): {m.detail}" for m in result.misses]


@needs_seeds
@pytest.mark.django_db
def test_command_prints_the_figures_and_each_miss():
    out = io.StringIO()
    call_command("fidelity_audit", "bispebjerg-udsatte-grupper", stdout=out)
    text = out.getvalue()
    assert text.startswith("bispebjerg-udsatte-grupper (003_")
    assert "felter" in text and "ordrette" in text
    assert "kræver et modelfelt, projektet ikke har endnu: 4" in text
    assert "    plan.start_date: en københavnerkontrakt har en dato" in text


@needs_seeds
@pytest.mark.django_db
def test_command_fails_when_a_demo_value_is_absent_from_its_source(tmp_path, monkeypatch):
    data = json.loads((DEMO_DIR / "en-faelles-indsats.json").read_text(encoding="utf-8"))
    data["strategic_agreement"]["section_2_vision"] += "\n\nBeboerne mødes hver torsdag til fællesspisning."
    (tmp_path / "en-faelles-indsats.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(fidelity, "DEMO_DIR", tmp_path)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 demoværdier findes ikke i kilderne"):
        call_command("fidelity_audit", "en-faelles-indsats", stdout=out)
    assert re.search(r"strategic_agreement\.section_2_vision: linje \d+: .*mødes hver torsdag til fællesspisning",
                     out.getvalue())


def test_command_refuses_a_plan_without_a_source(tmp_path):
    with pytest.raises(CommandError, match="Ingen kilde for ukendt-plan"):
        call_command("fidelity_audit", "ukendt-plan", "--seeds", str(tmp_path), stdout=io.StringIO())


def test_command_refuses_a_missing_seeds_directory(tmp_path):
    with pytest.raises(CommandError, match="Mappen med kildedokumenter findes ikke"):
        call_command("fidelity_audit", "--seeds", str(tmp_path / "ingen"), stdout=io.StringIO())


# --- Matching, on small texts ---------------------------------------------------------------------

def test_normalise_makes_typography_plain_and_nothing_else():
    assert normalise("Boligsocial\u00adt  arbejde\u00a0– i 50%") == "Boligsocialt arbejde i 50 %"
    assert normalise("Intro: • a • b") == normalise("Intro:\n- a\n- b") == "Intro: a b"
    assert normalise("ikke- vestlig baggrund") == normalise("ikke-vestlig baggrund") == "ikkevestlig baggrund"
    assert normalise("Sundheds- og Omsorgsforvaltningen") == "Sundheds- og Omsorgsforvaltningen"
    assert normalise("**KONTRAKT** | <i>om</i> |") == "KONTRAKT om"
    assert normalise("boligsektor¹.") == normalise("boligsektor[1].") == "boligsektor1."
    # A changed word stays changed.
    assert normalise("Flere unge får job") != normalise("Flere unge fik job")


def _miss(line: str, source: str) -> fidelity.Miss | None:
    field = Field("x", (normalise(line),), (normalise(line),))
    miss, _ = fidelity._check(field, SourceIndex(source), normalise(line))
    return miss


SOURCE = ("Delmål | Indikator | Datakilde |\n"
          "Flere unge i job | Andel af unge, der har | Egen |\n"
          "| fritidsjob | registrering |\n"
          "Samarbejdet koordineres på bydelsniveau i Boligsocialt Forum, hvor der sidder repræsentanter for "
          "forvaltninger og boligorganisationer. Xxxxx Xxxxx Skole deltager.")


def test_a_sentence_of_the_source_is_verbatim():
    assert _miss("Samarbejdet koordineres på bydelsniveau i Boligsocialt Forum", SOURCE) is None


def test_a_table_cell_split_over_the_extracted_rows_is_verbatim():
    assert _miss("Andel af unge, der har fritidsjob", SOURCE) is None
    assert _miss("Egen registrering", SOURCE) is None


def test_a_blacked_out_name_reads_anonymised():
    assert _miss("[anonymiseret skole] Skole deltager.", SOURCE) is None


def test_a_changed_word_is_a_transcription_difference():
    miss = _miss("Samarbejdet koordineres på kommuneniveau i Boligsocialt Forum, hvor der sidder repræsentanter",
                 SOURCE)
    assert miss is not None and miss.cause == fidelity.DIFFERS
    assert "kommuneniveau" in miss.detail and "bydelsniveau" in miss.detail


def test_a_changed_or_added_word_of_a_cell_is_a_miss():
    assert _miss("Andel af unge, der har fritidsjobs", SOURCE) is not None
    assert _miss("Andel af alle unge, der har fritidsjob", SOURCE) is not None


def test_an_invented_text_is_absent_from_the_source():
    miss = _miss("Beboerne mødes hver torsdag i beboerhuset til fællesspisning", SOURCE)
    assert miss is not None and miss.cause == fidelity.ABSENT


def test_a_number_is_found_only_as_a_whole_word():
    assert _miss("15", "Afdeling 2015 og 150") is not None
    assert _miss("15", "Afdeling 15 og 150") is None


def test_a_value_missing_from_the_document_is_not_printed():
    field = Field("x", ("Boligsocialt Forum",), ("Boligsocialt Forum",))
    miss, _ = fidelity._check(field, SourceIndex(SOURCE), "Et andet dokument")
    assert miss is not None and miss.cause == fidelity.NOT_PRINTED
