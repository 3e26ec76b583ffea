"""Objects for the authorisation matrix (tests/security): offers another employer or centre must not reach."""

from __future__ import annotations

from guichet.core.access import OwnerSample
from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.offers.tests.factories import OfferFactory
from guichet.trainings.tests.factories import CentreMembershipFactory


def offer_of_another_employer() -> OwnerSample:
    owner = EstablishmentMembershipFactory()
    other = EstablishmentMembershipFactory()
    offer = OfferFactory(establishment=owner.establishment)
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": offer.pk})


def offer_posted_by_another_centre() -> OwnerSample:
    owner = CentreMembershipFactory()
    other = CentreMembershipFactory()
    offer = OfferFactory(posted_by_centre=owner.centre)
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": offer.pk})
