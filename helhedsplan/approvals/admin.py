"""The admin shows approvals; it never adds, edits or deletes them."""

from django.contrib import admin
from django.utils.html import format_html
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
    # The approved HTML is a whole document; the PDF is handed out by the access-checked download.
    exclude = ["html", "pdf"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name not in self.exclude] + ["pdf_link"]

    @admin.display(description="PDF")
    def pdf_link(self, obj: Approval) -> str:
        if obj.has_pdf:
            return format_html('<a href="{}">Hent den godkendte PDF</a>', obj.get_pdf_url())
        return "Dannes af baggrundsarbejderen" if obj.pdf_pending else "Ingen PDF"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
