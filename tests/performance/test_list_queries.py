"""N+1 queries: every list page and list API endpoint runs as many SQL queries with 3N rows as with N.

The covered endpoints are in tests/performance/cases.py (CASES); every other endpoint of the access registry
(guichet.core.access) is in EXEMPT with the reason it lists nothing that grows. A new endpoint in neither fails
`test_every_endpoint_is_covered_or_exempt`.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import path

from guichet.core.access import access_rules
from guichet.offers.tests.factories import OfferFactory
from tests.performance.cases import CASES, EXEMPT
from tests.performance.harness import LARGE, SMALL, ListCase, Scenario, measure, report, shows

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
    if scenario.count_rows:
        shown_small, shown_large = scenario.count_rows(small.text), scenario.count_rows(large.text)
        assert shown_large > shown_small, f"{case.key}: {shown_small} then {shown_large} rows"
    assert len(large.queries) <= len(small.queries) + scenario.bound, report(
        small, large, rows_small=SMALL, rows_large=LARGE
    )


def test_every_endpoint_is_covered_or_exempt():
    """A new list page or list endpoint must get a case in CASES; anything else an exemption with its reason."""
    keys = set(access_rules())
    covered = [case.key for case in CASES]
    duplicates = sorted({key for key in covered if covered.count(key) > 1})
    missing = sorted(keys - set(covered) - set(EXEMPT))
    stale = sorted((set(covered) | set(EXEMPT)) - keys)
    both = sorted(set(covered) & set(EXEMPT))
    unexplained = sorted(key for key, reason in EXEMPT.items() if len(reason.strip()) < 10)
    assert not missing, (
        f"No query-count case for {missing}. If it lists rows, add a ListCase to tests/performance/cases.py "
        "(CASES); if it does not, add it to EXEMPT there with the reason."
    )
    assert not stale, f"Cases or exemptions for endpoints that no longer exist: {stale}"
    assert not both, f"Both covered and exempt: {both}"
    assert not duplicates, f"Covered twice: {duplicates}"
    assert not unexplained, f"Exemptions without a reason: {unexplained}"


def _offers_with_their_establishment(request):
    """A deliberate N+1: one query for the offers, then one per offer for its establishment."""
    from django.http import HttpResponse

    from guichet.offers.models import Offer

    return HttpResponse(", ".join(f"{offer.title} ({offer.establishment.name})" for offer in Offer.objects.all()))


urlpatterns = [path("n-plus-one/", _offers_with_their_establishment)]


@pytest.mark.django_db
def test_the_measure_catches_an_n_plus_one(settings):
    settings.ROOT_URLCONF = __name__
    client = Client()

    def add(count: int) -> list[str]:
        return [OfferFactory(title=f"Offre {count}-{index}").title for index in range(count)]

    scenario = Scenario(url="/n-plus-one/", add_rows=add)
    scenario.add_rows(SMALL)
    small = measure(client, scenario, SMALL)
    scenario.add_rows(LARGE - SMALL)
    large = measure(client, scenario, LARGE)
    assert len(large.queries) == len(small.queries) + (LARGE - SMALL)
    assert "+6 x SELECT" in report(small, large, rows_small=SMALL, rows_large=LARGE)
