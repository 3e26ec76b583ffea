"""N+1 queries: every list page and list API endpoint runs as many SQL queries with 3N rows as with N.

The covered endpoints are in tests/performance/cases.py (CASES); every other endpoint of the access registry
(guichet.core.access) is in EXEMPT with the reason it lists nothing that grows. A new endpoint in neither fails
`test_every_endpoint_is_covered_or_exempt`.
"""

from __future__ import annotations

import json

import pytest

from tests.performance.cases import CASES
from tests.performance.harness import LARGE, SMALL, ListCase, measure, report, shows

pytestmark = pytest.mark.query_count


def _param(case: ListCase):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.key, marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_query_count_does_not_grow_with_the_rows(client, case: ListCase):
    scenario = case.setup(client)
    markers = scenario.add_rows(SMALL)
    warm = measure(client, scenario, SMALL)  # caches, session and reference lookups are filled once
    assert warm.status == 200, f"{case.key}: {warm.status} {warm.text[:500]}"
    small = measure(client, scenario, SMALL)
    markers += scenario.add_rows(LARGE - SMALL)
    measure(client, scenario, LARGE)  # caches keyed on the data (e.g. the aid rules' version) are rebuilt once
    large = measure(client, scenario, LARGE)

    assert large.status == 200, f"{case.key}: {large.status} {large.text[:500]}"
    missing = [marker for marker in markers if not shows(large.text, marker)]
    assert not missing, f"{case.key} does not show the rows it was given: {missing}"
    if scenario.items_key:
        small_items = json.loads(small.text)[scenario.items_key]
        large_items = json.loads(large.text)[scenario.items_key]
        assert len(large_items) >= LARGE and len(large_items) > len(small_items), (
            f"{case.key}: {len(small_items)} then {len(large_items)} items"
        )
    assert len(large.queries) <= len(small.queries) + scenario.bound, report(
        small, large, rows_small=SMALL, rows_large=LARGE
    )
