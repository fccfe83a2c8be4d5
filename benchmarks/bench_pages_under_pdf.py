"""HTML pages under load while PDFs render: p95 of the HTML pages (target < 300 ms on a 2-core machine).

gunicorn (2 workers × 4 threads, or BENCH_WORKERS × BENCH_THREADS; normal settings with DEBUG=0)
on a throwaway PostgreSQL with Redis as the cache and one ``db_worker``. CLIENTS signed-in clients
read every HTML page of the load test (``loadtest.PATHS`` without the PDFs), each pausing THINK
seconds on average after a page (50 people at work at once, each clicking on after five seconds on
a page; BENCH_THINK=0 makes it a throughput test instead): first for
BASELINE_SECONDS alone (for comparison), then for SECONDS while one editor keeps changing an activity
through the admin and downloading its delaftale as PDF — the activity's "Lokaliteter" are printed in
it, so every download needs a new render (in the request, or by the worker while the URL answers 202).
Reports the p95 of the second phase and how many PDFs were rendered meanwhile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .clients import Session, is_pdf, save_activity
from .cluster import CpuMeter, stop_group
from .common import PYTHON, ROOT, app_env, gunicorn, load, login_cookie, manage, percentile, throwaway_postgres
from .figures import Figure

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
THINK = float(os.environ.get("BENCH_THINK", "5.0"))
SECONDS = 30.0
BASELINE_SECONDS = 15.0
TARGET_MS = 300.0


def _activity(env: dict[str, str]) -> tuple[int, str]:
    """An amager activity and the slug of its delaftale's indsatsområde."""
    line = manage("shell", "-c", "from agreements.models import Activity; "
                  "a = Activity.objects.select_related('sub_agreement__focus_area')"
                  ".filter(sub_agreement__plan__slug='amager').first(); "
                  "print(a.pk, a.sub_agreement.focus_area.slug)", env=env).strip().splitlines()[-1]
    pk, area = line.split()
    return int(pk), area


def _render_loop(base: str, activity_id: int, area: str, stop: threading.Event,
                 rendered: list[float], failed: list[str]) -> None:
    """Change the activity, then download its delaftale PDF (a new render each time), until stopped."""
    editor = Session(base, "admin", "helhedsplan", timeout=120)
    editor.login()
    path = f"/planer/amager/dokumenter/delaftaler/{area}.pdf"
    counter = 0
    while not stop.is_set():
        counter += 1
        saved = save_activity(editor, activity_id, f"Beboerhuset, ændring {counter}")
        if not saved.ok:
            failed.append(saved.kind)
            time.sleep(0.5)
            continue
        start = time.monotonic()
        answer = editor.pdf(path, within=120)
        if answer.ok:
            rendered.append(time.monotonic() - start)
        else:
            failed.append(answer.kind)
    editor.close()


def html_pages() -> list[str]:
    from .loadtest import PATHS

    return [path for path in PATHS if not is_pdf(path)]


def run() -> list[Figure]:
    from tests.servers import free_port, redis_server

    media = tempfile.mkdtemp(prefix="helhedsplan-bench-media-")
    try:
        with throwaway_postgres(free_port()) as (database_url, pg_dir), redis_server() as redis:
            env = app_env(database_url)
            env.update({"REDIS_URL": redis.url, "MEDIA_ROOT": media})
            manage("migrate", "--noinput", env=env)
            manage("load_demo", "--pdfs", env=env)
            manage("create_demo_users", env={**env, "DEBUG": "1"})
            activity_id, area = _activity(env)
            worker = subprocess.Popen([PYTHON, "manage.py", "db_worker", "--no-startup-delay"], cwd=ROOT, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                with gunicorn(env, free_port(), workers=int(os.environ.get("BENCH_WORKERS", "2")),
                              threads=int(os.environ.get("BENCH_THREADS", "4"))) as base:
                    cookie = login_cookie(base, "sekretariat", "helhedsplan")
                    pages = html_pages()
                    load(base, pages, clients=8, seconds=15.0, cookie=cookie)  # warm-up: every page in every process
                    baseline = load(base, pages, clients=CLIENTS, seconds=BASELINE_SECONDS, cookie=cookie,
                                    think=THINK)
                    stop = threading.Event()
                    rendered: list[float] = []
                    failed: list[str] = []
                    renderer = threading.Thread(target=_render_loop,
                                                args=(base, activity_id, area, stop, rendered, failed))
                    postmaster = Path(pg_dir) / "data" / "postmaster.pid"
                    meter = CpuMeter({"PostgreSQL": lambda: (set(), {int(postmaster.read_text().split()[0])}),
                                      "gunicorn, worker, Redis and the clients": lambda: (set(), {os.getpid()})})
                    renderer.start()
                    try:
                        time.sleep(1.0)  # the first change and render are under way
                        with meter:
                            result = load(base, pages, clients=CLIENTS, seconds=SECONDS, cookie=cookie,
                                          think=THINK)
                    finally:
                        stop.set()
                        renderer.join(180)
            finally:
                stop_group(worker)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    p95_ms = result.p95 * 1000
    slowest = sorted(((percentile(times, 0.95), path) for path, times in result.by_path.items()), reverse=True)[:3]
    raw = (f"{CLIENTS} clients (pausing {THINK:g} s on average after a page) × {SECONDS:.0f} s over "
           f"{len(pages)} HTML pages: {result.requests} requests "
           f"({result.rps:.0f}/s), median {percentile(result.latencies, 0.5) * 1000:.0f} ms, "
           f"errors: {result.error_summary}; meanwhile {len(rendered)} delaftale PDFs rendered "
           f"(change → PDF downloaded: median {percentile(rendered, 0.5):.1f} s), "
           f"{len(failed)} failed{' (' + ', '.join(sorted(set(failed))) + ')' if failed else ''}; slowest p95: "
           + ", ".join(f"{path} {seconds * 1000:.0f} ms" for seconds, path in slowest)
           + f"; the same load without PDF renders ({BASELINE_SECONDS:.0f} s before): "
           f"p95 {baseline.p95 * 1000:.0f} ms, "
           f"median {percentile(baseline.latencies, 0.5) * 1000:.0f} ms, {baseline.rps:.0f}/s, "
           f"errors: {baseline.error_summary}; {meter.summary()}")
    ok = p95_ms < TARGET_MS and result.errors == 0 and bool(rendered)
    return [Figure("p95 HTML pages under load while PDFs render", p95_ms, f"< {TARGET_MS:g} ms", ok, raw,
                   unit=" ms")]
