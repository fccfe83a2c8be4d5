from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    """The bestyrelse's workflow: approval snapshots, the approval state, changes and history."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.approvals"
    label = "approvals"
    verbose_name = "Godkendelser"
