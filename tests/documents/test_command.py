"""``manage.py render_pdf``."""

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.documents.helpers import pdf_pages
from tests.factories.agreements import ActivityFactory, StrategicAgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub_agreement():
    activity = ActivityFactory(name="Lektiecafé Nord")
    StrategicAgreementFactory(plan=activity.sub_agreement.plan)
    return activity.sub_agreement


@pytest.mark.parametrize("kind, expected", [
    ("samarbejdsaftale", "Strategisk samarbejdsaftale om boligsocial indsats"),
    ("budget", "Budgetark for boligsocial indsats"),
    ("samlet", "Lektiecafé Nord"),
])
def test_writes_a_valid_pdf(tmp_path, sub_agreement, kind, expected):
    target = tmp_path / "dokument.pdf"
    call_command("render_pdf", sub_agreement.plan.slug, "--document", kind, "--output", str(target))
    reader = PdfReader(target)
    assert len(reader.pages) >= 1
    assert expected in " ".join(pdf_pages(target.read_bytes()))


def test_writes_a_delaftale(tmp_path, sub_agreement):
    target = tmp_path / "delaftale.pdf"
    call_command("render_pdf", sub_agreement.plan.slug, "--document", "delaftale",
                 "--area", sub_agreement.focus_area.slug, "--output", str(target))
    text = " ".join(pdf_pages(target.read_bytes()))
    assert f"Delaftale for indsatsområdet {sub_agreement.focus_area.name}" in text
    assert "Lektiecafé Nord" in text


def test_danish_errors(tmp_path, sub_agreement):
    slug, target = sub_agreement.plan.slug, str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="Helhedsplanen »findes-ikke« findes ikke"):
        call_command("render_pdf", "findes-ikke", "--document", "samlet", "--output", target)
    area = sub_agreement.focus_area.slug
    with pytest.raises(CommandError, match=f"har ingen delaftale for indsatsområdet »nej«.*{area}"):
        call_command("render_pdf", slug, "--document", "delaftale", "--area", "nej", "--output", target)
    with pytest.raises(CommandError, match="Angiv indsatsområdet med --area"):
        call_command("render_pdf", slug, "--document", "delaftale", "--output", target)
    with pytest.raises(CommandError, match="--area kan kun bruges sammen med --document delaftale"):
        call_command("render_pdf", slug, "--document", "samlet", "--area", "x", "--output", target)
    with pytest.raises(CommandError, match="Kunne ikke skrive"):
        call_command("render_pdf", slug, "--document", "budget", "--output", str(tmp_path / "mangler" / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
