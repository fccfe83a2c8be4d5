"""PDF: the samlet plan of ``en-faelles-indsats`` — render time (target < 5 s) and query count.

Runs on a throwaway test database (``create_test_db``) loaded with the demo data. The first render
loads the fonts (once per process) and is not counted; the figure is the median of five renders of
the whole pipeline (context → HTML → PDF), as the download view does it.
"""

from __future__ import annotations

import io

from .common import median_time
from .figures import Figure

SLUG = "en-faelles-indsats"
TARGET_SECONDS = 5.0


def run() -> list[Figure]:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from agreements import documents, pdf
    from agreements.models import Plan

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", verbosity=0)
        plan = Plan.objects.select_related("pulje", "administrating_organisation", "municipality").get(slug=SLUG)

        def render() -> bytes:
            return pdf.render_pdf(documents.samlet_document(plan=plan).render_html())

        content = render()  # warm-up: fonts are loaded once per process
        with CaptureQueriesContext(connection) as queries:
            html = documents.samlet_document(plan=plan).render_html()
        seconds, times = median_time(render, runs=5)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    raw = (f"{pages} pages, {len(content) // 1024} kB, {len(queries)} queries, HTML {len(html) // 1024} kB; "
           f"runs {', '.join(f'{t:.2f}' for t in times)} s")
    return [Figure(f"Samlet PDF {SLUG}", seconds, f"< {TARGET_SECONDS:g} s", seconds < TARGET_SECONDS, raw,
                   unit=" s")]
