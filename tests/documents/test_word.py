"""The documents as Word files: LBF's structure, the downloads, ``render_pdf --output X.docx`` and
LibreOffice converting each kind cleanly with the same text."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document as read_docx

from helhedsplan.documents import builders, word
from tests.documents.helpers import normalize, pdf_pages, plan_with_activities
from tests.factories.agreements import (
    ActivityFactory,
    PlanMembershipFactory,
    StaffResourceFactory,
    SubAgreementPartyFactory,
)

pytestmark = pytest.mark.django_db

SOFFICE = Path("/usr/bin/soffice")
#: The bullets LibreOffice prints for Word's bullet lists (Symbol's private-use bullet, or "•").
BULLET_GLYPHS = re.compile("[\uf0b7•]")


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of the file, in document order, whitespace normalised."""
    document = read_docx(io.BytesIO(content))
    parts = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        parts.append(cell.text)
        else:
            parts.append(block.text)
    return normalize(" ".join(parts))


def test_delaftale_in_lbf_template_structure():
    activity = ActivityFactory(name="Lektiecafé Nord", purpose="Bedre karakterer.", target_group="Skolebørn.",
                               content="", municipal_cofinancing=True)
    sub = activity.sub_agreement
    SubAgreementPartyFactory(sub_agreement=sub, role="Driver lektiecaféen")
    StaffResourceFactory(sub_agreement=sub, function="Koordinator")
    content = word.render_docx(builders.delaftale_document(plan=sub.plan, area_slug=sub.focus_area.slug))
    document = read_docx(io.BytesIO(content))

    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0] == ("Title", f"Delaftale for indsatsområdet {sub.focus_area.name}")
    assert [text for _, text in headings[1:]] == [
        word.HEADING_PARTIES, word.HEADING_SUBGOALS, word.HEADING_ACTIVITIES, word.HEADING_STAFF,
        word.HEADING_COHERENCE, word.HEADING_ECONOMY, word.HEADING_REVISION, word.HEADING_SKEMAS]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Lektiecafé Nord (del af den kommunale medfinansiering)"]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert tables[1][0] == ["Organisation", "Rolle/funktion"]
    assert tables[1][1][1] == "Driver lektiecaféen"
    assert tables[2][0] == word.STAFF_HEADER and tables[2][1][0] == "Koordinator"
    skema = tables[-1]
    assert skema[:4] == [["Aktivitetsnavn", "Lektiecafé Nord"], ["Formål", "Bedre karakterer."],
                         ["Målgruppe(r)", "Skolebørn."], ["Indhold og praksis", "Ikke udfyldt."]]
    assert ["Finansiering", "Del af den kommunale medfinansiering"] in skema
    assert "Kladde – ikke godkendt af bestyrelsen" in docx_text(content)


def test_every_kind_downloads_as_docx_for_members_only(client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    urls = {
        "samarbejdsaftale": reverse("documents:samarbejdsaftale_docx", args=[plan.slug]),
        "delaftale": reverse("documents:delaftale_docx", args=[plan.slug, sub.focus_area.slug]),
        "budget": reverse("documents:budget_docx", args=[plan.slug]),
        "samlet": reverse("documents:samlet_docx", args=[plan.slug]),
    }
    expected = {"samarbejdsaftale": "Et trygt boligområde for alle.", "delaftale": "Skoleparathed for førskolebørn.",
                "budget": "Budgettet er ikke udfyldt endnu.", "samlet": "HippHopp+"}
    client.force_login(PlanMembershipFactory().user)
    for url in urls.values():
        assert client.get(url).status_code == 404, url
    client.force_login(PlanMembershipFactory(plan=plan).user)
    page = client.get(reverse("agreements:plan_detail", args=[plan.slug])).content.decode()
    previews = {"samarbejdsaftale": reverse("documents:samarbejdsaftale", args=[plan.slug]),
                "delaftale": reverse("documents:delaftale", args=[plan.slug, sub.focus_area.slug]),
                "budget": reverse("documents:budget", args=[plan.slug]),
                "samlet": reverse("documents:samlet", args=[plan.slug])}
    for kind, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, kind
        assert response["Content-Type"] == word.CONTENT_TYPE
        assert response["Content-Disposition"].startswith(f'attachment; filename="{plan.slug}-')
        assert response["Content-Disposition"].endswith('.docx"')
        assert expected[kind] in docx_text(response.content)
        if kind != "delaftale":
            assert f'href="{url}"' in page
        assert f'href="{url}"' in client.get(previews[kind]).content.decode()  # beside the preview's PDF button
    client.logout()
    assert client.get(urls["samlet"]).status_code == 302


def test_render_pdf_writes_docx(tmp_path, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    target = tmp_path / "delaftale.docx"
    call_command("render_pdf", plan.slug, "--document", "delaftale", "--area", sub.focus_area.slug,
                 "--output", str(target))
    assert "Skoleparathed for førskolebørn." in docx_text(target.read_bytes())
    with pytest.raises(CommandError, match="Økonomiopfølgning findes ikke som Word-fil"):
        call_command("render_pdf", plan.slug, "--document", "okonomiopfolgning", "--output", str(target))


def _soffice_pdf(source: Path, workdir: Path) -> bytes:
    """``soffice --headless --convert-to pdf`` with a throwaway profile; fails on an error or a timeout."""
    profile = workdir / "profile"
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(workdir / "out"), str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    target = workdir / "out" / (source.stem + ".pdf")
    assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    return target.read_bytes()


@pytest.mark.libreoffice
@pytest.mark.skipif(not SOFFICE.exists(), reason=(
    "LibreOffice is missing at /usr/bin/soffice (install with 'apt-get install libreoffice-writer-nogui'; "
    "CI does this in .ci/setup-system)"))
def test_libreoffice_converts_every_kind_with_the_same_text(tmp_path):
    """One document per kind, converted in one LibreOffice run each; the PDF's words are the file's words."""
    plan = plan_with_activities(2, sub_agreements=1)
    area = plan.sub_agreements.get().focus_area.slug
    for kind in word.WORD_KINDS:
        document = builders.build_document(plan=plan, kind=kind, area_slug=area)
        content = word.render_docx(document)
        source = tmp_path / f"{kind}.docx"
        source.write_bytes(content)
        pdf_text = " ".join(pdf_pages(_soffice_pdf(source, tmp_path)))
        # Word breaks long words in narrow cells; compare the words without any whitespace.
        expected, printed = "".join(docx_text(content).split()), "".join(BULLET_GLYPHS.sub("", pdf_text).split())
        first = next((i for i, (a, b) in enumerate(zip(expected, printed, strict=False)) if a != b),
                     min(len(expected), len(printed)))
        window = slice(max(0, first - 40), first + 40)
        assert printed == expected, f"{kind}: file …{expected[window]}… PDF …{printed[window]}…"
