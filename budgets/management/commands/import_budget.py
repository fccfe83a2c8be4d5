"""``manage.py import_budget SLUG FILE.xlsx [--dry-run]``: read an LBF budgetark into the plan.

Exit status 1 (and nothing written) when the file has any problem; every problem is printed with
sheet, row and column. A file over the import limits (helhedsplan.uploads) is refused before it is read.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Plan
from budgets.checks import plan_findings
from budgets.services import budget_import_file
from budgets.xlsx import BudgetFileError
from helhedsplan.formatting import format_number
from helhedsplan.uploads import ImportRefused, check_import_file, import_limits


class Command(BaseCommand):
    help = "Indlæser et budgetark (.xlsx i LBF's layout) i helhedsplanen; erstatter et eksisterende budget."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Helhedsplanens kortnavn, f.eks. amager")
        parser.add_argument("file", help="Budgetarket (.xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="Vis ændringerne uden at gemme dem.")

    def handle(self, *args, slug: str, file: str, dry_run: bool = False, **options):
        plan = Plan.objects.select_related("pulje").filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"Ukendt helhedsplan »{slug}«.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Filen {file} findes ikke.")
        try:
            check_import_file(path, name=path.name, file_format="xlsx", limits=import_limits("budgetark"))
        except ImportRefused as exc:
            self.stderr.write(self.style.ERROR(f"Budgetarket blev ikke indlæst: {exc.message}"))
            sys.exit(1)
        try:
            outcome = budget_import_file(plan=plan, data=path.read_bytes(), file_name=path.name, dry_run=dry_run)
        except BudgetFileError as exc:
            self.stderr.write(self.style.ERROR("Budgetarket blev ikke indlæst:"))
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            sys.exit(1)
        for notice in outcome.read.notices:
            self.stdout.write(self.style.WARNING(f"Bemærk: {notice}"))
        changes = outcome.changes
        for line in changes.added:
            self.stdout.write(f"  + {line.name} ({format_number(line.figures.total)})")
        for _old, new, fields in changes.changed:
            self.stdout.write(f"  ~ {new.name}: {', '.join(fields)}")
        for line in changes.removed:
            self.stdout.write(f"  - {line.name} ({format_number(line.figures.total)})")
        after = changes.after
        self.stdout.write(f"{changes.summary} Total {format_number(after.total)}, LBF {format_number(after.lbf)}, "
                          f"samlet medfinansiering {format_number(after.cofinancing)} (hele tusinde kr.).")
        if dry_run:
            self.stdout.write(self.style.WARNING("Prøvekørsel: intet er gemt."))
            return
        if outcome.saved:
            self.stdout.write(self.style.SUCCESS(f"Budgettet for {plan.name} er opdateret."))
        else:
            self.stdout.write(self.style.SUCCESS("Budgettet er allerede identisk med filen; intet er ændret."))
        findings = plan_findings(plan)
        errors = sum(finding.is_error for finding in findings)
        self.stdout.write(f"Kontrol af budgettet: {errors} fejl, {len(findings) - errors} advarsler "
                          f"(se manage.py check_plan {plan.slug}).")
