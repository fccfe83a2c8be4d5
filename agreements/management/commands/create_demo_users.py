"""``manage.py create_demo_users``: local demo accounts (used by ``make run`` only, never in production)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from agreements.models import Plan, PlanMembership
from agreements.permissions import LBF_GROUP, PLAN_CREATORS_GROUP

DEMO_PASSWORD = "helhedsplan"

# username, full name, superuser, group, memberships {plan slug: role}
DEMO_USERS = [
    ("admin", "Administrator", True, None, {}),
    ("sekretariat", "Sara Sekretariat", False, PLAN_CREATORS_GROUP,
     {"en-faelles-indsats": "sekretariat", "amager": "sekretariat", "bispebjerg-udsatte-grupper": "sekretariat"}),
    ("bestyrelse", "Bent Bestyrelse", False, None, {"en-faelles-indsats": "bestyrelse", "amager": "bestyrelse"}),
    ("lbf", "Lise Landsbyggefonden", False, LBF_GROUP, {}),
]


class Command(BaseCommand):
    help = "Opretter lokale demobrugere (adgangskode: helhedsplan). Kun til lokal udvikling."

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "ALLOW_DEMO_USERS", False):
            raise CommandError("Demobrugere oprettes kun lokalt (DEBUG=1).")
        User = get_user_model()
        for username, full_name, superuser, group, memberships in DEMO_USERS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": superuser,
                          "is_superuser": superuser, "email": f"{username}@example.dk"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get_or_create(name=group)[0])
            for slug, role in memberships.items():
                plan = Plan.objects.filter(slug=slug).first()
                if plan:
                    PlanMembership.objects.get_or_create(user=user, plan=plan, defaults={"role": role})
        self.stdout.write(self.style.SUCCESS(
            f"Demobrugere: {', '.join(u[0] for u in DEMO_USERS)} (adgangskode: {DEMO_PASSWORD})"))
