"""``make loadtest`` (not in CI): 50 clients for 60 s against the app on loopback, with faults.

Two modes (``make loadtest MODE=cluster|single``, cluster by default):

- **cluster** — shared-nothing: a throwaway PostgreSQL, a Redis, a SeaweedFS (S3) bucket, one
  ``db_worker`` and two gunicorn servers with the production settings, all sharing state through the
  environment only, behind haproxy (round robin, health checks, safe retries on the other server).
  At 20 s one gunicorn master and its workers are killed with SIGKILL and started again; at 40 s
  PostgreSQL is restarted.
- **single** — one gunicorn server (normal settings, DEBUG=0) on a throwaway PostgreSQL, restarted
  at 40 s.

Every client signs in with its own session and reads every page in ``PATHS`` in turn (PDFs included:
a PDF URL may answer the PDF, a redirect to the bucket, or 202 while the worker renders it), while
one writer saves an activity through the admin over and over. Prints the fault windows and the
errors outside (target 0) and inside them, acknowledged saves missing afterwards (target 0), clients
that were sent to the login page (target 0), p95 of HTML pages and of PDF downloads, per page, and the
requests each server answered. Bounded in time and request count; loopback only; every process it
starts is stopped when it ends, also on Ctrl-C or a crash.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .clients import LoginFailed, Session, is_pdf, save_activity
from .common import PYTHON, ROOT, app_env, gunicorn, manage, percentile, throwaway_postgres

# The plan page, the budget page and the PDF downloads the load test began with, and every page
# reachable from the plan page: its delaftaler (one of each kind of page), editors, approvals,
# indicators, milestones, beredskabsplan, history, public page settings, document previews.
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
    "/planer/en-faelles-indsats/budget/",
    "/planer/en-faelles-indsats/samarbejdsaftale/",
    "/planer/en-faelles-indsats/samarbejdsaftale/rediger/",
    "/planer/en-faelles-indsats/samarbejdsaftale/godkendelser/1/",
    "/planer/en-faelles-indsats/delaftaler/beskaeftigelse/",
    "/planer/en-faelles-indsats/delaftaler/uddannelse-og-livschancer/rediger/",
    "/planer/en-faelles-indsats/delaftaler/uddannelse-og-livschancer/godkendelser/1/",
    "/planer/en-faelles-indsats/indikatorer/registrer/",
    "/planer/en-faelles-indsats/offentlig-side/",
    "/planer/en-faelles-indsats/dokumenter/samarbejdsaftale/",
    "/planer/en-faelles-indsats/dokumenter/budgetark/",
    "/planer/en-faelles-indsats/dokumenter/samlet-plan/",
    "/planer/en-faelles-indsats/dokumenter/samarbejdsaftale.pdf",
    "/planer/en-faelles-indsats/dokumenter/budgetark.pdf",
    "/planer/amager/",
    "/organisationer/",
    "/eksempelklausuler/",
]
READER = ("sekretariat", "helhedsplan")
EDITOR = ("admin", "helhedsplan")
MAX_REQUESTS = 100_000
ERROR_PAUSE = 1.0


@dataclass
class Outcome:
    start: float  # seconds since the load began
    end: float
    path: str
    ok: bool
    kind: str
    login_redirect: bool
    how: str


@dataclass
class Fault:
    """A fault injected during the run; times in seconds since the load began."""

    name: str
    start: float = -1.0
    done: float = -1.0  # the fault's own action is over (server started again, PostgreSQL restarted)
    answered: float = -1.0  # the app answered again
    error: str = ""

    def window(self, grace: float) -> tuple[float, float]:
        end = self.answered if self.answered >= 0 else float("inf")
        return self.start, end + grace


@dataclass
class Run:
    """Everything measured while the load ran."""

    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)
    relogins: Counter = field(default_factory=Counter)  # client → times it was sent to the login page
    faults: list[Fault] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


# --- The clients ---------------------------------------------------------------------------------

def sign_in(base: str, origin: str, count: int, credentials: tuple[str, str]) -> list[Session]:
    """``count`` sessions, each logged in through the login form (four at a time)."""
    def one(_: int) -> Session:
        session = Session(base, *credentials, origin=origin)
        session.login()
        return session

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(count)))


def relogin(session: Session, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            session.login()
            return
        except (LoginFailed, OSError, http.client.HTTPException):  # the database may be down right now
            time.sleep(0.5)


def reader(number: int, session: Session, paths: list[str], run: Run, stop: threading.Event,
           started: float, stop_at: float, limit: int, think: float = 0.0) -> None:
    """One client: every path in turn, from its own offset, until the time is up, pausing ``think``
    seconds on average (0.5–1.5 times it) after each page as a person reading it would."""
    local: list[Outcome] = []
    index = number
    if think:  # people do not all click at the same instant: each starts somewhere in its first pause
        time.sleep(random.uniform(0, think))
    while not stop.is_set() and time.monotonic() < stop_at and len(local) < limit:
        path = paths[index % len(paths)]
        index += 1
        begin = time.monotonic()
        answer = session.get(path)
        local.append(Outcome(begin - started, time.monotonic() - started, path, answer.ok, answer.kind,
                             answer.login_redirect, answer.how))
        if answer.login_redirect:
            with run.lock:
                run.relogins[f"reader {number}"] += 1
            relogin(session, stop)
        elif not answer.ok:
            time.sleep(ERROR_PAUSE)  # a user who got an error page tries again a moment later
        elif think:
            time.sleep(random.uniform(0.5, 1.5) * think)
    session.close()
    with run.lock:
        run.outcomes.extend(local)


def writer(session: Session, activity_id: int, run: Run, stop: threading.Event, stop_at: float) -> None:
    """Saves the activity's 'lokaliteter' with a counter; records the acknowledged saves."""
    counter = 0
    while not stop.is_set() and time.monotonic() < stop_at and counter < 2000:
        counter += 1
        value = f"Beboerhuset, gemt {counter}"
        answer = save_activity(session, activity_id, value)
        with run.lock:
            if answer.ok:
                run.acknowledged.append(value)
            else:
                run.refused[answer.kind] += 1
                if answer.login_redirect:
                    run.relogins["writer"] += 1
        if answer.login_redirect:
            relogin(session, stop)
        elif not answer.ok:
            time.sleep(0.2)
        time.sleep(0.05)
    session.close()


def check_paths(base: str, origin: str, paths: list[str]) -> list[str]:
    """The paths that answer (PDFs: are downloaded once, which renders them)."""
    session = Session(base, *READER, origin=origin, timeout=120)
    session.login()
    found = []
    for path in paths:
        answer = session.get(path)
        if answer.ok:
            found.append(path)
        else:
            print(f"  (skipping {path}: {answer.kind})", flush=True)
    session.close()
    return found


# --- Faults --------------------------------------------------------------------------------------

def wait_for_app(port: int, stop: threading.Event, within: float = 120.0) -> float:
    """The moment 127.0.0.1:``port`` answered its health check (a busy server may take a while)."""
    from .cluster import answers

    deadline = time.monotonic() + within
    while not stop.is_set() and time.monotonic() < deadline:
        if answers(port, timeout=15):
            return time.monotonic()
        time.sleep(0.1)
    return -1.0


FaultAction = Callable[[Fault, float], None]  # (the fault to fill in, the moment the load began)


def fault_thread(schedule: list[tuple[float, Fault, FaultAction]], started: float,
                 stop: threading.Event) -> threading.Thread:
    """Runs each fault at its time (seconds since ``started``); a fault's exception is recorded."""
    def run() -> None:
        for at, fault, action in schedule:
            if stop.wait(max(0.0, started + at - time.monotonic())):
                return
            fault.start = time.monotonic() - started
            try:
                action(fault, started)
            except Exception as error:  # reported with the results
                fault.error = f"{type(error).__name__}: {error}"

    thread = threading.Thread(target=run, name="faults", daemon=True)
    thread.start()
    return thread


def restart_postgres_fault(pg_dir: str, app_ports: list[int], stop: threading.Event) -> FaultAction:
    """Restart PostgreSQL; the app has answered again when every app server has answered its health
    check (a database query), asked directly: not through a proxy's queue, which under load would
    measure the queue rather than the recovery."""
    def action(fault: Fault, started: float) -> None:
        subprocess.run([str(ROOT / "scripts" / "pgtmp.sh"), "restart", pg_dir], check=True)
        fault.done = time.monotonic() - started
        answered = [wait_for_app(port, stop) for port in app_ports]
        fault.answered = max(answered) - started if min(answered) >= 0 else -1.0
    return action


# --- Running and reporting -----------------------------------------------------------------------

def drive(base: str, origin: str, paths: list[str], activity_id: int, *, clients: int, seconds: float,
          faults: list[tuple[float, Fault, FaultAction]], stop: threading.Event, think: float = 0.0,
          on_start: Callable[[], None] = lambda: None) -> Run:
    run = Run(faults=[fault for _, fault, _ in faults])
    started_login = time.monotonic()
    readers = sign_in(base, origin, clients, READER)
    editor = sign_in(base, origin, 1, EDITOR)[0]
    print(f"{clients} reader sessions and 1 editor session signed in ({time.monotonic() - started_login:.0f} s)",
          flush=True)
    on_start()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=reader, args=(i, s, paths, run, stop, started, stop_at,
                                                     MAX_REQUESTS // clients, think), daemon=True)
               for i, s in enumerate(readers)]
    threads.append(threading.Thread(target=writer, args=(editor, activity_id, run, stop, stop_at), daemon=True))
    for thread in threads:
        thread.start()
    injector = fault_thread(faults, started, stop)
    for thread in threads:
        thread.join(max(1.0, stop_at + 180 - time.monotonic()))  # every request has a timeout of its own
    run.seconds = time.monotonic() - started
    stop.set()
    injector.join(30)
    return run


def save_outcomes(run: Run, path: Path) -> None:
    """Every request of the run, for a closer look (seconds since the load began)."""
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["start", "end", "path", "ok", "kind", "how"])
        for o in sorted(run.outcomes, key=lambda o: o.start):
            out.writerow([f"{o.start:.3f}", f"{o.end:.3f}", o.path, int(o.ok), o.kind, o.how])


def saves_lost(env: dict[str, str], activity_id: int, acknowledged: list[str]) -> tuple[int, bool]:
    """Acknowledged saves missing from the activity's history, and whether the current value is the last."""
    stored = manage("shell", "-c", "import json; from agreements.models import Activity; "
                    f"print(json.dumps(list(Activity.history.filter(id={activity_id})"
                    ".values_list('locations', flat=True))))", env=env).strip().splitlines()[-1]
    final = manage("shell", "-c", "from agreements.models import Activity; "
                   f"print(Activity.objects.get(pk={activity_id}).locations)", env=env).strip().splitlines()[-1]
    saved = set(json.loads(stored))
    missing = [value for value in acknowledged if value not in saved]
    last_is_current = not acknowledged or final == acknowledged[-1]
    return len(missing), last_is_current


def report(run: Run, paths: list[str], grace: float, *, lost: int, last_is_current: bool,
           servers: dict[str, int] | None = None, extra: list[str] | None = None) -> int:
    windows = [(fault, fault.window(grace)) for fault in run.faults if fault.start >= 0]
    errors = [o for o in run.outcomes if not o.ok]

    def in_window(outcome: Outcome) -> bool:
        return any(outcome.start <= end and outcome.end >= start for _, (start, end) in windows)

    inside = [o for o in errors if in_window(o)]
    outside = [o for o in errors if not in_window(o)]
    html = [o.end - o.start for o in run.outcomes if o.ok and not is_pdf(o.path)]
    pdfs = [o for o in run.outcomes if o.ok and is_pdf(o.path)]
    pdf_times = [o.end - o.start for o in pdfs]
    sent_to_login = sum(1 for name in run.relogins if name.startswith("reader"))
    print(f"paths ({len(paths)}): {', '.join(paths)}")
    print(f"requests: {len(run.outcomes)} in {run.seconds:.0f} s ({len(run.outcomes) / max(run.seconds, 1):.0f}/s); "
          f"HTML pages p95 {percentile(html, 0.95) * 1000:.0f} ms (median {percentile(html, 0.5) * 1000:.0f} ms, "
          f"{len(html)} ok); PDF downloads p95 {percentile(pdf_times, 0.95) * 1000:.0f} ms "
          f"(median {percentile(pdf_times, 0.5) * 1000:.0f} ms, {len(pdfs)} ok: "
          + ", ".join(f"{how} {count}" for how, count in Counter(o.how for o in pdfs).most_common()) + ")")
    for path in paths:
        times = [o.end - o.start for o in run.outcomes if o.path == path and o.ok]
        failed = sum(1 for o in run.outcomes if o.path == path and not o.ok)
        print(f"  {path}: {len(times)} ok, {failed} failed, median {percentile(times, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(times, 0.95) * 1000:.0f} ms")
    for fault, (start, end) in windows:
        recovered = (f"answered again at {fault.answered:.1f} s" if fault.answered >= 0 else "never answered again")
        done = f", over at {fault.done:.1f} s" if fault.done >= 0 else ""
        problem = f" — FAILED: {fault.error}" if fault.error else ""
        print(f"fault window {fault.name}: {start:.1f}–{end:.1f} s (began {fault.start:.1f} s{done}, {recovered}, "
              f"+ {grace:g} s){problem}")
    kinds = ", ".join(f"{k} ×{n}" for k, n in Counter(o.kind for o in outside).most_common()) or "none"
    kinds_inside = ", ".join(f"{k} ×{n}" for k, n in Counter(o.kind for o in inside).most_common()) or "none"
    print(f"errors outside the fault windows: {len(outside)} (target 0): {kinds}")
    for outcome in outside[:10]:
        print(f"  {outcome.start:.1f}–{outcome.end:.1f} s {outcome.path}: {outcome.kind}")
    print(f"errors inside the fault windows: {len(inside)}: {kinds_inside}")
    refused = ", ".join(f"{k} ×{n}" for k, n in run.refused.most_common()) or "none"
    print(f"saves acknowledged: {len(run.acknowledged)}, refused: {sum(run.refused.values())} ({refused}); "
          f"acknowledged saves missing from the database: {lost} (target 0); "
          f"current value is the last acknowledged save: {'yes' if last_is_current else 'NO'}")
    print(f"sessions sent to the login page: {sent_to_login} of the readers "
          f"({sum(n for k, n in run.relogins.items() if k.startswith('reader'))} times), "
          f"writer {run.relogins.get('writer', 0)} times (target 0)")
    if servers:
        total = sum(servers.values()) or 1
        print("requests per app server (access logs, health checks left out): "
              + ", ".join(f"{name} {count} ({count * 100 / total:.0f} %)" for name, count in servers.items()))
    for line in extra or []:
        print(line)
    failed_fault = any(fault.error or fault.answered < 0 for fault in run.faults)
    return 1 if outside or lost or not last_is_current or run.relogins or failed_fault else 0


def activity_of(env: dict[str, str]) -> int:
    return int(manage("shell", "-c", "from agreements.models import Activity; "
                      "print(Activity.objects.filter(sub_agreement__plan__slug='amager').first().pk)",
                      env=env).strip().splitlines()[-1])


@contextlib.contextmanager
def interruptible() -> Iterator[threading.Event]:
    """SIGTERM behaves like Ctrl-C (so that every ``finally`` runs); the event tells threads to stop."""
    stop = threading.Event()

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    # Ctrl-C raises KeyboardInterrupt even when the shell started us with SIGINT ignored (in background).
    previous_interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield stop
    finally:
        stop.set()
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_interrupt)


# --- Single server -------------------------------------------------------------------------------

def run_single(args: argparse.Namespace) -> int:
    from tests.servers import free_port

    with interruptible() as stop, throwaway_postgres(free_port()) as (database_url, pg_dir):
        env = app_env(database_url)
        env["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="helhedsplan-loadtest-media-")
        try:
            manage("migrate", "--noinput", env=env)
            manage("load_demo", "--pdfs", env=env)
            manage("create_demo_users", env={**env, "DEBUG": "1"})
            activity_id = activity_of(env)
            port = free_port()
            worker = subprocess.Popen([PYTHON, "manage.py", "db_worker", "--no-startup-delay"], cwd=ROOT, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                with gunicorn(env, port, workers=2, threads=8) as base:
                    paths = check_paths(base, base, PATHS)
                    run = drive(base, base, paths, activity_id, clients=args.clients, seconds=args.seconds,
                                think=args.think, faults=[(args.restart_at, Fault("PostgreSQL restart"),
                                         restart_postgres_fault(pg_dir, [port], stop))], stop=stop)
            finally:
                from .cluster import stop_group

                stop_group(worker)
            lost, last_is_current = saves_lost(env, activity_id, run.acknowledged)
        finally:
            shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
    return report(run, paths, args.grace, lost=lost, last_is_current=last_is_current)


# --- Two servers behind haproxy ------------------------------------------------------------------

BUCKET = "helhedsplan-loadtest"
SETTINGS = {"production": "helhedsplan.settings_production", "default": "helhedsplan.settings"}


def run_cluster(args: argparse.Namespace) -> int:
    from tests.servers import free_port, redis_server, s3_server

    from .cluster import (
        ClusterError,
        CpuMeter,
        Haproxy,
        Supervised,
        gunicorn_server,
        haproxy,
        haproxy_binary,
        queue_and_server_times,
    )

    try:
        haproxy_binary()
    except ClusterError as error:
        print(error)
        return 2
    log_dir = ROOT / "var" / "loadtest"
    shutil.rmtree(log_dir, ignore_errors=True)
    log_dir.mkdir(parents=True)
    print(f"logs: {log_dir}", flush=True)
    with contextlib.ExitStack() as stack:
        stop = stack.enter_context(interruptible())
        database_url, pg_dir = stack.enter_context(throwaway_postgres(free_port()))
        redis = stack.enter_context(redis_server())
        s3 = stack.enter_context(s3_server())
        s3.create_bucket(BUCKET)
        proxy_port = free_port()
        origin = f"https://127.0.0.1:{proxy_port}"
        env = app_env(database_url)
        env.update(s3.environment(BUCKET))
        env.update({
            "REDIS_URL": redis.url,
            "DJANGO_SETTINGS_MODULE": SETTINGS[args.settings],
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": origin,
            # haproxy stands in for the TLS-terminating proxy (it sets X-Forwarded-Proto: https); the
            # health checks and the test's own probes talk plain HTTP to gunicorn, so no redirect to https.
            "SECURE_SSL_REDIRECT": "0",
            "REVERSE_PROXY_COUNT": "1",
        })
        setup_env = {**env, "DJANGO_SETTINGS_MODULE": "helhedsplan.settings", "DEBUG": "1"}
        begin = time.monotonic()
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        manage("load_demo", "--pdfs", env=setup_env)
        manage("create_demo_users", env=setup_env)
        activity_id = activity_of(env)
        print(f"PostgreSQL, Redis, SeaweedFS ready, demo data loaded ({time.monotonic() - begin:.0f} s)", flush=True)

        worker = Supervised("worker", [PYTHON, "manage.py", "db_worker", "--no-startup-delay"], env, log_dir)
        stack.callback(worker.stop)
        worker.start()
        servers = {}
        for name in ("app1", "app2"):
            server = gunicorn_server(name, free_port(), env, log_dir, workers=args.workers, threads=args.threads)
            stack.callback(server.stop)
            server.start_and_wait()
            servers[name] = server
        proxy: Haproxy = stack.enter_context(haproxy(proxy_port, {n: s.port for n, s in servers.items()}, log_dir,
                                                           maxconn=args.workers * args.threads))
        base = f"http://127.0.0.1:{proxy_port}"
        print(f"haproxy on {base} → {', '.join(f'{n} :{s.port}' for n, s in servers.items())}", flush=True)

        paths = check_paths(base, origin, PATHS)

        def supervise() -> None:
            # The worker is restarted when it exits, as its process manager would.
            while not stop.wait(0.5):
                if not worker.running:
                    worker.start()

        threading.Thread(target=supervise, name="supervisor", daemon=True).start()

        victim = servers["app1"]

        def kill_server(fault: Fault, started: float) -> None:
            victim.kill()
            fault.done = time.monotonic() - started
            fault.answered = victim.start_and_wait() - started

        counts_before: dict[str, int] = {}
        postmaster = Path(pg_dir) / "data" / "postmaster.pid"
        meter = CpuMeter({
            **{name: (lambda server=server: ({server.process.pid}, set())) for name, server in servers.items()},
            "db_worker": lambda: ({worker.process.pid}, set()),
            "PostgreSQL": lambda: (set(), {int(postmaster.read_text().split()[0])}),
            "Redis": lambda: (set(), {redis.process.pid}),
            "SeaweedFS": lambda: (set(), {s3.process.pid}),
            "haproxy": lambda: (set(), {proxy.process.pid}),
            "load generator (this process)": lambda: ({os.getpgrp()}, set()),
        })

        wall: dict[str, datetime.datetime] = {}

        def on_start() -> None:
            counts_before.update({n: s.access_log_requests() for n, s in servers.items()})
            wall["start"] = datetime.datetime.now()  # haproxy logs local wall-clock time
            meter.__enter__()  # a daemon thread: nothing to stop if the run fails

        run = drive(base, origin, paths, activity_id, clients=args.clients, seconds=args.seconds, stop=stop,
                    on_start=on_start, think=args.think,
                    faults=[(args.kill_at, Fault("kill -9 app1 (master and workers), start it again"), kill_server),
                            (args.restart_at, Fault("PostgreSQL restart"),
                             restart_postgres_fault(pg_dir, [s.port for s in servers.values()], stop))])
        save_outcomes(run, log_dir / "outcomes.csv")
        meter.__exit__(None, None, None)
        per_server = {n: s.access_log_requests() - counts_before.get(n, 0) for n, s in servers.items()}
        extra = [meter.summary()]
        with contextlib.suppress(OSError):
            stats = proxy.server_stats()
            extra.append("haproxy: " + "; ".join(
                f"{name} {row.get('status')}, {row.get('req_tot') or row.get('stot')} requests, "
                f"{row.get('chkdown')} times marked down ({row.get('downtime')} s), "
                f"{row.get('wretr')} retried, {row.get('wredis')} redispatched, {row.get('hrsp_5xx')} 5xx"
                for name, row in stats.items()))
        with contextlib.suppress(OSError, KeyError):
            split = queue_and_server_times(log_dir / "haproxy.log", wall["start"])
            extra.append(f"where the time went ({len(split['queue'])} requests through haproxy): waiting in "
                         f"haproxy's queue for a free server thread median {percentile(split['queue'], 0.5):.2f} s, "
                         f"p95 {percentile(split['queue'], 0.95):.2f} s; answering in the app server median "
                         f"{percentile(split['server'], 0.5):.2f} s, p95 {percentile(split['server'], 0.95):.2f} s")
        extra.append(f"db_worker started {worker.starts} time(s) (it exits when the database goes away; "
                     f"restarted by the test as a process manager would)")
        lost, last_is_current = saves_lost(env, activity_id, run.acknowledged)
    return report(run, paths, args.grace, lost=lost, last_is_current=last_is_current, servers=per_server,
                  extra=extra)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["cluster", "single"], default="cluster")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean pause (s) of a reader after each page, as a person reading it; 0: none")
    parser.add_argument("--kill-at", type=float, default=20.0, help="cluster: kill -9 one app server")
    parser.add_argument("--restart-at", type=float, default=40.0, help="restart PostgreSQL")
    parser.add_argument("--grace", type=float, default=3.0,
                        help="seconds after the app answers again that still count as the fault's window")
    parser.add_argument("--settings", choices=sorted(SETTINGS), default="production",
                        help="cluster: the app servers' settings (default: DEBUG=0 and the normal settings)")
    parser.add_argument("--workers", type=int, default=2, help="cluster: gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4, help="cluster: threads per gunicorn worker")
    args = parser.parse_args()
    if args.mode == "single":
        return run_single(args)
    return run_cluster(args)


if __name__ == "__main__":
    raise SystemExit(main())
