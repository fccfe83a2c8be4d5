"""Fixtures for the whole suite.

The demo data (``manage.py load_demo``: reference data, the clause library and the three demo plans)
is loaded once per test session into the test database, so every database test starts from it and
its changes are rolled back with the test. Transactional tests (``transactional_db``,
``live_server``) empty the database when they finish; the demo data is then loaded again before the
next test runs (see ``pytest_runtest_teardown``).
"""

from __future__ import annotations

import uuid

import pytest
from django.test import override_settings

from tests import demo, servers
from tests.factories.agreements import FocusAreaFactory, PlanMembershipFactory, UserFactory

# Every workspace fixture creates several users; PBKDF2 would spend seconds per test.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Set by ``django_db_setup``: the database blocker, once the test database holds the demo data.
_demo_session: dict[str, object] = {}


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def focus_areas_numbered_from_one():
    """Each test numbers the indsatsområder it makes from 1, as LBF does (one or two digits: the
    budgetark's section headings read "1. …"), however many tests ran before it in this process."""
    FocusAreaFactory.reset_sequence(1)


@pytest.fixture(scope="session", autouse=True)
def media_in_a_temporary_directory(tmp_path_factory):
    """Files the suite stores (rendered PDFs, approval PDFs) go to a throwaway MEDIA_ROOT, never the
    one `make run` uses; render slots too."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"),
                           PDF_RENDER_SLOT_DIR=tmp_path_factory.mktemp("pdf-slots")):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, fast_password_hashing):
    """pytest-django's test database, with the demo data committed in it."""
    with django_db_blocker.unblock():
        demo.load()
    _demo_session["blocker"] = django_db_blocker
    yield
    _demo_session.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a transactional test has emptied the database, load the demo data again.

    pytest-django runs transactional tests after the others, but this does not depend on the order:
    whatever empties the database, the next test starts from the demo data again.
    """
    result = yield
    blocker = _demo_session.get("blocker")
    if blocker is not None and nextitem is not None:
        with blocker.unblock():
            if not demo.is_loaded():
                demo.load()
    return result


@pytest.fixture
def demo_data(db):
    """The demo plans (loaded once per session by ``django_db_setup``; changes are rolled back)."""
    assert demo.is_loaded()


@pytest.fixture
def staff_user(db):
    return UserFactory(username="admin-test", is_staff=True, is_superuser=True)


@pytest.fixture
def member(db):
    """A secretariat member of one plan: (user, plan)."""
    membership = PlanMembershipFactory()
    return membership.user, membership.plan


# --- Real Redis and S3 (SeaweedFS), started on first use and stopped at the end of the session ---------

@pytest.fixture(scope="session")
def redis_server():
    with servers.redis_server() as server:
        yield server


@pytest.fixture
def redis_cache(redis_server):
    """The default cache is the real Redis server (emptied before the test), as with REDIS_URL set."""
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()
    cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url,
             "KEY_PREFIX": "helhedsplan"}
    with override_settings(CACHES={"default": cache}):
        yield redis_server


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) for this test, and the e-mail settings EMAIL_URL=smtp://… gives.
    ``smtp_server.messages`` holds the received messages (``email.message.EmailMessage``)."""
    with servers.smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server


@pytest.fixture(scope="session")
def s3_server():
    with servers.s3_server() as server:
        yield server


@pytest.fixture
def s3_storage(s3_server, settings):
    """The default storage is a fresh, private bucket on the real SeaweedFS server, as with the AWS_*
    variables set. Yields the server; ``s3_storage.bucket`` is the bucket's name."""
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    s3_server.create_bucket(bucket)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage",
                                                          "OPTIONS": s3_server.storage_options(bucket)}}
    s3_server.bucket = bucket
    yield s3_server
