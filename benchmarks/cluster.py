"""Processes of a small shared-nothing cluster on loopback, for the load test: app servers (gunicorn,
each in its own process group so that it can be killed whole), the background worker, and haproxy
in front of them. Every process started here is stopped by its process group when the block ends,
also on Ctrl-C or a crash.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import http.client
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .common import PYTHON, ROOT

HAPROXY = "/usr/sbin/haproxy"
STOP_SECONDS = 10


class ClusterError(RuntimeError):
    pass


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process's whole group (it was started as a group leader)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the group, SIGKILL to what is left after STOP_SECONDS; reaps the leader."""
    if process.poll() is None:
        kill_group(process, signal.SIGTERM)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    kill_group(process, signal.SIGKILL)  # stray children of a leader that is gone already
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(STOP_SECONDS)


def answers(port: int, path: str = "/healthz", timeout: float = 1.0) -> bool:
    """Does 127.0.0.1:``port`` answer ``path`` with 200?"""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def wait_until_answers(port: int, *, within: float, process: subprocess.Popen | None = None,
                       what: str = "server") -> float:
    """Poll until ``port`` answers; return the moment (time.monotonic()) it did."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if answers(port):
            return time.monotonic()
        if process is not None and process.poll() is not None:
            raise ClusterError(f"{what} stopped while starting (exit {process.returncode})")
        time.sleep(0.1)
    raise ClusterError(f"{what} on port {port} did not answer within {within:.0f} s")


@dataclass
class Supervised:
    """A command that runs in its own process group, with its output appended to log files."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_dir: Path
    process: subprocess.Popen | None = None
    starts: int = 0

    def start(self) -> subprocess.Popen:
        out = (self.log_dir / f"{self.name}.out.log").open("ab")
        err = (self.log_dir / f"{self.name}.err.log").open("ab")
        try:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=out, stderr=err,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            out.close()
            err.close()
        self.starts += 1
        return self.process

    def kill(self) -> None:
        """kill -9 the whole process group (master and workers), and reap the leader."""
        if self.process is not None:
            kill_group(self.process, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(STOP_SECONDS)

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class AppServer(Supervised):
    port: int = 0

    def start_and_wait(self, within: float = 60.0) -> float:
        process = self.start()
        return wait_until_answers(self.port, within=within, process=process, what=self.name)

    def access_log_requests(self) -> int:
        """Requests in the access log (gunicorn's common log format), health checks left out."""
        log = self.log_dir / f"{self.name}.out.log"
        if not log.exists():
            return 0
        with log.open(errors="replace") as lines:
            return sum(1 for line in lines if '"GET /healthz ' not in line and '" ' in line)


def gunicorn_server(name: str, port: int, env: dict[str, str], log_dir: Path, *, workers: int,
                    threads: int) -> AppServer:
    """The production gunicorn configuration (gunicorn.conf.py: access log on stdout) on ``port``."""
    command = [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--threads", str(threads), "helhedsplan.wsgi"]
    return AppServer(name=name, command=command, env=env, log_dir=log_dir, port=port)


@dataclass
class Haproxy:
    port: int
    socket_path: Path
    process: subprocess.Popen
    config: str = ""
    servers: list[str] = field(default_factory=list)

    def stats(self) -> list[dict[str, str]]:
        """``show stat`` from the stats socket, one dict per proxy and server."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(str(self.socket_path))
            connection.sendall(b"show stat\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        text = b"".join(chunks).decode().lstrip("# ")
        return list(csv.DictReader(io.StringIO(text)))

    def server_stats(self) -> dict[str, dict[str, str]]:
        return {row["svname"]: row for row in self.stats() if row["svname"] in self.servers}


HAPROXY_CONFIG = """\
# Written by benchmarks/cluster.py for one load test run.
global
    maxconn 2000
    stats socket {socket} mode 600 level user
    # One line per request and per server state change, on stdout (haproxy.log in the log directory).
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 1s
    timeout client 150s
    timeout server 150s
    timeout queue 60s
    timeout http-request 10s
    timeout http-keep-alive 10s
    # A busy server answers its health check late, not never: generous, so that only a server that
    # is gone or broken is taken out (an overloaded one taken out leaves the rest even more loaded).
    timeout check 5s
    # A request that could not reach a server, or whose server closed the connection without
    # answering (killed mid-request), is tried again (up to 3 times), the last time on another server.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response

frontend app
    bind 127.0.0.1:{port}
    # The proxy terminates TLS in production: the app sees https and the client's address.
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    # Only requests that are safe to repeat are retried after reaching a server; a POST whose
    # server died is answered 502, never sent twice.
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    default_backend app_servers

backend app_servers
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # maxconn: no more requests at once than the server has threads; the rest wait here, in order,
    # so that a server's own queue stays short and its health check is answered promptly.
    # observe layer4 (on each server line): a server whose port refuses a request's connection (its
    # processes are gone) is taken out at once, not only after failed health checks; otherwise it
    # looks free, and the retries of the requests it refused would go straight back to it.
    default-server inter 1s fastinter 500ms downinter 500ms fall 3 rise 2 maxconn {maxconn}
{servers}
"""


def haproxy_binary() -> str:
    """Debian's haproxy, or a clear error saying how to get it."""
    binary = HAPROXY if Path(HAPROXY).exists() else shutil.which("haproxy")
    if not binary:
        raise ClusterError("haproxy is missing: the cluster load test needs it (apt-get install haproxy), "
                           "or run the single-server load test: make loadtest MODE=single")
    return binary


@contextlib.contextmanager
def haproxy(port: int, servers: dict[str, int], directory: Path, *, maxconn: int) -> Iterator[Haproxy]:
    """haproxy on 127.0.0.1:``port``, round robin over ``servers`` (name → port), at most ``maxconn``
    requests at once on each; stopped afterwards."""
    binary = haproxy_binary()
    socket_path = Path(tempfile.mkdtemp(prefix="hp-", dir="/tmp")) / "stats.sock"  # short: AF_UNIX limit
    lines = "\n".join(f"    server {name} 127.0.0.1:{server_port} check observe layer4 error-limit 1 on-error mark-down"
                      for name, server_port in servers.items())
    config = HAPROXY_CONFIG.format(socket=socket_path, port=port, servers=lines, maxconn=maxconn)
    config_path = directory / "haproxy.cfg"
    config_path.write_text(config)
    check = subprocess.run([binary, "-c", "-q", "-f", str(config_path)], capture_output=True, text=True)
    if check.returncode:
        raise ClusterError(f"haproxy refused its configuration:\n{check.stdout}{check.stderr}")
    with (directory / "haproxy.log").open("ab") as log:
        process = subprocess.Popen([binary, "-db", "-f", str(config_path)], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_answers(port, within=30, process=process, what="haproxy")
        yield Haproxy(port=port, socket_path=socket_path, process=process, config=config,
                      servers=list(servers))
    finally:
        stop_group(process)
        shutil.rmtree(socket_path.parent, ignore_errors=True)


# --- Where the CPU time goes -----------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> list[tuple[int, int, int, float]]:
    """(pid, parent pid, process group, CPU seconds used) of every process on the machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        found.append((int(entry.name), int(fields[1]), int(fields[2]),
                      (int(fields[11]) + int(fields[12])) / TICKS))
    return found


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores; /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / TICKS


class CpuMeter:
    """Samples the CPU time of the cluster's processes, by role, while the load runs.

    ``roles`` maps a role to a function giving the process groups and the processes (with their
    children) that belong to it right now; a process belongs to the first role that claims it. A
    process is counted from its first sample to its last, so a server killed mid-run keeps what it
    used until its last sample.
    """

    def __init__(self, roles: dict[str, Callable[[], tuple[set[int], set[int]]]]) -> None:
        self.roles = roles
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.busy_start = machine_busy_seconds()
        self.busy = 0.0
        self.seconds = 0.0
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-meter", daemon=True)

    def _sample(self) -> None:
        table = _processes()
        children: dict[int, list[int]] = {}
        for pid, parent, _, _ in table:
            children.setdefault(parent, []).append(pid)
        claimed: set[int] = set()
        for role, members in self.roles.items():
            try:
                groups, leaders = members()
            except (OSError, ValueError, AttributeError):
                continue
            wanted = set(leaders)
            stack = list(leaders)
            while stack:
                for child in children.get(stack.pop(), []):
                    if child not in wanted:
                        wanted.add(child)
                        stack.append(child)
            for pid, _, group, used in table:
                if pid not in claimed and (group in groups or pid in wanted):
                    claimed.add(pid)
                    self.first.setdefault(pid, used)
                    self.last[pid] = (role, used)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sample()
        self.busy = machine_busy_seconds() - self.busy_start
        self.seconds = time.monotonic() - self._started

    def by_role(self) -> dict[str, float]:
        totals: dict[str, float] = dict.fromkeys(self.roles, 0.0)
        for pid, (role, used) in self.last.items():
            totals[role] += used - self.first.get(pid, used)
        return totals

    def summary(self) -> str:
        totals = self.by_role()
        ours = sum(totals.values())
        parts = ", ".join(f"{role} {seconds:.0f} s" for role, seconds in
                          sorted(totals.items(), key=lambda item: -item[1]))
        return (f"CPU time during the load ({self.seconds:.0f} s × {os.cpu_count()} cores = "
                f"{self.seconds * (os.cpu_count() or 1):.0f} s; machine busy {self.busy:.0f} s): {parts}; "
                f"everything else on the machine {max(0.0, self.busy - ours):.0f} s")


HTTPLOG = re.compile(r"\[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3})\] \S+ \S+/(\S+) "
                     r"(-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/(-?\d+) (\d{3}) ")


def queue_and_server_times(log: Path, since: datetime.datetime) -> dict[str, list[float]]:
    """From haproxy's request log (option httplog): per answered request since ``since``, the seconds
    it waited in haproxy's queue for a free server slot ("queue") and the seconds the app server took
    to answer once it had it ("server"); PDF downloads and pages alike."""
    times: dict[str, list[float]] = {"queue": [], "server": []}
    with log.open(errors="replace") as lines:
        for line in lines:
            found = HTTPLOG.search(line)
            if not found:
                continue
            accepted = datetime.datetime.strptime(found.group(1), "%d/%b/%Y:%H:%M:%S.%f")
            waited, answered = int(found.group(4)), int(found.group(6))
            if accepted < since or waited < 0 or answered < 0 or " /healthz " in line:
                continue
            times["queue"].append(waited / 1000)
            times["server"].append(answered / 1000)
    return times
