"""The CI gates configured in pyproject.toml hold: warnings raised by the project's code fail the test that raised
them, and Django's warning about a naive datetime too (docs/architecture.md, "Tests and CI gates")."""

from __future__ import annotations

import warnings
from datetime import datetime

import pytest

from guichet.offers.models import Offer


@pytest.mark.django_db
def test_a_naive_datetime_given_to_the_orm_fails_the_test():
    with pytest.raises(RuntimeWarning, match="received a naive datetime"):
        Offer.objects.filter(published_at__gte=datetime(2026, 1, 1)).exists()  # noqa: DTZ001


@pytest.mark.parametrize("category", [DeprecationWarning, PendingDeprecationWarning, RuntimeWarning, UserWarning])
def test_a_warning_raised_from_guichet_code_fails_the_test(category):
    with pytest.raises(category):
        warnings.warn_explicit("old API", category, "guichet/offers/views.py", 1, module="guichet.offers.views")


def test_the_filters_for_the_project_code_come_after_any_ignore(pytestconfig):
    """pytest applies the last matching filter: an `ignore` added later for a library must stay above these."""
    filters = pytestconfig.getini("filterwarnings")
    own = ["error::Warning:guichet(\\.|$)", "error:DateTimeField .* received a naive datetime:RuntimeWarning"]
    assert filters[-2:] == own, f"Keep the project's own filters last in [tool.pytest.ini_options]: {filters}"
