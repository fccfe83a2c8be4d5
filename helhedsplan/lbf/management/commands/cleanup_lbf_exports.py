"""``manage.py cleanup_lbf_exports``: delete LBF-udtræk files kept longer than LBF_EXPORT_KEEP_DAYS days."""

from django.core.management.base import BaseCommand

from helhedsplan.lbf.export import lbf_exports_cleanup


class Command(BaseCommand):
    help = "Sletter LBF-udtræk, hvis opbevaringstid er udløbet (køres f.eks. dagligt)."

    def handle(self, *args, **options):
        count = lbf_exports_cleanup()
        self.stdout.write(self.style.SUCCESS(f"{count} udløbne udtræk slettet."))
