"""ProfileChanges: KEEP (the default) leaves a field as it is, None empties an optional field, and the profile
form empties the optional fields a young person clears."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from guichet.candidates.models import CandidateProfile
from guichet.candidates.services import KEEP, ProfileChanges, ProfileError, candidate_profile_update
from guichet.candidates.tests.factories import CandidateProfileFactory
from guichet.candidates.tests.test_views import profile_data
from guichet.employers.tests.factories import commune
from guichet.jobs.models import DiplomaLevel, RomeJob

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 5)


@pytest.fixture
def full_profile() -> CandidateProfile:
    profile = CandidateProfileFactory(
        driving_licence=True,
        rqth=True,
        current_level=DiplomaLevel.objects.get(level=3),
        wished_level=DiplomaLevel.objects.get(level=4),
        available_from=date(2027, 1, 4),
    )
    profile.wished_jobs.set([RomeJob.objects.get(code="J1501")])
    return profile


def test_an_empty_change_keeps_every_field(full_profile):
    assert ProfileChanges().as_dict() == {}
    candidate_profile_update(profile=full_profile, changes=ProfileChanges(), today=TODAY)
    full_profile.refresh_from_db()
    assert full_profile.driving_licence and full_profile.rqth
    assert full_profile.current_level_id == 3 and full_profile.wished_level_id == 4
    assert full_profile.available_from == date(2027, 1, 4)
    assert list(full_profile.wished_jobs.values_list("code", flat=True)) == ["J1501"]


def test_none_empties_the_optional_fields_and_false_removes_the_licence_and_the_rqth(full_profile):
    changes = ProfileChanges(
        current_level=None, wished_level=None, available_from=None, driving_licence=False, rqth=False, wished_jobs=[]
    )
    candidate_profile_update(profile=full_profile, changes=changes, today=TODAY)
    full_profile.refresh_from_db()
    assert full_profile.current_level_id is None and full_profile.wished_level_id is None
    assert full_profile.available_from is None
    assert not full_profile.driving_licence and not full_profile.rqth
    assert not full_profile.wished_jobs.exists()


def test_one_optional_field_emptied_leaves_the_others(full_profile):
    candidate_profile_update(profile=full_profile, changes=ProfileChanges(available_from=None), today=TODAY)
    full_profile.refresh_from_db()
    assert full_profile.available_from is None
    assert full_profile.wished_level_id == 4 and full_profile.rqth


@pytest.mark.parametrize("name", ["birth_date", "commune", "mobility_radius_km", "driving_licence", "rqth"])
def test_a_required_field_cannot_be_emptied_and_nothing_is_saved(full_profile, name):
    with pytest.raises(ProfileError) as error:
        candidate_profile_update(profile=full_profile, changes=ProfileChanges(**{name: None}), today=TODAY)
    assert error.value.field == name
    assert "ne peut pas être vidé" in str(error.value)
    full_profile.refresh_from_db()
    assert full_profile.birth_date == date(2007, 5, 12) and full_profile.driving_licence


def test_keep_is_a_single_marker_distinct_from_none():
    assert ProfileChanges().available_from is KEEP
    assert ProfileChanges(available_from=None).as_dict() == {"available_from": None}


def test_the_profile_form_empties_the_optional_fields_the_young_person_cleared(client, full_profile):
    full_profile.commune = commune("80021")
    full_profile.save()
    client.force_login(full_profile.user)
    data = profile_data(wished_level="", available_from="", current_level="", wished_job_1_label="")
    data.pop("visible_to_employers")
    response = client.post(reverse("candidates:profile"), data)
    assert response.status_code == 302
    full_profile.refresh_from_db()
    assert full_profile.wished_level_id is None and full_profile.current_level_id is None
    assert full_profile.available_from is None
    assert not full_profile.driving_licence and not full_profile.rqth
    assert not full_profile.wished_jobs.exists()
    assert not full_profile.visible_to_employers and full_profile.visibility_consent_at is None
