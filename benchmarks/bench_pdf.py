"""PDF: the samlet plan of ``en-faelles-indsats`` — cold: the render (target < 3.5 s), its query count
and the pipeline's overhead over WeasyPrint alone (target ≤ 1.3); warm: the download of the already
rendered PDF (target < 50 ms).

Runs on a throwaway test database (``create_test_db``) loaded with the demo data. The first render
loads the fonts (once per process) and is not counted. Pipeline = the render function (selector
context → Django template → HTML → PDF through the project's fetcher and shared font cache);
WeasyPrint alone = ``HTML(string=<the same, already built HTML>).write_pdf()`` with a plain fetcher of
the same static files. Each is the median of five runs, measured side by side. Warm = a signed-in GET
of the PDF URL through the whole Django stack (test client: middleware, session, access check,
stored or cached PDF) until the last byte has been read, median of twenty, after one download that
had it rendered (in the request, or by the background worker: its queue is worked off in-process).
"""

from __future__ import annotations

import io

from .common import median_time
from .figures import Figure

SLUG = "en-faelles-indsats"
TARGET_SECONDS = 3.5
WARM_TARGET_MS = 50.0
WARM_RUNS = 20


def run() -> list[Figure]:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
    from pypdf import PdfReader

    from agreements.models import Plan
    from helhedsplan.documents import builders as documents
    from helhedsplan.documents import pdf

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", verbosity=0)
        plan = Plan.objects.select_related("pulje", "administrating_organisation", "municipality").get(slug=SLUG)

        def render() -> bytes:
            return pdf.render_pdf(documents.samlet_document(plan=plan).render_html())

        content = render()  # warm-up: fonts are loaded once per process
        with CaptureQueriesContext(connection) as queries:
            html = documents.samlet_document(plan=plan).render_html()
        query_count = len(queries)  # counted here: a request (the warm download below) empties the log
        from weasyprint import HTML

        def weasyprint_alone() -> bytes:
            return HTML(string=html, base_url=pdf.DOCUMENT_BASE_URL,
                        url_fetcher=pdf.StaticFilesURLFetcher()).write_pdf()

        weasyprint_alone()
        seconds, times = median_time(render, runs=5)
        alone, alone_times = median_time(weasyprint_alone, runs=5)
        warm, warm_times, warm_how = _warm_download(plan)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    pages = len(PdfReader(io.BytesIO(content)).pages)
    raw = (f"{pages} pages, {len(content) // 1024} kB, {query_count} queries, HTML {len(html) // 1024} kB; "
           f"runs {', '.join(f'{t:.2f}' for t in times)} s")
    ratio = seconds / alone if alone else 0.0
    overhead_raw = (f"pipeline {seconds:.2f} s vs WeasyPrint alone {alone:.2f} s "
                    f"(runs {', '.join(f'{t:.2f}' for t in alone_times)} s)")
    warm_ms = warm * 1000
    warm_raw = (f"GET {len(content) // 1024} kB {warm_how}, signed in; runs "
                f"{', '.join(f'{t * 1000:.0f}' for t in warm_times)} ms")
    return [Figure(f"Samlet PDF {SLUG} cold", seconds, f"< {TARGET_SECONDS:g} s", seconds < TARGET_SECONDS, raw,
                   unit=" s"),
            Figure(f"Samlet PDF {SLUG} warm download", warm_ms, f"< {WARM_TARGET_MS:g} ms",
                   warm_ms < WARM_TARGET_MS, warm_raw, unit=" ms"),
            Figure(f"PDF overhead pipeline / WeasyPrint alone ({SLUG})", ratio, "≤ 1.3", ratio <= 1.3,
                   overhead_raw)]


def _download(client, url: str) -> tuple[int, bytes, str]:
    """GET ``url`` like a browser: the status, the body (streamed or not) and how it was served.

    A redirect to a presigned bucket URL is followed outside Django (loopback only).
    """
    import urllib.parse
    import urllib.request

    response = client.get(url)
    if response.status_code == 302:
        target = response["Location"]
        parsed = urllib.parse.urlsplit(target)
        if parsed.netloc and parsed.hostname in {"127.0.0.1", "localhost"}:
            with urllib.request.urlopen(target, timeout=30) as bucket:  # noqa: S310 (loopback, checked)
                return bucket.status, bucket.read(), "from the bucket (presigned URL)"
        return 302, b"", f"redirected to {target[:80]}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body, "streamed" if response.streaming else "from the cache"


def _warm_download(plan) -> tuple[float, list[float], str]:
    """Median seconds of a signed-in download of the already rendered samlet PDF."""
    import time

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    user = get_user_model().objects.create_superuser("bench-pdf", "bench@example.invalid", "bench-pdf-password")
    client = Client()
    client.force_login(user)
    url = reverse("documents:samlet_pdf", args=[plan.slug])
    deadline = time.monotonic() + 120
    while True:  # the first download has it rendered: in the request, or by the worker (202 meanwhile)
        status, body, how = _download(client, url)
        if status == 200 and body.startswith(b"%PDF"):
            break
        if status != 202 or time.monotonic() > deadline:
            raise RuntimeError(f"the samlet PDF did not come: {status} {how}")
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    served = []

    def download() -> None:
        status, body, how = _download(client, url)
        if status != 200 or not body.startswith(b"%PDF"):
            raise RuntimeError(f"warm download answered {status}")
        served.append(how)

    download()
    seconds, times = median_time(download, runs=WARM_RUNS)
    return seconds, times, served[-1]
