from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budgets"
    verbose_name = "Budgetter"

    def ready(self) -> None:
        from helhedsplan import findings

        from . import checks, followup, signals

        signals.connect()
        findings.register(findings=checks.plan_findings, summary=checks.plan_summary)
        findings.register(findings=followup.followup_findings, summary=followup.followup_summary)
