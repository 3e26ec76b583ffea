from datetime import date

import pytest

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.enums import ApplicationStatus as S
from guichet.candidates.enums import RefusalReason, WithdrawalReason
from guichet.candidates.models import Application
from guichet.candidates.selectors import (
    application_list_for_user,
    candidate_profile_list_visible,
    offer_list_with_application_counts,
    response_stats_by_establishment,
    response_stats_by_zone,
)
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.employers.tests.factories import EstablishmentMembershipFactory, commune
from guichet.matching.search import MatchingError, candidates_for_offer
from guichet.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_employers():
    first, second = EstablishmentMembershipFactory(), EstablishmentMembershipFactory()
    offer_one = OfferFactory(published=True, establishment=first.establishment)
    offer_two = OfferFactory(published=True, establishment=second.establishment)
    return {
        "first": first.user,
        "second": second.user,
        "one": ApplicationFactory(offer=offer_one),
        "two": ApplicationFactory(offer=offer_two),
    }


def test_an_employer_cannot_see_another_employers_applications(two_employers):
    assert list(application_list_for_user(user=two_employers["first"])) == [two_employers["one"]]
    assert list(application_list_for_user(user=two_employers["second"])) == [two_employers["two"]]


def test_a_young_person_sees_only_their_own_applications_and_profile(two_employers):
    young = two_employers["one"].candidate.user
    assert list(application_list_for_user(user=young)) == [two_employers["one"]]
    assert list(candidate_profile_list_visible(user=young)) == [two_employers["one"].candidate]


def test_analysts_and_anonymous_see_no_application(two_employers):
    from django.contrib.auth.models import AnonymousUser

    assert not application_list_for_user(user=UserFactory(role=Role.ANALYST)).exists()
    assert not application_list_for_user(user=AnonymousUser()).exists()


def test_an_employer_ranked_candidates_leave_out_hidden_profiles(two_employers):
    offer = two_employers["one"].offer
    visible = CandidateProfileFactory(visible=True, commune=commune("80021"))
    hidden = CandidateProfileFactory(commune=commune("80021"))
    for profile in (visible, hidden):
        profile.wished_jobs.add(offer.rome_job)
    result = candidates_for_offer(offer=offer, user=two_employers["first"], today=date(2026, 11, 25))
    assert [item.profile_id for item in result.items] == [visible.pk]


def test_an_employer_cannot_rank_candidates_for_another_employers_offer(two_employers):
    with pytest.raises(MatchingError):
        candidates_for_offer(offer=two_employers["two"].offer, user=two_employers["first"])


def test_offer_counts_show_total_pending_and_unanswered(two_employers):
    offer = two_employers["one"].offer
    ApplicationFactory(offer=offer, status=S.INTERVIEW)
    ApplicationFactory(offer=offer, status=S.REFUSED, reason=RefusalReason.LEVEL)
    counted = offer_list_with_application_counts(user=two_employers["first"]).get(pk=offer.pk)
    assert (counted.applications_total, counted.applications_pending, counted.applications_unanswered) == (3, 2, 1)


def test_response_rate_and_median_delay_per_employer_and_per_zone(two_employers):
    offer = two_employers["one"].offer  # in Amiens, zone d'emploi 3202
    Application.objects.filter(pk=two_employers["one"].pk).update(
        status=S.INTERVIEW, answered_on=date(2026, 11, 9)
    )  # sent Thu 5 Nov, answered Mon 9 Nov: 2 working days
    ApplicationFactory(offer=offer, status=S.REFUSED, reason=RefusalReason.NO_RESPONSE)
    ApplicationFactory(
        offer=offer, status=S.REFUSED, reason=RefusalReason.PROFILE, answered_on=date(2026, 11, 13)
    )  # 11 Nov is a holiday: 5 working days
    ApplicationFactory(offer=offer, status=S.WITHDRAWN, reason=WithdrawalReason.YOUNG_CHOICE)  # not counted
    stats = response_stats_by_establishment(establishment_ids=[offer.establishment_id])[offer.establishment_id]
    assert (stats.received, stats.answered) == (3, 2)
    assert stats.rate == pytest.approx(2 / 3)
    assert stats.median_delay_working_days == 3.5
    zones = response_stats_by_zone()
    assert zones["3202"].received >= 3
