"""``manage.py import_word SLUG FILE.docx [--dry-run]``: a delaftale or the strategic agreement written in
LBF's Word template into the plan as a kladde; prints what it placed where and what it could not place."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Plan
from helhedsplan.documents.word_import import SamarbejdsaftaleImport, WordImportError, read_word, word_import


class Command(BaseCommand):
    help = ("Indlæser en delaftale eller den strategiske samarbejdsaftale skrevet i LBF's Word-skabelon (.docx) "
            "som kladde i helhedsplanen og viser, hvad der blev placeret hvor.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Helhedsplanens kortnavn, f.eks. en-faelles-indsats")
        parser.add_argument("file", help="Word-filen (.docx)")
        parser.add_argument("--dry-run", action="store_true", help="Vis kun, hvad der ville blive indlæst")

    def handle(self, *args, slug, file, dry_run, **options):
        plan = Plan.objects.select_related("pulje").filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"Helhedsplanen »{slug}« findes ikke.")
        path = Path(file)
        if path.suffix.lower() != ".docx":
            raise CommandError(f"{path} er ikke en Word-fil (.docx).")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Kunne ikke læse {path}: {error.strerror}.") from error
        try:
            result = read_word(plan=plan, content=content)
        except WordImportError as error:
            raise CommandError(str(error)) from error
        for where, what in result.placed:
            self.stdout.write(f"{where}: {what}")
        if result.unplaced:
            self.stdout.write("Ikke placeret:")
            for what in result.unplaced:
                self.stdout.write(f"  - {what}")
        if result.missing:
            self.stdout.write("Ikke i filen (beholder det nuværende indhold):")
            for what in result.missing:
                self.stdout.write(f"  - {what}")
        if result.errors:
            raise CommandError(" ".join(result.errors))
        if dry_run:
            self.stdout.write("Prøvekørsel: intet er gemt.")
            return
        try:
            document = word_import(plan=plan, content=result)
        except WordImportError as error:
            raise CommandError(str(error)) from error
        if isinstance(result, SamarbejdsaftaleImport):
            self.stdout.write(self.style.SUCCESS(
                f"Opdaterede samarbejdsaftalen som kladde: {len(result.fields)} felter, "
                f"{len(result.parties or [])} parter, {len(result.problem_complexes)} problemkomplekser, "
                f"{len(result.indicator_updates) + len(result.indicator_creates)} indikatorer."))
            return
        sub_agreement = document
        self.stdout.write(self.style.SUCCESS(
            f"Oprettede {sub_agreement} som kladde med {len(result.activities)} aktiviteter, "
            f"{len(result.parties)} parter, {len(result.sub_goals)} delmål og {len(result.staff)} "
            f"medarbejderressourcer."))
