"""PDF: the samlet plan of ``en-faelles-indsats`` — render time (target < 5 s), query count, and the
pipeline's overhead over WeasyPrint alone (target ≤ 1.3).

Runs on a throwaway test database (``create_test_db``) loaded with the demo data. The first render
loads the fonts (once per process) and is not counted. Pipeline = the whole download path (selector
context → Django template → HTML → PDF through the project's fetcher and shared font cache); WeasyPrint
alone = ``HTML(string=<the same, already built HTML>).write_pdf()`` with a plain fetcher of the same
static files. Each is the median of five runs, measured side by side.
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

    from agreements.models import Plan
    from helhedsplan.documents import builders as documents
    from helhedsplan.documents import pdf

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", verbosity=0)
        plan = Plan.objects.select_related("pulje", "administrating_organisation", "municipality").get(slug=SLUG)

        def render() -> bytes:
            return pdf.render_pdf(documents.samlet_document(plan=plan).render_html())

        content = render()  # warm-up: fonts are loaded once per process
        with CaptureQueriesContext(connection) as queries:
            html = documents.samlet_document(plan=plan).render_html()
        from weasyprint import HTML

        def weasyprint_alone() -> bytes:
            return HTML(string=html, base_url=pdf.DOCUMENT_BASE_URL,
                        url_fetcher=pdf.StaticFilesURLFetcher()).write_pdf()

        weasyprint_alone()
        seconds, times = median_time(render, runs=5)
        alone, alone_times = median_time(weasyprint_alone, runs=5)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    raw = (f"{pages} pages, {len(content) // 1024} kB, {len(queries)} queries, HTML {len(html) // 1024} kB; "
           f"runs {', '.join(f'{t:.2f}' for t in times)} s")
    ratio = seconds / alone if alone else 0.0
    overhead_raw = (f"pipeline {seconds:.2f} s vs WeasyPrint alone {alone:.2f} s "
                    f"(runs {', '.join(f'{t:.2f}' for t in alone_times)} s)")
    return [Figure(f"Samlet PDF {SLUG}", seconds, f"< {TARGET_SECONDS:g} s", seconds < TARGET_SECONDS, raw,
                   unit=" s"),
            Figure(f"PDF overhead pipeline / WeasyPrint alone ({SLUG})", ratio, "≤ 1.3", ratio <= 1.3,
                   overhead_raw)]
