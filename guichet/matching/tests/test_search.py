"""The matching queries on hand-built markets around Amiens (80021)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.employers.tests.factories import (
    EstablishmentFactory,
    EstablishmentMembershipFactory,
    NafActivityFactory,
    commune,
)
from guichet.jobs.models import RomeJob
from guichet.matching.search import (
    candidates_for_offer,
    companies_likely_to_recruit,
    offer_match,
    offer_search,
    offers_for_candidate,
    training_search,
    trainings_for_offer,
    trainings_for_recruit,
)
from guichet.offers.tests.factories import OfferFactory
from guichet.territory.models import Commune
from guichet.territory.selectors import haversine_km
from guichet.trainings.tests.factories import TrainingFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)
AMIENS, ABBEVILLE, LILLE, CAMON = "80021", "80001", "59350", "80164"


def distance(a: str, b: str) -> float:
    first, second = commune(a), commune(b)
    return haversine_km(first.latitude, first.longitude, second.latitude, second.longitude)


@pytest.fixture
def job():
    return RomeJob.objects.get(code="J1501")


def published(job, insee, **extra):
    return OfferFactory(
        published=True, rome_job=job, commune=commune(insee), target_level_id=4, starts_on=date(2027, 9, 1), **extra
    )


def training(job, insee, *, places=3, starts_on=date(2027, 9, 6), level=4):
    item = TrainingFactory(commune=commune(insee), remaining_places=places, total_places=12, level_id=level)
    item.rome_jobs.add(job)
    TrainingSessionFactory(training=item, starts_on=starts_on, ends_on=starts_on + timedelta(days=700))
    return item


def test_offers_within_the_radius_come_ranked_with_reasons_and_their_trainings(job):
    assert distance(AMIENS, CAMON) < 10 and distance(AMIENS, ABBEVILLE) > 30 and distance(AMIENS, LILLE) > 90
    near = published(job, AMIENS)
    further = published(job, CAMON)
    published(job, ABBEVILLE)  # beyond 30 km
    published(job, LILLE)  # far beyond
    published(RomeJob.objects.get(code="D1102"), AMIENS)  # another job
    cfa = training(job, AMIENS)
    result = offer_search(commune=commune(AMIENS), radius_km=30, rome_job=job, today=TODAY)
    assert [item.offer_id for item in result.items] == [near.pk, further.pk]
    first = result.items[0]
    assert first.trainings[0].training_id == cfa.pk
    labels = {reason.code: reason.label for reason in first.reasons}
    assert labels["distance"] == "à 0 km"
    assert labels["level"] == "niveau visé : 4"
    assert labels["training"].startswith("3 places au ") and "rentrée le 6 septembre 2027" in labels["training"]
    assert result.items[1].distance_km == round(distance(AMIENS, CAMON), 1)


def test_the_radius_is_a_hard_limit(job):
    published(job, ABBEVILLE)
    d = distance(AMIENS, ABBEVILLE)
    assert offer_search(commune=commune(AMIENS), radius_km=int(d), rome_job=job, today=TODAY).count == 0
    assert offer_search(commune=commune(AMIENS), radius_km=int(d) + 1, rome_job=job, today=TODAY).count == 1


def test_a_training_without_places_or_out_of_the_window_is_not_offered(job):
    offer = published(job, AMIENS)
    training(job, AMIENS, places=0)
    training(job, AMIENS, starts_on=date(2028, 9, 4))
    good = training(job, CAMON)
    assert [match.training_id for match in trainings_for_offer(offer=offer, today=TODAY)] == [good.pk]


def test_an_offer_with_a_training_nearby_outranks_the_same_offer_without(job):
    with_training = published(job, CAMON)
    without = published(job, CAMON)
    training(job, CAMON)
    # The same training serves both: take the other offer's job away from trainings by using another job.
    without.rome_job = RomeJob.objects.get(code="J1502")
    without.save()
    result = offer_search(commune=commune(AMIENS), radius_km=30, rome_codes=["J1501", "J1502"], today=TODAY)
    assert result.items[0].offer_id == with_training.pk


def test_fairness_lowers_over_solicited_offers_and_pauses_them_at_the_threshold(job, settings):
    settings.OFFER_PAUSE_PENDING_APPLICATIONS = 3
    busy, calm = published(job, AMIENS), published(job, AMIENS)
    for _ in range(2):
        ApplicationFactory(offer=busy, sent_on=TODAY - timedelta(days=2))
    result = offer_search(commune=commune(AMIENS), radius_km=30, rome_job=job, today=TODAY)
    assert [item.offer_id for item in result.items] == [calm.pk, busy.pk]
    ApplicationFactory(offer=busy, sent_on=TODAY - timedelta(days=1))
    result = offer_search(commune=commune(AMIENS), radius_km=30, rome_job=job, today=TODAY)
    assert [item.offer_id for item in result.items] == [calm.pk]
    assert result.paused_count == 1


def test_closed_applications_do_not_count_toward_the_pause(job, settings):
    settings.OFFER_PAUSE_PENDING_APPLICATIONS = 1
    offer = published(job, AMIENS)
    ApplicationFactory(offer=offer, status=ApplicationStatus.REFUSED, reason="level", sent_on=date(2026, 1, 5))
    assert offer_search(commune=commune(AMIENS), radius_km=30, rome_job=job, today=TODAY).count == 1


def test_filters_level_start_date_and_driving_licence(job):
    level_5 = published(job, AMIENS)
    level_5.target_level_id = 5
    level_5.save()
    later = published(job, AMIENS)
    later.starts_on = date(2028, 1, 10)
    later.save()
    licence = published(job, AMIENS, driving_licence_required=True)
    search = {"commune": commune(AMIENS), "radius_km": 30, "rome_job": job, "today": TODAY}
    assert {i.offer_id for i in offer_search(**search, level=5).items} == {level_5.pk}
    assert later.pk not in {i.offer_id for i in offer_search(**search, start_before=date(2027, 12, 31)).items}
    assert licence.pk not in {i.offer_id for i in offer_search(**search, driving_licence=False).items}


def test_offers_for_a_profile_follow_its_wishes_radius_and_ignore_protected_data(job):
    near, far = published(job, AMIENS), published(job, ABBEVILLE)
    profile = CandidateProfileFactory(commune=commune(AMIENS), mobility_radius_km=20, wished_level_id=4)
    profile.wished_jobs.add(job)
    first = offers_for_candidate(profile=profile, today=TODAY)
    assert [item.offer_id for item in first.items] == [near.pk]
    profile.rqth, profile.birth_date = True, date(1999, 1, 1)
    profile.save()
    second = offers_for_candidate(profile=profile, today=TODAY)
    assert [(i.offer_id, i.score, i.reasons) for i in second.items] == [
        (i.offer_id, i.score, i.reasons) for i in first.items
    ]
    assert far.pk not in {item.offer_id for item in second.items}


def test_the_offer_detail_lists_trainings_reachable_from_the_young_person(job):
    offer = published(job, AMIENS)
    near_home = training(job, ABBEVILLE)  # > 30 km from the workplace, within 60 km of Abbeville itself
    assert near_home.pk not in {t.training_id for t in trainings_for_offer(offer=offer, today=TODAY)}
    match = offer_match(offer=offer, origin=commune(ABBEVILLE), radius_km=60, today=TODAY)
    assert near_home.pk in {t.training_id for t in match.trainings}
    assert match.distance_km == round(distance(AMIENS, ABBEVILLE), 1)


def test_training_search_ranks_by_places_distance_and_level(job):
    close, far = training(job, AMIENS, places=5), training(job, CAMON, places=5)
    training(job, LILLE)
    result = training_search(commune=commune(AMIENS), radius_km=30, rome_job=job, level=4, today=TODAY)
    assert [item.training_id for item in result.items] == [close.pk, far.pk]


def test_training_search_pages_count_every_training_and_explain_the_page(job):
    """Every training with places is ranked and counted, then only the page is explained: the pages put end to end
    give the whole list, with or without a job; a training without any ROME job is found without a job; beyond the
    training reach (60 km here) the distance from the searched commune scores and "from you" is not repeated."""
    trainings = [training(job, insee, places=places) for insee, places in ((AMIENS, 2), (CAMON, 6), (ABBEVILLE, 4))]
    trainings.append(training(RomeJob.objects.get(code="D1102"), AMIENS, places=8, level=3))
    jobless = TrainingFactory(commune=commune(CAMON), remaining_places=1, total_places=12, level_id=5)
    TrainingSessionFactory(training=jobless, starts_on=date(2027, 9, 6), ends_on=date(2029, 9, 6))
    training(job, AMIENS, places=0)  # no places: never listed
    for rome_job, radius, expected in ((job, 30, 2), (None, 30, 4), (job, 60, 3), (None, 60, 5)):
        whole = training_search(
            commune=commune(AMIENS), radius_km=radius, rome_job=rome_job, today=TODAY, page_size=50
        )
        assert whole.count == len(whole.items) == expected
        paged = [
            training_search(
                commune=commune(AMIENS), radius_km=radius, rome_job=rome_job, today=TODAY, page=page, page_size=2
            )
            for page in (1, 2, 3)
        ]
        assert [item for result in paged for item in result.items] == whole.items
        assert {result.count for result in paged} == {expected}
        codes = {reason.code for item in whole.items for reason in item.reasons}
        assert ("distance_from_you" in codes) is False
    everything = training_search(commune=commune(AMIENS), radius_km=60, today=TODAY, page_size=50)
    assert jobless.pk in {item.training_id for item in everything.items}
    assert trainings[2].pk in {item.training_id for item in everything.items}  # Abbeville, beyond 30 km


def test_ranked_candidates_and_trainings_for_a_recruit(job):
    membership = EstablishmentMembershipFactory()
    offer = published(job, AMIENS, establishment=membership.establishment)
    best = CandidateProfileFactory(visible=True, commune=commune(AMIENS), wished_level_id=4, mobility_radius_km=20)
    second = CandidateProfileFactory(visible=True, commune=commune(CAMON), wished_level_id=6, mobility_radius_km=20)
    too_far = CandidateProfileFactory(visible=True, commune=commune(ABBEVILLE), mobility_radius_km=20)
    for profile in (best, second, too_far):
        profile.wished_jobs.add(job)
    result = candidates_for_offer(offer=offer, user=membership.user, today=TODAY)
    assert [item.profile_id for item in result.items] == [best.pk, second.pk]
    assert {r.label for r in result.items[0].reasons} >= {"à 0 km", "niveau visé : 4"}
    cfa = training(job, CAMON)
    assert [t.training_id for t in trainings_for_recruit(offer=offer, candidate=second, today=TODAY)] == [cfa.pk]


def test_companies_likely_to_recruit_from_their_contracts_and_activity(job):
    nursing = NafActivityFactory(code="87.10A", label="Hébergement médicalisé pour personnes âgées")
    bakery = NafActivityFactory(code="10.71C", label="Boulangerie et boulangerie-pâtisserie")
    hirer = EstablishmentFactory(commune=commune(CAMON), naf=nursing)
    same_activity = EstablishmentFactory(commune=commune(AMIENS), naf=nursing)
    unrelated = EstablishmentFactory(commune=commune(AMIENS), naf=bakery)
    far_hirer = EstablishmentFactory(commune=commune(LILLE), naf=nursing)
    for establishment in (hirer, hirer, far_hirer):
        ContractFactory(establishment=establishment, rome_job=job, starts_on=date(2025, 9, 1))
    ContractFactory(establishment=unrelated, rome_job=RomeJob.objects.get(code="D1102"), starts_on=date(2025, 9, 1))
    ContractFactory(establishment=hirer, rome_job=job, starts_on=date(2020, 9, 1), concluded_on=date(2020, 8, 1),
                    planned_end_on=date(2022, 8, 31))  # fmt: skip  # too old to count
    result = companies_likely_to_recruit(rome_job=job, commune=commune(AMIENS), radius_km=30, today=TODAY)
    assert [item.establishment_id for item in result.items] == [hirer.pk, same_activity.pk]
    assert result.items[0].past_contracts == 2
    labels = [reason.label for reason in result.items[0].reasons]
    assert "a signé 2 contrats d'apprentissage pour ce métier depuis 2023" in labels
    assert unrelated.pk not in {item.establishment_id for item in result.items}
    assert {"birth_year", "sex"}.isdisjoint(vars(result.items[0]))


def test_companies_are_all_scored_and_counted_and_the_page_explained(job):
    """Every establishment with a signal is scored and counted; the pages put end to end give the whole list, each
    item with its NAF label and reasons; an establishment signing for another job only, or without a strong NAF
    code, is left out; from a commune without coordinates, only that commune's establishments."""
    nursing = NafActivityFactory(code="87.10A", label="Hébergement médicalisé pour personnes âgées")
    hirers = [EstablishmentFactory(commune=commune(insee), naf=nursing) for insee in (AMIENS, CAMON, AMIENS, CAMON)]
    for count, establishment in enumerate(hirers, start=1):
        for _ in range(count):
            ContractFactory(establishment=establishment, rome_job=job, starts_on=date(2025, 9, 1))
    activity_only = EstablishmentFactory(commune=commune(AMIENS), naf=nursing)
    other_job = EstablishmentFactory(commune=commune(AMIENS))
    ContractFactory(establishment=other_job, rome_job=RomeJob.objects.get(code="D1102"), starts_on=date(2025, 9, 1))
    whole = companies_likely_to_recruit(rome_job=job, commune=commune(AMIENS), radius_km=30, today=TODAY, page_size=50)
    assert whole.count == len(whole.items) == 5
    # 3 contracts or more score in full: the nearer of the two comes first
    assert [item.establishment_id for item in whole.items][:4] == [
        h.pk for h in (hirers[2], hirers[3], hirers[1], hirers[0])
    ]
    assert whole.items[-1].establishment_id == activity_only.pk and whole.items[-1].past_contracts == 0
    assert other_job.pk not in {item.establishment_id for item in whole.items}
    paged = [
        companies_likely_to_recruit(
            rome_job=job, commune=commune(AMIENS), radius_km=30, today=TODAY, page=page, page_size=2
        )
        for page in (1, 2, 3)
    ]
    assert [item for result in paged for item in result.items] == whole.items
    assert {result.count for result in paged} == {5}
    for item in whole.items:
        assert item.naf_code == "87.10A" and item.naf_label == "Hébergement médicalisé pour personnes âgées"
        assert {reason.code for reason in item.reasons} >= {"naf", "distance"}
    nowhere = Commune.objects.filter(latitude__isnull=True).order_by("insee").first()
    alone = EstablishmentFactory(commune=nowhere, naf=nursing)
    ContractFactory(establishment=alone, rome_job=job, starts_on=date(2025, 9, 1))
    result = companies_likely_to_recruit(rome_job=job, commune=nowhere, radius_km=30, today=TODAY)
    assert [item.establishment_id for item in result.items] == [alone.pk]


def test_published_at_or_update_gives_freshness(job):
    offer = published(job, AMIENS)
    type(offer).objects.filter(pk=offer.pk).update(
        published_at=timezone.now() - timedelta(days=40), updated_at=timezone.now() - timedelta(days=40)
    )
    item = offer_search(commune=commune(AMIENS), radius_km=30, rome_job=job).items[0]
    assert any(reason.code == "freshness" and reason.value == 40 for reason in item.reasons)
