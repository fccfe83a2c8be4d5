from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Aftaler"

    def ready(self) -> None:
        from helhedsplan import findings

        from . import checks, permissions, revisions  # noqa: F401  (permissions registers the rules)

        findings.register(findings=checks.plan_findings)
        revisions.connect()
