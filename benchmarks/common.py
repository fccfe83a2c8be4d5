"""Shared benchmark machinery: a throwaway PostgreSQL, a gunicorn server, a bounded HTTP load."""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def median_time(func: Callable[[], object], runs: int = 5) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


@contextlib.contextmanager
def throwaway_postgres(port: int) -> Iterator[tuple[str, str]]:
    """Start a PostgreSQL cluster; yield its DATABASE_URL; stop and remove it afterwards."""
    out = subprocess.run([str(ROOT / "scripts" / "pgtmp.sh"), "start", str(port)], check=True,
                         capture_output=True, text=True).stdout
    values = dict(re.findall(r"(\w+)='([^']*)'", out))
    try:
        yield values["DATABASE_URL"], values["PGTMP_DIR"]
    finally:
        subprocess.run([str(ROOT / "scripts" / "pgtmp.sh"), "stop", values["PGTMP_DIR"]], check=False)


def manage(*args: str, env: dict[str, str]) -> str:
    """Run a management command; its output, or an error that shows the end of what it printed."""
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed (exit {done.returncode}):\n"
                           f"{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int = 2, threads: int = 4) -> Iterator[str]:
    """Serve the app with gunicorn on loopback; yield the base URL."""
    command = [PYTHON, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads), "--log-level", "warning", "helhedsplan.wsgi"]
    log = open(os.environ.get("BENCH_GUNICORN_LOG", os.devnull), "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start (set BENCH_GUNICORN_LOG=FILE to see why)")
        yield base
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        if process.poll() is None:
            process.kill()
        log.close()


def login_cookie(base: str, username: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header value."""
    parsed = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    connection.request("GET", "/login/")
    response = connection.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    connection.request("POST", "/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}",
        "Referer": base + "/login/"})
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "") or "")
    if response.status != 302 or not session:
        raise RuntimeError(f"login failed for {username}: {response.status}")
    return f"csrftoken={csrf_cookie}; sessionid={session.group(1)}"


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    outcomes: list[tuple[float, bool]] = field(default_factory=list)  # (seconds since start, ok)
    error_kinds: Counter = field(default_factory=Counter)  # "HTTP 500", "ConnectionResetError", ...
    by_path: dict[str, list[float]] = field(default_factory=dict)  # path → latencies
    seconds: float = 0.0

    @property
    def error_summary(self) -> str:
        return ", ".join(f"{kind} ×{count}" for kind, count in self.error_kinds.most_common()) or "none"

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def load(base: str, paths: list[str], *, clients: int, seconds: float, cookie: str = "",
         max_requests: int = 200_000, expect: int = 200, record_times: bool = False,
         think: float = 0.0) -> LoadResult:
    """``clients`` threads request ``paths`` round-robin for a bounded time and count; loopback only.

    ``think``: the mean pause (seconds, uniformly 0.5–1.5 times it) a client takes after each page, as a
    person reads it before the next click; 0 is a client that never pauses (a throughput test).
    """
    parsed = urllib.parse.urlsplit(base)
    assert parsed.hostname in {"127.0.0.1", "localhost"}, "load tests only target loopback"
    result = LoadResult()
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds

    def worker(offset: int) -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        index = offset
        local = LoadResult()
        if think:  # people do not all click at the same instant: each starts somewhere in its first pause
            time.sleep(random.uniform(0, think))
        while time.monotonic() < stop_at and local.requests < max_requests // clients:
            path = paths[index % len(paths)]
            index += 1
            start = time.perf_counter()
            ok = False
            kind = ""
            for _attempt in range(2):  # a keep-alive connection the server closed is retried once, as browsers do
                try:
                    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                    response = connection.getresponse()
                    response.read()
                    ok = response.status == expect
                    kind = "" if ok else f"HTTP {response.status}"
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                    kind = type(error).__name__
                    connection.close()
                    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
                except (OSError, http.client.HTTPException) as error:
                    kind = type(error).__name__
                    connection.close()
                    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
                    break
            local.latencies.append(time.perf_counter() - start)
            local.by_path.setdefault(path, []).append(local.latencies[-1])
            if think:
                time.sleep(random.uniform(0.5, 1.5) * think)
            if record_times:
                local.outcomes.append((time.monotonic() - started, ok))
            local.requests += 1
            local.errors += 0 if ok else 1
            if not ok:
                local.error_kinds[kind or "unknown"] += 1
        with lock:
            result.requests += local.requests
            result.errors += local.errors
            result.error_kinds.update(local.error_kinds)
            for path, latencies in local.by_path.items():
                result.by_path.setdefault(path, []).extend(latencies)
            result.latencies.extend(local.latencies)
            result.outcomes.extend(local.outcomes)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def app_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "CONN_MAX_AGE": "60", "DJANGO_SETTINGS_MODULE": "helhedsplan.settings"})
    return env


def quote(args: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in args)
