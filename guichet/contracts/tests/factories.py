from datetime import date

import factory

from guichet.contracts.enums import AgeBand, Sex
from guichet.contracts.models import Contract
from guichet.employers.tests.factories import EstablishmentFactory
from guichet.jobs.models import RomeJob
from guichet.trainings.tests.factories import TrainingCentreFactory


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    contract_number = factory.Sequence(lambda n: f"ESSAI-{n:07d}")
    birth_year = 2006
    age_band = AgeBand.FROM_18_TO_20
    sex = Sex.FEMALE
    level_id = 3
    rome_job = factory.LazyFunction(lambda: RomeJob.objects.get(code="D1102"))
    establishment = factory.SubFactory(EstablishmentFactory)
    naf = factory.LazyAttribute(lambda obj: obj.establishment.naf)
    headcount_band = factory.LazyAttribute(lambda obj: obj.establishment.headcount_band)
    workplace_commune = factory.LazyAttribute(lambda obj: obj.establishment.commune)
    training_centre = factory.SubFactory(TrainingCentreFactory)
    training_commune = factory.LazyAttribute(lambda obj: obj.training_centre.commune)
    concluded_on = date(2025, 8, 20)
    starts_on = date(2025, 9, 1)
    planned_end_on = date(2027, 8, 31)
