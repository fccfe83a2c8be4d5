"""The admin: goals, delmål, indicators and values, with history and import/export of values."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from helhedsplan.importing import BoundedImportExportModelAdmin

from .models import Goal, Indicator, IndicatorValue, StandardGoal, StandardIndicator, SubGoal
from .resources import IndicatorValueResource

INDICATOR_FIELDS = ["order", "kind", "text", "unit", "lower_is_better", "target", "target_value", "monitoring",
                    "baseline_area", "baseline_area_value", "baseline_other_label", "baseline_other",
                    "baseline_other_value", "baseline_year", "data_source"]


class StandardIndicatorInline(admin.TabularInline):
    model = StandardIndicator
    extra = 0


@admin.register(StandardGoal)
class StandardGoalAdmin(SimpleHistoryAdmin):
    list_display = ["text", "focus_area"]
    list_filter = ["focus_area__pulje"]
    inlines = [StandardIndicatorInline]


class GoalIndicatorInline(admin.StackedInline):
    model = Indicator
    fk_name = "goal"
    extra = 0
    fields = INDICATOR_FIELDS + ["standard"]


class SubGoalIndicatorInline(admin.StackedInline):
    model = Indicator
    fk_name = "sub_goal"
    extra = 0
    fields = INDICATOR_FIELDS + ["activity"]
    raw_id_fields = ["activity"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["text", "plan", "focus_area", "order"]
    list_filter = ["plan", "focus_area"]
    search_fields = ["text", "plan__name"]
    list_select_related = ["plan", "focus_area"]
    inlines = [GoalIndicatorInline]


@admin.register(SubGoal)
class SubGoalAdmin(SimpleHistoryAdmin):
    list_display = ["text", "sub_agreement", "order"]
    list_filter = ["sub_agreement__plan", "sub_agreement__focus_area"]
    search_fields = ["text"]
    list_select_related = ["sub_agreement__plan", "sub_agreement__focus_area"]
    raw_id_fields = ["sub_agreement"]
    inlines = [SubGoalIndicatorInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["text", "kind", "unit", "target_display", "monitoring", "data_source"]
    list_filter = ["kind", "unit", "monitoring"]
    search_fields = ["text", "data_source"]
    raw_id_fields = ["goal", "sub_goal", "activity"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(BoundedImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [IndicatorValueResource]
    list_display = ["indicator", "year", "value", "value_text", "source"]
    list_filter = ["year", "source"]
    search_fields = ["indicator__text", "note"]
    raw_id_fields = ["indicator"]
    list_select_related = ["indicator"]
