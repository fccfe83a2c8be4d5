"""Each document reads its data in a fixed number of queries, however many activities there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helhedsplan.documents import builders as documents
from tests.documents.helpers import plan_with_activities

pytestmark = pytest.mark.django_db


def queries_for(plan, kind: str) -> int:
    area = plan.sub_agreements.order_by("order", "id").values_list("focus_area__slug", flat=True).first()
    with CaptureQueriesContext(connection) as captured:
        html = documents.build_document(plan=plan, kind=kind, area_slug=area).render_html()
    assert "<html" in html
    return len(captured)


@pytest.mark.parametrize("kind", list(documents.DOCUMENT_KINDS))
def test_query_count_does_not_grow_with_activities(kind):
    small = plan_with_activities(5)
    large = plan_with_activities(50)
    assert small.sub_agreements.count() == large.sub_agreements.count() == 2
    small_count = queries_for(small, kind)
    assert small_count == queries_for(large, kind)
    assert small_count <= 38  # the standard texts; the parties' contact persons (per kind of party); the bilag


def test_samlet_plan_reads_two_queries_per_delaftale_for_its_delmaal():
    """The only part that grows: indicators.selectors.subgoal_rows, two queries per delaftale (a plan has
    at most one delaftale per indsatsområde of its pulje). The delaftaler's latest approvals are read
    together."""
    one = queries_for(plan_with_activities(4, sub_agreements=1), documents.SAMLET)
    four = queries_for(plan_with_activities(12, sub_agreements=4), documents.SAMLET)
    assert four - one == 2 * 3
