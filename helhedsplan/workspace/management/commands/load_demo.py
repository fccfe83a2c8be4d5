"""``manage.py load_demo``: reference data, the clause library and the demo plans (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from agreements import demo as agreement_demo
from agreements.models import Plan
from helhedsplan.documents.services import render_approval_pdfs
from helhedsplan.workspace import demo


def _queue_approval_pdfs() -> None:
    render_approval_pdfs.enqueue()


class Command(BaseCommand):
    help = "Indlæser referencedata (puljer, indsatsområder, …) og demoplanerne. Kan køres flere gange."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Slet og genindlæs demoplanerne (ændringer i dem går tabt).")
        parser.add_argument("--pdfs", action="store_true",
                            help="Dan godkendelsernes PDF'er med det samme (ellers gør baggrundsarbejderen det).")
        parser.add_argument("--reference-only", action="store_true",
                            help="Indlæs kun referencedata (til produktion), ingen demoplaner eller klausuler.")

    def handle(self, *args, reset: bool = False, reference_only: bool = False, pdfs: bool = False, **options):
        with transaction.atomic():
            demo.load_reference()
            if reference_only:
                self.stdout.write(self.style.SUCCESS("Referencedata indlæst."))
                return
            clauses = agreement_demo.load_clauses()
            created = []
            for data in agreement_demo.demo_plan_data():
                slug = data["plan"]["slug"]
                existing = Plan.objects.filter(slug=slug).first()
                if existing and reset:
                    existing.delete()
                    existing = None
                if existing:
                    continue
                demo.load_plan(data)
                created.append(slug)
            # After every app has loaded its data: the approval snapshots hold all of it.
            approvals = demo.approve_demo_plans(render_pdfs=pdfs)
            if approvals and not pdfs:
                transaction.on_commit(_queue_approval_pdfs)
        self.stdout.write(self.style.SUCCESS(
            f"Referencedata indlæst; {clauses} nye klausuler; nye demoplaner: {', '.join(created) or 'ingen'}; "
            f"{approvals} nye godkendelser"
            + (" (PDF'erne dannes af baggrundsarbejderen, manage.py db_worker)." if approvals and not pdfs else ".")
        ))
