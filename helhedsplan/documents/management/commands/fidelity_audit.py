"""``manage.py fidelity_audit [SLUG …] [--seeds DIR]``: how true the demo plans' documents are to their
sources (see ``helhedsplan.documents.fidelity``). Exit 1 when a demo value is absent from its source."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.demo import DEMO_PLAN_SLUGS
from agreements.models import Plan
from helhedsplan.documents import fidelity
from helhedsplan.formatting import format_number


class Command(BaseCommand):
    help = ("Sammenligner demoplanernes dokumenter med kildedokumenterne: felter, ordrette felter, procent og "
            "hver afvigelse med feltets sti.")

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG",
                            help=f"Demoplaner (standard: {', '.join(fidelity.SEED_NUMBERS)})")
        parser.add_argument("--seeds", type=Path, default=None,
                            help="Mappen med kildedokumenterne (standard: ../shared/seeds ved siden af projektet)")

    def handle(self, *args, slugs, seeds, **options):
        seeds_dir = seeds or fidelity.default_seeds_dir()
        if not seeds_dir.is_dir():
            raise CommandError(f"Mappen med kildedokumenter findes ikke: {seeds_dir}.")
        unknown = [slug for slug in slugs if slug not in fidelity.SEED_NUMBERS]
        if unknown:
            raise CommandError(f"Ingen kilde for {', '.join(unknown)}. Mulige: {', '.join(fidelity.SEED_NUMBERS)}.")
        absent = 0
        for slug in slugs or [slug for slug in DEMO_PLAN_SLUGS if slug in fidelity.SEED_NUMBERS]:
            plan = Plan.objects.filter(slug=slug).first()
            if plan is None:
                raise CommandError(f"Demoplanen »{slug}« er ikke indlæst (kør manage.py load_demo).")
            try:
                result = fidelity.audit_plan(plan, seeds_dir)
            except FileNotFoundError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{slug} ({result.seed}): {result.fields} felter, {result.verbatim} ordrette, "
                              f"{format_number(result.percent, 1)} % (heraf {result.interleaved} spredt i kilden: "
                              "tabelceller, sideskift)")
            for cause, label in fidelity.CAUSE_LABELS.items():
                misses = result.by_cause(cause)
                if misses:
                    self.stdout.write(f"  {label}: {len(misses)}")
                for miss in misses:
                    self.stdout.write(f"    {miss.path}: {miss.detail}")
            absent += len(result.by_cause(fidelity.ABSENT))
        if absent:
            raise CommandError(f"{absent} demoværdier findes ikke i kilderne.")
