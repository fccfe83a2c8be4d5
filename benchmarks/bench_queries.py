"""Query scaling: queries per page (every page of tests/test_query_budgets.py) and per document for a
generated plan with 10 and with 100 activities, budget lines, contacts, milestones … per delaftale — the
two counts must be equal.

Runs on a throwaway test database; data from the test factories with a fixed seed.
"""

from __future__ import annotations

import random

from .figures import Figure

SIZES = (10, 100)
DOCUMENTS = ["samarbejdsaftale", "delaftale", "budget", "samlet"]
# The budget upload preview saves the upload and rolls it back (to show the findings it would give).
# SQLite splits bulk writes into batches of at most 999 parameters, so with 100 lines per delaftale it
# runs a few more INSERT/UPDATE batches than with 10; there its reads must be equal (on PostgreSQL, with
# batches of up to 500 rows, all of its queries are).
BULK_WRITING_PAGES = {"budget upload preview"}
WRITES = ("INSERT", "UPDATE", "DELETE")


def _pages(plan, sub_agreement) -> dict[str, str]:
    """Every page the query budget tests guard (tests/test_query_budgets.py)."""
    from tests.test_query_budgets import pages

    return pages(plan, sub_agreement)


def _document_queries(plan, sub_agreement) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        from helhedsplan.documents import builders as documents
    except ImportError:
        return {}
    counts = {}
    for kind in DOCUMENTS:
        area = sub_agreement.focus_area.slug if kind == "delaftale" else None
        documents.build_document(plan=plan, kind=kind, area_slug=area).render_html()
        with CaptureQueriesContext(connection) as queries:
            documents.build_document(plan=plan, kind=kind, area_slug=area).render_html()
        counts[f"document {kind}"] = len(queries)
    return counts


def run() -> list[Figure]:
    import factory.random
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    from tests.test_query_budgets import build_plan, count_queries, log_in

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    counts: dict[int, dict[str, int]] = {}
    reads: dict[int, dict[str, int]] = {}
    batched_writes = connection.vendor == "sqlite"
    try:
        for size in SIZES:
            random.seed(2026)
            factory.random.reseed_random(2026)
            plan, sub_agreement, user = build_plan(size)
            client = Client()
            counts[size], reads[size] = {}, {}
            for name, url in _pages(plan, sub_agreement).items():
                log_in(client, plan, user, name)  # the secretariat; LBF pages an LBF user, the public page nobody
                counts[size][name] = count_queries(client, url)  # built from scratch (cache dropped)
                if name in BULK_WRITING_PAGES and batched_writes:
                    count_queries(client, url)
                    with CaptureQueriesContext(connection) as queries:
                        client.get(url)
                    reads[size][name] = sum(not q["sql"].lstrip().upper().startswith(WRITES) for q in queries)
            counts[size].update(_document_queries(plan, sub_agreement))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    small, large = counts[SIZES[0]], counts[SIZES[1]]
    figures = []
    for name in small:
        equal = small[name] == large[name]
        raw = f"{small[name]} vs {large[name]} queries"
        if name in reads[SIZES[0]]:
            equal = reads[SIZES[0]][name] == reads[SIZES[1]][name]
            raw += f" ({reads[SIZES[0]][name]} vs {reads[SIZES[1]][name]} reads; SQLite batches bulk writes)"
        figures.append(Figure(f"Queries {name} ({SIZES[0]} vs {SIZES[1]} per delaftale)",
                              large[name] / small[name] if small[name] else 0.0, "= 1 (equal)", equal, raw))
    return figures
