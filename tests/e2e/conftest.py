"""Browser tests in real headless Chromium, driven by Playwright (marker ``e2e``; run by ``make test``).

Debian's ``chromium`` package provides the browser (``.ci/setup-system`` installs it in CI); PyPI
``playwright`` drives it. ``playwright install`` is never used. Where Chromium or Playwright is
missing the tests are skipped with the reason, never silently.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "e2e skipped: PyPI package 'playwright' is not installed (make setup installs it)"
    if not CHROMIUM.exists():
        return ("e2e skipped: Chromium is missing at /usr/bin/chromium "
                "(install with 'apt-get install chromium'; CI does this in .ci/setup-system)")
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package", autouse=True)
def allow_orm_next_to_playwright():
    """Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
    thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE says this is intended (the tests' own
    set-up and assertions). Set for the browser tests only: it must not leak into other tests (the
    deployment check refuses it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(allow_orm_next_to_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Open pages in separate browser contexts (separate sessions: one per person)."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def ws(transactional_db, live_server):
    from tests.agreements.workspace_data import build_workspace

    return build_workspace()


def login(page, live_server, username: str, password: str = "hemmelig-kode-1") -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/")
