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
import re
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


_CSP_BLOCKED_URL = re.compile(
    r"'((?:https?|wss?)://[^']+)'(?: because it)? violates the following Content Security Policy"
)
_CSP_ECHOES = ("Fetch API cannot load", "Refused to connect")
# What the guard of every browser context records during the current test (see `_browser_guard`).
_CURRENT: dict[str, list[str]] = {"foreign": [], "csp": []}


@pytest.fixture(scope="session")
def browser(live_url: str) -> Iterator[object]:
    """Chromium, whose every context (made by a fixture or by a test with browser.new_context or
    browser.new_page) blocks and records requests to another origin than the live server, and records
    Content-Security-Policy violations; `_browser_guard` fails the test on either."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        _guard_every_context(browser, origin=_origin(live_url))
        yield browser
        browser.close()


def _guard_every_context(browser, *, origin: tuple[str, str]) -> None:
    new_context = browser.new_context

    def guarded_new_context(**kwargs: object) -> object:
        context = new_context(**kwargs)

        def guard(route) -> None:
            url = route.request.url
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and _origin(url) != origin:
                _CURRENT["foreign"].append(url)
                route.abort()
            else:
                route.continue_()

        def on_console(message) -> None:
            text = message.text
            if "Content Security Policy" not in text:
                return
            # The policy blocks a request to another origin before the route guard sees it: count it as
            # a foreign request (Chromium reports it twice; only this wording names the URL in quotes).
            blocked = _CSP_BLOCKED_URL.search(text)
            if blocked and _origin(blocked.group(1)) != origin:
                _CURRENT["foreign"].append(blocked.group(1))
            elif not text.startswith(_CSP_ECHOES):
                _CURRENT["csp"].append(text)

        context.route("**/*", guard)
        context.on("console", on_console)
        return context

    def guarded_new_page(**kwargs: object) -> object:
        return guarded_new_context(**kwargs).new_page()

    browser.new_context = guarded_new_context
    browser.new_page = guarded_new_page


@pytest.fixture
def foreign_requests() -> list[str]:
    """URLs the page tried to load from another origin than the live server (they are blocked)."""
    return []


@pytest.fixture
def csp_violations() -> list[str]:
    """Content-Security-Policy violations reported by the browser (inline script or style, other origin)."""
    return []


@pytest.fixture(autouse=True)
def _browser_guard(request, foreign_requests: list[str], csp_violations: list[str]) -> Iterator[None]:
    """Every browser journey fails on a request to another origin or a CSP violation, whatever context it
    uses. Runs for the tests of this directory only (all are browser tests)."""
    _CURRENT["foreign"], _CURRENT["csp"] = foreign_requests, csp_violations
    yield
    assert foreign_requests == [], f"Requests to another origin: {foreign_requests}"
    assert csp_violations == [], f"Content-Security-Policy violations: {csp_violations}"


@pytest.fixture
def context(browser, live_url: str) -> Iterator[object]:
    """A fresh browser profile, in French; the guard fails the test if a page requests another origin."""
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context
    context.close()


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


def session_key_for(user: object) -> str:
    """A logged-in session for `user` (verified by a second factor when their role requires one), saved
    in the database: put it in a browser with `login_as`. Call it inside `committed`."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from guichet.accounts.testing import totp_device_confirmed
    from guichet.core.middleware import two_factor_required

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if two_factor_required(user):
        store[DEVICE_ID_SESSION_KEY] = totp_device_confirmed(user).persistent_id
    store.create()
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    return store.session_key


@pytest.fixture
def login_as(committed, live_url: str) -> Callable[..., object]:
    """login_as(context, role, **fields): create an account of `role` (deleted at teardown) and log the
    browser context in as it, second factor included for advisors and administrators. Returns the user."""

    def login(context: object, role: str, **fields: object) -> object:
        from django.conf import settings

        def make() -> tuple[object, str]:
            from guichet.accounts.models import Role
            from guichet.accounts.tests.factories import UserFactory

            extra = {"is_staff": True, "is_superuser": True} if role == Role.ADMIN else {}
            user = UserFactory(role=role, email=f"{role}-{uuid.uuid4().hex[:12]}@exemple.fr", **extra, **fields)
            return user, session_key_for(user)

        user, key = committed(make, lambda made: made[0].delete())
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_url}])
        return user

    return login
