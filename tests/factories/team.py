"""Factories for a plan's team (one module per domain)."""

import factory
from django.utils import timezone

from agreements.models import PlanMembership
from helhedsplan.team.models import Invitation
from tests.factories.agreements import PlanFactory, UserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation, sent once (no e-mail: use the services to send one)."""

    class Meta:
        model = Invitation

    plan = factory.SubFactory(PlanFactory)
    email = factory.Sequence(lambda n: f"inviteret{n}@example.dk")
    role = PlanMembership.Role.BOARD
    invited_by = factory.SubFactory(UserFactory)
    sent_count = 1
    last_sent_at = factory.LazyFunction(timezone.now)
