from django.apps import AppConfig


class TeamConfig(AppConfig):
    """A plan's team: its members and the invitations the sekretariat sends."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.team"
    label = "team"
    verbose_name = "Planens team"
