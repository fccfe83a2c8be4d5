from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Aftaler"

    def ready(self) -> None:
        from helhedsplan import findings

        from . import attachments, checks, permissions, revisions  # noqa: F401  (rules, signal receivers)

        findings.register(findings=checks.plan_findings)
        revisions.connect()
