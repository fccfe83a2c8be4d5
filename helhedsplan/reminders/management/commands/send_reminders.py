"""``manage.py send_reminders [--date YYYY-MM-DD]``: the reminders due today (run daily; a second run
sends nothing new)."""

from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from helhedsplan.reminders.services import reminders_send


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"ugyldig dato: {value!r} (skriv ÅÅÅÅ-MM-DD)") from exc


class Command(BaseCommand):
    help = ("Sender påmindelser om årets opfølgning, milepæle, dokumenter der venter på bestyrelsen, "
            "planperiodens afslutning og dagsordener til bestyrelsesmøder. Kan køres flere gange samme dag.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", dest="day", type=_day, default=None,
                            help="Dagen, påmindelserne beregnes for (ÅÅÅÅ-MM-DD; standard: i dag).")

    def handle(self, *args, day: date | None = None, **options) -> None:
        today = day or timezone.localdate()
        run = reminders_send(today=today)
        self.stdout.write(f"{today.isoformat()}: {run.due} påmindelser forfaldne, {run.written} nye varsler skrevet.")
        if run.failed:
            raise CommandError(f"{len(run.failed)} påmindelser kunne ikke sendes: "
                               + ", ".join(reminder.event_key for reminder in run.failed))
