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


def test_the_centre_uai_and_the_diploma_cfd_are_checked_with_a_message_naming_them():
    from django.core.exceptions import ValidationError

    contract = ContractFactory(training_centre_uai="0596789X", diploma_cfd="50022141", rqth=None)
    contract.full_clean()
    contract.training_centre_uai, contract.diploma_cfd = "596789X", "5002214"
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert set(error.value.message_dict) == {"training_centre_uai", "diploma_cfd"}
    assert "7 chiffres suivis d'une lettre" in error.value.message_dict["training_centre_uai"][0]
    assert "8 caractères" in error.value.message_dict["diploma_cfd"][0]


def test_two_contracts_cannot_share_a_number():
    ContractFactory(contract_number="DUP-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(contract_number="DUP-1")
