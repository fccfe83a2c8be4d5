"""``manage.py render_pdf SLUG --document samarbejdsaftale|delaftale|budget|samlet|okonomiopfolgning [--area AREA]
--output FILE.pdf|FILE.docx``: a PDF, or a Word file when the output ends in .docx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Plan
from helhedsplan.documents import builders as documents
from helhedsplan.documents import word


class Command(BaseCommand):
    help = "Skriver et af helhedsplanens dokumenter som PDF (eller som Word-fil, når filnavnet ender på .docx)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Helhedsplanens kortnavn, f.eks. en-faelles-indsats")
        parser.add_argument("--document", required=True, choices=list(documents.DOCUMENT_KINDS),
                            help="Hvilket dokument")
        parser.add_argument("--area", help="Indsatsområdets kortnavn (kun for --document delaftale)")
        parser.add_argument("--output", required=True, help="Filen, der skal skrives: .pdf eller .docx")

    def handle(self, *args, slug, document, area, output, **options):
        plan = Plan.objects.select_related("pulje", "administrating_organisation", "municipality") \
            .filter(slug=slug).first()
        if plan is None:
            known = ", ".join(Plan.objects.order_by("slug").values_list("slug", flat=True)) or "ingen"
            raise CommandError(f"Helhedsplanen »{slug}« findes ikke. Kendte helhedsplaner: {known}.")
        if document == documents.DELAFTALE and not area:
            areas = ", ".join(plan.sub_agreements.order_by("order").values_list("focus_area__slug", flat=True))
            raise CommandError(f"Angiv indsatsområdet med --area. Delaftaler i »{slug}«: {areas or 'ingen'}.")
        if document != documents.DELAFTALE and area:
            raise CommandError("--area kan kun bruges sammen med --document delaftale.")
        as_word = output.lower().endswith(".docx")
        if as_word and document not in word.WORD_KINDS:
            raise CommandError(f"{documents.DOCUMENT_KINDS[document]} findes ikke som Word-fil. "
                               f"Mulige: {', '.join(word.WORD_KINDS)}.")
        try:
            doc = documents.build_document(plan=plan, kind=document, area_slug=area)
        except documents.DocumentNotFound as error:
            raise CommandError(str(error)) from error
        content = word.render_docx(doc) if as_word else doc.render_pdf()
        target = Path(output)
        try:
            target.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Kunne ikke skrive {target}: {error.strerror}.") from error
        self.stdout.write(f"Skrev {doc.title} for »{plan.name}« til {target} ({len(content) // 1024} kB).")
