"""Import/export of the annual follow-up values (xlsx/csv) with django-import-export.

Columns: ``plan`` (kortnavn or navn), ``indsatsområde``, ``indikator`` (its text), ``år``, ``værdi``,
``note``. An indicator is found by its text under the indsatsområde in the plan (overordnede mål
and delmål alike). Imports are all-or-nothing: one bad row and nothing is written.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from import_export import fields, widgets

from agreements.models import Plan
from helhedsplan.importing import AllOrNothingResource

from .models import Indicator, IndicatorValue
from .numbers import parse_number

COLUMN_NAMES = {"plan": "plan", "area": "indsatsområde", "indicator": "indikator", "year": "år",
                "value": "værdi", "note": "note"}


def normalise_text(text: str) -> str:
    """Indicator texts compare without case, punctuation or spacing differences."""
    return " ".join(re.sub(r"[^\w%]+", " ", str(text).casefold().replace("-", " ")).split())


class IndicatorWidget(widgets.ForeignKeyWidget):
    """An indicator named by plan + indsatsområde + text in the same row."""

    def __init__(self, plan: Plan | None = None) -> None:
        super().__init__(Indicator)
        self.plan = plan
        self._plans: dict[str, Plan | None] = {}
        self._indicators: dict[int, dict[tuple[str, str], list[Indicator]]] = {}

    def _plan(self, key: str) -> Plan:
        if self.plan is not None:
            if key and key.casefold() not in {self.plan.slug.casefold(), self.plan.name.casefold()}:
                raise ValueError(f"Rækken hører til helhedsplanen »{key}«, men der importeres til "
                                 f"»{self.plan.name}«.")
            return self.plan
        if not key:
            raise ValueError("Kolonnen »plan« er tom.")
        if key not in self._plans:
            self._plans[key] = Plan.objects.filter(Q(slug__iexact=key) | Q(name__iexact=key)).first()
        if self._plans[key] is None:
            raise ValueError(f"Ukendt helhedsplan »{key}«.")
        return self._plans[key]

    def _index(self, plan: Plan) -> dict[tuple[str, str], list[Indicator]]:
        if plan.pk not in self._indicators:
            index: dict[tuple[str, str], list[Indicator]] = {}
            queryset = Indicator.objects.filter(
                Q(goal__plan=plan) | Q(sub_goal__sub_agreement__plan=plan)
            ).select_related("goal__focus_area", "goal__plan", "sub_goal__sub_agreement__focus_area",
                             "sub_goal__sub_agreement__plan")
            for indicator in queryset:
                key = (indicator.focus_area.name.casefold(), normalise_text(indicator.text))
                index.setdefault(key, []).append(indicator)
            self._indicators[plan.pk] = index
        return self._indicators[plan.pk]

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            raise ValueError("Kolonnen »indikator« er tom.")
        row = row or {}
        plan = self._plan(str(row.get(COLUMN_NAMES["plan"]) or "").strip())
        area = str(row.get(COLUMN_NAMES["area"]) or "").strip()
        if not area:
            raise ValueError("Kolonnen »indsatsområde« er tom.")
        matches = self._index(plan).get((area.casefold(), normalise_text(text)), [])
        if not matches:
            raise ValueError(f"Ukendt indikator »{text}« under indsatsområdet »{area}« i »{plan.name}«.")
        if len(matches) > 1:
            raise ValueError(f"Indikatoren »{text}« findes flere gange under indsatsområdet »{area}«; "
                             "ret teksten i planen, så den er entydig.")
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return value.text if value is not None else ""


class YearWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            raise ValueError("Året mangler.")
        try:
            number = parse_number(value)
        except ValueError:
            raise ValueError(f"»{value}« er ikke et årstal.") from None
        if number is None or number != number.to_integral_value() or not 1900 <= number <= 2200:
            raise ValueError(f"»{value}« er ikke et årstal.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value  # an int, never localised ("2.023")


class NumberWidget(widgets.Widget):
    """Danish or plain decimals; text that is no number is kept for non-numeric indicators."""

    def clean(self, value, row=None, **kwargs):
        return value  # parsed in IndicatorValueResource.import_field, where the unit is known

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return float(value) if isinstance(value, Decimal) else value


class IndicatorValueResource(AllOrNothingResource):
    plan = fields.Field(column_name=COLUMN_NAMES["plan"], attribute=None, readonly=True)
    area = fields.Field(column_name=COLUMN_NAMES["area"], attribute=None, readonly=True)
    indicator = fields.Field(attribute="indicator", column_name=COLUMN_NAMES["indicator"], widget=IndicatorWidget())
    year = fields.Field(attribute="year", column_name=COLUMN_NAMES["year"], widget=YearWidget())
    value = fields.Field(attribute="value", column_name=COLUMN_NAMES["value"], widget=NumberWidget())
    note = fields.Field(attribute="note", column_name=COLUMN_NAMES["note"], widget=widgets.CharWidget())

    class Meta:
        model = IndicatorValue
        import_id_fields = ["indicator", "year"]
        fields = ["plan", "area", "indicator", "year", "value", "note"]
        clean_model_instances = True
        skip_diff = True

    def __init__(self, plan: Plan | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.import_plan = plan
        self.fields["indicator"].widget = IndicatorWidget(plan)
        self._seen: dict[tuple[int, int], int] = {}

    # --- import -----------------------------------------------------------------------------------
    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # the same error is reported for the field by import_instance()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "value":
            raw = row.get(field.column_name)
            indicator = getattr(instance, "indicator", None) if instance.indicator_id else None
            try:
                instance.value = parse_number(raw)
                instance.value_text = ""
            except ValueError:
                if indicator is not None and not indicator.is_numeric:
                    instance.value, instance.value_text = None, str(raw).strip()
                    return
                unit = f" (indikatorens enhed er »{indicator.get_unit_display()}«)" if indicator else ""
                raise ValueError(f"Værdien »{raw}« er ikke et tal{unit}.") from None
            return
        if field.attribute == "note" and row.get(field.column_name) is None:
            instance.note = ""
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        key = (instance.indicator_id, instance.year)
        number = kwargs.get("row_number")
        if key in self._seen and self._seen[key] != number:
            raise ValidationError({"year": f"Indikatoren står flere gange i filen for året {instance.year}."})
        self._seen[key] = number

    # --- export -----------------------------------------------------------------------------------
    def get_queryset(self):
        return plan_values_queryset(self.import_plan)

    def dehydrate_plan(self, obj: IndicatorValue) -> str:
        return obj.indicator.plan.slug

    def dehydrate_area(self, obj: IndicatorValue) -> str:
        return obj.indicator.focus_area.name


def plan_values_queryset(plan: Plan | None):
    """The plan's (or every plan's) values in table order, with everything the export reads."""
    queryset = IndicatorValue.objects.all()
    if plan is not None:
        queryset = queryset.filter(Q(indicator__goal__plan=plan) | Q(indicator__sub_goal__sub_agreement__plan=plan))
    return queryset.select_related(
        "indicator__goal__plan", "indicator__goal__focus_area",
        "indicator__sub_goal__sub_agreement__plan", "indicator__sub_goal__sub_agreement__focus_area",
    ).order_by(
        Coalesce("indicator__goal__plan__slug", "indicator__sub_goal__sub_agreement__plan__slug"),
        F("indicator__goal__order").asc(nulls_last=True), "indicator__sub_goal__sub_agreement__order",
        "indicator__sub_goal__order", "indicator__order", "indicator_id", "year",
    )
