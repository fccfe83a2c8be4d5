"""Every document of every demo plan, read back from the PDF.

The PDFs are rendered once per module (inside a transaction that is rolled back) and the tests
assert on the extracted text.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from agreements.demo import DEMO_PLAN_SLUGS
from agreements.models import Plan
from helhedsplan.documents import builders as documents
from helhedsplan.documents import pdf
from helhedsplan.formatting import format_date, format_kroner, format_number, format_percent
from helhedsplan.workspace.demo import demo_meeting_date
from tests.documents.helpers import GUIDANCE, footer_numbers, normalize, pdf_fonts, pdf_pages

#: The demo plans in LBF's layout; the Copenhagen contract prints as a contract (``test_contract``).
LBF_LAYOUT_SLUGS = [slug for slug in DEMO_PLAN_SLUGS if slug != "bispebjerg-udsatte-grupper"]

SAMARBEJDSAFTALE_HEADINGS = [
    "Strategisk samarbejdsaftale om boligsocial indsats",
    "Områdets navn",
    "Aftalens parter",
    "Samarbejdsaftalen gælder fra – til",
    "Underskrifter",
    "Aftaledokumenter",
    "1. Kort om boligområdet",
    "2. Vision for boligområdet",
    "3. Organisering",
    "4. Samspil med centrale tiltag og indsatser i boligområdet",
    "5. Overordnede mål og indikatorer for den boligsociale indsats",
    "6. Indsatsområder",
    "Problemkompleks for indsatsområdet",
    "7. Lokal evaluering",
    "8. Revision af samarbejdsaftalen",
]
DELAFTALE_HEADINGS = [
    "Navn på den boligsociale indsats, som delaftalen vedrører",
    "Delaftalen gælder fra – til",
    "Delaftalens parter",
    "Delmål og indikatorer for indsatsområdet",
    "Aktiviteter, som skal bidrage til indfrielsen af delmålene for indsatsområdet og understøtte opnåelsen af "
    "de overordnede mål jf. den strategiske samarbejdsaftale",
    "Medarbejderressourcer for indsatsområdet",
    "Sammenhæng med den kommunale indsats i boligområdet",
    "Indsatsområdets økonomi i henhold til budget",
    "Revision af delaftalen",
]
SKEMA_FIELDS = ["Aktivitetsnavn", "Formål", "Målgruppe(r)", "Indhold og praksis", "Ansvars- og rollefordeling"]
BUDGET_HEADINGS = [
    "Budgetark for boligsocial indsats inden for",
    "Start boligsocial indsats",
    "Slut boligsocial indsats",
    "Udgiftsposter",
    "Udgiftstype",
    "Projektperiode – udgifter",
    "Samlede udgifter",
    "Finansiering",
    "Medfinansiering boligorganisation(er)",
    "Medfinansiering kommune",
    "Evt. anden lokal medfinans.",
    "Tværgående administrationsudgifter",
    "Lokal evaluering",
    "Total",
    "Samlet medfinansiering",
    "Balance",
    "Medfinans. %",
]


def _render(document: documents.Document) -> dict:
    content = pdf.render_pdf(document.render_html())
    pages = pdf_pages(content)
    return {"pages": pages, "text": normalize(" ".join(pages)), "context": document.context,
            "fonts": pdf_fonts(content)}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """{slug: {"plan": {...}, "docs": {name: rendered}}} for every demo plan (the session's demo data)."""
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for plan in Plan.objects.filter(slug__in=DEMO_PLAN_SLUGS).select_related("pulje"):
            subs = list(plan.sub_agreements.select_related("focus_area").prefetch_related("activities"))
            info = {
                "name": plan.name,
                "meeting_date": demo_meeting_date(plan),
                "focus_areas": [choice.focus_area.name
                                for choice in plan.plan_focus_areas.select_related("focus_area")],
                "parties": [party.organisation.name for party in
                            plan.strategic_agreement.parties.select_related("organisation")],
                "subs": {sub.focus_area.slug: {"name": sub.focus_area.name,
                                               "activities": [a.name for a in sub.activities.all()],
                                               "staff": [s.function for s in sub.staff_resources.all()]}
                         for sub in subs},
            }
            docs = {kind: _render(documents.build_document(plan=plan, kind=kind))
                    for kind in (documents.SAMARBEJDSAFTALE, documents.BUDGET, documents.SAMLET)}
            for slug in info["subs"]:
                docs[f"delaftale:{slug}"] = _render(documents.delaftale_document(plan=plan, area_slug=slug))
            result[plan.slug] = {"plan": info, "docs": docs, "has_budget": hasattr(plan, "budget")}
        transaction.set_rollback(True)
    return result


def test_every_demo_plan_was_rendered(demo):
    assert set(demo) == set(DEMO_PLAN_SLUGS)


def _squeeze(text: str) -> str:
    """Without whitespace and hyphens: a line may break after "/" or "–", where extraction adds a space,
    and a narrow column hyphenates a word ("Sundheds- og" may come back as "Sundhedsog")."""
    return "".join(text.split()).replace("-", "")


def _missing(text: str, expected: list[str]) -> list[str]:
    return [item for item in expected if _squeeze(item) not in _squeeze(text)]


@pytest.mark.parametrize("slug", LBF_LAYOUT_SLUGS)
def test_samarbejdsaftale_has_every_heading_party_and_focus_area(demo, slug):
    plan, doc = demo[slug]["plan"], demo[slug]["docs"][documents.SAMARBEJDSAFTALE]
    assert _missing(doc["text"], SAMARBEJDSAFTALE_HEADINGS + plan["parties"] + plan["focus_areas"]) == []
    rows = doc["context"]["goal_rows"]
    goals = [row["goal_text"] for row in rows if row["goal_text"]]
    assert _missing(doc["text"], goals + [row["indicator_text"] for row in rows if row["indicator"]]) == []


@pytest.mark.parametrize("slug", LBF_LAYOUT_SLUGS)
def test_each_delaftale_has_every_field_activity_and_skema(demo, slug):
    plan = demo[slug]["plan"]
    assert plan["subs"]
    for area, sub in plan["subs"].items():
        doc = demo[slug]["docs"][f"delaftale:{area}"]
        expected = [f"Delaftale for indsatsområdet {sub['name']}"] + DELAFTALE_HEADINGS + sub["activities"] \
            + sub["staff"]
        if sub["activities"]:
            expected += SKEMA_FIELDS
        assert _missing(doc["text"], expected) == [], area
        entry = doc["context"]["entry"]
        rows = [row["sub_goal_text"] for row in entry.subgoal_rows if row["sub_goal_text"]] + \
            [row["indicator_text"] for row in entry.subgoal_rows if row["indicator"]]
        assert _missing(doc["text"], rows) == [], area
        if entry.economy is not None:
            economy = entry.economy
            assert f"Landsbyggefonden {format_kroner(economy.lbf)}" in doc["text"], area
            assert f"Lokal medfinansiering {format_kroner(economy.local)}" in doc["text"], area
            assert f"Samlet budget for indsatsområdet {format_kroner(economy.total)}" in doc["text"], area
        else:
            assert "Budgettet for indsatsområdet er ikke udfyldt endnu." in doc["text"], area
        for name in sub["activities"]:  # listed once and once more as the skema's title
            assert _squeeze(doc["text"]).count(_squeeze(name)) >= 2, name


@pytest.mark.parametrize("slug", DEMO_PLAN_SLUGS)
def test_budgetark_has_the_lbf_sheet(demo, slug):
    plan, doc = demo[slug]["plan"], demo[slug]["docs"][documents.BUDGET]
    sheet = doc["context"]["budget_sheet"]
    sections = [section["heading"] for section in sheet["sections"]]
    assert len(sections) == len(plan["focus_areas"]) + 2
    assert all(any(name in heading for heading in sections) for name in plan["focus_areas"])
    assert _missing(doc["text"], BUDGET_HEADINGS + sections) == []
    if not doc["context"]["budget_filled"]:
        assert "Budgettet er ikke udfyldt endnu." in doc["text"]
        return
    sheet = doc["context"]["budget_sheet"]
    names = [item["name"] for section in sheet["sections"] for item in section["lines"]]
    assert names and _missing(doc["text"], names) == []
    totals = sheet["totals"]
    assert f"Total {' '.join(format_number(a) for a in totals['amounts'])} {format_number(totals['total'])}" \
        in doc["text"]
    assert f"Balance {format_number(totals['balance'])}" in doc["text"]
    assert f"Medfinans. % {format_percent(totals['cofinancing_percent'])}" in doc["text"]
    assert _missing(doc["text"], [f"{note['number']})" for note in sheet["footnotes"]]) == []


@pytest.mark.parametrize("slug", LBF_LAYOUT_SLUGS)
def test_samlet_plan_has_contents_with_page_numbers_and_everything(demo, slug):
    plan, doc = demo[slug]["plan"], demo[slug]["docs"][documents.SAMLET]
    activities = [name for sub in plan["subs"].values() for name in sub["activities"]]
    delaftaler = [f"Delaftale for indsatsområdet {sub['name']}" for sub in plan["subs"].values()]
    expected = (["Indhold", "Opfølgning på indikatorer"] + SAMARBEJDSAFTALE_HEADINGS + DELAFTALE_HEADINGS
                + BUDGET_HEADINGS + activities + delaftaler + plan["parties"])
    assert _missing(doc["text"], expected) == []
    # The contents page lists each part with the page it starts on (leader + target-counter).
    pages = doc["pages"]
    contents = pages[1]
    assert "Indhold" in contents
    parts = ["Strategisk samarbejdsaftale om boligsocial indsats", *delaftaler, "Budgetark for boligsocial indsats",
             "Opfølgning på indikatorer"]
    toc_titles = ["Strategisk samarbejdsaftale", *delaftaler, "Budgetark", "Opfølgning på indikatorer"]
    for heading, toc_title in zip(parts, toc_titles, strict=True):
        start = next(number for number, text in enumerate(pages, start=1) if number > 2 and heading in text)
        listed = re.search(re.escape(toc_title) + r" \.{5,} (\d+)", contents)
        assert listed is not None, toc_title
        assert int(listed.group(1)) == start, toc_title


@pytest.mark.parametrize("slug", DEMO_PLAN_SLUGS)
def test_no_guidance_sentence_is_printed(demo, slug):
    for name, doc in demo[slug]["docs"].items():
        assert [g for g in GUIDANCE if g.lower() in doc["text"].lower()] == [], name


@pytest.mark.parametrize("slug", DEMO_PLAN_SLUGS)
def test_every_page_has_footer_date_and_approval_or_draft_mark(demo, slug):
    """``load_demo`` approves the demo plans' agreements and budgetark once, so they print the approval;
    a plan without a budget prints a blank budgetark marked as a draft."""
    from django.utils import timezone

    today = format_date(timezone.localdate())
    approved = f"Godkendt af bestyrelsen {format_date(demo[slug]['plan']['meeting_date'])}"
    for name, doc in demo[slug]["docs"].items():
        pages = doc["pages"]
        total = len(pages)
        assert pages[0].count(f"Side 1 af {total}") == 1, name
        assert footer_numbers(pages) == [(number, total) for number in range(1, total + 1)], name
        for text in pages:
            assert f"Udskrevet {today}" in text, name
            if name == documents.BUDGET and not demo[slug]["has_budget"]:
                assert "Kladde – ikke godkendt af bestyrelsen" in text, name
                assert "KLADDE" in text, name  # the watermark across the page
            else:
                assert approved in text, name
                assert "KLADDE" not in text and "Kladde – ikke godkendt" not in text, name


@pytest.mark.parametrize("slug", DEMO_PLAN_SLUGS)
def test_only_the_shipped_font_is_used(demo, slug):
    for name, doc in demo[slug]["docs"].items():
        fonts = doc["fonts"]
        assert fonts and all(font.startswith("Helhedsplan-Carlito") for font in fonts), (name, fonts)
