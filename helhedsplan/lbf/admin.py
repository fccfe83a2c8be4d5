"""LBF-udtræk in the admin (read-only)."""

from django.contrib import admin

from .models import LbfExport


@admin.register(LbfExport)
class LbfExportAdmin(admin.ModelAdmin):
    """Read-only: exports are made by the export task."""

    list_display = ["created_at", "requested_by", "status", "as_of", "file_size", "expires_at"]
    list_filter = ["status"]
    # The file by its stored name only: a link would bypass the download view's access checks.
    readonly_fields = [field.name for field in LbfExport._meta.fields if field.name != "file"] + ["stored_file"]

    @admin.display(description="fil")
    def stored_file(self, obj: LbfExport) -> str:
        return obj.file.name or "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
