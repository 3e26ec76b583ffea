from datetime import date
from decimal import Decimal

import factory

from guichet.aids.models import AidBudget, AidProgramme, AidRule


class RegionalEmployerProgrammeFactory(factory.django.DjangoModelFactory):
    """A regional employer aid open to online applications (fictitious: the Region has none since 2019)."""

    class Meta:
        model = AidProgramme
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"hdf_essai_{n}")
    name = factory.Sequence(lambda n: f"Aide régionale d'essai {n} (données fictives)")
    scope = "regional"
    beneficiary = "employer"
    funder = "Région Hauts-de-France"
    payment = "once"
    reference = "Délibération fictive (données de test)"
    description = "Aide fictive pour les tests."
    accepts_applications = True
    is_synthetic = True

    @factory.post_generation
    def rules(self, create, extracted, **kwargs):
        if create:
            AidRule.objects.create(
                programme=self,
                concluded_from=date(2024, 1, 1),
                headcount_max=249,
                amount=Decimal("1000"),
                reference="Délibération fictive",
            )


class AidBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidBudget

    programme = factory.SubFactory(RegionalEmployerProgrammeFactory)
    year = 2026
    amount = Decimal("10000")
    is_synthetic = True
