"""The pure scoring rules, on hand-built facts (no database)."""

import dataclasses
from datetime import date

from guichet.matching import scoring
from guichet.matching.scoring import (
    CandidateFacts,
    CompanyFacts,
    OfferFacts,
    SeekerFacts,
    TrainingFacts,
    km,
    score_candidate,
    score_company,
    score_offer,
    score_training,
    session_in_window,
)

TODAY = date(2026, 11, 25)
SEEKER = SeekerFacts(rome_codes=frozenset({"J1501"}), radius_km=30, level=4)


def offer(**overrides) -> OfferFacts:
    values = {
        "offer_id": 1,
        "rome_code": "J1501",
        "appellation_id": None,
        "distance_km": 12.0,
        "target_level": 4,
        "starts_on": date(2027, 9, 1),
        "freshness_date": TODAY,
        "driving_licence_required": False,
    }
    values.update(overrides)
    return OfferFacts(**values)


def codes(scored) -> dict[str, object]:
    return {reason.code: reason.label for reason in scored.reasons}


def test_a_perfect_offer_scores_the_sum_of_its_signals_and_says_why():
    training = TrainingFacts(7, 4, 8.0, 3, (date(2027, 9, 6),))
    scored = score_offer(
        offer=offer(distance_km=0.0, best_training=training, best_training_label="3 places au CFA à 8 km"),
        seeker=SeekerFacts(rome_codes=frozenset({"J1501"}), radius_km=30, level=4, appellation_id=None),
        today=TODAY,
    )
    assert scored.score == scoring.JOB_ROME + scoring.DISTANCE + scoring.LEVEL_EXACT + scoring.DATES_OK + (
        scoring.FRESHNESS + scoring.TRAINING
    )
    labels = codes(scored)
    assert labels["distance"] == "à 0 km"
    assert labels["level"] == "niveau visé : 4"
    assert labels["training"] == "3 places au CFA à 8 km"


def test_distance_counts_linearly_to_zero_at_the_radius():
    near = score_offer(offer=offer(distance_km=0.0), seeker=SEEKER, today=TODAY).score
    middle = score_offer(offer=offer(distance_km=15.0), seeker=SEEKER, today=TODAY).score
    edge = score_offer(offer=offer(distance_km=30.0), seeker=SEEKER, today=TODAY).score
    assert near - middle == middle - edge == scoring.DISTANCE / 2
    assert codes(score_offer(offer=offer(distance_km=12.04), seeker=SEEKER, today=TODAY))["distance"] == "à 12 km"
    assert km(3.46) == "3,5 km"


def test_level_fit_exact_near_and_far():
    exact = score_offer(offer=offer(target_level=4), seeker=SEEKER, today=TODAY).score
    near = score_offer(offer=offer(target_level=5), seeker=SEEKER, today=TODAY).score
    far = score_offer(offer=offer(target_level=7), seeker=SEEKER, today=TODAY).score
    assert (exact - near, near - far) == (scoring.LEVEL_EXACT - scoring.LEVEL_NEAR, scoring.LEVEL_NEAR)


def test_an_offer_starting_before_the_person_is_available_loses_the_dates_points():
    seeker = dataclasses.replace(SEEKER, available_from=date(2027, 10, 1))
    late = score_offer(offer=offer(), seeker=seeker, today=TODAY)
    assert "avant votre disponibilité" in codes(late)["dates"]
    assert score_offer(offer=offer(), seeker=SEEKER, today=TODAY).score - late.score == scoring.DATES_OK


def test_freshness_fades_over_sixty_days():
    old = score_offer(offer=offer(freshness_date=date(2026, 9, 26)), seeker=SEEKER, today=TODAY)
    assert score_offer(offer=offer(), seeker=SEEKER, today=TODAY).score - old.score == scoring.FRESHNESS
    assert codes(old)["freshness"] == "mise à jour il y a 60 jours"


def test_recent_applications_lower_the_rank_of_an_over_solicited_offer_within_a_cap():
    calm = score_offer(offer=offer(), seeker=SEEKER, today=TODAY).score
    busy = score_offer(offer=offer(recent_applications=3), seeker=SEEKER, today=TODAY)
    assert calm - busy.score == 3 * scoring.FAIRNESS_PER_APPLICATION
    assert codes(busy)["fairness"] == "déjà 3 candidatures ces 14 derniers jours"
    flooded = score_offer(offer=offer(recent_applications=100), seeker=SEEKER, today=TODAY).score
    assert calm - flooded == scoring.FAIRNESS_MAX


def test_a_missing_driving_licence_lowers_an_offer_that_requires_it():
    seeker = dataclasses.replace(SEEKER, driving_licence=False)
    required = score_offer(offer=offer(driving_licence_required=True), seeker=seeker, today=TODAY)
    assert score_offer(offer=offer(), seeker=seeker, today=TODAY).score - required.score == -scoring.LICENCE_MISSING


def test_without_a_compatible_training_the_offer_says_so():
    assert "no_training" in codes(score_offer(offer=offer(), seeker=SEEKER, today=TODAY))


def test_a_session_counts_within_three_months_around_the_contract_start():
    start = date(2027, 9, 1)
    assert session_in_window(session_starts=(date(2027, 5, 31), date(2027, 11, 30)), contract_start=start) == date(
        2027, 11, 30
    )
    assert session_in_window(session_starts=(date(2027, 12, 15),), contract_start=start) is None


def test_a_training_without_places_too_far_or_out_of_the_window_is_not_compatible():
    good = TrainingFacts(1, 4, 8.0, 3, (date(2027, 9, 6),))
    assert score_training(training=good, target_level=4, reach_km=30, contract_start=date(2027, 9, 1)) is not None
    for bad in (
        dataclasses.replace(good, remaining_places=0),
        dataclasses.replace(good, distance_km=31.0),
        dataclasses.replace(good, session_starts=(date(2028, 9, 6),)),
    ):
        assert score_training(training=bad, target_level=4, reach_km=30, contract_start=date(2027, 9, 1)) is None
    scored = score_training(training=good, target_level=4, reach_km=30, contract_start=date(2027, 9, 1))
    assert {r.label for r in scored.reasons} >= {"3 places restantes", "à 8 km", "rentrée le 6 septembre 2027"}


def candidate(**overrides) -> CandidateFacts:
    values = {
        "profile_id": 1,
        "wished_rome_codes": frozenset({"J1501"}),
        "distance_km": 10.0,
        "mobility_radius_km": 20,
        "wished_level": 4,
        "current_level": 3,
        "available_from": date(2027, 1, 1),
        "driving_licence": False,
    }
    values.update(overrides)
    return CandidateFacts(**values)


def test_a_candidate_beyond_their_own_mobility_radius_is_left_out():
    assert score_candidate(candidate=candidate(distance_km=20.5), offer=offer(), today=TODAY) is None
    assert score_candidate(candidate=candidate(distance_km=20.0), offer=offer(), today=TODAY) is not None


def test_no_protected_criterion_enters_the_scores():
    """Sex, origin, age, disability (RQTH) and address are not even fields of the facts the scores read."""
    protected = {"sex", "gender", "birth_date", "age", "rqth", "disability", "nationality", "origin", "address"}
    for facts in (CandidateFacts, OfferFacts, SeekerFacts, TrainingFacts, CompanyFacts):
        assert not protected & {field.name for field in dataclasses.fields(facts)}, facts.__name__


def test_company_signals_own_contracts_naf_and_distance():
    facts = CompanyFacts(1, 5.0, 2, "87.10A", "Hébergement médicalisé", 0.2, 0.4)
    scored = score_company(company=facts, radius_km=30, since_year=2023)
    labels = codes(scored)
    assert labels["past_contracts"] == "a signé 2 contrats d'apprentissage pour ce métier depuis 2023"
    assert "20 % des contrats" in labels["naf"]
    assert score_company(company=dataclasses.replace(facts, own_contracts=0, naf_share=0.0), radius_km=30,
                         since_year=2023) is None  # fmt: skip


def test_a_rare_activity_is_no_signal_but_past_contracts_still_are():
    rare = CompanyFacts(1, 5.0, 0, "46.69C", "Commerce de gros", 0.01, 0.4)
    assert score_company(company=rare, radius_km=30, since_year=2023) is None
    hirer = dataclasses.replace(rare, own_contracts=1)
    assert "naf" not in codes(score_company(company=hirer, radius_km=30, since_year=2023))
