"""The admin shows approvals; it never adds, edits or deletes them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Approval


@admin.register(Approval)
class ApprovalAdmin(SimpleHistoryAdmin):
    """Approvals are frozen snapshots: the admin shows them, never adds, edits or deletes them."""

    list_display = ["title", "plan", "kind", "number", "meeting_date", "approved_by_name", "requires_lbf_approval"]
    list_filter = ["plan", "kind", "requires_lbf_approval"]
    search_fields = ["title", "referat", "plan__name"]
    list_select_related = ["plan"]
    date_hierarchy = "meeting_date"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
