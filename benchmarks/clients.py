"""HTTP clients for the load test and the benchmarks: a signed-in session on one keep-alive
connection, PDF downloads that understand every answer a PDF URL gives, and the admin writer.

A PDF URL answers with the PDF itself (200), with a redirect to a presigned URL on the S3 endpoint
(302, followed without the session cookie), or, while the background worker renders the document,
with 202 and ``Retry-After`` (asked again after that many seconds). A download's latency runs from
the first request until the PDF's bytes have arrived. Loopback only.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass

LOGIN_PATH = "/login/"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# A closed keep-alive connection is retried once on a new one, as browsers do.
RECONNECT_ERRORS = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class LoginFailed(RuntimeError):
    pass


@dataclass
class Answer:
    """The outcome of one page view or one PDF download."""

    ok: bool
    kind: str = ""  # why not: "HTTP 500", "ConnectionRefusedError", "login page", "no PDF", …
    how: str = ""  # PDFs: "direct", "s3" or "rendered" (answered 202 at least once)
    waits: int = 0  # 202 answers before the PDF came
    login_redirect: bool = False
    status: int = 0


def is_login_redirect(status: int, location: str) -> bool:
    return status in (301, 302, 303) and urllib.parse.urlsplit(location).path.startswith(LOGIN_PATH)


def _host_port(url: str) -> tuple[str, int]:
    parsed = urllib.parse.urlsplit(url)
    if parsed.hostname not in LOOPBACK:
        raise ValueError(f"load tests only talk to loopback, not {parsed.hostname}")
    return parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80)


class Session:
    """One user agent: its own session cookie and one keep-alive connection to ``base``.

    ``origin`` is the site's address as the browser sees it (``https://…`` behind a TLS-terminating
    proxy): it goes into the Referer header that Django's CSRF check compares with the host.
    """

    def __init__(self, base: str, username: str = "", password: str = "", *, origin: str | None = None,
                 timeout: float = 60.0, cookie: str = "") -> None:
        self.base = base
        self.host, self.port = _host_port(base)
        self.origin = origin or base
        self.username = username
        self.password = password
        self.timeout = timeout
        self.cookie = cookie
        self.logins = 0
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def close(self) -> None:
        self.connection.close()

    def request(self, method: str, path: str, *, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request on the keep-alive connection (re-opened once if the server had closed it)."""
        headers = dict(headers or {})
        if self.cookie:
            headers.setdefault("Cookie", self.cookie)
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, content
            except RECONNECT_ERRORS:
                self.connection.close()
                self.connection = self._connect()
                if attempt or method != "GET":
                    raise
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = self._connect()
                raise
        raise AssertionError("unreachable")

    def login(self) -> None:
        """Log in through the real login form; keeps the new session's cookie."""
        self.cookie = ""
        status, headers, body = self.request("GET", LOGIN_PATH)
        csrf = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())
        if status != 200 or not csrf or not token:
            raise LoginFailed(f"login page answered {status}")
        form = urllib.parse.urlencode({"username": self.username, "password": self.password,
                                       "csrfmiddlewaretoken": token.group(1)})
        status, headers, _ = self.request("POST", LOGIN_PATH, body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf.group(1)}",
            "Referer": self.origin + LOGIN_PATH})
        session = re.search(r"sessionid=([^;]+)", headers.get("set-cookie", ""))
        if status != 302 or not session:
            raise LoginFailed(f"login as {self.username} answered {status}")
        self.cookie = f"csrftoken={csrf.group(1)}; sessionid={session.group(1)}"
        self.logins += 1

    @property
    def csrf_token(self) -> str:
        found = re.search(r"csrftoken=([^;]+)", self.cookie)
        return found.group(1) if found else ""

    def page(self, path: str, *, expect: int = 200) -> Answer:
        """GET an HTML page; a redirect to the login page is a lost session, not a page."""
        try:
            status, headers, _ = self.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            return Answer(False, type(error).__name__)
        if is_login_redirect(status, headers.get("location", "")):
            return Answer(False, "login page", login_redirect=True, status=status)
        return Answer(status == expect, "" if status == expect else f"HTTP {status}", status=status)

    def pdf(self, path: str, *, within: float = 90.0) -> Answer:
        """Download a PDF, waiting while it is rendered and following a redirect to the bucket."""
        deadline = time.monotonic() + within
        waits = 0
        how = "direct"
        location = path
        while True:
            try:
                status, headers, body = self._get_anywhere(location)
            except (OSError, http.client.HTTPException, ValueError) as error:
                return Answer(False, type(error).__name__, how, waits)
            if status == 200:
                if body.startswith(b"%PDF"):
                    return Answer(True, "", "rendered" if waits else how, waits, status=200)
                return Answer(False, "no PDF", how, waits, status=200)
            if status == 202:
                waits += 1
                retry_after = headers.get("retry-after", "2")
                pause = min(5.0, max(0.2, float(retry_after) if retry_after.isdigit() else 2.0))
                if time.monotonic() + pause > deadline:
                    return Answer(False, "still rendering at deadline", "rendered", waits, status=202)
                time.sleep(pause)
                location = path
                continue
            if status in (301, 302, 303, 307):
                target = headers.get("location", "")
                if is_login_redirect(status, target):
                    return Answer(False, "login page", how, waits, login_redirect=True, status=status)
                if urllib.parse.urlsplit(target).netloc not in ("", f"{self.host}:{self.port}"):
                    how = "s3"
                location = target
                if time.monotonic() > deadline:
                    return Answer(False, "too many redirects", how, waits, status=status)
                continue
            return Answer(False, f"HTTP {status}", how, waits, status=status)

    def _get_anywhere(self, location: str) -> tuple[int, dict[str, str], bytes]:
        """GET on the session's own connection, or once without cookies on another loopback host."""
        parsed = urllib.parse.urlsplit(location)
        if parsed.netloc in ("", f"{self.host}:{self.port}"):
            return self.request("GET", urllib.parse.urlunsplit(("", "", parsed.path, parsed.query, "")))
        host, port = _host_port(location)
        connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        try:
            connection.request("GET", urllib.parse.urlunsplit(("", "", parsed.path, parsed.query, "")))
            response = connection.getresponse()
            content = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        """A page or, for ``….pdf``, a PDF download."""
        return self.pdf(path) if is_pdf(path) else self.page(path)


def is_pdf(path: str) -> bool:
    return urllib.parse.urlsplit(path).path.endswith(".pdf")


def _unescape(text: str) -> str:
    return (text.replace("&#x27;", "'").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
            .replace("&amp;", "&"))


def save_activity(session: Session, activity_id: int, locations: str) -> Answer:
    """Save the activity's "Lokaliteter" through its admin form, as an editor would.

    ok means acknowledged: the admin answered the POST with its redirect, so the save is committed.
    """
    path = f"/admin/agreements/activity/{activity_id}/change/"
    try:
        status, headers, content = session.request("GET", path)
    except (OSError, http.client.HTTPException) as error:
        return Answer(False, f"GET {type(error).__name__}")
    if status != 200:
        login = status == 302 and "/login/" in headers.get("location", "")
        return Answer(False, "login page" if login else f"GET {status}", login_redirect=login, status=status)
    html = content.decode()
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    for name in re.findall(r'<textarea name="([^"]+)"', html):
        match = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
        form[name] = _unescape(match.group(1) if match else "")
    selected = re.search(r'name="sub_agreement".*?<option value="(\d+)" selected', html, re.S)
    form["sub_agreement"] = selected.group(1) if selected else form.get("sub_agreement", "")
    form["locations"] = locations
    for button in ("_saveasnew", "_addanother", "_continue"):
        form.pop(button, None)
    try:
        status, _, _ = session.request("POST", path, body=urllib.parse.urlencode(form), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": session.origin + path,
            "X-CSRFToken": session.csrf_token})
    except (OSError, http.client.HTTPException) as error:
        return Answer(False, f"POST {type(error).__name__}")
    return Answer(status == 302, "" if status == 302 else f"POST {status}", status=status)
