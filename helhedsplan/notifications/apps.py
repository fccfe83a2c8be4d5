from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail and in-app notifications: one row per recipient and event, sent by the background worker."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.notifications"
    label = "notifications"
    verbose_name = "Varsler"

