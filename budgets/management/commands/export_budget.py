"""``manage.py export_budget SLUG --output FILE.xlsx``: the plan's budgetark in LBF's layout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Plan
from budgets.checks import plan_findings
from budgets.selectors import budget_sheet
from budgets.xlsx import write_budget_xlsx


class Command(BaseCommand):
    help = "Skriver helhedsplanens budgetark som .xlsx i LBF's layout (en tom skabelon, hvis planen intet budget har)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Helhedsplanens kortnavn, f.eks. amager")
        parser.add_argument("--output", "-o", required=True, help="Filen, der skrives, f.eks. budget.xlsx")

    def handle(self, *args, slug: str, output: str, **options):
        plan = Plan.objects.select_related("pulje").filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"Ukendt helhedsplan »{slug}«.")
        sheet = budget_sheet(plan, empty_if_missing=True)
        Path(output).write_bytes(write_budget_xlsx(sheet))
        what = f"{sheet['line_count']} udgiftsposter" if sheet["budget"] else "tom skabelon (intet budget endnu)"
        self.stdout.write(self.style.SUCCESS(f"Budgetark for {plan.name} skrevet til {output}: {what}."))
        errors = [finding for finding in plan_findings(plan) if finding.is_error]
        if errors:
            self.stdout.write(self.style.WARNING(f"Bemærk: budgettet har {len(errors)} fejl:"))
            for finding in errors:
                self.stdout.write(self.style.WARNING(f"  {finding}"))
