"""The sections fed by budgets, indicators and approvals: real data in, printed figures out.

Without data a section prints its heading and a short neutral line.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils.safestring import mark_safe

from agreements.models import PuljeText
from budgets.models import BudgetLine
from helhedsplan.documents import builders as documents
from helhedsplan.documents import pdf
from tests.documents.helpers import footer_numbers, normalize, pdf_pages
from tests.factories.agreements import ActivityFactory, StrategicAgreementFactory
from tests.factories.budgets import BudgetFactory, BudgetFootnoteFactory, BudgetLineFactory, ExpenseTypeFactory
from tests.factories.indicators import (
    ActivityIndicatorFactory,
    GoalFactory,
    GoalIndicatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SubGoalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub_agreement():
    activity = ActivityFactory(name="HippHopp+")
    StrategicAgreementFactory(plan=activity.sub_agreement.plan)
    return activity.sub_agreement


def pdf_text(document: documents.Document, **kwargs) -> str:
    return normalize(" ".join(pdf_pages(pdf.render_pdf(document.render_html(), **kwargs))))


def delaftale(sub_agreement) -> documents.Document:
    return documents.delaftale_document(plan=sub_agreement.plan, area_slug=sub_agreement.focus_area.slug)


def test_delaftale_prints_economy_from_the_budget_and_the_subgoal_table(sub_agreement):
    budget = BudgetFactory(plan=sub_agreement.plan)
    BudgetLineFactory(budget=budget, section=BudgetLine.Section.FOCUS_AREA, focus_area=sub_agreement.focus_area,
                      name="Boligsocial medarbejder", amounts={"2022": 1500, "2023": 1632}, lbf=2609, bo_cash=523)
    BudgetLineFactory(budget=budget)  # tværgående: not part of the indsatsområde's økonomi
    subgoal = SubGoalFactory(sub_agreement=sub_agreement,
                             text="Børn og unge har et fagligt niveau, der matcher det øvrige samfund")
    IndicatorFactory(sub_goal=subgoal, text="Andel af unge, der opnår 02 i dansk og matematik",
                     baseline_area="80,6 %", baseline_other="92,0 %", baseline_year="2019",
                     data_source="LBF - Boligsociale data")
    ActivityIndicatorFactory(sub_goal=subgoal, text="Deltagende børnefamilier")

    text = pdf_text(delaftale(sub_agreement))
    assert "Landsbyggefonden 2.609.000 kr." in text
    assert "Lokal medfinansiering 523.000 kr." in text
    assert "Samlet budget for indsatsområdet 3.132.000 kr." in text
    assert "Budgettet for indsatsområdet er ikke udfyldt endnu." not in text
    assert "Delmål Indikator Baseline boligområde/ målgruppe Evt. anden baseline Baseline år Datakilde" in text
    assert text.count(subgoal.text) == 1  # printed once for its group of rows
    assert "Andel af unge, der opnår 02 i dansk og matematik Monitorering (ingen mål) 80,6 % 92,0 %" in text
    assert "Akt.nær indikator Deltagende børnefamilier Mål: 40 børnefamilier deltager i HippHopp+" in text


def test_without_data_the_sections_print_their_heading_and_a_neutral_line(sub_agreement):
    text = pdf_text(delaftale(sub_agreement))
    assert "Indsatsområdets økonomi i henhold til budget Budgettet for indsatsområdet er ikke udfyldt endnu." in text
    assert ("Delmål og indikatorer for indsatsområdet Der er endnu ikke registreret delmål og indikatorer "
            "for indsatsområdet.") in text
    text = pdf_text(documents.samarbejdsaftale_document(plan=sub_agreement.plan))
    assert ("opfølgning sker. Der er endnu ikke registreret overordnede mål og indikatorer.") in text
    PuljeText.objects.filter(pulje=sub_agreement.plan.pulje).delete()  # a pulje without LBF's texts
    text = pdf_text(documents.samarbejdsaftale_document(plan=sub_agreement.plan))
    assert ("5. Overordnede mål og indikatorer for den boligsociale indsats Der er endnu ikke registreret "
            "overordnede mål og indikatorer.") in text
    text = pdf_text(documents.budget_document(plan=sub_agreement.plan))
    assert "Budgettet er ikke udfyldt endnu." in text
    assert f"{sub_agreement.focus_area.order}. {sub_agreement.focus_area.name} Sum" in text


def test_samarbejdsaftale_prints_the_goal_table(sub_agreement):
    goal = GoalFactory(plan=sub_agreement.plan, focus_area=sub_agreement.focus_area,
                       text="Der skal ske et fagligt løft af børn og unge")
    GoalIndicatorFactory(goal=goal, text="Andel 1-5 årige i dagtilbud", baseline_area="90,7 %",
                         baseline_other="88,6 %", baseline_year="2019", data_source="LBF - Boligsociale Data")
    GoalIndicatorFactory(goal=goal, text="Karaktergennemsnit i dansk og matematik", baseline_area="4,6",
                         baseline_other="6,6", baseline_year="2019", data_source="LBF - Boligsociale Data")
    text = pdf_text(documents.samarbejdsaftale_document(plan=sub_agreement.plan))
    assert "Mål Indikator Baseline boligområde Baseline kommune (evt. andet) Baseline år Datakilde" in text
    assert text.count(goal.text) == 1
    assert "Andel 1-5 årige i dagtilbud 90,7 % 88,6 %" in text and "2019 LBF - Boligsociale Data" in text
    assert "Der er endnu ikke registreret overordnede mål og indikatorer." not in text


def test_budgetark_prints_the_sheet(sub_agreement):
    budget = BudgetFactory(plan=sub_agreement.plan)
    BudgetLineFactory(budget=budget, name="Økonomistyring", footnote="1", expense_type=ExpenseTypeFactory(code=1),
                      amounts={"2022": 38, "2023": 38, "2024": 38, "2025": 38}, lbf=152)
    BudgetLineFactory(budget=budget, name="Kommunal facilitering", expense_type=ExpenseTypeFactory(code=3),
                      amounts={"2022": 135, "2023": 134, "2024": 134, "2025": 134}, lbf=0, kom_hours=537)
    BudgetLineFactory(budget=budget, section=BudgetLine.Section.FOCUS_AREA, focus_area=sub_agreement.focus_area,
                      expense_type=None, name="Projektleder 25 %", amounts={"2022": 1000, "2023": 1000},
                      lbf=1500, bo_cash=500)
    BudgetFootnoteFactory(budget=budget, number="1", text="Omfatter økonomistyring og regnskab.")

    text = pdf_text(documents.budget_document(plan=sub_agreement.plan))
    assert "2022 2023 2024 2025" in text
    assert "Økonomistyring (1) 1. Administrativ bistand fra boligorg. 38 38 38 38 152 152" in text
    assert "Kommunal facilitering 3. Mødedeltagelse fra kommunen 135 134 134 134 537 537" in text
    assert "Sum 173 172 172 172 689 152 0 0 0 537 0" in text
    area = sub_agreement.focus_area
    assert f"{area.order}. {area.name} Projektleder 25 % 1.000 1.000 2.000 1.500 500 Sum" in text
    assert "Total 1.173 1.172 172 172 2.689 1.652 500 537 0" in text
    assert "Samlet medfinansiering 1.037 Balance 0 Medfinans. % 38,6 %" in text
    assert "1) Omfatter økonomistyring og regnskab." in text
    assert "Budgettet er ikke udfyldt endnu." not in text


def test_samlet_plan_charts_indicators_with_values(sub_agreement):
    indicator = IndicatorFactory(sub_goal=SubGoalFactory(sub_agreement=sub_agreement),
                                 text="Andel 1-5 årige i dagtilbud")
    IndicatorFactory(sub_goal=indicator.sub_goal, text="Uden værdier endnu")
    IndicatorValueFactory(indicator=indicator, year=2022, value=Decimal("82.5"))
    IndicatorValueFactory(indicator=indicator, year=2023, value=Decimal("84"))

    document = documents.samlet_document(plan=sub_agreement.plan)
    assert [chart["title"] for chart in document.context["charts"]] == ["Andel 1-5 årige i dagtilbud"]
    fetcher = pdf.StaticFilesURLFetcher()
    text = pdf_text(document, url_fetcher=fetcher)
    assert fetcher.refused == []
    assert "Opfølgning på indikatorer" in text
    assert f"{indicator.sub_goal.text} Andel 1-5 årige i dagtilbud" in text
    assert "82,5" in text and "84" in text  # the values printed on the chart's points
    assert "Der er endnu ikke registreret opfølgningsværdier" not in text


def test_a_chart_that_is_not_marked_safe_is_printed_as_text(sub_agreement):
    document = documents.samlet_document(plan=sub_agreement.plan)
    document.context["charts"] = [
        {"title": "Egen", "svg": mark_safe('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
                                           '<text x="4" y="40">Udvikling 2022</text></svg>')},
        {"title": "Usikker", "svg": '<svg><image href="file:///etc/passwd"/></svg>'},
    ]
    html = document.render_html()
    assert "&lt;svg&gt;&lt;image href=&quot;file:///etc/passwd&quot;/&gt;&lt;/svg&gt;" in html
    fetcher = pdf.StaticFilesURLFetcher()
    text = pdf_text(document, url_fetcher=fetcher)
    assert fetcher.refused == []
    assert "Udvikling 2022" in text
    assert '<svg><image href="file:///etc/passwd"/></svg>' in text


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
