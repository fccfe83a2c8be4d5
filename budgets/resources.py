"""A flat list of budget lines for django-import-export (csv/xlsx in the admin), for people who keep one.

Columns: id, helhedsplan (slug), afsnit (»Tværgående administrationsudgifter«, an indsatsområde's name
or »Lokal evaluering«), udgiftspost, udgiftstype (0–9), beskrivelse, fodnote, rækkefølge, one column
per year (»2022«, …; thousands of kroner), then the financing columns. A row with an id updates that
line, a row without one adds a line; lines not in the file are left alone. All-or-nothing.
This is not LBF's layout; for that use the budgetark (``budgets.xlsx``).
"""

from __future__ import annotations

import re

from import_export import fields
from import_export.widgets import Widget

from agreements.models import FocusArea, Plan
from helhedsplan.importing import AllOrNothingResource, NamedForeignKeyWidget, WholeNumberWidget

from .content import CROSS_CUTTING, FOCUS_AREA, LOCAL_EVALUATION, SECTION_TITLES
from .models import Budget, BudgetLine, ExpenseType

YEAR_HEADER = re.compile(r"^\d{4}$")


def whole_number() -> WholeNumberWidget:
    """Whole numbers as numbers (not localised text), so »2015« stays 2015 in csv and xlsx; a decimal
    (»45,5«) is refused, never rounded."""
    return WholeNumberWidget()


class PlanBudgetWidget(Widget):
    """A budget named by its plan's slug (the budget is created when the plan has none)."""

    def clean(self, value, row=None, **kwargs):
        slug = str(value or "").strip()
        if not slug:
            raise ValueError("Angiv helhedsplanens kortnavn.")
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise ValueError(f"Ukendt helhedsplan »{slug}«.")
        budget, _ = Budget.objects.get_or_create(plan=plan)
        return budget

    def render(self, value, obj=None, **kwargs):
        return value.plan.slug if value else ""


class SectionField(fields.Field):
    """»afsnit«: sets section and indsatsområde from one cell."""

    def get_value(self, instance):
        return instance.section_label if instance.section else ""

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = " ".join(str(row.get(self.column_name) or "").split())
        key = text.casefold()
        if key == SECTION_TITLES[CROSS_CUTTING].casefold():
            instance.section, instance.focus_area = CROSS_CUTTING, None
        elif key == SECTION_TITLES[LOCAL_EVALUATION].casefold():
            instance.section, instance.focus_area = LOCAL_EVALUATION, None
        else:
            name = re.sub(r"^\d+\.\s*", "", text)
            pulje_id = instance.budget.plan.pulje_id if instance.budget_id else None
            area = FocusArea.objects.filter(pulje_id=pulje_id, name__iexact=name).first()
            if area is None:
                raise ValueError(f"Ukendt afsnit »{text}«: skriv »Tværgående administrationsudgifter«, "
                                 "»Lokal evaluering« eller navnet på et af puljens indsatsområder.")
            instance.section, instance.focus_area = FOCUS_AREA, area


class YearAmountField(fields.Field):
    """One year's amount (thousands of kroner) stored in ``BudgetLine.amounts``."""

    def __init__(self, year: int):
        super().__init__(attribute="amounts", column_name=str(year), widget=whole_number())
        self.year = year

    def get_value(self, instance):
        return (instance.amounts or {}).get(str(self.year), 0)

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        amounts = dict(instance.amounts or {})
        if value:
            amounts[str(self.year)] = value
        else:
            amounts.pop(str(self.year), None)
        instance.amounts = amounts


class BudgetLineResource(AllOrNothingResource):
    id = fields.Field(attribute="id", column_name="id", widget=whole_number())
    budget = fields.Field(attribute="budget", column_name="helhedsplan", widget=PlanBudgetWidget())
    section = SectionField(attribute="section", column_name="afsnit")
    name = fields.Field(attribute="name", column_name="udgiftspost")
    expense_type = fields.Field(attribute="expense_type", column_name="udgiftstype",
                                widget=NamedForeignKeyWidget(ExpenseType, field="code"))
    description = fields.Field(attribute="description", column_name="beskrivelse")
    footnote = fields.Field(attribute="footnote", column_name="fodnote")
    order = fields.Field(attribute="order", column_name="rækkefølge", widget=whole_number(), default=0)
    lbf = fields.Field(attribute="lbf", column_name="LBF", widget=whole_number(), default=0)
    bo_cash = fields.Field(attribute="bo_cash", column_name="boligorganisation kontant", widget=whole_number(),
                           default=0)
    bo_hours = fields.Field(attribute="bo_hours", column_name="boligorganisation timer og lokaler",
                            widget=whole_number(), default=0)
    kom_cash = fields.Field(attribute="kom_cash", column_name="kommune kontant", widget=whole_number(), default=0)
    kom_hours = fields.Field(attribute="kom_hours", column_name="kommune timer og lokaler", widget=whole_number(),
                             default=0)
    other = fields.Field(attribute="other", column_name="anden lokal medfinansiering", widget=whole_number(),
                         default=0)

    class Meta:
        model = BudgetLine
        import_id_fields = ["id"]
        fields = ["id", "budget", "section", "name", "expense_type", "description", "footnote", "order",
                  "lbf", "bo_cash", "bo_hours", "kom_cash", "kom_hours", "other"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    FINANCING = ["lbf", "bo_cash", "bo_hours", "kom_cash", "kom_hours", "other"]

    def __init__(self, years: list[int] | None = None, **kwargs):
        super().__init__(**kwargs)
        if years is None:  # the years of every plan that has a budget
            plans = Plan.objects.filter(budget__isnull=False).only("start_date", "end_date")
            years = sorted({year for plan in plans for year in plan.years})
        self.add_years(years)

    def add_years(self, years) -> None:
        for year in years:
            self.fields.setdefault(f"year_{year}", YearAmountField(year))

    def _column_order(self) -> tuple[str, ...]:
        years = sorted(name for name in self.fields if name.startswith("year_"))
        return (*self._meta.fields[:8], *years, *self.FINANCING)

    def get_import_order(self):
        return self._column_order()

    def get_export_order(self):
        return self._column_order()

    def before_import(self, dataset, **kwargs):
        self.add_years(int(header) for header in dataset.headers or [] if YEAR_HEADER.match(str(header).strip()))
        super().before_import(dataset, **kwargs)

    def get_queryset(self):
        return BudgetLine.objects.select_related("budget__plan", "focus_area", "expense_type").order_by(
            "budget__plan__slug", "order", "id")
