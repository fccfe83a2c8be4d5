"""The LBF-udtræk service and ``manage.py export_lbf``: content, as-of dates, bad input."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx import Document as read_docx
from openpyxl import load_workbook

from agreements import services
from agreements.models import DocumentStatus, Plan, SubAgreement
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.selectors import current_budget, current_strategic_agreement, current_subagreements
from helhedsplan.documents.services import render_approval_pdfs
from helhedsplan.lbf.export import ExportError, export_lbf
from tests.documents.helpers import normalize, pdf_pages
from tests.factories.agreements import ActivityFactory, PlanFactory, SubAgreementFactory
from tests.lbf.conftest import approve

pytestmark = pytest.mark.django_db

OLD_MEETING = date(2023, 3, 1)
NEW_MEETING = date(2024, 6, 1)


def pdf_text(data: bytes) -> str:
    return normalize(" ".join(pdf_pages(data)))


def _zip(path) -> zipfile.ZipFile:
    return zipfile.ZipFile(path)


def _edit(sub_agreement: SubAgreement, **fields) -> None:
    sub_agreement.refresh_from_db()
    services.subagreement_save(sub_agreement=sub_agreement, expected_version=sub_agreement.version, fields=fields)


# --- The demo data -------------------------------------------------------------------------------------

def test_export_of_the_demo_plans_holds_exactly_the_current_approved_documents(demo_data, tmp_path):
    assert render_approval_pdfs.call() == Approval.objects.count(), "the worker renders the demo approvals' PDFs"
    output = tmp_path / "lbf.zip"
    summary = export_lbf(output=output)
    archive = _zip(output)
    names = set(archive.namelist())
    plans = list(Plan.objects.all())
    assert len(plans) == 3 and summary.plans and set(summary.plans) == {p.slug for p in plans}

    expected_json = set()
    for plan in plans:
        approvals = current_subagreements(plan)
        strategic = current_strategic_agreement(plan)
        assert strategic is not None and len(approvals) == plan.sub_agreements.count()
        for approval in [strategic, *approvals]:
            assert plan.start_date <= approval.meeting_date <= plan.end_date
            stem = _stem(names, plan.slug, approval)
            expected_json.add(f"{stem}.json")
            assert json.loads(archive.read(f"{stem}.json")) == approval.data
            assert archive.read(f"{stem}.pdf") == approval.read_pdf(), "the PDF is the snapshot's, byte for byte"
        budget = current_budget(plan)
        if hasattr(plan, "budget"):  # the demo budgets are approved with the documents
            assert budget is not None and budget.meeting_date == strategic.meeting_date
            assert archive.read(f"{plan.slug}/budgetark.pdf") == budget.read_pdf()
            assert json.loads(archive.read(f"{plan.slug}/budgetark.json")) == budget.data
            assert f"{plan.slug}/budgetark.xlsx" in names
        else:
            assert budget is None and not any(n.startswith(f"{plan.slug}/budgetark") for n in names)
        assert f"{plan.slug}/okonomiopfolgning.xlsx" in names
        assert "Økonomiopfølgning" in pdf_text(archive.read(f"{plan.slug}/okonomiopfolgning.pdf"))
        assert f"{plan.slug}/delaftaler.json" in names and f"{plan.slug}/delaftaler.xlsx" in names
        data = json.loads(archive.read(f"{plan.slug}/delaftaler.json"))
        assert [d["godkendt_version"] for d in data["delaftaler"]] == [a.number for a in approvals]
        assert data["ikke_godkendt"] == []

    document_json = {n for n in names if n.endswith(".json") and not n.endswith(("delaftaler.json", "budgetark.json"))}
    assert document_json == expected_json, "no other documents than the current approved ones"
    document_pdfs = {n for n in names if n.endswith(".pdf")
                     and not n.endswith(("budgetark.pdf", "okonomiopfolgning.pdf"))}
    assert document_pdfs == {n[:-5] + ".pdf" for n in expected_json}
    assert summary.documents == Approval.objects.count()
    readme = archive.read("README.txt").decode("utf-8")
    assert "Udtrukket:" in readme and "godkendt på bestyrelsesmødet 31. januar 2025" in readme


def _stem(names: set[str], slug: str, approval: Approval) -> str:
    if approval.kind == Approval.Kind.STRATEGIC:
        return f"{slug}/samarbejdsaftale"
    matches = [n[:-5] for n in names if n.startswith(f"{slug}/delaftale-") and n.endswith(
        f"-{approval.focus_area.slug}.json")]
    assert len(matches) == 1, (slug, approval.focus_area.slug)
    return matches[0]


def test_demo_delaftaler_xlsx_has_a_row_per_delaftale_activity_and_indicator(demo_data, tmp_path):
    export_lbf(output=tmp_path / "amager.zip", slugs=["amager"])
    archive = _zip(tmp_path / "amager.zip")
    workbook = load_workbook(io.BytesIO(archive.read("amager/delaftaler.xlsx")))
    plan = Plan.objects.get(slug="amager")
    assert workbook.sheetnames[0] == "Delaftaler"
    assert workbook["Delaftaler"].max_row - 1 == plan.sub_agreements.count()
    activities = workbook["Aktiviteter"]
    header = [cell.value for cell in activities[1]]
    assert {"Indsatsområde", "Aktivitetsnavn", "Formål", "Målgruppe(r)", "Indhold og praksis"} <= set(header)
    assert activities.max_row - 1 == sum(s.activities.count() for s in plan.sub_agreements.all())
    indicators = workbook["Delmål og indikatorer"]
    from indicators.models import Indicator

    assert indicators.max_row - 1 >= Indicator.objects.filter(sub_goal__sub_agreement__plan=plan).count() > 0
    assert "Datakilde" in [cell.value for cell in indicators[1]]


# --- As of a date -------------------------------------------------------------------------------------

def test_as_of_gives_the_version_in_force_on_that_date(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING, strategic=True)
    approve(ws, meeting=OLD_MEETING)
    _edit(ws.sub_agreement, revision="NY REVISIONSTEKST efter mødet i 2024.")
    approve(ws, meeting=NEW_MEETING)

    old = tmp_path / "old.zip"
    export_lbf(output=old, slugs=[ws.plan.slug], as_of=date(2024, 1, 15))
    new = tmp_path / "new.zip"
    export_lbf(output=new, slugs=[ws.plan.slug], as_of=NEW_MEETING)
    today = tmp_path / "today.zip"
    export_lbf(output=today, slugs=[ws.plan.slug])

    stem = f"{ws.plan.slug}/delaftale-1-{ws.sub_agreement.focus_area.slug}"
    old_doc = json.loads(_zip(old).read(f"{stem}.json"))
    new_doc = json.loads(_zip(new).read(f"{stem}.json"))
    assert [f["value"] for f in old_doc["fields"] if f["name"] == "revision"] == [
        "Bestyrelsen reviderer delaftalen årligt."]
    assert [f["value"] for f in new_doc["fields"] if f["name"] == "revision"] == [
        "NY REVISIONSTEKST efter mødet i 2024."]
    assert _zip(today).read(f"{stem}.json") == _zip(new).read(f"{stem}.json")

    old_pdf = pdf_text(_zip(old).read(f"{stem}.pdf"))
    new_pdf = pdf_text(_zip(new).read(f"{stem}.pdf"))
    assert "Bestyrelsen reviderer delaftalen årligt." in old_pdf and "NY REVISIONSTEKST" not in old_pdf
    assert "NY REVISIONSTEKST efter mødet i 2024." in new_pdf and "reviderer delaftalen årligt" not in new_pdf
    assert "Godkendt af bestyrelsen 1. marts 2023" in old_pdf and "Godkendt af bestyrelsen 1. juni 2024" in new_pdf

    old_data = json.loads(_zip(old).read(f"{ws.plan.slug}/delaftaler.json"))
    assert old_data["gaeldende_pr"] == "2024-01-15"
    assert old_data["delaftaler"][0]["godkendt_version"] == 1
    assert old_data["delaftaler"][0]["felter"]["revision"] == "Bestyrelsen reviderer delaftalen årligt."
    new_data = json.loads(_zip(new).read(f"{ws.plan.slug}/delaftaler.json"))
    assert new_data["delaftaler"][0]["godkendt_version"] == 2
    readme = _zip(old).read("README.txt").decode("utf-8")
    assert "Gældende pr.: 15. januar 2024" in readme
    assert "version 1, godkendt på bestyrelsesmødet 1. marts 2023" in readme


def test_drafts_are_never_exported_and_the_readme_says_what_is_missing(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING)
    _edit(ws.sub_agreement, revision="KLADDETEKST, som bestyrelsen ikke har set.")
    second = SubAgreementFactory(plan=ws.plan)
    ActivityFactory(sub_agreement=second, name="Hemmelig kladdeaktivitet")

    export_lbf(output=tmp_path / "x.zip", slugs=[ws.plan.slug])
    archive = _zip(tmp_path / "x.zip")
    everything = b"".join(archive.read(name) for name in archive.namelist() if not name.endswith(".xlsx"))
    assert b"KLADDETEKST" not in everything
    assert b"Hemmelig kladdeaktivitet" not in everything
    readme = archive.read("README.txt").decode("utf-8")
    assert f"Delaftaler uden godkendt version (ikke med i udtrækket):\n  - {second}" in readme
    assert "Ændret siden seneste godkendelse" in readme and str(ws.sub_agreement) in readme
    assert "Den strategiske samarbejdsaftale har ingen godkendt version" in readme
    data = json.loads(archive.read(f"{ws.plan.slug}/delaftaler.json"))
    assert data["ikke_godkendt"] == [{"indsatsomraade": second.focus_area.name,
                                      "indsatsomraade_kortnavn": second.focus_area.slug, "status": "Kladde"}]
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.status == DocumentStatus.DRAFT


def test_user_text_never_becomes_a_formula_in_the_xlsx(ws, tmp_path):
    ws.sub_agreement.activities.filter(name="Familieklub").update(purpose='=HYPERLINK("http://x","klik")')
    approve(ws, meeting=OLD_MEETING)
    export_lbf(output=tmp_path / "x.zip", slugs=[ws.plan.slug])
    workbook = load_workbook(io.BytesIO(_zip(tmp_path / "x.zip").read(f"{ws.plan.slug}/delaftaler.xlsx")))
    sheet = workbook["Aktiviteter"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value and str(cell.value).startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)


# --- Bad input ------------------------------------------------------------------------------------------

def _assert_refused(tmp_path, match: str, **kwargs):
    output = tmp_path / "out.zip"
    with pytest.raises(ExportError, match=match):
        export_lbf(output=output, **kwargs)
    assert list(tmp_path.iterdir()) == [], "nothing is written"


def test_unknown_plan(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING)
    _assert_refused(tmp_path, "Ukendt helhedsplan »findes-ikke«", slugs=[ws.plan.slug, "findes-ikke"])


def test_date_in_the_future(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING)
    tomorrow = timezone.localdate() + timedelta(days=1)
    _assert_refused(tmp_path, "ligger i fremtiden", slugs=[ws.plan.slug], as_of=tomorrow)


def test_date_before_the_plan_started(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING)
    _assert_refused(tmp_path, "begyndte først 1. januar 2022; der var intet gældende pr. 31. december 2021",
                    slugs=[ws.plan.slug], as_of=date(2021, 12, 31))


def test_plan_with_nothing_approved(ws, tmp_path):
    _assert_refused(tmp_path, "»Tryg Toften« har ingen godkendte dokumenter", slugs=[ws.plan.slug])


def test_nothing_approved_yet_on_the_date(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING)
    _assert_refused(tmp_path, "ingen godkendte dokumenter pr. 28. februar 2023", slugs=[ws.plan.slug],
                    as_of=date(2023, 2, 28))


def test_all_plans_skips_plans_without_approvals_and_says_so(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING)
    empty = PlanFactory(name="Tom Plan")
    export_lbf(output=tmp_path / "all.zip")
    archive = _zip(tmp_path / "all.zip")
    assert not any(name.startswith(f"{empty.slug}/") for name in archive.namelist())
    assert "»Tom Plan« har ingen godkendte dokumenter" in archive.read("README.txt").decode("utf-8")


def test_a_failed_export_leaves_no_partial_zip(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING)
    output = tmp_path / "out.zip"
    output.write_bytes(b"an older export")

    def explode(done, total, label):
        if done == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        export_lbf(output=output, slugs=[ws.plan.slug], progress=explode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.zip"]
    assert output.read_bytes() == b"an older export", "the old file is only replaced by a complete one"


# --- The command ------------------------------------------------------------------------------------------

def test_command_writes_the_zip_and_shows_progress(ws, tmp_path, capsys):
    approve(ws, meeting=OLD_MEETING)
    output = tmp_path / "cmd.zip"
    call_command("export_lbf", "--plan", ws.plan.slug, "--as-of", "2023-06-30", "--output", str(output))
    captured = capsys.readouterr()
    assert "LBF-udtræk skrevet til" in captured.out
    assert f"] 3/3 {ws.plan.name}: delaftaler som data" in captured.err
    assert f"{ws.plan.slug}/delaftale-1-{ws.sub_agreement.focus_area.slug}.json" in _zip(output).namelist()


@pytest.mark.parametrize("args, message", [
    (["--plan", "ukendt"], "Ukendt helhedsplan »ukendt«"),
    (["--plan", "tryg-toften", "--as-of", "2099-01-01"], "ligger i fremtiden"),
    (["--plan", "tryg-toften", "--as-of", "2020-05-05"], "begyndte først"),
    (["--plan", "tryg-toften"], "har ingen godkendte dokumenter"),
])
def test_command_refuses_bad_input_with_a_danish_message(ws, tmp_path, args, message):
    output = tmp_path / "cmd.zip"
    with pytest.raises(CommandError, match=message):
        call_command("export_lbf", *args, "--output", str(output), "--no-progress")
    assert not any(tmp_path.iterdir())


def test_command_refuses_a_malformed_date(ws, tmp_path):
    with pytest.raises(CommandError, match="ikke en dato på formen ÅÅÅÅ-MM-DD"):
        call_command("export_lbf", "--as-of", "1/2/2023", "--output", str(tmp_path / "x.zip"))


def test_word_files_beside_the_pdfs_only_while_the_document_is_the_approved_one(ws, tmp_path):
    approve(ws, meeting=OLD_MEETING, strategic=True)
    approve(ws, meeting=OLD_MEETING)
    stem = f"{ws.plan.slug}/delaftale-1-{ws.sub_agreement.focus_area.slug}"
    export_lbf(output=tmp_path / "a.zip", slugs=[ws.plan.slug])
    archive = _zip(tmp_path / "a.zip")
    assert {f"{stem}.pdf", f"{stem}.docx", f"{ws.plan.slug}/samarbejdsaftale.docx"} <= set(archive.namelist())
    text = "\n".join(p.text for p in read_docx(io.BytesIO(archive.read(f"{stem}.docx"))).paragraphs)
    assert "Bestyrelsen reviderer delaftalen årligt." in text
    assert "Godkendt af bestyrelsen 1. marts 2023" in text
    assert "Word-fil" in archive.read("README.txt").decode("utf-8")

    _edit(ws.sub_agreement, revision="KLADDETEKST, som bestyrelsen ikke har set.")
    export_lbf(output=tmp_path / "b.zip", slugs=[ws.plan.slug])
    names = set(_zip(tmp_path / "b.zip").namelist())
    assert f"{stem}.pdf" in names and f"{stem}.docx" not in names
    assert f"{ws.plan.slug}/samarbejdsaftale.docx" in names


def test_the_parties_contact_persons_and_the_one_line_descriptions_are_exported(ws, tmp_path):
    party = ws.sub_agreement.parties.get()
    lone = party.contact_list[0]
    kim = party.organisation.contacts.create(name="Kim Andersen", title="Projektleder", email="kim@example.dk",
                                             phone="+45 12 34 56 78")
    services.party_contacts_set(party=party, contacts=[lone, kim])
    activity = ws.sub_agreement.activities.get(name="Lektiecafé Toften")
    activity.short_description = "lektiehjælp to gange om ugen"
    activity.save()
    approve(ws, meeting=OLD_MEETING)

    export_lbf(output=tmp_path / "x.zip", slugs=[ws.plan.slug])
    record = json.loads(_zip(tmp_path / "x.zip").read(f"{ws.plan.slug}/delaftaler.json"))["delaftaler"][0]
    assert record["parties"][0]["contacts"] == [
        f"Lone Madsen, Boligsocial koordinator, {lone.email}",
        "Kim Andersen, Projektleder, kim@example.dk, +45 12 34 56 78"]
    activities = {row["name"]: row for row in record["activities"]}
    assert activities["Lektiecafé Toften"]["short_description"] == "lektiehjælp to gange om ugen"
