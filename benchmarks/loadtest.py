"""``make loadtest`` (not in CI): 50 clients for 60 s on gunicorn + PostgreSQL on loopback.

Reads the plan page, the budget page and a PDF download while one writer saves an activity over and
over; PostgreSQL is restarted mid-run. Prints errors (outside and inside the restart window), p95
latency, the time until the app answered again, and whether every acknowledged save is in the
database afterwards (no lost saves). Bounded in time and request count; loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import subprocess
import threading
import time
import urllib.parse

from .common import ROOT, app_env, gunicorn, load, login_cookie, manage, percentile, throwaway_postgres

# The pages the issue names (plan page, budget page, a PDF download) and every page added since.
PATHS = [
    "/planer/en-faelles-indsats/",
    "/planer/amager/budget/",
    "/planer/amager/dokumenter/samarbejdsaftale.pdf",
    "/",
    "/planer/en-faelles-indsats/delaftaler/uddannelse-og-livschancer/",
    "/planer/en-faelles-indsats/indikatorer/",
    "/planer/en-faelles-indsats/milepaele/",
    "/planer/en-faelles-indsats/beredskabsplan/",
    "/planer/en-faelles-indsats/historik/",
    "/planer/en-faelles-indsats/dokumenter/samlet-plan.pdf",
]


def existing_paths(base: str, cookie: str) -> list[str]:
    parsed = urllib.parse.urlsplit(base)
    found = []
    for path in PATHS:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            found.append(path)
        else:
            print(f"  (skipping {path}: {response.status})")
    return found


def writer(base: str, cookie: str, stop: threading.Event, acknowledged: list[str], failures: list[str],
           activity_id: int) -> None:
    """Saves the activity's 'lokaliteter' with a counter through the admin form; records acknowledged saves."""
    parsed = urllib.parse.urlsplit(base)
    path = f"/admin/agreements/activity/{activity_id}/change/"
    counter = 0
    while not stop.is_set() and counter < 2000:
        counter += 1
        value = f"Beboerhuset, gemt {counter}"
        try:
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            html = response.read().decode()
            if response.status != 200:
                failures.append(f"GET {response.status}")
                time.sleep(0.2)
                continue
            form = {name: val for name, val in re.findall(r'name="([^"]+)" value="([^"]*)"', html)}
            for name in re.findall(r'<textarea name="([^"]+)"', html):
                match = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
                form[name] = (match.group(1) if match else "").replace("&#x27;", "'").replace("&quot;", '"') \
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            selected = re.search(r'name="sub_agreement".*?<option value="(\d+)" selected', html, re.S)
            form["sub_agreement"] = selected.group(1) if selected else form.get("sub_agreement", "")
            form["locations"] = value
            form.pop("_saveasnew", None)
            form.pop("_addanother", None)
            form.pop("_continue", None)
            csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)
            body = urllib.parse.urlencode(form)
            connection.request("POST", path, body=body, headers={
                "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                "Referer": base + path, "X-CSRFToken": csrf})
            response = connection.getresponse()
            response.read()
            if response.status == 302:
                acknowledged.append(value)
            else:
                failures.append(f"POST {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            failures.append(type(exc).__name__)
        time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--restart-at", type=float, default=25.0)
    args = parser.parse_args()
    with throwaway_postgres(55490) as (database_url, pg_dir):
        env = app_env(database_url)
        manage("migrate", "--noinput", env=env)
        manage("load_demo", env=env)
        manage("create_demo_users", env={**env, "DEBUG": "1"})
        activity_id = int(manage("shell", "-c", "from agreements.models import Activity; "
                                 "print(Activity.objects.filter(sub_agreement__plan__slug='amager').first().pk)",
                                 env=env).strip().splitlines()[-1])
        with gunicorn(env, 8490, workers=2, threads=8) as base:
            reader_cookie = login_cookie(base, "sekretariat", "helhedsplan")
            admin_cookie = login_cookie(base, "admin", "helhedsplan")
            paths = existing_paths(base, reader_cookie)
            stop = threading.Event()
            acknowledged: list[str] = []
            failures: list[str] = []
            write_thread = threading.Thread(target=writer, args=(base, admin_cookie, stop, acknowledged, failures,
                                                                 activity_id))
            restart: dict[str, float] = {}

            def restart_postgres() -> None:
                time.sleep(args.restart_at)
                restart["start"] = time.monotonic()
                subprocess.run([str(ROOT / "scripts" / "pgtmp.sh"), "restart", pg_dir], check=True)
                restart["end"] = time.monotonic()

            restarter = threading.Thread(target=restart_postgres)
            started = time.monotonic()
            write_thread.start()
            restarter.start()
            result = load(base, paths, clients=args.clients, seconds=args.seconds, cookie=reader_cookie,
                          max_requests=100_000, record_times=True)
            stop.set()
            write_thread.join()
            restarter.join()
            stored = manage("shell", "-c", "import json; from agreements.models import Activity; "
                            f"print(json.dumps(list(Activity.history.filter(id={activity_id})"
                            ".values_list('locations', flat=True))))", env=env).strip().splitlines()[-1]
            final = manage("shell", "-c", f"from agreements.models import Activity; "
                           f"print(Activity.objects.get(pk={activity_id}).locations)", env=env).strip().splitlines()[-1]
    window = (restart["start"] - started, restart["end"] - started + 2.0)
    in_window = sum(1 for t, ok in result.outcomes if not ok and window[0] <= t <= window[1])
    outside = result.errors - in_window
    last_error = max((t for t, ok in result.outcomes if not ok), default=None)
    after = restart["end"] - started
    recovered = f"{max(0.0, last_error - after):.1f} s after restart" if last_error else "no errors"
    saved_values = set(json.loads(stored))
    missing = [value for value in acknowledged if value not in saved_values]
    lost = bool(missing) or (bool(acknowledged) and final != acknowledged[-1])
    print(f"paths: {', '.join(paths)}")
    print(f"requests: {result.requests} in {result.seconds:.0f} s ({result.rps:.0f} req/s), "
          f"p95 {result.p95 * 1000:.0f} ms; errors: {result.error_summary}")
    for path in paths:
        latencies = result.by_path.get(path, [])
        print(f"  {path}: {len(latencies)} requests, median {percentile(latencies, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms")
    print(f"errors outside restart window: {outside} (target 0); during PostgreSQL restart "
          f"({restart['end'] - restart['start']:.1f} s): {in_window}; last error {recovered}")
    print(f"saves acknowledged: {len(acknowledged)}, refused while the database was down: {len(failures)}; "
          f"acknowledged saves missing from the database: {len(missing)} (target 0); "
          f"current value is the last acknowledged save: {'yes' if not lost else 'NO'}")
    return 1 if lost or outside else 0


if __name__ == "__main__":
    raise SystemExit(main())
