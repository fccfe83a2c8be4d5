from django.contrib import admin

from .models import AddressOptOut, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "user", "email", "plan", "delivery", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status", "delivery"]
    search_fields = ["user__username", "user__email", "email", "subject", "event_key"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.register(NotificationPreference)
admin.site.register(AddressOptOut)
