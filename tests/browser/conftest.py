"""Playwright journeys in Debian's chromium against a live server sharing the session's test database.

pytest-django's `live_server` fixture needs `transactional_db`, which flushes the reference data loaded
once per session (see the root conftest.py). So the server here is a session-scoped LiveServerThread
started after `django_db_setup`, serving the test database through its own connections (one per request
thread, autocommit).

Journeys are marked `django_db` (plain, not transactional) only so that pytest-django creates the test
database and lets threads use it: the test's own thread sits in a transaction that is rolled back, so it
must not write. Tests drive the browser only, create their data with unique e-mail addresses and SIRETs,
and create anything needed up front with `committed`, which writes from another thread (committed at
once) and deletes it at teardown.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
T = TypeVar("T")
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def live_url(django_db_setup: None) -> Iterator[str]:
    """Base URL of a threaded WSGI server (with static files) on 127.0.0.1 and a free port."""
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def foreign_requests() -> list[str]:
    """URLs the page tried to load from another origin than the live server (they are blocked)."""
    return []


@pytest.fixture
def context(browser, live_url: str, foreign_requests: list[str]) -> Iterator[object]:
    """A fresh browser profile, in French, that fails the test if the page requests another origin."""
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    origin = _origin(live_url)

    def guard(route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and _origin(url) != origin:
            foreign_requests.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    yield context
    context.close()
    assert foreign_requests == [], f"Requests to another origin: {foreign_requests}"


@pytest.fixture
def page(context) -> object:
    return context.new_page()


@pytest.fixture
def unique_email(committed) -> Callable[[str], str]:
    """A new e-mail address for each call; the accounts made with them are deleted at teardown."""

    def make(prefix: str = "personne") -> str:
        email = f"{prefix}-{uuid.uuid4().hex[:12]}@exemple.fr"
        committed(lambda: email, _delete_user)
        return email

    return make


def _delete_user(email: str) -> None:
    from guichet.accounts.models import User

    User.objects.filter(email__iexact=email).delete()


def _in_own_thread(function: Callable[[], T]) -> T:
    """Run ORM code in a fresh thread: its own connection, in autocommit, closed afterwards."""

    def run() -> T:
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


@pytest.fixture
def committed() -> Iterator[Callable[..., object]]:
    """committed(create, delete=None): run `create()` committed at once, and `delete(result)` at teardown."""
    cleanups: list[Callable[[], object]] = []

    def create(make: Callable[[], T], delete: Callable[[T], object] | None = None) -> T:
        result = _in_own_thread(make)
        if delete is not None:
            cleanups.append(lambda: delete(result))
        return result

    yield create
    for cleanup in reversed(cleanups):
        _in_own_thread(cleanup)


@pytest.fixture
def screenshot(page) -> Callable[[str], None]:
    """Save a full-page screenshot to $SCREENSHOT_DIR (nothing when unset), for a person to look at."""
    directory = os.environ.get("SCREENSHOT_DIR")

    def take(name: str) -> None:
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
