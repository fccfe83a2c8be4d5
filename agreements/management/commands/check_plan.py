"""``manage.py check_plan SLUG``: prints the plan's findings; exit status 1 if any is an error."""

import sys

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Plan
from helhedsplan.findings import has_errors, plan_findings, plan_summary


class Command(BaseCommand):
    help = "Kontrollerer en helhedsplan mod reglerne og udskriver fund. Afslutter med kode 1 ved fejl."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Helhedsplanens kortnavn, f.eks. amager")

    def handle(self, *args, slug: str, **options):
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"Ukendt helhedsplan »{slug}«.")
        self.stdout.write(f"Helhedsplan: {plan.name} ({plan.period_display})")
        for line in plan_summary(plan):
            self.stdout.write(line)
        findings = plan_findings(plan)
        if not findings:
            self.stdout.write(self.style.SUCCESS("Ingen fund."))
        for finding in findings:
            style = self.style.ERROR if finding.is_error else self.style.WARNING
            self.stdout.write(style(str(finding)))
        errors = sum(f.is_error for f in findings)
        self.stdout.write(f"{errors} fejl, {len(findings) - errors} advarsler.")
        if has_errors(findings):
            sys.exit(1)
