"""``manage.py cleanup_admin_imports``: admin import uploads nobody confirmed (run daily)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from helhedsplan.storage import delete_unreferenced

# Where django-import-export's MediaStorage keeps an upload between the preview and its confirmation.
ADMIN_IMPORT_DIR = "django-import-export"
ABANDONED_AFTER = timedelta(days=1)


class Command(BaseCommand):
    help = "Sletter uploadede admin-importfiler, der ikke er bekræftet inden for et døgn."

    def handle(self, *args, **options) -> None:
        deleted = delete_unreferenced(ADMIN_IMPORT_DIR, keep=(), older_than=timezone.now() - ABANDONED_AFTER)
        self.stdout.write(f"{deleted} ubekræftede importfiler slettet.")
