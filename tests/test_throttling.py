"""Login throttling (django-axes) with the client addresses the production settings compute.

In production gunicorn sits behind a reverse proxy: every request comes from the proxy's address
(REMOTE_ADDR 127.0.0.1), and the proxy appends the address it was connected from to
X-Forwarded-For. The tests send requests the way the proxy hands them on.
"""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories.agreements import UserFactory

ROOT = Path(__file__).resolve().parents[1]
PROXY = "127.0.0.1"
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"
PASSWORD = "rigtig-kode-123"
WRONG = "Brugernavn og adgangskode passer ikke sammen"
LOCKED = "Log ind er midlertidigt spærret"
USER_LOCKED = "med dette brugernavn fra din netværksadresse"
ADDRESS_LOCKED = "log ind herfra spærret"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def read_production_settings(**env: str) -> subprocess.CompletedProcess:
    """Import helhedsplan.settings_production with the environment ``env`` and print its throttling
    settings as JSON, in a process of its own: the production settings need a real SECRET_KEY, and
    importing them here would change this process's settings."""
    code = (
        "import json, helhedsplan.settings_production as s; "
        "print(json.dumps({k: getattr(s, k) for k in dir(s) "
        "if k.startswith(('AXES_', 'IPWARE_', 'LOGIN_ADDRESS_'))}))"
    )
    process_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REVERSE_PROXY_COUNT"}}
    process_env.update({"SECRET_KEY": "p7#v!q2@Zr9Lm4$Xw8Ks1^Tn6&Yb3*Hd5%Gf0)Jc-Ue=Aa+Oi_Rz~Vt", **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=process_env, capture_output=True,
                          text=True, timeout=120)


def production_throttling_settings(**env: str) -> dict:
    """The throttling settings helhedsplan.settings_production computes from the environment ``env``."""
    result = read_production_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production_values() -> dict:
    return production_throttling_settings()


@pytest.fixture
def behind_proxy(settings, production_values, db):
    """This test's settings carry the production throttling configuration (one reverse proxy)."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    for name, value in production_values.items():
        setattr(settings, name, value)
    return settings


def log_in(username: str, password: str, forwarded_for: str | None, client: Client | None = None,
           remote_addr: str = PROXY):
    """POST the login form as the proxy hands it on; ``forwarded_for`` is the X-Forwarded-For header."""
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    client = client or Client()
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_failed_logins_lock_the_user_at_that_address_only(behind_proxy):
    UserFactory(username="admin", password=PASSWORD)
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT - 1):
        response = log_in("admin", "forkert", CLIENT_A)
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    response = log_in("admin", "forkert", CLIENT_A)
    assert response.status_code == 429
    assert LOCKED in response.content.decode() and USER_LOCKED in response.content.decode()

    # even the right password is refused from there while locked
    browser = Client()
    response = log_in("admin", PASSWORD, CLIENT_A, browser)
    assert response.status_code == 429
    assert "_auth_user_id" not in browser.session
    # but the real admin elsewhere is not locked out by someone else's guesses
    assert log_in("admin", PASSWORD, CLIENT_B).status_code == 302


def test_two_clients_behind_the_same_proxy_are_told_apart(behind_proxy):
    UserFactory(username="sara", password=PASSWORD)
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT - 1):
        assert log_in("sara", "forkert", CLIENT_A).status_code == 200
        assert log_in("sara", "forkert", CLIENT_B).status_code == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A, CLIENT_B}
    # together well over the limit, yet each address is below it
    assert log_in("sara", PASSWORD, CLIENT_B).status_code == 302


def test_password_spraying_from_one_address_locks_the_address_for_every_username(behind_proxy):
    UserFactory(username="bent", password=PASSWORD)
    limit = behind_proxy.LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > behind_proxy.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        response = log_in(f"gaet{n}", "Sommer2026!", CLIENT_A)
        assert response.status_code == 200, f"locked after {n + 1} failures"
    response = log_in(f"gaet{limit}", "Sommer2026!", CLIENT_A)
    assert response.status_code == 429
    assert ADDRESS_LOCKED in response.content.decode()

    # a real user with the right password at that address is locked out too
    response = log_in("bent", PASSWORD, CLIENT_A)
    assert response.status_code == 429
    assert ADDRESS_LOCKED in response.content.decode()
    # another address is unaffected
    assert log_in("bent", PASSWORD, CLIENT_B).status_code == 302
    # an administrator lifts the lock
    call_command("axes_reset", stdout=StringIO())
    assert log_in("bent", PASSWORD, CLIENT_A).status_code == 302


def test_a_successful_login_does_not_clear_the_address_failures_for_other_usernames(behind_proxy):
    UserFactory(username="mallory", password=PASSWORD)
    for n in range(behind_proxy.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert log_in(f"gaet{n}", "Sommer2026!", CLIENT_A).status_code == 200
    assert log_in("mallory", PASSWORD, CLIENT_A).status_code == 302  # the sprayer's own account
    assert log_in("gaet-igen", "Sommer2026!", CLIENT_A).status_code == 429


def test_a_successful_login_forgives_the_users_own_failures(behind_proxy):
    UserFactory(username="bent", password=PASSWORD)
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT - 1):
        log_in("bent", "forkert", CLIENT_A)
    assert log_in("bent", PASSWORD, CLIENT_A).status_code == 302
    assert not AccessAttempt.objects.filter(username="bent").exists()
    assert log_in("bent", "forkert", CLIENT_A).status_code == 200


def test_a_client_cannot_choose_its_address_with_its_own_forwarded_for(behind_proxy):
    """The client at A sends "X-Forwarded-For: B"; the proxy appends A. The address is A."""
    UserFactory(username="admin", password=PASSWORD)
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        response = log_in("admin", "forkert", f"{CLIENT_B}, {CLIENT_A}")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    assert log_in("admin", PASSWORD, CLIENT_B).status_code == 302
    assert log_in("admin", PASSWORD, CLIENT_A).status_code == 429


def test_a_new_made_up_forwarded_for_for_every_guess_does_not_escape_the_address_limit(behind_proxy):
    for n in range(behind_proxy.LOGIN_ADDRESS_FAILURE_LIMIT):
        response = log_in(f"gaet{n}", "Sommer2026!", f"10.0.{n}.1, 192.0.2.{n}, {CLIENT_A}")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}


def test_with_two_proxies_the_client_is_the_second_address_from_the_right(settings, db):
    """REVERSE_PROXY_COUNT=2, e.g. a load balancer in front of nginx: "<made up>, client, balancer"."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    for name, value in production_throttling_settings(REVERSE_PROXY_COUNT="2").items():
        setattr(settings, name, value)
    balancer = "192.0.2.1"
    UserFactory(username="admin", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in("admin", "forkert", f"{CLIENT_B}, {CLIENT_A}, {balancer}")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    assert log_in("admin", PASSWORD, f"{CLIENT_B}, {balancer}").status_code == 302


def test_production_settings_refuse_a_negative_proxy_count():
    result = read_production_settings(REVERSE_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "REVERSE_PROXY_COUNT skal være 0 eller større" in result.stderr


def test_without_a_proxy_the_connection_address_counts_and_forwarded_for_is_ignored(settings, db):
    """Development settings: nobody proxies the server, so the header is the client's own invention."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    UserFactory(username="sara", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in("sara", "forkert", CLIENT_B, remote_addr=CLIENT_A)
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    assert log_in("sara", PASSWORD, CLIENT_A, remote_addr=CLIENT_B).status_code == 302


def test_login_without_a_request_is_not_blocked_by_throttling(db, settings):
    """Programmatic authentication (tests' ``Client.login``, commands) has no client to throttle."""
    from django.contrib.auth import authenticate

    settings.PASSWORD_HASHERS = FAST_HASHER
    user = UserFactory(username="kim", password=PASSWORD)
    assert authenticate(username="kim", password=PASSWORD) == user
