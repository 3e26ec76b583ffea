"""Objects for the authorisation matrix (tests/security): applications and offers of someone else."""

from __future__ import annotations

from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory, EnrolmentFactory
from guichet.core.access import OwnerSample
from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.offers.tests.factories import OfferFactory
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory


def application_of_another_young_person() -> OwnerSample:
    application = ApplicationFactory()
    other = CandidateProfileFactory()
    return OwnerSample(owner=application.candidate.user, other=other.user, kwargs={"pk": application.pk})


def offer_of_another_employer() -> OwnerSample:
    owner = EstablishmentMembershipFactory()
    other = EstablishmentMembershipFactory()
    offer = OfferFactory(establishment=owner.establishment, published=True)
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": offer.pk})


def application_to_another_employer() -> OwnerSample:
    owner = EstablishmentMembershipFactory()
    other = EstablishmentMembershipFactory()
    application = ApplicationFactory(offer=OfferFactory(establishment=owner.establishment, published=True))
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": application.pk})


def enrolment_of_another_young_person() -> OwnerSample:
    enrolment = EnrolmentFactory()
    other = CandidateProfileFactory()
    return OwnerSample(owner=enrolment.candidate.user, other=other.user, kwargs={"pk": enrolment.pk})


def enrolment_in_another_centre() -> OwnerSample:
    owner = CentreMembershipFactory()
    other = CentreMembershipFactory()
    enrolment = EnrolmentFactory(training=TrainingFactory(centre=owner.centre))
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": enrolment.pk})
