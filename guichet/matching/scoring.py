"""Pure scoring rules of the matching (no database, no HTTP): facts in, a score and its reasons out.

Every signal and weight is documented in docs/matching.md; change both together. Facts deliberately hold
no protected criterion (sex, origin, disability/RQTH, age, address beyond the distance): the dataclasses
below are the only inputs of the scores, and a test checks their fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

# --- Weights (points; a perfect offer scores 100 before the fairness penalty) ---------------------------------
JOB_ROME = 25  # the offer's ROME job is one the person looks for
JOB_APPELLATION = 5  # ...and the exact job title (appellation) asked for
DISTANCE = 20  # linear from 20 at 0 km to 0 at the radius
LEVEL_EXACT, LEVEL_NEAR = 15, 7  # diploma level asked = offer's target level; one level apart
DATES_OK, DATES_LATE = 10, 3  # offer starts inside the person's window; starts after it
FRESHNESS = 10  # linear from 10 (updated today) to 0 (FRESHNESS_DAYS old)
FRESHNESS_DAYS = 60
TRAINING = 15  # a compatible training with places is reachable (the "double match")
LICENCE_MISSING = -10  # the offer requires a driving licence the person does not have
FAIRNESS_PER_APPLICATION, FAIRNESS_MAX = 2, 15  # minus per application received in FAIRNESS_DAYS, capped
FAIRNESS_DAYS = 14
# Trainings for an offer
TRAINING_LEVEL_EXACT, TRAINING_LEVEL_NEAR = 30, 10
TRAINING_DISTANCE = 30
TRAINING_PLACES = 20  # full at TRAINING_PLACES_FULL places or more
TRAINING_PLACES_FULL = 5
TRAINING_SESSION = 20  # a session starts within the window of the contract start
# Contract start and training start may be at most 3 months apart (C. trav. L6222-12).
SESSION_WINDOW_BEFORE = timedelta(days=92)
SESSION_WINDOW_AFTER = timedelta(days=92)
# Companies likely to recruit
COMPANY_OWN_CONTRACTS, COMPANY_OWN_FULL = 50, 3
COMPANY_NAF, COMPANY_DISTANCE = 30, 20
COMPANY_NAF_MIN_SHARE = 0.02  # a NAF code under 2 % of the job's contracts is noise, not a signal


@dataclass(frozen=True)
class Reason:
    """One explanation of a score, as data: `code` for programs, `label` for people, `value` raw."""

    code: str
    label: str
    value: str | int | float | bool | None = None

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "label": self.label, "value": self.value}


def tenth(value: float) -> float:
    """A score or a sort distance rounded to 0.1: the nearest integer to value x 10 (ties to even), over 10.

    Computed on the float product so that PostgreSQL and SQLite reproduce it exactly in the ranking query
    (guichet.matching.ranking), where ROUND(x, 1) would go through NUMERIC (slow) and round ties otherwise."""
    return round(value * 10) / 10


def km(value: float) -> str:
    """12.0 -> "12 km", 3.46 -> "3,5 km" (French decimal comma)."""
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}".replace(".", ",")
    return f"{text} km"


def french_date(day: date) -> str:
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")  # fmt: skip
    return f"{day.day}{'er' if day.day == 1 else ''} {months[day.month - 1]} {day.year}"


# --- Offers for a young person --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeekerFacts:
    """What a young person (or an anonymous search) asks for."""

    rome_codes: frozenset[str]
    radius_km: float
    appellation_id: int | None = None
    level: int | None = None  # diploma level aimed at
    available_from: date | None = None
    start_before: date | None = None
    driving_licence: bool | None = None  # None: unknown (anonymous search)


@dataclass(frozen=True)
class TrainingFacts:
    training_id: int
    level: int | None
    distance_km: float  # from the point the training is measured from (workplace or the person)
    remaining_places: int
    session_starts: tuple[date, ...]  # upcoming session start dates, sorted


@dataclass(frozen=True)
class OfferFacts:
    offer_id: int
    rome_code: str
    appellation_id: int | None
    distance_km: float
    target_level: int
    starts_on: date
    freshness_date: date  # last publication or update
    driving_licence_required: bool
    recent_applications: int = 0
    best_training: TrainingFacts | None = None
    best_training_label: str = ""
    has_compatible_training: bool = False  # known without the best one (ranking pass before explanations)


@dataclass
class Scored:
    score: float
    reasons: list[Reason] = field(default_factory=list)


def score_offer(*, offer: OfferFacts, seeker: SeekerFacts, today: date, explain: bool = True) -> Scored:
    """The offer's score and, when `explain`, its reasons (a search ranks every offer without them, then explains
    the page shown: same rules, one function)."""
    reasons: list[Reason] = []

    def note(make: Callable[[], Reason]) -> None:
        if explain:
            reasons.append(make())

    score = 0.0
    if offer.rome_code in seeker.rome_codes:
        score += JOB_ROME
        note(lambda: Reason("job", f"métier recherché : {offer.rome_code}", offer.rome_code))
        if seeker.appellation_id is not None and offer.appellation_id == seeker.appellation_id:
            score += JOB_APPELLATION
            note(lambda: Reason("appellation", "intitulé exact recherché", offer.appellation_id))
    radius = max(seeker.radius_km, 1.0)
    distance = min(offer.distance_km, radius)
    score += DISTANCE * (1 - distance / radius)
    note(lambda: Reason("distance", f"à {km(offer.distance_km)}", round(offer.distance_km, 1)))
    if seeker.level is not None:
        gap = abs(offer.target_level - seeker.level)
        score += LEVEL_EXACT if gap == 0 else LEVEL_NEAR if gap == 1 else 0
        note(lambda: Reason("level", f"niveau visé : {offer.target_level}", offer.target_level))
    else:
        note(lambda: Reason("level", f"niveau visé : {offer.target_level}", offer.target_level))
    earliest = seeker.available_from or today
    if offer.starts_on < earliest:
        note(
            lambda: Reason(
                "dates", f"début le {french_date(offer.starts_on)}, avant votre disponibilité", str(offer.starts_on)
            )
        )
    elif seeker.start_before is not None and offer.starts_on > seeker.start_before:
        score += DATES_LATE
        note(
            lambda: Reason(
                "dates", f"début le {french_date(offer.starts_on)}, après la date souhaitée", str(offer.starts_on)
            )
        )
    else:
        score += DATES_OK
        note(lambda: Reason("dates", f"début le {french_date(offer.starts_on)}", str(offer.starts_on)))
    age = max(0, (today - offer.freshness_date).days)
    score += FRESHNESS * max(0.0, 1 - age / FRESHNESS_DAYS)
    note(
        lambda: Reason(
            "freshness", "publiée ou mise à jour aujourd'hui" if age == 0 else f"mise à jour il y a {age} jours", age
        )
    )
    if offer.best_training is not None or offer.has_compatible_training:
        score += TRAINING
        training_id = offer.best_training.training_id if offer.best_training else None
        note(lambda: Reason("training", offer.best_training_label, training_id))
    else:
        note(lambda: Reason("no_training", "aucune formation compatible avec des places à proximité", None))
    if offer.driving_licence_required:
        if seeker.driving_licence is False:
            score += LICENCE_MISSING
            note(lambda: Reason("licence", "permis B exigé (vous ne l'avez pas indiqué)", True))
        else:
            note(lambda: Reason("licence", "permis B exigé", True))
    if offer.recent_applications:
        penalty = min(FAIRNESS_MAX, FAIRNESS_PER_APPLICATION * offer.recent_applications)
        score -= penalty
        note(
            lambda: Reason(
                "fairness",
                f"déjà {offer.recent_applications} candidature{'s' if offer.recent_applications > 1 else ''} "
                f"ces {FAIRNESS_DAYS} derniers jours",
                offer.recent_applications,
            )
        )
    return Scored(tenth(score), reasons)


# --- Trainings for an offer -----------------------------------------------------------------------------------


def session_in_window(*, session_starts: tuple[date, ...], contract_start: date) -> date | None:
    """The first session starting within 3 months before or after the contract start (L6222-12), or None."""
    for start in session_starts:
        if contract_start - SESSION_WINDOW_BEFORE <= start <= contract_start + SESSION_WINDOW_AFTER:
            return start
    return None


def training_base_points(*, training: TrainingFacts, target_level: int | None, reach_km: float) -> float | None:
    """Points of a training before its session (level, distance, places); None without places or too far."""
    if training.remaining_places <= 0 or training.distance_km > reach_km:
        return None
    points = 0.0
    if target_level is not None and training.level is not None:
        gap = abs(training.level - target_level)
        points += TRAINING_LEVEL_EXACT if gap == 0 else TRAINING_LEVEL_NEAR if gap == 1 else 0
    points += TRAINING_DISTANCE * (1 - min(training.distance_km, reach_km) / max(reach_km, 1.0))
    points += TRAINING_PLACES * min(1.0, training.remaining_places / TRAINING_PLACES_FULL)
    return points


def training_points(
    *, training: TrainingFacts, target_level: int | None, reach_km: float, contract_start: date | None
) -> tuple[float, date | None] | None:
    """(points, session retained) of a training for an offer, or None when it is not compatible (no places, too
    far, no session in the window). The numbers only: `score_training` adds the reasons. With a contract start,
    every compatible training gets the same session points, so ranking by base points ranks them too."""
    points = training_base_points(training=training, target_level=target_level, reach_km=reach_km)
    if points is None:
        return None
    session = None
    if contract_start is not None:
        session = session_in_window(session_starts=training.session_starts, contract_start=contract_start)
        if session is None:
            return None
        points += TRAINING_SESSION
    elif training.session_starts:
        session = training.session_starts[0]
        points += TRAINING_SESSION / 2
    return tenth(points), session


def score_training(
    *, training: TrainingFacts, target_level: int | None, reach_km: float, contract_start: date | None
) -> Scored | None:
    """Score a training for an offer (or a recruit), with its reasons; None when it is not compatible."""
    computed = training_points(
        training=training, target_level=target_level, reach_km=reach_km, contract_start=contract_start
    )
    if computed is None:
        return None
    points, session = computed
    reasons: list[Reason] = []
    if target_level is not None and training.level is not None:
        reasons.append(Reason("level", f"niveau {training.level}", training.level))
    reasons.append(Reason("distance", f"à {km(training.distance_km)}", round(training.distance_km, 1)))
    places = training.remaining_places
    reasons.append(
        Reason("places", f"{places} place{'s' if places > 1 else ''} restante{'s' if places > 1 else ''}", places)
    )
    if session is not None:
        reasons.append(Reason("session", f"rentrée le {french_date(session)}", str(session)))
    return Scored(points, reasons)


# --- Candidates for an offer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateFacts:
    """What an employer may rank on. No sex, origin, age, disability or address: only the distance."""

    profile_id: int
    wished_rome_codes: frozenset[str]
    distance_km: float
    mobility_radius_km: int
    wished_level: int | None
    current_level: int | None
    available_from: date | None
    driving_licence: bool


def score_candidate(*, candidate: CandidateFacts, offer: OfferFacts, today: date) -> Scored | None:
    """None when the offer's workplace lies beyond the person's mobility radius."""
    if candidate.distance_km > candidate.mobility_radius_km:
        return None
    reasons: list[Reason] = []
    score = 0.0
    if offer.rome_code in candidate.wished_rome_codes:
        score += JOB_ROME + JOB_APPELLATION
        reasons.append(Reason("job", f"souhaite ce métier ({offer.rome_code})", offer.rome_code))
    score += DISTANCE * (1 - candidate.distance_km / max(candidate.mobility_radius_km, 1))
    reasons.append(Reason("distance", f"à {km(candidate.distance_km)}", round(candidate.distance_km, 1)))
    if candidate.wished_level is not None:
        gap = abs(candidate.wished_level - offer.target_level)
        score += LEVEL_EXACT if gap == 0 else LEVEL_NEAR if gap == 1 else 0
        reasons.append(Reason("level", f"niveau visé : {candidate.wished_level}", candidate.wished_level))
    if candidate.current_level is not None:
        reasons.append(Reason("current_level", f"niveau atteint : {candidate.current_level}", candidate.current_level))
    available = candidate.available_from or today
    if available <= offer.starts_on:
        score += DATES_OK
        reasons.append(Reason("dates", f"disponible dès le {french_date(available)}", str(available)))
    else:
        reasons.append(Reason("dates", f"disponible seulement le {french_date(available)}", str(available)))
    if offer.driving_licence_required:
        if candidate.driving_licence:
            reasons.append(Reason("licence", "a le permis B", True))
        else:
            score += LICENCE_MISSING
            reasons.append(Reason("licence", "n'a pas indiqué le permis B", False))
    return Scored(tenth(score), reasons)


# --- Companies likely to recruit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyFacts:
    establishment_id: int
    distance_km: float
    own_contracts: int  # its past apprenticeship contracts for the job
    naf_code: str | None
    naf_label: str | None
    naf_share: float  # share of the job's contracts signed by employers of this NAF code (0-1)
    naf_top_share: float  # the largest such share, to normalise


def score_company(*, company: CompanyFacts, radius_km: float, since_year: int, explain: bool = True) -> Scored | None:
    """None when nothing shows the establishment hires for the job. Without `explain`, the score only (a search
    scores every establishment, then explains the page: same rules, one function)."""
    naf_signal = company.naf_share >= COMPANY_NAF_MIN_SHARE and company.naf_top_share > 0
    if company.own_contracts == 0 and not naf_signal:
        return None
    reasons: list[Reason] = []
    score = 0.0
    if company.own_contracts:
        score += COMPANY_OWN_CONTRACTS * min(1.0, company.own_contracts / COMPANY_OWN_FULL)
        if explain:
            plural = "s" if company.own_contracts > 1 else ""
            reasons.append(
                Reason(
                    "past_contracts",
                    f"a signé {company.own_contracts} contrat{plural} d'apprentissage pour ce métier depuis "
                    f"{since_year}",
                    company.own_contracts,
                )
            )
    if naf_signal:
        score += COMPANY_NAF * company.naf_share / company.naf_top_share
        if explain:
            percent = round(100 * company.naf_share, 1)
            percent_text = f"{percent:g}".replace(".", ",")
            reasons.append(
                Reason(
                    "naf",
                    f"son activité ({company.naf_code} {company.naf_label}) recrute des apprentis pour ce métier : "
                    f"{percent_text} % des contrats",
                    percent,
                )
            )
    score += COMPANY_DISTANCE * (1 - min(company.distance_km, radius_km) / max(radius_km, 1.0))
    if explain:
        reasons.append(Reason("distance", f"à {km(company.distance_km)}", round(company.distance_km, 1)))
    return Scored(tenth(score), reasons)
