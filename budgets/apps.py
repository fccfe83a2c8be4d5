from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budgets"
    verbose_name = "Budgetter"

    def ready(self) -> None:
        from helhedsplan import findings

        from . import checks, signals

        signals.connect()
        # The rule checks and the follow-up's findings together: they read the same budget sheet.
        findings.register(findings=checks.budget_findings, summary=checks.budget_summary)
