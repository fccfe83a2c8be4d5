"""Recent changes read a bounded number of history rows, and still show the right field changes."""

import pytest

from helhedsplan.approvals import history
from tests.factories.agreements import ActivityFactory

pytestmark = pytest.mark.django_db


def test_limited_change_list_matches_the_full_list_and_diffs_against_the_predecessor():
    activity = ActivityFactory(name="Lektiecafé")
    for number in range(12):
        activity.locations = f"Beboerhuset {number}"
        activity.save()
    plan = activity.sub_agreement.plan
    full = history.plan_changes(plan)
    recent = history.plan_changes(plan, limit=5)
    assert [(e.history_id, e.action) for e in recent] == [(e.history_id, e.action) for e in full[:5]]
    newest = recent[0]
    assert [(d.old, d.new) for d in newest.fields] == [("Beboerhuset 10", "Beboerhuset 11")]
    oldest_shown = recent[-1]
    assert [(d.old, d.new) for d in oldest_shown.fields] == [("Beboerhuset 6", "Beboerhuset 7")]
