"""The admin lists the rendered documents (bookkeeping of the background worker); it changes none."""

from django.contrib import admin

from .models import RenderedDocument


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = ["document", "plan", "requested_at", "rendered_at", "has_failed"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["document", "plan__name", "key"]
    date_hierarchy = "requested_at"
    exclude = ["file"]  # files are handed out only by the access-checked downloads

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "file"] + ["stored_as"]

    @admin.display(description="gemt som")
    def stored_as(self, obj: RenderedDocument) -> str:
        return obj.file.name or "–"

    @admin.display(boolean=True, description="fejlet")
    def has_failed(self, obj: RenderedDocument) -> bool:
        return obj.has_failed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
