from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "Mål og indikatorer"

    def ready(self) -> None:
        from agreements.signals import plan_created
        from helhedsplan import findings

        from . import checks, receivers

        findings.register(findings=checks.plan_findings, summary=checks.plan_summary)
        plan_created.connect(receivers.add_goals_to_new_plan, dispatch_uid="indicators-new-plan-goals")
