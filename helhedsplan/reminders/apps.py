from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders computed from the plans' own data, sent daily by ``manage.py send_reminders``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.reminders"
    label = "reminders"
    verbose_name = "Påmindelser"
