"""Factories for the bestyrelse's meetings (one module per domain)."""

from datetime import date

import factory

from helhedsplan.approvals.models import AgendaItem, BoardMeeting
from tests.factories.agreements import PlanFactory, UserFactory


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    plan = factory.SubFactory(PlanFactory)
    date = date(2024, 3, 12)
    place = "Beboerhuset, Toftevej 2"
    created_by = factory.SubFactory(UserFactory)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    """An agenda item for a delaftale (pass ``strategic_agreement=…, sub_agreement=None`` for the other)."""

    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(BoardMeetingFactory)
    sub_agreement = factory.SubFactory("tests.factories.agreements.SubAgreementFactory",
                                       plan=factory.SelfAttribute("..meeting.plan"))
    strategic_agreement = None
    order = factory.Sequence(lambda n: n + 1)
