"""Sessions are files (settings: SESSION_ENGINE): shared by a server's worker processes, ended
everywhere by logging out, and kept where no web server hands them out."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
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


def test_a_session_is_a_private_file_that_logging_out_removes_for_every_process():
    user, plan = member()
    browser, stolen = Client(), Client()
    session_key = log_in(browser, user)
    session_file = Path(settings.SESSION_FILE_PATH) / f"{settings.SESSION_COOKIE_NAME}{session_key}"
    assert session_file.exists()
    assert stat.S_IMODE(os.stat(session_file).st_mode) == 0o600
    stolen.cookies[settings.SESSION_COOKIE_NAME] = session_key  # the same cookie in another process
    url = reverse("agreements:plan_detail", kwargs={"slug": plan.slug})
    assert stolen.get(url).status_code == 200

    browser.post(reverse("logout"))
    assert not session_file.exists()
    response = stolen.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_session_files_are_not_under_a_directory_the_web_server_serves():
    sessions = Path(settings.SESSION_FILE_PATH).resolve()
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.file"
    for served in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        assert not sessions.is_relative_to(Path(served).resolve()), served
