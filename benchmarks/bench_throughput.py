"""Throughput: plan page vs a trivial view, both on gunicorn + PostgreSQL, 20 clients on loopback."""

from __future__ import annotations

from .common import app_env, gunicorn, load, login_cookie, manage, throwaway_postgres
from .figures import Figure

CLIENTS = 20
PLAN = "/planer/en-faelles-indsats/"
SIGNED_IN = "/eksempelklausuler/ny/"  # for scale: a signed-in form page (user, one query, a form rendered)
SECONDS = 10.0


def run() -> list[Figure]:
    with throwaway_postgres(55480) as (database_url, _):
        env = app_env(database_url)
        manage("migrate", "--noinput", env=env)
        manage("load_demo", env=env)
        manage("create_demo_users", env={**env, "DEBUG": "1"})
        with gunicorn(env, 8480) as base:
            cookie = login_cookie(base, "sekretariat", "helhedsplan")
            load(base, ["/healthz", SIGNED_IN, PLAN], clients=4, seconds=1.0, cookie=cookie)
            trivial = load(base, ["/healthz"], clients=CLIENTS, seconds=SECONDS, cookie=cookie)
            plan = load(base, [PLAN], clients=CLIENTS, seconds=SECONDS, cookie=cookie)
            signed_in = load(base, [SIGNED_IN], clients=CLIENTS, seconds=SECONDS, cookie=cookie)
    ratio = plan.rps / trivial.rps if trivial.rps else 0.0
    context = (plan.rps / signed_in.rps if signed_in.rps else 0.0)
    raw = (f"plan page {plan.rps:.0f} req/s (p95 {plan.p95 * 1000:.0f} ms, errors: {plan.error_summary}), "
           f"trivial view {trivial.rps:.0f} req/s (p95 {trivial.p95 * 1000:.0f} ms, errors: {trivial.error_summary}), "
           f"{CLIENTS} clients × {SECONDS:.0f} s each; for scale, a signed-in form page ({SIGNED_IN}: "
           f"user, one query, a form rendered) {signed_in.rps:.0f} req/s, so plan page / form page "
           f"= {context:.2f}")
    ok = ratio >= 0.4 and plan.errors == 0 and trivial.errors == 0
    return [Figure("Throughput plan page / trivial view", ratio, "≥ 0.4", ok, raw)]
