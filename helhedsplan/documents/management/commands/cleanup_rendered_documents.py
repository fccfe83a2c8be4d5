"""``manage.py cleanup_rendered_documents``: delete rendered PDFs of earlier days and older revisions."""

from django.core.management.base import BaseCommand

from helhedsplan.documents.rendering import rendered_documents_cleanup


class Command(BaseCommand):
    help = ("Sletter dannede PDF'er, som ingen vil bede om igen: fra tidligere dage og af ældre udgaver "
            "af planerne (køres dagligt).")

    def handle(self, *args, **options):
        count = rendered_documents_cleanup()
        self.stdout.write(self.style.SUCCESS(f"{count} forældede dokumenter slettet."))
