from datetime import date

import factory

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.employers.tests.factories import commune, siren_for, siret_for
from guichet.trainings.enums import CentreNature
from guichet.trainings.models import CentreMembership, Certification, Training, TrainingCentre, TrainingSession


class TrainingCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCentre

    uai = factory.Sequence(lambda n: f"{n % 10_000_000:07d}Z")
    siret = factory.Sequence(lambda n: siret_for(siren_for(500_000 + n)))
    name = factory.Sequence(lambda n: f"CFA d'essai {n}")
    nature = CentreNature.RESPONSABLE_FORMATEUR
    commune = factory.LazyFunction(commune)


class CentreStaffFactory(UserFactory):
    role = Role.TRAINING_CENTRE


class CentreMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreMembership

    user = factory.SubFactory(CentreStaffFactory)
    centre = factory.SubFactory(TrainingCentreFactory)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    code_certifinfo = factory.Sequence(lambda n: f"9{n:06d}")
    title = factory.Sequence(lambda n: f"CAP d'essai {n}")
    diploma_type = "Certificat d'aptitude professionnelle"
    level_id = 3
    apprenticeship_access = True


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    centre = factory.SubFactory(TrainingCentreFactory)
    certification = factory.SubFactory(CertificationFactory)
    title = factory.LazyAttribute(lambda obj: obj.certification.title)
    level_id = 3
    commune = factory.LazyAttribute(lambda obj: obj.centre.commune)
    total_places = 12
    remaining_places = 5
    duration_months = 24


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    training = factory.SubFactory(TrainingFactory)
    starts_on = factory.LazyFunction(lambda: date(2027, 9, 6))
    ends_on = factory.LazyFunction(lambda: date(2029, 7, 2))
