"""A small plan with a hand-checked budget (figures modelled on the Amager budgetark)."""

from datetime import date

import pytest

from agreements.models import FocusArea
from budgets.models import BudgetLine
from tests.factories.agreements import PlanFactory, PlanFocusAreaFactory, PuljeFactory
from tests.factories.budgets import BudgetFactory, BudgetFootnoteFactory, BudgetLineFactory, expense_types
from tests.stored_files import BACKENDS, StoredFiles, stored_files

CROSS, AREA, LOCAL = (BudgetLine.Section.CROSS_CUTTING, BudgetLine.Section.FOCUS_AREA,
                      BudgetLine.Section.LOCAL_EVALUATION)


def yearly(*amounts: int, start: int = 2022) -> dict[str, int]:
    return {str(start + index): amount for index, amount in enumerate(amounts) if amount}


def focus_area(pulje, name: str, order: int) -> FocusArea:
    slug = name.lower().replace(" ", "-").replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    area, _ = FocusArea.objects.get_or_create(pulje=pulje, name=name, defaults={"slug": slug, "order": order})
    return area


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded budgetark wait in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def areas(db):
    pulje = PuljeFactory()
    return {
        "edu": focus_area(pulje, "Uddannelse og livschancer", 1),
        "job": focus_area(pulje, "Beskæftigelse", 2),
        "crime": focus_area(pulje, "Kriminalitetsforebyggelse", 3),
    }


@pytest.fixture
def small_plan(db, areas):
    """Plan 2022–2025 choosing Uddannelse (1) and Beskæftigelse (2), not Kriminalitet (3).

    Totals by hand: Total 6.319 = LBF 4.422 + medfinansiering 1.897 (30,0 %); per year 1.597, 1.542,
    1.574, 1.606. Uddannelse 2.795 (LBF 2.195, lokal 600); Beskæftigelse 2.775 (LBF 2.015, lokal 760).
    """
    types = expense_types()
    plan = PlanFactory(slug="faelles-fremtid", name="Fælles Fremtid", lbf_journal_number="104242",
                       start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    PlanFocusAreaFactory(plan=plan, focus_area=areas["edu"], order=1)
    PlanFocusAreaFactory(plan=plan, focus_area=areas["job"], order=2)
    budget = BudgetFactory(plan=plan)
    rows = [
        dict(section=CROSS, name="Økonomistyring", expense_type=types[1], footnote="1",
             amounts=yearly(38, 38, 38, 38), lbf=152),
        dict(section=CROSS, name="Kommunal facilitering (1,9 %)", expense_type=types[3], footnote="2",
             amounts=yearly(135, 134, 134, 134), lbf=0, kom_hours=537),
        dict(section=AREA, focus_area=areas["edu"], name="Boligsocial medarbejder 1", footnote="3 + 4",
             description="Andel af løn", amounts=yearly(662, 635, 651, 667), lbf=2015, bo_cash=300, kom_cash=300),
        dict(section=AREA, focus_area=areas["edu"], name="Aktivitetsmidler", amounts=yearly(45, 45, 45, 45), lbf=180),
        dict(section=AREA, focus_area=areas["job"], name="Boligsocial medarbejder 3",
             amounts=yearly(662, 635, 651, 667), lbf=2015, bo_cash=300, kom_cash=300),
        dict(section=AREA, focus_area=areas["job"], name="Fritidsjob", amounts=yearly(40, 40, 40, 40), lbf=0,
             other=160),
        dict(section=LOCAL, name="Lokal evaluering", footnote="4", amounts=yearly(15, 15, 15, 15), lbf=60),
    ]
    for order, row in enumerate(rows, start=1):
        row.setdefault("expense_type", None)
        BudgetLineFactory(budget=budget, order=order, **row)
    for order, (number, text) in enumerate([
        ("1", "Omfatter oprettelse af projektet i it-systemerne. Ydelsen er 37.500 kr. pr. år."),
        ("2", "Kommunens facilitering, 1,9 % af det samlede budget."),
        ("3", "Lønfastsættelsen sker efter gældende overenskomst."),
        ("4", "Medarbejderens tid fordeles ca. 75 % på lektiehjælp.\nResten på forældresamarbejde."),
    ], start=1):
        BudgetFootnoteFactory(budget=budget, number=number, text=text, order=order)
    return plan


@pytest.fixture(params=BACKENDS)
def stored(request, media_root) -> StoredFiles:
    """The test runs twice: with local files under MEDIA_ROOT and with a bucket on the real S3 server."""
    return stored_files(request, media_root)
