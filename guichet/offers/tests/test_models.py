import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from guichet.offers.enums import OfferStatus
from guichet.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("months", [6, 24, 36])
def test_an_offer_lasts_6_to_36_months(months):
    assert OfferFactory(duration_months=months).duration_months == months


@pytest.mark.parametrize("months", [5, 37])
def test_an_offer_outside_6_to_36_months_is_refused(months):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(duration_months=months)


def test_the_duration_rule_has_a_french_message_on_validation():
    offer = OfferFactory.build(duration_months=48)
    with pytest.raises(ValidationError, match="6 à 36 mois"):
        offer.validate_constraints()


def test_statuses_have_french_labels():
    assert [label for _, label in OfferStatus.choices] == ["Brouillon", "Publiée", "Pourvue", "Expirée", "Retirée"]
    assert OfferFactory(published=True).get_status_display() == "Publiée"
