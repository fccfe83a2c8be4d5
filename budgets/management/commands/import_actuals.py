"""``manage.py import_actuals SLUG FILE [--dry-run] [--note TEXT]``: read forbrug into the plan's budget.

The file (.xlsx or .csv) has one row per udgiftspost and year: Afsnit, Udgiftspost, År, Forbrug and
the five realised medfinansiering columns, in thousands of kroner (see ``budgets.actuals_file``).
Exit status 1 (and nothing written) when the file has any problem; every problem is printed with its
row. A closed regnskabsår changes only with ``--note``.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Plan
from budgets.actuals_file import ActualsFileError, actuals_import_file
from budgets.followup import followup_findings
from helhedsplan.uploads import ImportRefused, check_import_file, import_limits


class Command(BaseCommand):
    help = "Indlæser forbrug (.xlsx eller .csv) på helhedsplanens budget: én række pr. udgiftspost og år."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Helhedsplanens kortnavn, f.eks. amager")
        parser.add_argument("file", help="Filen med forbrug (.xlsx eller .csv)")
        parser.add_argument("--dry-run", action="store_true", help="Vis ændringerne uden at gemme dem.")
        parser.add_argument("--note", default="", help="Begrundelse; kræves for at ændre et afsluttet regnskabsår.")

    def handle(self, *args, slug: str, file: str, dry_run: bool = False, note: str = "", **options):
        plan = Plan.objects.select_related("pulje").filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"Ukendt helhedsplan »{slug}«.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Filen {file} findes ikke.")
        try:  # over a limit: refused before the file is read
            check_import_file(path, name=path.name, limits=import_limits("budgetark"))
        except ImportRefused as exc:
            self.stderr.write(self.style.ERROR(f"Forbruget blev ikke indlæst: {exc.message}"))
            sys.exit(1)
        try:
            summary = actuals_import_file(plan=plan, data=path.read_bytes(), file_name=path.name, note=note,
                                          dry_run=dry_run)
        except ActualsFileError as exc:
            self.stderr.write(self.style.ERROR(f"Forbruget blev ikke indlæst ({len(exc.problems)} problemer):"))
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            sys.exit(1)
        years = ", ".join(map(str, summary.years))
        self.stdout.write(f"År i filen: {years}. {summary.created} nye og {summary.updated} ændrede registreringer, "
                          f"{summary.unchanged} uændrede (tusinde kr.).")
        if dry_run:
            self.stdout.write(self.style.WARNING("Prøvekørsel: intet er gemt."))
            return
        self.stdout.write(self.style.SUCCESS(f"Forbruget for {plan.name} er indlæst."))
        findings = followup_findings(plan)
        self.stdout.write(f"Økonomiopfølgningen: {len(findings)} advarsler (se manage.py check_plan {plan.slug}).")
