"""``manage.py export_lbf [--plan SLUG …] [--as-of YYYY-MM-DD] --output FILE.zip``: the LBF-udtræk."""

from __future__ import annotations

import sys
from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from helhedsplan.formatting import format_number
from helhedsplan.lbf.export import ExportError, export_lbf


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"»{value}« er ikke en dato på formen ÅÅÅÅ-MM-DD (f.eks. 2023-06-30).") from None


class ProgressBar:
    """A one-line progress bar on stderr (redrawn in place on a terminal, one line per step otherwise)."""

    WIDTH = 30

    def __init__(self, stream, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        filled = int(self.WIDTH * done / total) if total else self.WIDTH
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {label}"
        if self.tty:
            self.stream.write("\r\033[K" + line[:150])
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = ("Udtræk til Landsbyggefonden: de gældende (godkendte) delaftaler og samarbejdsaftalen som PDF og JSON, "
            "budgetarket og delaftalerne som data, i én ZIP-fil. Uden --plan: alle helhedsplaner.")

    def add_arguments(self, parser):
        parser.add_argument("--plan", action="append", dest="plans", default=[], metavar="SLUG",
                            help="Helhedsplanens kortnavn; kan gentages. Uden: alle planer.")
        parser.add_argument("--as-of", dest="as_of", type=parse_date, metavar="ÅÅÅÅ-MM-DD",
                            help="Det, der var godkendt og gældende på denne dato (i stedet for i dag).")
        parser.add_argument("--output", "-o", required=True, help="ZIP-filen, der skrives.")
        parser.add_argument("--no-progress", action="store_true", help="Ingen statuslinje.")

    def handle(self, *args, plans: list[str], as_of: date | None, output: str, no_progress: bool = False,
               **options):
        progress = ProgressBar(sys.stderr, enabled=not no_progress and options.get("verbosity", 1) > 0)
        try:
            summary = export_lbf(output=Path(output), slugs=plans, as_of=as_of, progress=progress)
        except ExportError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"LBF-udtræk skrevet til {summary.path}: {len(summary.plans)} helhedsplan(er), {summary.documents} "
            f"godkendte dokumenter, {len(summary.files)} filer, {format_number(summary.size / 1024, 0)} kB, "
            f"{format_number(summary.seconds, 1)} s."
        ))
