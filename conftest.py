"""Test-wide fixtures: the real reference data is loaded once per test database (session scope)."""

import os
from pathlib import Path

import pytest

# Two-factor helpers: `force_login` marks the session verified (see guichet/accounts/testing.py).
pytest_plugins = ["guichet.accounts.testing"]

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Tests run in a random order (pytest-randomly): say how to replay this one, also under -q."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int) and not hasattr(config, "workerinput"):
        terminalreporter.write_line(f"Random test order: replay it with --randomly-seed={seed}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference data into the test database once (idempotent with --reuse-db).

    REFERENCE_DATASETS=territory,jobs limits the load while developing one app ("none": nothing);
    CI loads everything.
    """
    from django.db import connection

    from guichet.core.reference import load_reference_data

    if not Path(str(connection.settings_dict["NAME"])).name.startswith("test_"):
        return  # no test database was created: never write into the real one

    wanted = os.environ.get("REFERENCE_DATASETS", "")
    if wanted == "none":
        return
    only = [name for name in wanted.split(",") if name] or None
    with django_db_blocker.unblock():
        load_reference_data(only=only)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached values never leak from one test to the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
