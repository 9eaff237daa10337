"""What the browser tests share: Chromium, a live server over the demo data, signing in, screenshots.

The demo (357 projects, a year of plans, seven months of returns) takes a couple of seconds
to load, so it is loaded once per test module rather than once per test. That rules out
pytest-django's `live_server` *fixture*: asking for it makes every test transactional, and
a transactional test empties the database when it ends. `demo_server` therefore starts
pytest-django's `LiveServer` itself, on the test database, after loading the demo with the
database unblocked for the whole module, and takes the demo out again afterwards so that
later tests start from the usual empty database. The tests are marked `django_db` all the
same: that is what makes pytest-django create the test database at all, and the fixture
refuses to load the demo anywhere else.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keyproj.testing.demo import load_demo

CHROMIUM = Path("/usr/bin/chromium")
# No first-run chores, no calls home: a test run makes no request beyond the live server.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine without Chromium; fail in CI, which must run these tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


def _is_test_database(connection: Any) -> bool:
    """Whether Django's test runner made this database (in memory for SQLite, test_… otherwise)."""
    if connection.vendor == "sqlite":
        return connection.is_in_memory_db()
    return str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run (Debian's, never a downloaded one)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (make browser) to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed: pip install the dev extras")

    # Playwright's sync API keeps an asyncio loop on the main thread, and Django refuses ORM
    # calls from a thread with a running loop. The tests' ORM calls are plain synchronous
    # ones between browser steps, so the guard is lifted while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def demo_server(
    request: pytest.FixtureRequest, browser: Any, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Any]:
    """pytest-django's live server over the test database with the Xiamen demo loaded.

    The database stays unblocked for the module, so that tests can work out what a page
    should show (a user's figures, a project of another district) from the same data.
    """
    from pytest_django.live_server_helper import LiveServer

    from keyproj.demo import loader
    from keyproj.projects import defaults

    with django_db_blocker.unblock():
        from django.db import connection

        # The demo is loaded and cleared again: never in a real database. pytest-django sets up
        # the test database only when a test in the run is marked django_db, hence the marks.
        if not _is_test_database(connection):
            pytest.fail(
                f"refusing to load the demo into {connection.settings_dict['NAME']}, which is not a test "
                "database: mark the browser tests with @pytest.mark.django_db",
                pytrace=False,
            )
        # A transactional test earlier in the run empties every table, including the
        # configurable lists that migrations fill in and the demo refers to.
        from django.apps import apps

        for model, rows in (
            ("projects.Category", defaults.CATEGORIES),
            ("projects.Stage", defaults.STAGES),
            ("projects.PipelineBatch", defaults.PIPELINE_BATCHES),
            ("agents.Specialty", defaults.SPECIALTIES),
        ):
            defaults.load(apps.get_model(model), rows)
        loader.clear()
        load_demo()
        # The address as pytest-django's own live_server fixture takes it.
        address = (
            request.config.getvalue("liveserver") or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
        )
        server = LiveServer(address)
        server._live_server_modified_settings.enable()  # lets the server's host through ALLOWED_HOSTS
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            loader.clear()


@pytest.fixture
def page(browser: Any, demo_server: Any) -> Iterator[Any]:
    """A fresh, signed-out tab at laptop size, in Chinese; relative addresses go to the live server."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=demo_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
