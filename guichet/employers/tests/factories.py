import factory

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.employers.enums import HeadcountBand, NafLevel
from guichet.employers.models import Company, Establishment, EstablishmentMembership, NafActivity
from guichet.employers.validators import luhn_check_digit
from guichet.territory.models import Commune


def siren_for(number: int) -> str:
    """A valid SIREN (Luhn) built from a sequence number; 9xxxxxxxx keeps clear of the demo population."""
    base = f"9{number:07d}"
    return base + luhn_check_digit(base)


def siret_for(siren: str, index: int = 1) -> str:
    nic = f"{index:04d}"
    return siren + nic + luhn_check_digit(siren + nic)


def commune(insee: str = "80021") -> Commune:
    """A real commune of the reference data (Amiens by default)."""
    return Commune.objects.get(insee=insee)


class NafActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NafActivity
        django_get_or_create = ("code",)

    code = "47.11F"
    label = "Hypermarchés"
    level = NafLevel.SUBCLASS


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    siren = factory.Sequence(siren_for)
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    headcount_band = HeadcountBand.FROM_10_TO_19


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    company = factory.SubFactory(CompanyFactory)
    siret = factory.LazyAttribute(lambda obj: siret_for(obj.company.siren))
    name = factory.LazyAttribute(lambda obj: obj.company.name)
    naf = factory.SubFactory(NafActivityFactory)
    headcount_band = HeadcountBand.FROM_10_TO_19
    commune = factory.LazyFunction(commune)

    class Params:
        synthetic = factory.Trait(is_synthetic=True)


class EmployerFactory(UserFactory):
    role = Role.EMPLOYER


class EstablishmentMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EstablishmentMembership

    user = factory.SubFactory(EmployerFactory)
    establishment = factory.SubFactory(EstablishmentFactory)
