"""Objects for the authorisation matrix (tests/security): an offer of another employer."""

from __future__ import annotations

from guichet.core.access import OwnerSample
from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.offers.tests.factories import OfferFactory


def offer_of_another_employer() -> OwnerSample:
    owner = EstablishmentMembershipFactory()
    other = EstablishmentMembershipFactory()
    offer = OfferFactory(establishment=owner.establishment, published=True)
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": offer.pk})
