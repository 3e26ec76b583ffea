from datetime import date

import factory
from django.utils import timezone

from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.enums import ApplicationStatus, EnrolmentSource, EnrolmentStatus
from guichet.candidates.models import Application, CandidateProfile, Enrolment
from guichet.employers.tests.factories import commune


class CandidateProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateProfile

    user = factory.SubFactory(UserFactory)
    birth_date = date(2007, 5, 12)
    commune = factory.LazyFunction(commune)
    mobility_radius_km = 20

    class Params:
        visible = factory.Trait(visible_to_employers=True, visibility_consent_at=factory.LazyFunction(timezone.now))
        synthetic = factory.Trait(user=None, is_synthetic=True)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateProfileFactory)
    offer = factory.SubFactory("guichet.offers.tests.factories.OfferFactory", published=True)
    status = ApplicationStatus.SENT
    sent_on = date(2026, 11, 5)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A confirmed enrolment declared by the young person, looking for an employer."""

    class Meta:
        model = Enrolment

    candidate = factory.SubFactory(CandidateProfileFactory)
    training = factory.SubFactory("guichet.trainings.tests.factories.TrainingFactory")
    status = EnrolmentStatus.LOOKING
    status_on = date(2026, 10, 1)
    source = EnrolmentSource.YOUNG
    consent_at = factory.LazyFunction(timezone.now)
