"""The sections fed by budgets, indicators and approvals render from their context keys.

Those apps fill the keys (see ``agreements.documents``); these tests pin the contract: given data, the
section prints it; without data, its heading and a neutral line.
"""

from datetime import date

import pytest
from django.utils.safestring import mark_safe

from agreements import documents, pdf
from tests.documents.helpers import footer_numbers, normalize, pdf_pages
from tests.factories.agreements import ActivityFactory, StrategicAgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub_agreement():
    activity = ActivityFactory(name="HippHopp+")
    StrategicAgreementFactory(plan=activity.sub_agreement.plan)
    return activity.sub_agreement


def delaftale(sub_agreement) -> documents.Document:
    return documents.delaftale_document(plan=sub_agreement.plan, area_slug=sub_agreement.focus_area.slug)


def test_delaftale_prints_economy_and_subgoal_table(sub_agreement):
    document = delaftale(sub_agreement)
    entry = document.context["entry"]
    entry.economy = {"lbf": 2609000, "local": 523000, "total": 3132000}
    subgoal = "Børn og unge har et fagligt niveau, der matcher det øvrige samfund"
    entry.subgoal_rows = [
        {"subgoal": subgoal, "indicator": "Andel af unge, der opnår 02 i dansk og matematik",
         "baseline_area": "80,6 %", "baseline_other": "92,0 %", "baseline_year": "2019",
         "data_source": "LBF - Boligsociale data", "target": "Monitorering (ingen mål)"},
        {"subgoal": subgoal, "indicator": "Akt.nær indikator", "baseline_area": "0", "baseline_other": "",
         "baseline_year": "2021", "data_source": "Egen registrering",
         "target": "40 børnefamilier deltager i HippHopp+"},
    ]
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html()))))
    assert "Landsbyggefonden 2.609.000 kr." in text
    assert "Lokal medfinansiering 523.000 kr." in text
    assert "Samlet budget for indsatsområdet 3.132.000 kr." in text
    assert "Budgettet for indsatsområdet er ikke udfyldt endnu." not in text
    assert "Delmål Indikator Baseline boligområde/ målgruppe Evt. anden baseline Baseline år Datakilde" in text
    assert text.count(subgoal) == 1  # printed once for its group of rows
    assert "80,6 % 92,0 % 2019 LBF - Boligsociale data" in text
    assert "40 børnefamilier deltager i HippHopp+" in text
    assert "Monitorering (ingen mål)" in text


def test_without_data_the_sections_print_their_heading_and_a_neutral_line(sub_agreement):
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(delaftale(sub_agreement).render_html()))))
    assert "Indsatsområdets økonomi i henhold til budget Budgettet for indsatsområdet er ikke udfyldt endnu." in text
    assert ("Delmål og indikatorer for indsatsområdet Der er endnu ikke registreret delmål og indikatorer "
            "for indsatsområdet.") in text


def test_samarbejdsaftale_prints_goal_table(sub_agreement):
    document = documents.samarbejdsaftale_document(plan=sub_agreement.plan)
    goal = "Der skal ske et fagligt løft af børn og unge"
    document.context["goal_rows"] = [
        {"goal": goal, "indicator": "Andel 1-5 årige i dagtilbud", "baseline_area": "90,7 %",
         "baseline_municipality": "88,6 %", "baseline_year": "2019", "data_source": "LBF - Boligsociale Data"},
        {"goal": goal, "indicator": "Karaktergennemsnit i dansk og matematik", "baseline_area": "4,6",
         "baseline_municipality": "6,6", "baseline_year": "2019", "data_source": "LBF - Boligsociale Data"},
    ]
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html()))))
    assert ("Mål Indikator Baseline boligområde Baseline kommune (evt. andet) Baseline år Datakilde") in text
    assert text.count(goal) == 1
    assert "90,7 % 88,6 % 2019 LBF - Boligsociale Data" in text
    assert "Der er endnu ikke registreret overordnede mål og indikatorer." not in text


def budget_sheet():
    def row(amounts, total, lbf, bo_cash=None, kom_hours=None):
        return {"amounts": amounts, "total": total, "lbf": lbf, "bo_cash": bo_cash, "bo_hours": None,
                "kom_cash": None, "kom_hours": kom_hours, "other": None}

    line = {**row([38, 38, 38, 38], 152, 152), "name": "Økonomistyring",
            "expense_type": "1. Administrativ bistand fra boligorg.", "footnote_number": 1}
    municipal = {**row([135, 134, 134, 134], 537, None, kom_hours=537), "name": "Kommunal facilitering",
                 "expense_type": "3. Mødedeltagelse fra kommunen", "footnote_number": "8"}
    return {
        "years": [2022, 2023, 2024, 2025],
        "sections": [{"title": "Tværgående administrationsudgifter", "lines": [line, municipal],
                      "sum": row([173, 172, 172, 172], 689, 152, kom_hours=537)}],
        "total": row([173, 172, 172, 172], 689, 152, kom_hours=537),
        "cofinancing_total": 537, "balance": 0, "cofinancing_percent": 77.9,
        "footnotes": [{"number": 1, "text": "Omfatter økonomistyring og regnskab."}],
    }


def test_budgetark_prints_the_sheet(sub_agreement):
    document = documents.budget_document(plan=sub_agreement.plan)
    document.context["budget_sheet"] = budget_sheet()
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html()))))
    assert "2022 2023 2024 2025" in text
    assert "Økonomistyring (1) 1. Administrativ bistand fra boligorg. 38 38 38 38 152 152" in text
    assert "Kommunal facilitering (8)" in text
    assert "Sum 173 172 172 172 689 152 537" in text
    assert "Total 173 172 172 172 689 152 537" in text
    assert "Samlet medfinansiering 537 Balance 0 Medfinans. % 77,9 %" in text
    assert "1) Omfatter økonomistyring og regnskab." in text
    assert "Budgettet er ikke udfyldt endnu." not in text


def test_charts_embed_our_svg_and_escape_anything_else(sub_agreement):
    document = documents.samlet_document(plan=sub_agreement.plan)
    svg = mark_safe('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
                    '<rect width="120" height="40" fill="#1f3864"/><text x="4" y="55">Udvikling 2022</text></svg>')
    document.context["charts"] = [
        {"title": "Andel 1-5 årige i dagtilbud", "svg": svg},
        {"title": "Usikker", "svg": '<svg><image href="file:///etc/passwd"/></svg>'},
    ]
    html = document.render_html()
    assert '<rect width="120"' in html
    assert "&lt;svg&gt;&lt;image href=&quot;file:///etc/passwd&quot;/&gt;&lt;/svg&gt;" in html
    fetcher = pdf.StaticFilesURLFetcher()
    text = normalize(" ".join(pdf_pages(pdf.render_pdf(html, url_fetcher=fetcher))))
    assert fetcher.refused == []
    assert "Andel 1-5 årige i dagtilbud" in text
    assert "Udvikling 2022" in text  # text drawn by the SVG itself
    assert '<svg><image href="file:///etc/passwd"/></svg>' in text  # printed, not drawn
    assert "Der er endnu ikke registreret opfølgningsværdier" not in text


def test_approved_documents_say_so_on_every_page_and_carry_no_draft_mark(sub_agreement):
    document = delaftale(sub_agreement)
    document.context["approval"] = documents.ApprovalMark(date=date(2026, 5, 3))
    html = document.render_html()
    assert 'class="watermark"' not in html
    pages = pdf_pages(pdf.render_pdf(html))
    assert footer_numbers(pages) == [(n, len(pages)) for n in range(1, len(pages) + 1)]
    for text in pages:
        assert "Godkendt af bestyrelsen 3. maj 2026" in text
        assert "KLADDE" not in text and "Kladde" not in text
