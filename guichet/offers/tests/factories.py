from datetime import date

import factory
from django.utils import timezone

from guichet.employers.tests.factories import EstablishmentFactory
from guichet.jobs.models import RomeJob
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    establishment = factory.SubFactory(EstablishmentFactory)
    rome_job = factory.LazyFunction(lambda: RomeJob.objects.get(code="D1102"))
    title = "Boulanger / Boulangère en apprentissage"
    commune = factory.LazyAttribute(lambda obj: obj.establishment.commune)
    target_level_id = 3
    starts_on = date(2027, 9, 1)
    duration_months = 24
    status = OfferStatus.DRAFT

    class Params:
        published = factory.Trait(status=OfferStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now))
