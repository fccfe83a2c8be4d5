"""Shared helpers for the document tests: PDF text extraction and a plan of a given size."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from agreements.models import HousingDepartment
from budgets.models import BudgetLine
from tests.factories.agreements import (
    ActivityFactory,
    AgreementPartyFactory,
    ContactFactory,
    HousingAreaFactory,
    OrganisationFactory,
    PlanFactory,
    StaffResourceFactory,
    StrategicAgreementFactory,
    SubAgreementFactory,
    SubAgreementPartyFactory,
)
from tests.factories.budgets import BudgetFactory, BudgetFootnoteFactory, BudgetLineFactory
from tests.factories.indicators import (
    GoalFactory,
    GoalIndicatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SubGoalFactory,
)

GUIDANCE = [
    "Her beskrives",
    "Her oplistes",
    "Kort beskrivelse af",
    "Her anføres",
    "Her redegøres",
    "Kan beskrives i punktform",
    "tilføj skemaer",
    "Beskrivelse af målgruppen/målgrupperne",
]


HYPHENATED_LINE_END = re.compile(r"(?<=[a-zæøå])-\n(?=[a-zæøå])")


def normalize(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, whitespace normalised."""
    reader = PdfReader(io.BytesIO(content))
    return [normalize(dehyphenate(page.extract_text() or "")) for page in reader.pages]


def dehyphenate(text: str) -> str:
    """Words the PDF hyphenated at a line end (a narrow table column), read back whole: "skole-\\nparate"."""
    return HYPHENATED_LINE_END.sub("", text)


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts the PDF uses (without the subset prefix)."""
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def footer_numbers(pages: list[str]) -> list[tuple[int, int]]:
    """``(X, Y)`` of the "Side X af Y" footer found on each page (one per page, in order)."""
    found = []
    for text in pages:
        match = re.search(r"Side (\d+) af (\d+)", text)
        found.append((int(match.group(1)), int(match.group(2))) if match else None)
    return found


def plan_with_activities(count: int, *, sub_agreements: int = 2):
    """A complete plan (budget, goals, delmål with values) whose delaftaler hold ``count`` activities."""
    plan = PlanFactory()
    agreement = StrategicAgreementFactory(plan=plan, documents="En delaftale\nEt budget")
    for _ in range(3):
        AgreementPartyFactory(agreement=agreement)
    areas = [HousingAreaFactory(plan=plan) for _ in range(2)]
    housing_org = OrganisationFactory()
    for number, area in enumerate(areas, start=1):
        HousingDepartment.objects.create(housing_area=area, organisation=housing_org, number=str(number))
    subs = [SubAgreementFactory(plan=plan) for _ in range(sub_agreements)]
    for sub in subs:
        contact = ContactFactory()
        SubAgreementPartyFactory(sub_agreement=sub, organisation=contact.organisation, contacts=[contact])
        SubAgreementPartyFactory(sub_agreement=sub)
        StaffResourceFactory(sub_agreement=sub)
        StaffResourceFactory(sub_agreement=sub, percent=None, hours_per_week=9)
    budget = BudgetFactory(plan=plan)
    BudgetLineFactory(budget=budget)
    BudgetFootnoteFactory(budget=budget)
    goal = GoalFactory(plan=plan, focus_area=subs[0].focus_area)
    GoalIndicatorFactory(goal=goal)
    for sub in subs:
        BudgetLineFactory(budget=budget, section=BudgetLine.Section.FOCUS_AREA, focus_area=sub.focus_area,
                          expense_type=None)
        indicator = IndicatorFactory(sub_goal=SubGoalFactory(sub_agreement=sub))
        IndicatorValueFactory(indicator=indicator, year=plan.years[1])
    organisation = OrganisationFactory()
    contact = ContactFactory(organisation=organisation)
    for index in range(count):
        activity = ActivityFactory(sub_agreement=subs[index % len(subs)], locations="Beboerhuset",
                                   anchoring="Forankres i skolen.")
        activity.housing_areas.set(areas)
        activity.responsible_organisations.set([organisation])
        activity.contacts.set([contact])
    return plan
