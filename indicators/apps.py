from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "Mål og indikatorer"

    def ready(self) -> None:
        from helhedsplan import findings

        from . import checks

        findings.register(findings=checks.plan_findings, summary=checks.plan_summary)
