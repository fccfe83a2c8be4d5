from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The plan pages that bring agreements, budget, indicators, approvals and documents together."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.workspace"
    label = "workspace"
    verbose_name = "Arbejdsrum"
