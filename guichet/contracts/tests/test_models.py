from datetime import date

import pytest
from django.db import IntegrityError, transaction

from guichet.contracts.enums import AgeBand, age_band_for
from guichet.contracts.tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_a_contract_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(starts_on=date(2025, 9, 1), planned_end_on=date(2025, 8, 31))


def test_a_break_cannot_precede_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(break_on=date(2025, 8, 1))
    assert ContractFactory(break_on=date(2025, 10, 15)).break_on == date(2025, 10, 15)


@pytest.mark.parametrize(
    ("age", "band"),
    [(16, AgeBand.UNDER_18), (17, AgeBand.UNDER_18), (18, AgeBand.FROM_18_TO_20), (20, AgeBand.FROM_18_TO_20),
     (21, AgeBand.FROM_21_TO_25), (25, AgeBand.FROM_21_TO_25), (26, AgeBand.FROM_26), (29, AgeBand.FROM_26)],
)  # fmt: skip
def test_age_band_at_start(age, band):
    assert age_band_for(age) == band
