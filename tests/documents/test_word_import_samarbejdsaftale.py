"""Word in: the strategic agreement. Our own Word file of a demo plan imported again gives the same fields;
a file in the layout of LBF's template (built from the Slagelse plan's text) is mapped with LBF's standard
texts recognised and left out; extra and missing headings are reported; a file that is neither a delaftale
nor a samarbejdsaftale is refused in Danish, and nothing is written."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document as new_docx

from agreements import services
from agreements.models import AgreementParty, DocumentStatus, Plan, PuljeText, StrategicAgreement
from helhedsplan.documents import builders, word
from helhedsplan.documents.word_import import (
    SamarbejdsaftaleImport,
    WordImportError,
    read_word,
    samarbejdsaftale_import,
)
from indicators import services as indicator_services
from indicators.selectors import goal_rows
from tests.factories.agreements import PlanMembershipFactory

pytestmark = pytest.mark.django_db

SECTION_FIELDS = ("documents", "section_1_area", "section_2_vision", "section_3_organisation",
                  "section_4_interplay", "section_7_evaluation", "section_8_revision")
GOAL_KEYS = ("goal_text", "indicator_text", "baseline_area", "baseline_other", "baseline_year", "data_source")


def _content(plan: Plan) -> dict:
    agreement = StrategicAgreement.objects.get(plan=plan)
    return {
        "area_name": Plan.objects.get(pk=plan.pk).area_name,
        "fields": {name: getattr(agreement, name) for name in SECTION_FIELDS},
        "parties": [(p.organisation_id, p.role, p.signatory_name, p.signatory_title, p.signed_date)
                    for p in agreement.parties.order_by("order", "id")],
        "problem_complexes": list(plan.plan_focus_areas.order_by("order", "id")
                                  .values_list("focus_area__name", "problem_complex")),
        "goals": [tuple(row[key] for key in GOAL_KEYS) for row in goal_rows(plan)],
    }


def _blank(plan: Plan) -> None:
    """Empty everything the samarbejdsaftale's file carries, through the services."""
    agreement = StrategicAgreement.objects.get(plan=plan)
    choices = list(plan.plan_focus_areas.all())
    for choice in choices:
        choice.problem_complex = ""
    services.strategic_agreement_save(
        agreement=agreement, expected_version=agreement.version, fields={name: "" for name in SECTION_FIELDS},
        parties=services.ChildChanges(deleted=list(agreement.parties.all())),
        focus_areas=services.ChildChanges(saved=choices))
    for row in goal_rows(plan):
        if row["indicator"]:
            indicator_services.indicator_update(indicator=row["indicator"], baseline_area="", baseline_other="",
                                                baseline_year="", data_source="")


@pytest.fixture
def slagelse() -> Plan:
    return Plan.objects.select_related("pulje").get(slug="en-faelles-indsats")


def test_exported_samarbejdsaftale_imported_again_gives_the_same_fields(slagelse, tmp_path, capsys):
    agreement = StrategicAgreement.objects.get(plan=slagelse)
    first = agreement.parties.order_by("order", "id").first()
    first.signatory_name, first.signatory_title = "Fiktiv Direktør", "Direktør"
    first.signed_date = slagelse.start_date
    first.save()
    before = _content(slagelse)
    assert before["fields"]["section_3_organisation"] and before["parties"] and before["goals"]
    path = tmp_path / "samarbejdsaftale.docx"
    path.write_bytes(word.render_docx(builders.samarbejdsaftale_document(plan=slagelse)))
    _blank(slagelse)
    assert _content(slagelse) != before

    call_command("import_word", slagelse.slug, str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Prøvekørsel: intet er gemt." in out
    assert "LBF's standardtekst (genkendt, indlæses ikke): Aftaledokumenter" in out
    assert "LBF's standardtekst (genkendt, indlæses ikke): 3. Organisering" in out
    assert "Boligområder og afdelinger" in out.split("Ikke placeret:")[1]
    assert StrategicAgreement.objects.get(plan=slagelse).section_3_organisation == ""

    call_command("import_word", slagelse.slug, str(path))
    assert "Opdaterede samarbejdsaftalen som kladde" in capsys.readouterr().out
    after = _content(slagelse)
    for key in before:
        assert after[key] == before[key], key
    assert StrategicAgreement.objects.get(plan=slagelse).status == DocumentStatus.DRAFT


def _lbf_file(plan: Plan, *, extra: bool = False, missing: bool = False, with_title: bool = True) -> bytes:
    """A samarbejdsaftale laid out as LBF's template (and the Slagelse plan's own file) has it: labels
    with colons, the standard texts in one paragraph with their heading, the web address as LBF
    writes it, the goal table without a year column."""
    texts = dict(PuljeText.objects.filter(pulje=plan.pulje).values_list("key", "text"))
    documents_text = " ".join(texts["aftaledokumenter"].replace("[anonymiseret webadresse]",
                                                                 "xxxx://xxxxxxxxxxxxx.xxx.xx").split())
    document = new_docx()
    if with_title:
        document.add_paragraph(word.SAMARBEJDSAFTALE_TITLE)
    document.add_paragraph("Områdets navn:")
    document.add_paragraph("”En Fælles Indsats”, Slagelse")
    document.add_paragraph("Aftalens parter:")
    for name in ("FOB, Fællesorganisationens Boligforening", "Slagelse Boligselskab", "BoligKorsør",
                 "Slagelse Kommune", "Sydsjællands- og Lolland Falsters politi", "Boligselskabet Findes Ikke"):
        document.add_paragraph(f"- {name}")
    document.add_paragraph("Samarbejdsaftalen gælder fra - til:")
    document.add_paragraph("01.10.21 – 30.09.25")
    document.add_paragraph("Aftaledokumenter " + documents_text)
    document.add_paragraph("1. Kort om boligområdet")
    document.add_paragraph("Den strategiske samarbejdsaftale vedrører de tre almene boligområder:")
    document.add_paragraph("• Motalavej (afdeling 15, 21 og 35 i BoligKorsør)")
    document.add_paragraph("• Sydbyen (afdeling 12 i Slagelse Boligselskab og afdeling 34 i FOB)")
    if not missing:
        document.add_paragraph("2. Vision for boligområdet")
        document.add_paragraph("Overordnet set er visionen for de tre boligområder, at alle beboere i de tre "
                               "boligområder skal have mulighed for at være aktive og selvforsørgende medborgere.")
    if extra:
        document.add_heading("Strateginotat", 1)
        document.add_paragraph("Strateginotatet vedlægges som bilag i sin fulde form.")
    document.add_paragraph("3. Organisering " + texts["afsnit_3"])
    document.add_paragraph("Med midler fra 2015-18 puljen fik boligorganisationerne og Slagelse Kommune lavet "
                           "en helhedsplan (”En Fælles Indsats”).")
    document.add_paragraph("4. Samspil med centrale tiltag og indsatser i boligområdet")
    document.add_paragraph("Som ovenfor beskrevet er den boligsociale helhedsplan kun én blandt mange aktører.")
    document.add_paragraph("5. Overordnede mål og indikatorer for den boligsociale indsats " + texts["afsnit_5"])
    table = document.add_table(rows=0, cols=5)
    for row in (["Mål", "Indikator", "Baseline boligområde", "Baseline kommune", "Datakilde"],
                ["Der skal ske et fagligt løft af børn og unge, så flere bliver skoleparate, og flere tager en "
                 "uddannelse", "Andel 1-5 årige i dagtilbud", "91,0% (2019)", "88,6% (2019)",
                 "LBF - Boligsociale Data"],
                ["", "Andel børn, der læser dagligt", "40%", "55%", "Lokal måling"],
                ["Et mål, som planen ikke har", "En indikator uden mål", "1", "2", "Ingen"]):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph("6. Indsatsområder " + texts["afsnit_6"])
    document.add_paragraph("Uddannelse og livschancer")
    document.add_paragraph("Problemkompleks for indsatsområdet")
    document.add_paragraph("I boligområderne er der udfordringer med unge, der ikke kommer i gang med en uddannelse.")
    if not missing:
        document.add_paragraph("7. Lokal evaluering")
        document.add_paragraph("I forbindelse med opstart af helhedsplanen afsættes to dage til et kick-off seminar.")
    if extra:
        document.add_paragraph("9. Bilag")
        document.add_paragraph("Organisationsdiagram")
    document.add_paragraph("8. Revision af samarbejdsaftalen Revision af den strategiske samarbejdsaftale kræver "
                           "godkendelse i Landsbyggefonden")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_file_in_lbfs_layout_is_mapped_and_the_standard_texts_left_out(slagelse):
    result = read_word(plan=slagelse, content=_lbf_file(slagelse))
    assert isinstance(result, SamarbejdsaftaleImport) and result.errors == []
    recognised = [what for where, what in result.placed if where.startswith("LBF's standardtekst")]
    assert recognised == ["Aftaledokumenter", "3. Organisering",
                          "5. Overordnede mål og indikatorer for den boligsociale indsats", "6. Indsatsområder"]
    assert result.fields["documents"] == ""
    assert result.fields["section_3_organisation"].startswith("Med midler fra 2015-18")
    assert result.fields["section_1_area"] == (
        "Den strategiske samarbejdsaftale vedrører de tre almene boligområder:\n"
        "- Motalavej (afdeling 15, 21 og 35 i BoligKorsør)\n"
        "- Sydbyen (afdeling 12 i Slagelse Boligselskab og afdeling 34 i FOB)")
    assert result.fields["section_8_revision"] == ("Revision af den strategiske samarbejdsaftale kræver godkendelse "
                                                   "i Landsbyggefonden")
    assert ("Samarbejdsaftalen gælder fra – til", "01.10.21 – 30.09.25 (som helhedsplanens periode)") in result.placed
    assert "Part »Boligselskabet Findes Ikke« (organisationen findes ikke; opret den først)" in result.unplaced
    assert any("Et mål, som planen ikke har" in what for what in result.unplaced)
    assert result.missing == []

    samarbejdsaftale_import(plan=slagelse, content=result)
    agreement = StrategicAgreement.objects.get(plan=slagelse)
    assert agreement.section_8_revision == result.fields["section_8_revision"]
    assert "Parterne bag den strategiske samarbejdsaftale" not in agreement.section_3_organisation
    assert [party.organisation.name for party in agreement.parties.order_by("order")] == [
        "FOB, Fællesorganisationens Boligforening", "Slagelse Boligselskab", "BoligKorsør", "Slagelse Kommune",
        "Sydsjællands- og Lolland Falsters politi"]
    assert slagelse.plan_focus_areas.get(focus_area__name="Uddannelse og livschancer").problem_complex == (
        "I boligområderne er der udfordringer med unge, der ikke kommer i gang med en uddannelse.")
    rows = {row["indicator_text"]: row for row in goal_rows(slagelse) if row["indicator"]}
    assert (rows["Andel 1-5 årige i dagtilbud"]["baseline_area"], rows["Andel 1-5 årige i dagtilbud"]["data_source"]) \
        == ("91,0% (2019)", "LBF - Boligsociale Data")
    added = rows["Andel børn, der læser dagligt"]
    assert (added["goal"].text, added["baseline_other"], added["data_source"]) == (
        "Der skal ske et fagligt løft af børn og unge, så flere bliver skoleparate, og flere tager en uddannelse",
        "55%", "Lokal måling")
    assert "En indikator uden mål" not in rows

    # Printed again, each standard text stands once: from the pulje, not from the plan.
    html = builders.samarbejdsaftale_document(plan=slagelse).render_html()
    assert html.count("Parterne bag den strategiske samarbejdsaftale skal etablere") == 1
    assert html.count("En beredskabsplan") == 1


def test_extra_and_missing_headings_are_reported_and_missing_sections_keep_their_text(slagelse):
    vision = StrategicAgreement.objects.get(plan=slagelse).section_2_vision
    result = read_word(plan=slagelse, content=_lbf_file(slagelse, extra=True, missing=True))
    assert result.errors == []
    assert result.missing == ["2. Vision for boligområdet", "7. Lokal evaluering"]
    assert "Afsnittet »Strateginotat« findes ikke i LBF's skabelon" in result.unplaced
    assert "Strateginotatet vedlægges som bilag i sin fulde form." in result.unplaced
    assert "Afsnittet »9. Bilag« findes ikke i LBF's skabelon" in result.unplaced
    assert "Organisationsdiagram" in result.unplaced
    assert "section_2_vision" not in result.fields
    samarbejdsaftale_import(plan=slagelse, content=result)
    agreement = StrategicAgreement.objects.get(plan=slagelse)
    assert agreement.section_2_vision == vision  # not in the file: kept
    assert "Strateginotat" not in agreement.section_1_area + agreement.section_8_revision


def test_a_file_that_is_no_samarbejdsaftale_is_refused_and_nothing_is_written(slagelse, tmp_path, client):
    before = _content(slagelse)
    content = _lbf_file(slagelse, with_title=False)
    with pytest.raises(WordImportError, match="hverken en delaftale eller en strategisk samarbejdsaftale"):
        read_word(plan=slagelse, content=content)
    path = tmp_path / "noget-andet.docx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="hverken en delaftale eller en strategisk samarbejdsaftale"):
        call_command("import_word", slagelse.slug, str(path))
    client.force_login(PlanMembershipFactory(plan=slagelse, role="sekretariat").user)
    response = client.post(reverse("documents:word_import", args=[slagelse.slug]),
                           {"file": SimpleUploadedFile("noget-andet.docx", content)})
    assert response.status_code == 400
    assert "hverken en delaftale eller en strategisk samarbejdsaftale" in response.content.decode()
    assert _content(slagelse) == before


def test_a_submitted_samarbejdsaftale_is_not_overwritten(slagelse):
    agreement = StrategicAgreement.objects.get(plan=slagelse)
    StrategicAgreement.objects.filter(pk=agreement.pk).update(status=DocumentStatus.SUBMITTED)
    result = read_word(plan=slagelse, content=_lbf_file(slagelse))
    assert result.errors == ["Samarbejdsaftalen er sendt til bestyrelsen. Send den tilbage til kladde, før du "
                             "indlæser en Word-fil."]
    with pytest.raises(WordImportError, match="sendt til bestyrelsen"):
        samarbejdsaftale_import(plan=slagelse, content=result)


def test_a_rule_broken_by_the_file_writes_nothing(slagelse):
    before = _content(slagelse)
    result = read_word(plan=slagelse, content=_lbf_file(slagelse))
    result.fields["section_7_evaluation"] = "Styretegn \x07 er ikke tilladt"
    with pytest.raises(WordImportError, match="Samarbejdsaftalen kan ikke gemmes"):
        samarbejdsaftale_import(plan=slagelse, content=result)
    assert _content(slagelse) == before
    assert AgreementParty.objects.filter(agreement__plan=slagelse).count() == len(before["parties"])


def test_browser_upload_previews_the_samarbejdsaftale_and_writes_it_on_confirm(slagelse, client):
    url = reverse("documents:word_import", args=[slagelse.slug])
    client.force_login(PlanMembershipFactory(plan=slagelse, role="sekretariat").user)
    preview = client.post(url, {"file": SimpleUploadedFile("samarbejdsaftale.docx", _lbf_file(slagelse, missing=True))})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Forhåndsvisning: strategisk samarbejdsaftale" in body
    assert "LBF&#x27;s standardtekst (genkendt, indlæses ikke)" in body
    assert "Ikke i filen (beholder det nuværende indhold)" in body and "7. Lokal evaluering" in body
    assert "Gem i samarbejdsaftalen som kladde" in body
    organisation = ("Med midler fra 2015-18 puljen fik boligorganisationerne og Slagelse Kommune lavet en "
                    "helhedsplan (”En Fælles Indsats”).")
    assert StrategicAgreement.objects.get(plan=slagelse).section_3_organisation != organisation
    done = client.post(url, {"payload": preview.context["payload"], "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("agreements:strategic_detail",
                                                                     args=[slagelse.slug])
    assert StrategicAgreement.objects.get(plan=slagelse).section_3_organisation == organisation


def test_parties_are_left_alone_when_none_of_the_files_parties_exists(slagelse):
    before = _content(slagelse)["parties"]
    document = new_docx()
    document.add_paragraph(word.SAMARBEJDSAFTALE_TITLE)
    document.add_paragraph("Aftalens parter: Boligforeningen 3B Boligforeningen VIBO")  # one line, as LBF's file
    document.add_paragraph("Underskrifter:")
    document.add_paragraph("Slagelse Kommune")
    document.add_paragraph("Dato Navn")
    document.add_paragraph("Hr. Ukendt")
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_word(plan=slagelse, content=buffer.getvalue())
    assert result.parties is None
    assert result.unplaced == [
        "Part »Boligforeningen 3B Boligforeningen VIBO« (organisationen findes ikke; opret den først)",
        "Ingen af filens parter findes som organisation; aftalens parter ændres ikke",
        "Underskrifter: Hr. Ukendt"]
    assert result.missing[0] == "1. Kort om boligområdet" and "Områdets navn" in result.missing
    samarbejdsaftale_import(plan=slagelse, content=result)
    assert _content(slagelse)["parties"] == before
