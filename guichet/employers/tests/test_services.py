import pytest

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.employers.models import Establishment, EstablishmentMembership
from guichet.employers.selectors import establishment_list_for_user, user_acts_for_establishment
from guichet.employers.services import (
    EmployerError,
    establishment_add_recruiter,
    establishment_remove_recruiter,
    establishment_update,
)
from guichet.employers.signup import EmployerSignupError, employer_signup
from guichet.employers.tests.factories import EstablishmentMembershipFactory, NafActivityFactory, commune

pytestmark = pytest.mark.django_db


def test_an_employer_manages_several_establishments_and_sees_only_them():
    first = EstablishmentMembershipFactory()
    second = EstablishmentMembershipFactory(user=first.user)
    EstablishmentMembershipFactory()  # someone else's
    assert set(establishment_list_for_user(user=first.user)) == {first.establishment, second.establishment}


def test_a_recruiter_adds_a_colleague_who_then_acts_for_the_establishment():
    membership = EstablishmentMembershipFactory()
    colleague = UserFactory(role=Role.EMPLOYER)
    establishment_add_recruiter(establishment=membership.establishment, user=colleague, by=membership.user)
    assert user_acts_for_establishment(user=colleague, establishment=membership.establishment)
    with pytest.raises(EmployerError, match="agit déjà"):
        establishment_add_recruiter(establishment=membership.establishment, user=colleague, by=membership.user)


def test_an_outsider_cannot_add_recruiters_nor_change_the_establishment():
    membership = EstablishmentMembershipFactory()
    outsider = EstablishmentMembershipFactory().user
    with pytest.raises(EmployerError, match="n'agissez pas"):
        establishment_add_recruiter(establishment=membership.establishment, user=outsider, by=outsider)
    with pytest.raises(EmployerError):
        establishment_update(establishment=membership.establishment, by=outsider, name="Pirate")
    assert Establishment.objects.get(pk=membership.establishment.pk).name != "Pirate"


def test_a_young_person_account_cannot_become_a_recruiter():
    membership = EstablishmentMembershipFactory()
    with pytest.raises(EmployerError, match="compte employeur"):
        establishment_add_recruiter(establishment=membership.establishment, user=UserFactory(), by=membership.user)


def test_the_last_recruiter_cannot_leave():
    membership = EstablishmentMembershipFactory()
    with pytest.raises(EmployerError, match="dernière personne"):
        establishment_remove_recruiter(
            establishment=membership.establishment, user=membership.user, by=membership.user
        )
    assert EstablishmentMembership.objects.filter(pk=membership.pk).exists()


def test_an_unknown_headcount_band_is_refused():
    membership = EstablishmentMembershipFactory()
    with pytest.raises(EmployerError) as error:
        establishment_update(establishment=membership.establishment, by=membership.user, headcount_band="12")
    assert error.value.field == "headcount_band"


@pytest.mark.parametrize("siret", ["1234", "12345678901234", "1234567890123A"])
def test_a_malformed_siret_is_refused_at_sign_up_and_nothing_is_saved(siret):
    from django.core.exceptions import ValidationError

    with pytest.raises((ValidationError, EmployerSignupError)) as error:
        employer_signup(
            email="recrute@exemple.fr",
            password="une phrase de passe solide",
            first_name="Dominique",
            last_name="Martin",
            siret=siret,
            company_name="Boulangerie",
            naf=NafActivityFactory(),
            headcount_band="1-5",
            commune=commune(),
        )
    assert "SIRET" in str(error.value)
    assert not Establishment.objects.filter(siret=siret).exists()
    assert not EstablishmentMembership.objects.filter(user__email="recrute@exemple.fr").exists()
