"""Property-based tests of the whole API from its published schema (/api/v1/openapi.json), with schemathesis.

Every operation gets generated requests, valid and invalid (positive and negative modes), sent in-process to the
Django WSGI application with real credentials where the operation needs them (a young person's session with
its CSRF token, a partner key holding every scope), over a small synthetic population so that lists are not
empty: a share of the generated INSEE codes, ROME codes, offer ids and area codes is swapped for real ones.
Each response must not be a server error and must conform to the schema (status code documented, body,
content type and headers as declared); invalid requests must be refused with a 4xx, valid ones not refused
as malformed. Figures (cases, time) are printed at the end of the run (tests/api_fuzz/conftest.py) and
recorded in docs/api.md.

Budget: API_FUZZ_EXAMPLES generated cases per operation and mode at most (default 60), about 3 000 cases on
the ~30 operations; each operation is its own test, so pytest-xdist spreads them over the workers.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from guichet.observatory.exports import TABLES
from guichet.wsgi import application
from tests.api_fuzz.conftest import FuzzWorld
from tests.api_fuzz.counting import CASES, STATUSES

pytestmark = pytest.mark.django_db  # each operation's cases run in a savepoint of the world's transaction

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "60"))
SCHEMA_URL = "/api/v1/openapi.json"

schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
# Credentials are real (the Credentials provider below): schemathesis does not make up its own.
schema.config.generation.update(modes=["positive", "negative"], with_security_parameters=False)
# Every check runs except positive_data_acceptance, which expects every schema-valid request to be accepted:
# the API refuses with 422 values that are well formed yet wrong for the domain (a contract ending before it
# starts, an unknown zone, an expired anti-robot token), as shared/API.md asks.
EXCLUDED_CHECKS = [positive_data_acceptance]

# Real values, filled from the world before the first draw (strategies read them lazily).
REAL: dict[str, list[Any]] = {}
WORLD: dict[str, FuzzWorld] = {}


def _real(pool: str) -> st.SearchStrategy:
    return st.deferred(lambda: st.sampled_from(REAL[pool]))


# (name of the value, its Python type) -> pool of real values
SWAPS = {
    ("insee", str): "insee",
    ("rome", str): "rome",
    ("offer_id", int): "offer_ids",
    ("code", str): "basins",
    ("table", str): "tables",
}


def _swap(values: Any) -> st.SearchStrategy:
    """Keep the generated values, or (one time in two) put real codes in place of the generated ones of the
    same type, so that searches find offers and details find their object."""
    if not isinstance(values, dict):
        return st.just(values)
    swappable = {
        name: _real(pool) for (name, kind), pool in SWAPS.items() if isinstance(values.get(name), kind)
    }  # fmt: skip
    if not swappable:
        return st.just(values)
    return st.one_of(st.just(values), st.fixed_dictionaries(swappable).map(lambda real: {**values, **real}))


@schema.hook
def flatmap_query(context, query):
    return _swap(query)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _swap(path_parameters)


@schema.hook
def flatmap_body(context, body):
    return _swap(body)


def _needs(case) -> str:
    security = case.operation.definition.raw.get("security", [])
    schemes = {name for requirement in security for name in requirement}
    if "PartnerKeyBearer" in schemes and {} not in security:
        return "key"  # observatory: a partner key holding every scope
    if "SessionAuth" in schemes:
        return "session"  # a young person's own applications
    return ""  # public operations: anonymous, as most visitors


@schema.auth(refresh_interval=None, retry_on=[])
class Credentials:
    """Real credentials, set on each case where schemathesis can also take them away (its `ignored_auth`
    check then sends the same request without them, or with wrong ones, and expects 401/403)."""

    def get(self, case, context):
        return WORLD.get("world")

    def set(self, case, world, context):
        needs = _needs(case)
        if needs == "key":
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {world.partner_key}"}
        elif needs == "session":
            case.cookies = {**(case.cookies or {}), **world.young_cookies}
            case.headers = {**(case.headers or {}), "X-CSRFToken": world.csrf_token}


@pytest.fixture
def world(fuzz_world):
    WORLD["world"] = fuzz_world  # rebuilt when a worker comes back to this module after another one
    REAL.update(
        insee=fuzz_world.insee, rome=fuzz_world.rome, offer_ids=fuzz_world.offer_ids or [1],
        basins=fuzz_world.basins, tables=list(TABLES),
    )  # fmt: skip
    return fuzz_world


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_its_schema(case, world):
    cache.clear()  # rate-limit counters: every generated case is judged on its own
    response = case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)
    CASES[case.operation.label] += 1
    STATUSES[str(response.status_code)] += 1
