"""The admin shows approvals and bestyrelsesmøder; it never adds, edits or deletes them (the services do)."""

from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Approval, BoardMeeting


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


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "strategic_agreement", "sub_agreement"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BoardMeeting)
class BoardMeetingAdmin(SimpleHistoryAdmin):
    """Meetings are kept on the plan's pages (their agenda approvals are frozen): shown here, not edited."""

    list_display = ["date", "plan", "place", "created_by"]
    list_filter = ["plan"]
    search_fields = ["place", "referat", "plan__name"]
    list_select_related = ["plan", "created_by"]
    date_hierarchy = "date"
    readonly_fields = ["plan", "date", "place", "referat", "created_by", "created_at"]
    inlines = [AgendaItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
