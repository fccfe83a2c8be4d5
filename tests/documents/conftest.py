"""Fixtures shared by the document tests."""

import pytest

from tests.factories.agreements import ActivityFactory, StrategicAgreementFactory


@pytest.fixture
def plan_with_delaftale(db):
    """A plan with a strategic agreement and one delaftale with one activity: (plan, delaftale)."""
    activity = ActivityFactory(name="HippHopp+", purpose="Skoleparathed for førskolebørn.")
    sub = activity.sub_agreement
    StrategicAgreementFactory(plan=sub.plan, section_2_vision="Et trygt boligområde for alle.")
    return sub.plan, sub
