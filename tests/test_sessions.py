"""Sessions live in the database, read through the shared cache (``cached_db``): every app server sees
the same session, logging out ends it everywhere, and an emptied Redis never logs anybody out."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from agreements.models import PlanMembership
from tests.factories.agreements import PlanMembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri-42"


def log_in(client: Client, user) -> str:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def member() -> tuple:
    membership = PlanMembershipFactory(role=PlanMembership.Role.SECRETARIAT)
    membership.user.set_password(PASSWORD)
    membership.user.save()
    return membership.user, membership.plan


def test_sessions_are_cached_database_sessions_and_never_files():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.SESSION_FILE_PATH is None  # Django's default: no session files anywhere


def test_a_session_is_shared_by_every_server_and_logging_out_ends_it_everywhere(redis_cache):
    user, plan = member()
    browser, other_server = Client(), Client()
    session_key = log_in(browser, user)
    assert Session.objects.filter(session_key=session_key).exists()
    cached = redis.Redis.from_url(redis_cache.url).keys("helhedsplan:*cached_db*")
    assert cached, "the session is also in Redis"

    other_server.cookies[settings.SESSION_COOKIE_NAME] = session_key  # the next request lands elsewhere
    url = reverse("agreements:plan_detail", kwargs={"slug": plan.slug})
    assert other_server.get(url).status_code == 200

    browser.post(reverse("logout"))
    assert not Session.objects.filter(session_key=session_key).exists()
    response = other_server.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_emptied_or_restarted_redis_logs_nobody_out(redis_cache):
    user, plan = member()
    browser = Client()
    log_in(browser, user)
    redis.Redis.from_url(redis_cache.url).flushdb()

    response = browser.get(reverse("agreements:plan_detail", kwargs={"slug": plan.slug}))
    assert response.status_code == 200
    assert response.context["user"] == user
