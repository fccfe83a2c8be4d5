from django.core.management.base import BaseCommand

from helhedsplan.notifications.services import digests_send


class Command(BaseCommand):
    help = "Sender dagens samlede varsler (én e-mail pr. bruger) og sætter varsler, der ikke kom i kø, i kø igen."

    def handle(self, *args, **options) -> None:
        sent = digests_send()
        self.stdout.write(f"{sent} samlede e-mails sendt.")
