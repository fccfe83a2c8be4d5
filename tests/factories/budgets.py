"""Factories for budgets: udgiftstyper, budgets, lines and footnotes (one module per domain)."""

import factory

from budgets.models import Budget, BudgetFootnote, BudgetLine, ExpenseType
from tests.factories.agreements import PlanFactory

EXPENSE_TYPES = {
    0: "Forlodsudbetaling",
    1: "Administrativ bistand fra boligorg.",
    2: "Mødedeltagelse fra boligorg.",
    3: "Mødedeltagelse fra kommunen",
    4: "Konsulentbistand fra boligorg.",
    5: "Lokale adm.udgifter, kontorhold mv.",
    6: "Lokale anskaffelser",
    7: "Revision",
    8: "Temadage/ erfaringsudveksling",
    9: "Andet (efter aftale med LBF)",
}


class ExpenseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseType
        django_get_or_create = ["code"]

    code = 1
    name = factory.LazyAttribute(lambda o: EXPENSE_TYPES.get(o.code, f"Udgiftstype {o.code}"))


def expense_types() -> dict[int, ExpenseType]:
    """All ten udgiftstyper, as the reference data has them."""
    return {code: ExpenseTypeFactory(code=code) for code in EXPENSE_TYPES}


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget
        django_get_or_create = ["plan"]

    plan = factory.SubFactory(PlanFactory)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A balanced tværgående line of 100 t.kr. a year in 2022–2025, paid by LBF."""

    class Meta:
        model = BudgetLine

    budget = factory.SubFactory(BudgetFactory)
    section = BudgetLine.Section.CROSS_CUTTING
    name = factory.Sequence(lambda n: f"Økonomistyring {n}")
    expense_type = factory.LazyAttribute(
        lambda o: ExpenseTypeFactory(code=1) if o.section == BudgetLine.Section.CROSS_CUTTING else None)
    order = factory.Sequence(lambda n: n + 1)
    amounts = factory.LazyFunction(lambda: {"2022": 100, "2023": 100, "2024": 100, "2025": 100})
    lbf = 400


class BudgetFootnoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetFootnote

    budget = factory.SubFactory(BudgetFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    text = "Omfatter løn og administration."
    order = factory.Sequence(lambda n: n + 1)


def one_of_everything(*, plan) -> None:
    """One object of every budgets model for ``plan`` (for admin smoke tests)."""
    line = BudgetLineFactory(budget=BudgetFactory(plan=plan))
    BudgetFootnoteFactory(budget=line.budget)
