import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.models import CandidateProfile
from guichet.candidates.tests.factories import CandidateProfileFactory
from guichet.employers.tests.factories import commune
from guichet.territory.models import Basin, BasinGrid

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles():
    return {
        "hidden_amiens": CandidateProfileFactory(commune=commune("80021")),
        "visible_lille": CandidateProfileFactory(commune=commune("59350"), visible=True),
        "synthetic_amiens": CandidateProfileFactory(commune=commune("80021"), synthetic=True, visible=True),
    }


def test_a_young_person_sees_only_their_own_profile(profiles):
    own = profiles["hidden_amiens"]
    assert list(CandidateProfile.objects.visible_to(own.user)) == [own]


def test_an_advisor_sees_the_profiles_of_its_zones_only(profiles):
    advisor = UserFactory(role=Role.ADVISOR)
    AdvisorAssignment.objects.create(advisor=advisor, basin=Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, code="3202"))
    assert set(CandidateProfile.objects.visible_to(advisor)) == {
        profiles["hidden_amiens"],
        profiles["synthetic_amiens"],
    }


def test_an_employer_sees_only_profiles_made_visible_with_consent(profiles):
    employer = UserFactory(role=Role.EMPLOYER)
    assert set(CandidateProfile.objects.visible_to(employer)) == {
        profiles["visible_lille"],
        profiles["synthetic_amiens"],
    }


def test_anonymous_users_and_analysts_see_no_profile_and_admins_all(profiles):
    assert not CandidateProfile.objects.visible_to(AnonymousUser()).exists()
    assert not CandidateProfile.objects.visible_to(UserFactory(role=Role.ANALYST)).exists()
    assert CandidateProfile.objects.visible_to(UserFactory(role=Role.ADMIN)).count() == len(profiles)


def test_a_profile_cannot_be_visible_without_consent():
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateProfileFactory(visible_to_employers=True, visibility_consent_at=None)
