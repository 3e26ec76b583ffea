"""Fixtures and the case counter of the property-based API tests (test_openapi_fuzz.py).

The world (a small synthetic population, a young person's session, a partner key) is created once per module
and worker inside a transaction that is rolled back at the end, so no other test ever sees it. Each worker
counts its cases; with pytest-xdist the counts travel to the controller (`workeroutput`), which prints the
total at the end of the run and writes it to $API_FUZZ_REPORT when set (JSON).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from tests.api_fuzz.counting import CASES, STATUSES

_TOTALS = {"cases": Counter(), "statuses": Counter(), "seconds": 0.0}
_STARTED = time.monotonic()


@dataclass
class FuzzWorld:
    insee: list[str]
    rome: list[str]
    offer_ids: list[int]
    basins: list[str]
    young_cookies: dict[str, str]
    csrf_token: str
    partner_key: str
    counts: dict[str, int] = field(default_factory=dict)


def _build_world() -> FuzzWorld:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from guichet.accounts.models import User
    from guichet.api.keys import partner_key_create
    from guichet.api.models import PartnerScope
    from guichet.contracts.demo.accounts import create_demo_accounts
    from guichet.contracts.demo.generator import generate_demo_population
    from guichet.offers.enums import OfferStatus
    from guichet.offers.models import Offer
    from guichet.territory.models import Basin
    from guichet.trainings.models import Training

    today = timezone.localdate()
    summary = generate_demo_population(seed=7, fraction=0.002, today=today)
    create_demo_accounts(today=today)
    offers = Offer.objects.filter(status=OfferStatus.PUBLISHED).select_related("commune", "rome_job")
    trainings = Training.objects.select_related("centre__commune")
    insee = sorted({offer.commune.insee for offer in offers} | {"80021", "59350", "02691"})
    rome = sorted({offer.rome_job.code for offer in offers})
    young = User.objects.get(email="jeune@demo.guichet.test")
    client = Client()
    client.force_login(young)
    _, raw_key = partner_key_create(
        name="Tests de propriétés", organisation="Région (tests)", contact_email="api@example.org",
        scopes=list(PartnerScope.values), expires_on=today + timedelta(days=1),
    )  # fmt: skip
    return FuzzWorld(
        insee=insee,
        rome=rome,
        offer_ids=sorted(offers.values_list("pk", flat=True)),
        basins=sorted(Basin.objects.values_list("code", flat=True).distinct())[:40],
        young_cookies={
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: "f" * 32,
        },
        csrf_token="f" * 32,
        partner_key=raw_key,
        counts={**summary.counts, "trainings": trainings.count(), "published offers": offers.count()},
    )


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The world, in a transaction rolled back after the module; requests run in-process on the same
    connection, so Django must not close it at the end of each request (as its test client does)."""
    from django.core import signals
    from django.db import close_old_connections, transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            yield _build_world()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workeroutput"):  # an xdist worker: hand the counts to the controller
        session.config.workeroutput["api_fuzz"] = json.dumps(
            {"cases": CASES, "statuses": STATUSES, "seconds": time.monotonic() - _STARTED}
        )


def pytest_testnodedown(node, error) -> None:
    data = getattr(node, "workeroutput", {}).get("api_fuzz")
    if data:
        received = json.loads(data)
        _TOTALS["cases"].update(received["cases"])
        _TOTALS["statuses"].update(received["statuses"])


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    cases = _TOTALS["cases"] + CASES
    statuses = _TOTALS["statuses"] + STATUSES
    if not cases:
        return
    seconds = time.monotonic() - _STARTED
    total = sum(cases.values())
    by_status = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    terminalreporter.write_line(
        f"API fuzz (schemathesis): {total} cases over {len(cases)} operations in {seconds:.0f} s "
        f"(session time); responses {by_status}"
    )
    report = os.environ.get("API_FUZZ_REPORT")
    if report:
        Path(report).write_text(
            json.dumps({"cases": total, "operations": dict(sorted(cases.items())), "statuses": dict(statuses),
                        "seconds": round(seconds, 1), "exit_status": int(exitstatus)}, indent=2) + "\n",
            encoding="utf-8",
        )  # fmt: skip
