"""The admin: budgets with their lines (one amount field per plan year) and footnotes inline."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from helhedsplan.formatting import format_number
from helhedsplan.importing import BoundedImportExportModelAdmin

from .calculations import FINANCING_FIELDS
from .forms import budget_line_form_class, years_of
from .models import Budget, BudgetFootnote, BudgetLine, ExpenseType
from .resources import BudgetLineResource


@admin.register(ExpenseType)
class ExpenseTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "description"]


class BudgetFootnoteInline(admin.TabularInline):
    model = BudgetFootnote
    extra = 0
    fields = ["number", "text", "order"]


class BudgetLineInline(admin.StackedInline):
    """The lines of one budget; the year fields follow the plan's period."""

    model = BudgetLine
    extra = 0
    show_change_link = True
    classes = ["collapse"]

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None:
            years = sorted({year for line in obj.lines.all() for year in years_of(line)})
            kwargs["form"] = budget_line_form_class(obj.plan, years=years, with_staff=False)
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("focus_area", "expense_type")


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "line_count", "source_name", "updated_at", "sheet_link"]
    search_fields = ["plan__name", "plan__slug"]
    list_select_related = ["plan"]
    readonly_fields = ["updated_at", "sheet_link"]
    inlines = [BudgetLineInline, BudgetFootnoteInline]

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "plan"] if obj is not None else self.readonly_fields

    @admin.display(description="udgiftsposter")
    def line_count(self, obj: Budget) -> int:
        return obj.lines.count()

    @admin.display(description="budgetark")
    def sheet_link(self, obj: Budget) -> str:
        if not obj.pk:
            return ""
        return format_html('<a href="{}">Vis budgetarket</a>', reverse("budgets:sheet", args=[obj.plan.slug]))


@admin.register(BudgetLine)
class BudgetLineAdmin(BoundedImportExportModelAdmin, SimpleHistoryAdmin):
    """Lines one at a time (with their staff resources), and the flat csv/xlsx import/export."""

    resource_classes = [BudgetLineResource]
    list_display = ["name", "plan", "section_display", "expense_type", "footnote", "total_display", "lbf"]
    list_filter = ["section", "budget__plan", "expense_type"]
    search_fields = ["name", "description", "budget__plan__name"]
    list_select_related = ["budget__plan", "focus_area", "expense_type"]
    filter_horizontal = ["staff_resources"]

    # Adding a line here takes its amounts as JSON ({"2022": 38}); once saved (or on the budget's own
    # page, or the budget page in the app) it gets one field per plan year.
    add_fields = ["budget", "section", "focus_area", "name", "expense_type", "description", "footnote", "order",
                  "amounts", *FINANCING_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = budget_line_form_class(obj.budget.plan, years=years_of(obj))
            kwargs["fields"] = None
        else:
            kwargs["fields"] = self.add_fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        form = self.get_form(request, obj)
        return [(None, {"fields": list(form.base_fields)})]

    @admin.display(description="helhedsplan", ordering="budget__plan__name")
    def plan(self, obj: BudgetLine):
        return obj.budget.plan

    @admin.display(description="afsnit")
    def section_display(self, obj: BudgetLine) -> str:
        return obj.section_label

    @admin.display(description="samlede udgifter (t.kr.)")
    def total_display(self, obj: BudgetLine) -> str:
        return format_number(obj.total)
