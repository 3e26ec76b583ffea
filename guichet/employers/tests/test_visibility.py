import pytest
from django.contrib.auth.models import AnonymousUser

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.tests.factories import UserFactory
from guichet.employers.models import Establishment
from guichet.employers.tests.factories import EstablishmentFactory, EstablishmentMembershipFactory, commune
from guichet.territory.models import Basin, BasinGrid

pytestmark = pytest.mark.django_db


@pytest.fixture
def amiens_and_lille():
    return EstablishmentFactory(commune=commune("80021")), EstablishmentFactory(commune=commune("59350"))


def test_employer_sees_only_the_establishments_it_acts_for(amiens_and_lille):
    amiens, lille = amiens_and_lille
    membership = EstablishmentMembershipFactory(establishment=amiens)
    EstablishmentMembershipFactory(establishment=lille)  # another employer

    assert list(Establishment.objects.visible_to(membership.user)) == [amiens]


def test_advisor_sees_only_the_establishments_of_its_zones(amiens_and_lille):
    amiens, _ = amiens_and_lille
    advisor = UserFactory(role=Role.ADVISOR)
    AdvisorAssignment.objects.create(advisor=advisor, basin=Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, code="3202"))

    assert list(Establishment.objects.visible_to(advisor)) == [amiens]


def test_admin_sees_all_and_anonymous_young_people_and_analysts_see_none(amiens_and_lille):
    assert set(Establishment.objects.visible_to(UserFactory(role=Role.ADMIN))) == set(amiens_and_lille)
    assert not Establishment.objects.visible_to(AnonymousUser()).exists()
    assert not Establishment.objects.visible_to(UserFactory(role=Role.YOUNG)).exists()
    assert not Establishment.objects.visible_to(UserFactory(role=Role.ANALYST)).exists()


def test_an_inactive_employer_sees_nothing(amiens_and_lille):
    membership = EstablishmentMembershipFactory(establishment=amiens_and_lille[0], user__is_active=False)
    assert not Establishment.objects.visible_to(membership.user).exists()
