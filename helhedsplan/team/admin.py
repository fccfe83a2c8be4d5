from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "plan", "role", "invited_by", "created_at", "sent_count", "accepted_at", "withdrawn_at"]
    list_filter = ["role", "plan"]
    search_fields = ["email", "plan__name"]
    # Invitations are sent, resent and withdrawn on the plan's team page, where the e-mail goes out.
    readonly_fields = ["plan", "email", "role", "invited_by", "created_at", "sent_count", "last_sent_at",
                       "accepted_at", "accepted_by", "withdrawn_at"]

    def has_add_permission(self, request) -> bool:
        return False
