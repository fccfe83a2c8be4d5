from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "phone"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "phone"]
    autocomplete_fields = ["user"]
