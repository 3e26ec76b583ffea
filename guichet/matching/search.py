"""The matching, read-only: offers for a young person (with their compatible trainings: the "double match"),
trainings near a place, ranked candidates for an offer, trainings for a recruit, companies likely to recruit.

Keyword-only, stable signatures (all take `today`; results are plain dataclasses carrying `reasons`):

- offer_search(*, commune, radius_km, rome_job=None, appellation=None, level=None, start_before=None,
  available_from=None, driving_licence=None, today=None, page=1, page_size=20) -> OfferSearchResult
- offers_for_candidate(*, profile, today=None, radius_km=None, page=1, page_size=20) -> OfferSearchResult
- search_plan(...) / candidate_plan(...) -> SearchPlan  (their arguments), run_search(plan) -> OfferSearchResult,
  run_searches([plan, ...]) -> [OfferSearchResult, ...]   first pages of several searches in ONE query
- offer_match(*, offer, origin=None, radius_km=30, today=None) -> OfferMatch      one offer, all its trainings
- trainings_for_offer(*, offer, origin=None, radius_km=None, today=None, limit=10) -> list[TrainingMatch]
- training_search(*, commune, radius_km, rome_job=None, level=None, today=None, page=1, page_size=20)
  -> TrainingSearchResult
- candidates_for_offer(*, offer, user, today=None, page=1, page_size=20) -> CandidateSearchResult
  (MatchingError when the user does not manage the offer; only profiles visible to the user)
- trainings_for_recruit(*, offer, candidate, today=None, limit=10) -> list[TrainingMatch]
- companies_likely_to_recruit(*, rome_job, commune, radius_km, today=None, page=1, page_size=20)
  -> CompanySearchResult

Scale: the offer searches are ranked in ONE SQL query (guichet.matching.ranking: scores, sort, page, counts, the
page's compatible trainings), then only the page is explained in Python (guichet.matching.scoring);
`_offer_search_python`, the former ranking of every offer in Python, is kept as the reference the tests compare
it with. The other searches first narrow to the communes of a bounding box (territory selectors, indexed on
latitude/longitude), then score their few rows in Python.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guichet.accounts.permissions import AnyUser
from guichet.candidates.enums import OPEN_STATUSES
from guichet.candidates.models import Application, CandidateProfile
from guichet.candidates.services import pause_threshold
from guichet.contracts.models import Contract
from guichet.core.db import cte_hints
from guichet.employers.models import NafActivity
from guichet.jobs.models import Appellation, RomeJob
from guichet.matching import ranking, scoring
from guichet.matching.ranking import training_reach_km
from guichet.matching.scoring import Reason
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.territory.models import Commune
from guichet.territory.selectors import bounding_box, bounding_box_q, haversine_km
from guichet.trainings.models import Training

PAGE_SIZE_MAX = 100
_KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along a meridian


class MatchingError(Exception):
    pass


# --- Results --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingMatch:
    training_id: int
    title: str
    centre_name: str
    level: int | None
    commune_insee: str
    commune_name: str
    distance_km: float  # from the workplace (or, in a training search, from the searched commune)
    distance_from_candidate_km: float | None
    remaining_places: int
    session_starts: list[date]
    next_session: date | None
    score: float
    reasons: list[Reason]


@dataclass(frozen=True)
class OfferMatch:
    offer_id: int
    title: str
    rome_code: str
    rome_title: str
    appellation_id: int | None
    appellation_code: int | None  # OGR code
    appellation_title: str | None
    establishment_name: str
    commune_insee: str
    commune_name: str
    distance_km: float
    target_level: int
    starts_on: date
    duration_months: int
    driving_licence_required: bool
    pending_applications: int
    score: float
    reasons: list[Reason]
    trainings: list[TrainingMatch] = field(default_factory=list)


@dataclass(frozen=True)
class OfferSearchResult:
    items: list[OfferMatch]
    count: int  # ranked offers (paused ones excluded)
    page: int
    page_size: int
    paused_count: int  # offers left out because they reached OFFER_PAUSE_PENDING_APPLICATIONS


@dataclass(frozen=True)
class TrainingSearchResult:
    items: list[TrainingMatch]
    count: int
    page: int
    page_size: int


@dataclass(frozen=True)
class CandidateMatch:
    profile_id: int
    commune_insee: str
    commune_name: str
    distance_km: float
    wished_level: int | None
    current_level: int | None
    available_from: date | None
    driving_licence: bool
    application_id: int | None  # their open application to this offer, if any
    score: float
    reasons: list[Reason]


@dataclass(frozen=True)
class CandidateSearchResult:
    items: list[CandidateMatch]
    count: int
    page: int
    page_size: int


@dataclass(frozen=True)
class CompanyMatch:
    establishment_id: int
    name: str
    siret: str
    naf_code: str | None
    naf_label: str | None
    headcount_band: str
    commune_insee: str
    commune_name: str
    distance_km: float
    past_contracts: int
    score: float
    reasons: list[Reason]


@dataclass(frozen=True)
class CompanySearchResult:
    items: list[CompanyMatch]
    count: int
    page: int
    page_size: int
    since_year: int


# --- Geometry helpers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    insee: str
    name: str
    latitude: float | None
    longitude: float | None


def _places_within(*, commune: Commune, radius_km: float) -> dict[int, tuple[_Place, float]]:
    """Communes within `radius_km` of `commune`: id -> (place, distance from commune). A copy of a per-process
    cache: communes change with the yearly COG import, after which the servers are restarted."""
    return dict(
        _places_within_cached(commune.pk, commune.insee, commune.name, commune.latitude, commune.longitude, radius_km)
    )


@lru_cache(maxsize=1024)
def _places_within_cached(
    pk: int, insee: str, name: str, latitude: float | None, longitude: float | None, radius_km: float
) -> dict[int, tuple[_Place, float]]:
    origin = _Place(insee, name, latitude, longitude)
    if latitude is None or longitude is None:
        return {pk: (origin, 0.0)}
    rows = (
        Commune.objects.filter(bounding_box_q(latitude=latitude, longitude=longitude, radius_km=radius_km))
        .order_by()
        .values_list("id", "insee", "name", "latitude", "longitude")
    )
    places = {}
    for row_pk, row_insee, row_name, row_latitude, row_longitude in rows:
        distance = 0.0 if row_pk == pk else haversine_km(latitude, longitude, row_latitude, row_longitude)
        if distance <= radius_km:
            places[row_pk] = (_Place(row_insee, row_name, row_latitude, row_longitude), distance)
    places.setdefault(pk, (origin, 0.0))
    return places


def _distance(a: _Place, b: _Place) -> float:
    return _distance_cached(a, b)


@lru_cache(maxsize=65536)
def _distance_cached(a: _Place, b: _Place) -> float:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return 0.0 if a.insee == b.insee else math.inf
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _near(*, commune: Commune, radius_km: float) -> Q:
    """Rows whose `commune` lies in the bounding box of the circle: a join on the indexed commune coordinates,
    planned like the bare query (no list of thousands of ids); exact distances are then checked in Python."""
    if commune.latitude is None or commune.longitude is None:
        return Q(commune_id=commune.pk)
    return bounding_box_q(
        latitude=commune.latitude, longitude=commune.longitude, radius_km=radius_km, prefix="commune__"
    )


def _page(page: int, page_size: int) -> tuple[int, int]:
    page = max(1, page)
    page_size = max(1, min(PAGE_SIZE_MAX, page_size))
    return page, page_size


# --- Trainings (shared) ---------------------------------------------------------------------------------------


@dataclass
class _TrainingRow:
    training_id: int
    title: str
    centre_name: str
    level: int | None
    commune_id: int
    remaining_places: int
    rome_codes: set[str] = field(default_factory=set)
    session_starts: list[date] = field(default_factory=list)


def _trainings_in(
    *,
    near: Q,
    commune_ids: Collection[int],
    rome_codes: Iterable[str] | None,
    today: date,
    with_jobs: bool = True,
) -> list[_TrainingRow]:
    """Trainings with places in the area `near` whose commune is in `commune_ids`, with their upcoming sessions
    and (`with_jobs`) their ROME codes, in ONE query. Without the codes, one row per session instead of one per
    (job, session): the training search, which does not read them."""
    queryset = Training.objects.filter(near, remaining_places__gt=0)
    if rome_codes is not None:
        queryset = queryset.filter(rome_jobs__code__in=list(rome_codes))
    rows = queryset.order_by().values_list(
        "pk",
        "title",
        "centre__name",
        "centre__sign",
        "level_id",
        "commune_id",
        "remaining_places",
        "sessions__starts_on",
        *(["rome_jobs__code"] if with_jobs else []),
    )
    trainings: dict[int, _TrainingRow] = {}
    horizon = today - scoring.SESSION_WINDOW_BEFORE
    for pk, title, centre, sign, level, commune_id, places, start, *rome in rows:
        if commune_id not in commune_ids:
            continue
        row = trainings.get(pk)
        if row is None:
            row = trainings[pk] = _TrainingRow(pk, title, sign or centre, level, commune_id, places)
        if rome and rome[0]:
            row.rome_codes.add(rome[0])
        if start is not None and start >= horizon and start not in row.session_starts:
            row.session_starts.append(start)
    for row in trainings.values():
        row.session_starts.sort()
    return sorted(trainings.values(), key=lambda row: row.training_id)


def _training_text(*, places: int, centre: str, distance_km: float, session: date | None) -> str:
    """ "3 places au CFA … à 8 km, rentrée le 7 septembre 2027" """
    text = f"{places} place{'s' if places > 1 else ''} au {centre} à {scoring.km(distance_km)}"
    if session is not None:
        text += f", rentrée le {scoring.french_date(session)}"
    return text


def _match_trainings(
    *, target_level: int | None, contract_start: date | None, limit: int | None = None, **where: Any
) -> list[TrainingMatch]:
    """Compatible trainings, best first: same ROME job, reachable from the workplace (MATCHING_TRAINING_REACH_KM)
    or from the young person (their radius), places left, a session within 3 months of the contract start
    (`where`: the other arguments of `_rank_trainings`). Every training is scored; the reasons are built for the
    `limit` best only."""
    ranked = _rank_trainings(target_level=target_level, contract_start=contract_start, **where)
    return _explain_trainings(ranked[:limit], target_level=target_level, contract_start=contract_start)


def _rank_trainings(
    *,
    rows: Iterable[_TrainingRow],
    places: dict[int, tuple[_Place, float]],
    rome_code: str | None,
    workplace: _Place,
    target_level: int | None,
    contract_start: date | None,
    origin: _Place | None,
    origin_radius_km: float | None,
) -> list[tuple]:
    """The compatible trainings of `_match_trainings`, scored and sorted, not yet explained."""
    reach = training_reach_km()
    ranked = []
    for row in rows:
        if rome_code is not None and rome_code not in row.rome_codes:
            continue
        place = places.get(row.commune_id)
        if place is None:
            continue
        from_workplace = _distance(workplace, place[0])
        from_origin = _distance(origin, place[0]) if origin is not None else None
        reachable_from_origin = (
            from_origin is not None and origin_radius_km is not None and from_origin <= origin_radius_km
        )
        effective_reach = reach if not reachable_from_origin else max(reach, from_workplace)
        facts = scoring.TrainingFacts(
            training_id=row.training_id,
            level=row.level,
            distance_km=from_workplace,
            remaining_places=row.remaining_places,
            session_starts=tuple(row.session_starts),
        )
        computed = scoring.training_points(
            training=facts, target_level=target_level, reach_km=effective_reach, contract_start=contract_start
        )
        if computed is None:
            continue
        key = (-computed[0], scoring.tenth(from_workplace), row.training_id)
        ranked.append((key, row, place, facts, effective_reach, from_origin, computed[1]))
    ranked.sort(key=lambda item: item[0])
    return ranked


def _explain_trainings(
    ranked: list[tuple], *, target_level: int | None, contract_start: date | None
) -> list[TrainingMatch]:
    """The matches of ranked trainings (`_rank_trainings`), with their reasons."""
    matches = []
    for _key, row, place, facts, effective_reach, from_origin, session in ranked:
        scored = scoring.score_training(
            training=facts, target_level=target_level, reach_km=effective_reach, contract_start=contract_start
        )
        reasons = list(scored.reasons)
        if from_origin is not None and from_origin != math.inf:
            reasons.append(
                Reason("distance_from_you", f"à {scoring.km(from_origin)} de chez vous", round(from_origin, 1))
            )
        matches.append(
            TrainingMatch(
                training_id=row.training_id,
                title=row.title,
                centre_name=row.centre_name,
                level=row.level,
                commune_insee=place[0].insee,
                commune_name=place[0].name,
                distance_km=round(facts.distance_km, 1),
                distance_from_candidate_km=None if from_origin in (None, math.inf) else round(from_origin, 1),
                remaining_places=row.remaining_places,
                session_starts=list(row.session_starts),
                next_session=session,
                score=scored.score,
                reasons=reasons,
            )
        )
    return matches


# --- Offers for a young person --------------------------------------------------------------------------------


def _application_counts(
    offer_ids: list[int], *, today: date, offers: QuerySet[Offer] | None = None
) -> tuple[dict[int, int], dict[int, int]]:
    """(pending, received in the last FAIRNESS_DAYS) applications per offer, in one query; with `offers`, the
    offers are selected by that subquery instead of a list of thousands of ids."""
    since = today - timedelta(days=scoring.FAIRNESS_DAYS)
    pending: dict[int, int] = defaultdict(int)
    recent: dict[int, int] = defaultdict(int)
    if not offer_ids:
        return pending, recent
    selection = Q(offer__in=offers.values("pk")) if offers is not None else Q(offer_id__in=offer_ids)
    rows = (
        Application.objects.filter(selection)
        .filter(Q(status__in=list(OPEN_STATUSES)) | Q(sent_on__gte=since))
        .order_by()
        .values_list("offer_id", "status", "sent_on")
    )
    for offer_id, status, sent_on in rows:
        if status in OPEN_STATUSES:
            pending[offer_id] += 1
        if sent_on >= since:
            recent[offer_id] += 1
    return pending, recent


_OFFER_FIELDS = (
    "pk",
    "title",
    "rome_job__code",
    "rome_job__title",
    "appellation_id",
    "appellation__ogr_code",
    "appellation__title",
    "establishment__name",
    "commune_id",
    "target_level_id",
    "starts_on",
    "duration_months",
    "driving_licence_required",
    "published_at",
    "updated_at",
)


@dataclass
class _TrainingPresence:
    """Per search: does an offer have a compatible training? Session dates of the trainings with places, merged
    per (training commune, ROME job). For a workplace commune, the dates of the training communes reachable from
    the young person's commune (computed once) plus those within reach of the workplace (found in a latitude
    band by bisection, then checked by distance), sorted; an offer has a compatible training when one of those
    dates falls within 3 months of its start (bisection again)."""

    places: dict[int, tuple[_Place, float]]
    origin: _Place | None
    origin_radius_km: float | None
    dates: dict[str, dict[int, list[date]]]  # rome code -> training commune -> session dates
    memo: dict[tuple[int, str], list[date]] = field(default_factory=dict)
    reachable: dict[tuple[int, str], set[int]] = field(default_factory=dict)
    bands: dict[str, tuple[list[float], list[tuple[_Place, list[date], int]], list[date], set[int]]] = field(
        default_factory=dict
    )

    @classmethod
    def build(cls, *, trainings: list[_TrainingRow], **kwargs) -> _TrainingPresence:
        dates: dict[str, dict[int, list[date]]] = defaultdict(lambda: defaultdict(list))
        for training in trainings:
            for code in training.rome_codes:
                dates[code][training.commune_id].extend(training.session_starts)
        return cls(dates=dates, **kwargs)

    def _band(self, rome_code: str) -> tuple[list[float], list[tuple[_Place, list[date], int]], list[date], set[int]]:
        """(latitudes, [(place, dates, commune id)] sorted by latitude, dates and commune ids reachable from the
        origin) for a job."""
        if rome_code not in self.bands:
            from_origin: list[date] = []
            origin_communes: set[int] = set()
            located: list[tuple[_Place, list[date], int]] = []
            for training_commune, starts in self.dates.get(rome_code, {}).items():
                place = self.places.get(training_commune)
                if place is None:
                    continue
                if (
                    self.origin is not None
                    and self.origin_radius_km is not None
                    and self._within(self.origin, place[0], self.origin_radius_km)
                ):
                    from_origin.extend(starts)
                    origin_communes.add(training_commune)
                elif place[0].latitude is not None and place[0].longitude is not None:
                    located.append((place[0], starts, training_commune))
            located.sort(key=lambda item: item[0].latitude)
            self.bands[rome_code] = ([item[0].latitude for item in located], located, from_origin, origin_communes)
        return self.bands[rome_code]

    def reachable_communes(self, *, commune_id: int, rome_code: str) -> set[int]:
        """Training communes reachable for an offer of this workplace: the compatible trainings lie there."""
        self._window_dates(commune_id, rome_code)
        return self.reachable[(commune_id, rome_code)]

    def _window_dates(self, commune_id: int, rome_code: str) -> list[date]:
        key = (commune_id, rome_code)
        if key not in self.memo:
            reach = training_reach_km()
            workplace = self.places[commune_id][0]
            latitudes, located, merged, origin_communes = self._band(rome_code)
            merged, communes = list(merged), set(origin_communes)
            if workplace.latitude is not None and workplace.longitude is not None:
                delta = reach / _KM_PER_DEGREE
                low = bisect.bisect_left(latitudes, workplace.latitude - delta)
                high = bisect.bisect_right(latitudes, workplace.latitude + delta)
                for place, starts, training_commune in located[low:high]:
                    if self._within(workplace, place, reach):
                        merged.extend(starts)
                        communes.add(training_commune)
            elif commune_id in self.dates.get(rome_code, {}):
                merged.extend(self.dates[rome_code][commune_id])
                communes.add(commune_id)
            merged.sort()
            self.memo[key] = merged
            self.reachable[key] = communes
        return self.memo[key]

    @staticmethod
    def _within(a: _Place, b: _Place, radius_km: float) -> bool:
        if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
            return a.insee == b.insee
        if abs(a.latitude - b.latitude) * _KM_PER_DEGREE > radius_km:
            return False
        return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= radius_km

    def exists(self, *, commune_id: int, rome_code: str, contract_start: date) -> bool:
        starts = self._window_dates(commune_id, rome_code)
        index = bisect.bisect_left(starts, contract_start - scoring.SESSION_WINDOW_BEFORE)
        return index < len(starts) and starts[index] <= contract_start + scoring.SESSION_WINDOW_AFTER


def _rank_offers(
    *,
    rows: list[tuple],
    places: dict[int, tuple[_Place, float]],
    origin: _Place,
    seeker: scoring.SeekerFacts,
    today: date,
    trainings: list[_TrainingRow],
    detailed: slice,
    trainings_limit: int | None = 3,
    offers: QuerySet[Offer] | None = None,
) -> tuple[list[OfferMatch], int, int]:
    """Score every offer without building its reasons, sort, then explain the offers of the `detailed` slice
    (the page shown) with their compatible trainings. Returns (matches of the slice, ranked count, paused)."""
    pending, recent = _application_counts([row[0] for row in rows], today=today, offers=offers)
    threshold = pause_threshold()
    by_rome: dict[str, list[_TrainingRow]] = defaultdict(list)
    for training in trainings:
        for code in training.rome_codes:
            by_rome[code].append(training)
    presence = _TrainingPresence.build(
        trainings=trainings, places=places, origin=origin, origin_radius_km=seeker.radius_km
    )
    ranked, paused = [], 0
    zone = timezone.get_current_timezone()
    for row in rows:
        pk, _title, rome_code, *_, commune_id, level, starts_on, _duration, licence, published_at, updated_at = row
        if pending[pk] >= threshold:
            paused += 1
            continue
        distance = places[commune_id][1]
        facts = scoring.OfferFacts(
            offer_id=pk,
            rome_code=rome_code,
            appellation_id=row[4],
            distance_km=distance,
            target_level=level,
            starts_on=starts_on,
            freshness_date=max(filter(None, (published_at, updated_at))).astimezone(zone).date(),
            driving_licence_required=licence,
            recent_applications=recent[pk],
            has_compatible_training=presence.exists(
                commune_id=commune_id, rome_code=rome_code, contract_start=starts_on
            ),
        )
        score = scoring.score_offer(offer=facts, seeker=seeker, today=today, explain=False).score
        ranked.append(((-score, scoring.tenth(distance), pk), row, facts))
    ranked.sort(key=lambda item: item[0])
    matches = []
    for _key, row, facts in ranked[detailed]:
        (pk, title, rome_code, rome_title, appellation_id, appellation_code, appellation_title, establishment,
         commune_id, level, starts_on, duration, licence, _published_at, _updated_at) = row  # fmt: skip
        workplace, distance = places[commune_id]
        reachable = presence.reachable_communes(commune_id=commune_id, rome_code=rome_code)
        compatible = _match_trainings(
            rows=[row for row in by_rome.get(rome_code, ()) if row.commune_id in reachable],
            places=places,
            rome_code=rome_code,
            workplace=workplace,
            target_level=level,
            contract_start=starts_on,
            origin=origin,
            origin_radius_km=seeker.radius_km,
            limit=trainings_limit,
        )
        facts = _with_best_training(facts, compatible)
        scored = scoring.score_offer(offer=facts, seeker=seeker, today=today)
        matches.append(
            OfferMatch(
                offer_id=pk,
                title=title,
                rome_code=rome_code,
                rome_title=rome_title,
                appellation_id=appellation_id,
                appellation_code=appellation_code,
                appellation_title=appellation_title,
                establishment_name=establishment,
                commune_insee=workplace.insee,
                commune_name=workplace.name,
                distance_km=round(distance, 1),
                target_level=level,
                starts_on=starts_on,
                duration_months=duration,
                driving_licence_required=licence,
                pending_applications=pending[pk],
                score=scored.score,
                reasons=scored.reasons,
                trainings=compatible,
            )
        )
    return matches, len(ranked), paused


@dataclass(frozen=True)
class SearchPlan:
    """One offer search, ready to run alone (`run_search`) or with others in one statement (`run_searches`)."""

    filters: ranking.OfferFilters
    seeker: scoring.SeekerFacts
    job_points: float
    all_jobs: bool  # the seeker looks for the jobs of the offers found (a search without job)
    today: date
    page: int
    page_size: int


def search_plan(
    *,
    commune: Commune,
    radius_km: float,
    rome_job: RomeJob | None = None,
    appellation: Appellation | None = None,
    level: int | None = None,
    start_before: date | None = None,
    available_from: date | None = None,
    driving_licence: bool | None = None,
    rome_codes: Iterable[str] | None = None,
    today: date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> SearchPlan:
    """The plan of `offer_search` (same arguments)."""
    today = today or timezone.localdate()
    page, page_size = _page(page, page_size)
    if appellation is not None and rome_job is None:
        rome_job = appellation.job
    codes = {rome_job.code} if rome_job is not None else set(rome_codes or ())
    filters = ranking.OfferFilters(
        origin=commune,
        radius_km=radius_km,
        rome_job_id=rome_job.pk if rome_job is not None else None,
        rome_codes=tuple(sorted(codes)) if rome_job is None else (),
        level=level,
        start_before=start_before,
        no_licence=driving_licence is False,
    )
    seeker = scoring.SeekerFacts(
        rome_codes=frozenset(codes),
        radius_km=radius_km,
        appellation_id=appellation.pk if appellation is not None else None,
        level=level,
        available_from=available_from,
        start_before=start_before,
        driving_licence=driving_licence,
    )
    # Every offer kept is of a job searched for (without a job, the seeker looks for the jobs found): 25 points.
    return SearchPlan(filters, seeker, scoring.JOB_ROME, not codes, today, page, page_size)


def offer_search(
    *,
    commune: Commune,
    radius_km: float,
    rome_job: RomeJob | None = None,
    appellation: Appellation | None = None,
    level: int | None = None,
    start_before: date | None = None,
    available_from: date | None = None,
    driving_licence: bool | None = None,
    rome_codes: Iterable[str] | None = None,
    today: date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> OfferSearchResult:
    """Published offers within `radius_km` of `commune`, ranked; each with up to 3 compatible trainings.

    Filters: the ROME job (or the appellation's job, or any of `rome_codes`), the target level (exact), a
    start date no later than `start_before`, and, when `driving_licence` is False, no offer requiring it.
    Ranked in SQL (guichet.matching.ranking); `_offer_search_python` is the reference it must equal.
    """
    return run_search(
        search_plan(
            commune=commune, radius_km=radius_km, rome_job=rome_job, appellation=appellation, level=level,
            start_before=start_before, available_from=available_from, driving_licence=driving_licence,
            rome_codes=rome_codes, today=today, page=page, page_size=page_size,
        )
    )  # fmt: skip


def candidate_plan(
    *,
    profile: CandidateProfile,
    today: date | None = None,
    radius_km: float | None = None,
    page: int = 1,
    page_size: int = 20,
    wished_codes: Iterable[str] | None = None,
) -> SearchPlan:
    """The plan of `offers_for_candidate`; `wished_codes`: the profile's wished jobs when already read."""
    today = today or timezone.localdate()
    page, page_size = _page(page, page_size)
    codes = set(profile.wished_jobs.values_list("code", flat=True) if wished_codes is None else wished_codes)
    radius = float(radius_km or profile.mobility_radius_km)
    filters = ranking.OfferFilters(origin=profile.commune, radius_km=radius, rome_codes=tuple(sorted(codes)))
    seeker = scoring.SeekerFacts(
        rome_codes=frozenset(codes),
        radius_km=radius,
        level=profile.wished_level_id,
        available_from=profile.available_from,
        driving_licence=profile.driving_licence,
    )
    # Without wished jobs every job is kept and none earns the job points.
    return SearchPlan(filters, seeker, scoring.JOB_ROME if codes else 0, False, today, page, page_size)


def offers_for_candidate(
    *,
    profile: CandidateProfile,
    today: date | None = None,
    radius_km: float | None = None,
    page: int = 1,
    page_size: int = 20,
) -> OfferSearchResult:
    """Offers for a young person's profile: wished jobs, commune and mobility radius, wished level, availability,
    driving licence. Never reads the birth date, the RQTH flag or any other protected criterion."""
    return run_search(
        candidate_plan(profile=profile, today=today, radius_km=radius_km, page=page, page_size=page_size)
    )


def run_search(plan: SearchPlan) -> OfferSearchResult:
    """Rank in SQL (one query, the page's compatible trainings included), then explain the page."""
    ranked = ranking.ranked_offer_page(
        filters=plan.filters, seeker=plan.seeker, job_points=plan.job_points, today=plan.today,
        offset=(plan.page - 1) * plan.page_size, limit=plan.page_size,
    )  # fmt: skip
    return _explained(plan, ranked)


def run_searches(plans: list[SearchPlan]) -> list[OfferSearchResult]:
    """The first pages of several searches in ONE query (ranking.ranked_offer_pages); the same results as
    `run_search` for each (tested). Only first pages: a page beyond needs its own counts."""
    if any(plan.page != 1 for plan in plans):
        raise ValueError("run_searches ne calcule que les premières pages.")
    pages = ranking.ranked_offer_pages(
        [ranking.PageRequest(plan.filters, plan.seeker, plan.job_points, plan.today, plan.page_size) for plan in plans]
    )
    return [_explained(plan, ranked) for plan, ranked in zip(plans, pages, strict=True)]


def _explained(plan: SearchPlan, ranked: ranking.RankedPage) -> OfferSearchResult:
    """The page ranked by the database, explained: scores and reasons by scoring.py, trainings matched."""
    seeker, all_jobs, today, page, page_size = plan.seeker, plan.all_jobs, plan.today, plan.page, plan.page_size
    if all_jobs:
        seeker = replace(seeker, rome_codes=frozenset(item.rome_code for item in ranked.items))
    matches = []
    # The same training often serves several offers of the page with the same facts (same workplace, level and
    # session): explained once, its (immutable) match shared.
    explained: dict[tuple, TrainingMatch | None] = {}
    for item in ranked.items:
        compatible = []
        for training in item.trainings:
            session = scoring.session_in_window(
                session_starts=tuple(training.session_starts), contract_start=item.starts_on
            )
            key = (
                training.training_id, training.distance_km, training.distance_from_origin_km, training.reach_km,
                item.target_level, session,
            )  # fmt: skip
            if key not in explained:
                explained[key] = _page_training_match(
                    training=training, target_level=item.target_level, contract_start=item.starts_on
                )
            if explained[key] is not None:
                compatible.append(explained[key])
        facts = scoring.OfferFacts(
            offer_id=item.offer_id,
            rome_code=item.rome_code,
            appellation_id=item.appellation_id,
            distance_km=item.distance_km,
            target_level=item.target_level,
            starts_on=item.starts_on,
            freshness_date=item.freshness_date,
            driving_licence_required=item.driving_licence_required,
            recent_applications=item.recent_applications,
            has_compatible_training=item.has_compatible_training,
        )
        facts = _with_best_training(facts, compatible)
        scored = scoring.score_offer(offer=facts, seeker=seeker, today=today)
        matches.append(
            OfferMatch(
                offer_id=item.offer_id,
                title=item.title,
                rome_code=item.rome_code,
                rome_title=item.rome_title,
                appellation_id=item.appellation_id,
                appellation_code=item.appellation_code,
                appellation_title=item.appellation_title,
                establishment_name=item.establishment_name,
                commune_insee=item.commune_insee,
                commune_name=item.commune_name,
                distance_km=round(item.distance_km, 1),
                target_level=item.target_level,
                starts_on=item.starts_on,
                duration_months=item.duration_months,
                driving_licence_required=item.driving_licence_required,
                pending_applications=item.pending_applications,
                score=scored.score,
                reasons=scored.reasons,
                trainings=compatible,
            )
        )
    return OfferSearchResult(
        items=matches, count=ranked.count, page=page, page_size=page_size, paused_count=ranked.paused_count
    )


def _with_best_training(facts: scoring.OfferFacts, compatible: list[TrainingMatch]) -> scoring.OfferFacts:
    """The offer's facts with its best compatible training (the first one), which the score explains."""
    if not compatible:
        return facts
    best = compatible[0]
    return replace(
        facts,
        best_training=scoring.TrainingFacts(
            best.training_id, best.level, best.distance_km, best.remaining_places, tuple(best.session_starts)
        ),
        best_training_label=_training_text(
            places=best.remaining_places,
            centre=best.centre_name,
            distance_km=best.distance_km,
            session=best.next_session,
        ),
    )


def _page_training_match(
    *, training: ranking.PageTraining, target_level: int | None, contract_start: date
) -> TrainingMatch | None:
    """A training found by ranking.ranked_offer_page, scored and explained as _match_trainings does."""
    facts = scoring.TrainingFacts(
        training_id=training.training_id,
        level=training.level,
        distance_km=training.distance_km,
        remaining_places=training.remaining_places,
        session_starts=tuple(training.session_starts),
    )
    scored = scoring.score_training(
        training=facts, target_level=target_level, reach_km=training.reach_km, contract_start=contract_start
    )
    if scored is None:  # cannot happen: SQL kept it under the same rules
        return None
    from_origin = training.distance_from_origin_km
    reasons = [
        *scored.reasons,
        Reason("distance_from_you", f"à {scoring.km(from_origin)} de chez vous", round(from_origin, 1)),
    ]
    return TrainingMatch(
        training_id=training.training_id,
        title=training.title,
        centre_name=training.centre_name,
        level=training.level,
        commune_insee=training.commune_insee,
        commune_name=training.commune_name,
        distance_km=round(training.distance_km, 1),
        distance_from_candidate_km=round(from_origin, 1),
        remaining_places=training.remaining_places,
        session_starts=list(training.session_starts),
        next_session=scoring.session_in_window(session_starts=facts.session_starts, contract_start=contract_start),
        score=scored.score,
        reasons=reasons,
    )


# --- Reference ranking in Python (tests compare the SQL ranking with it; offer_match still uses it) ----------


def _offer_search_python(
    *,
    commune: Commune,
    radius_km: float,
    rome_job: RomeJob | None = None,
    appellation: Appellation | None = None,
    level: int | None = None,
    start_before: date | None = None,
    available_from: date | None = None,
    driving_licence: bool | None = None,
    rome_codes: Iterable[str] | None = None,
    today: date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> OfferSearchResult:
    """offer_search ranked in Python over every matching offer (the implementation before the SQL ranking): the
    reference the SQL ranking must equal, order, scores, reasons and trainings."""
    today = today or timezone.localdate()
    page, page_size = _page(page, page_size)
    if appellation is not None and rome_job is None:
        rome_job = appellation.job
    codes = {rome_job.code} if rome_job is not None else set(rome_codes or ())
    places = _places_within(commune=commune, radius_km=radius_km + training_reach_km())
    inner = {pk for pk, (_, distance) in places.items() if distance <= radius_km}
    offers = Offer.objects.filter(_near(commune=commune, radius_km=radius_km), status=OfferStatus.PUBLISHED)
    if rome_job is not None:
        offers = offers.filter(rome_job=rome_job)
    elif codes:
        offers = offers.filter(rome_job__code__in=sorted(codes))
    if level is not None:
        offers = offers.filter(target_level_id=level)
    if start_before is not None:
        offers = offers.filter(starts_on__lte=start_before)
    if driving_licence is False:
        offers = offers.filter(driving_licence_required=False)
    rows = [row for row in offers.order_by().values_list(*_OFFER_FIELDS) if row[8] in inner]
    offer_codes = {row[2] for row in rows}
    trainings = (
        _trainings_in(
            near=_near(commune=commune, radius_km=radius_km + training_reach_km()),
            commune_ids=places,
            rome_codes=sorted(offer_codes),
            today=today,
        )
        if rows
        else []
    )
    seeker = scoring.SeekerFacts(
        rome_codes=frozenset(codes or offer_codes),
        radius_km=radius_km,
        appellation_id=appellation.pk if appellation is not None else None,
        level=level,
        available_from=available_from,
        start_before=start_before,
        driving_licence=driving_licence,
    )
    origin = places[commune.pk][0]
    matches, count, paused = _rank_offers(
        rows=rows,
        places=places,
        origin=origin,
        seeker=seeker,
        today=today,
        trainings=trainings,
        detailed=slice((page - 1) * page_size, page * page_size),
        offers=offers,
    )
    return OfferSearchResult(
        items=matches,
        count=count,
        page=page,
        page_size=page_size,
        paused_count=paused,
    )


def _offers_for_candidate_python(
    *,
    profile: CandidateProfile,
    today: date | None = None,
    radius_km: float | None = None,
    page: int = 1,
    page_size: int = 20,
) -> OfferSearchResult:
    """offers_for_candidate ranked in Python (the implementation before the SQL ranking): the reference the SQL
    ranking must equal."""
    today = today or timezone.localdate()
    page, page_size = _page(page, page_size)
    codes = set(profile.wished_jobs.values_list("code", flat=True))
    radius = float(radius_km or profile.mobility_radius_km)
    places = _places_within(commune=profile.commune, radius_km=radius + training_reach_km())
    inner = {pk for pk, (_, distance) in places.items() if distance <= radius}
    offers = Offer.objects.filter(_near(commune=profile.commune, radius_km=radius), status=OfferStatus.PUBLISHED)
    if codes:
        offers = offers.filter(rome_job__code__in=sorted(codes))
    rows = [row for row in offers.order_by().values_list(*_OFFER_FIELDS) if row[8] in inner]
    offer_codes = {row[2] for row in rows}
    trainings = (
        _trainings_in(
            near=_near(commune=profile.commune, radius_km=radius + training_reach_km()),
            commune_ids=places,
            rome_codes=sorted(offer_codes),
            today=today,
        )
        if rows
        else []
    )
    seeker = scoring.SeekerFacts(
        rome_codes=frozenset(codes),
        radius_km=radius,
        level=profile.wished_level_id,
        available_from=profile.available_from,
        driving_licence=profile.driving_licence,
    )
    matches, count, paused = _rank_offers(
        rows=rows,
        places=places,
        origin=places[profile.commune_id][0],
        seeker=seeker,
        today=today,
        trainings=trainings,
        detailed=slice((page - 1) * page_size, page * page_size),
        offers=offers,
    )
    return OfferSearchResult(
        items=matches,
        count=count,
        page=page,
        page_size=page_size,
        paused_count=paused,
    )


def offer_match(
    *, offer: Offer, origin: Commune | None = None, radius_km: float = 30, today: date | None = None
) -> OfferMatch:
    """One published (or any) offer scored from `origin` (default: its own commune), with ALL its compatible
    trainings (the offer's detail)."""
    today = today or timezone.localdate()
    origin = origin or offer.commune
    places = _places_within(commune=origin, radius_km=radius_km + training_reach_km())
    if offer.commune_id not in places:  # the offer lies outside the radius: measure from the workplace too
        places.update(_places_within(commune=offer.commune, radius_km=training_reach_km()))
        workplace = places[offer.commune_id][0]
        places[offer.commune_id] = (workplace, _distance(places[origin.pk][0], workplace))
    else:
        workplace = places[offer.commune_id][0]
    workplace_places = _places_within(commune=offer.commune, radius_km=training_reach_km())
    all_places = {**workplace_places, **places}
    trainings = _trainings_in(
        near=_near(commune=origin, radius_km=radius_km + training_reach_km())
        | _near(commune=offer.commune, radius_km=training_reach_km()),
        commune_ids=all_places,
        rome_codes=[offer.rome_job.code],
        today=today,
    )
    row = Offer.objects.filter(pk=offer.pk).values_list(*_OFFER_FIELDS).get()
    seeker = scoring.SeekerFacts(rome_codes=frozenset({offer.rome_job.code}), radius_km=radius_km)
    matches, _, _ = _rank_offers(
        rows=[row],
        places=all_places,
        origin=all_places[origin.pk][0],
        seeker=seeker,
        today=today,
        trainings=trainings,
        detailed=slice(None),
        trainings_limit=None,
    )
    if matches:
        return matches[0]
    # Paused offer: still shown on its own page, with its trainings.
    pending, _ = _application_counts([offer.pk], today=today)
    compatible = trainings_for_offer(offer=offer, origin=origin, radius_km=radius_km, today=today)
    return OfferMatch(
        offer_id=offer.pk,
        title=offer.title,
        rome_code=offer.rome_job.code,
        rome_title=offer.rome_job.title,
        appellation_id=offer.appellation_id,
        appellation_code=offer.appellation.ogr_code if offer.appellation else None,
        appellation_title=offer.appellation.title if offer.appellation else None,
        establishment_name=offer.establishment.name,
        commune_insee=workplace.insee,
        commune_name=workplace.name,
        distance_km=round(all_places[offer.commune_id][1], 1),
        target_level=offer.target_level_id,
        starts_on=offer.starts_on,
        duration_months=offer.duration_months,
        driving_licence_required=offer.driving_licence_required,
        pending_applications=pending[offer.pk],
        score=0.0,
        reasons=[Reason("paused", "offre en pause : beaucoup de candidatures en attente", pending[offer.pk])],
        trainings=compatible,
    )


def trainings_for_offer(
    *,
    offer: Offer,
    origin: Commune | None = None,
    radius_km: float | None = None,
    today: date | None = None,
    limit: int = 10,
) -> list[TrainingMatch]:
    """Compatible trainings for an offer, reachable from the workplace or from `origin` within `radius_km`."""
    today = today or timezone.localdate()
    reach = training_reach_km()
    places = _places_within(commune=offer.commune, radius_km=reach)
    near = _near(commune=offer.commune, radius_km=reach)
    origin_place = None
    if origin is not None and radius_km:
        origin_places = _places_within(commune=origin, radius_km=radius_km)
        origin_place = origin_places[origin.pk][0]
        places = {**origin_places, **places}
        near |= _near(commune=origin, radius_km=radius_km)
    rows = _trainings_in(near=near, commune_ids=places, rome_codes=[offer.rome_job.code], today=today)
    return _match_trainings(
        rows=rows,
        places=places,
        rome_code=offer.rome_job.code,
        workplace=places[offer.commune_id][0],
        target_level=offer.target_level_id,
        contract_start=offer.starts_on,
        origin=origin_place,
        origin_radius_km=radius_km,
    )[:limit]


def training_search(
    *,
    commune: Commune,
    radius_km: float,
    rome_job: RomeJob | None = None,
    level: int | None = None,
    today: date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> TrainingSearchResult:
    """Trainings with places within `radius_km` of `commune`, ranked by level fit, distance, places and the
    next session (no contract date: the first upcoming session counts)."""
    today = today or timezone.localdate()
    page, page_size = _page(page, page_size)
    places = _places_within(commune=commune, radius_km=radius_km)
    rows = _trainings_in(
        near=_near(commune=commune, radius_km=radius_km),
        commune_ids=places,
        rome_codes=[rome_job.code] if rome_job else None,
        today=today,
        with_jobs=False,
    )
    if level is not None:
        rows = [row for row in rows if row.level == level]
    origin = places[commune.pk][0]
    for row in rows:
        row.session_starts = [start for start in row.session_starts if start >= today]
    # Beyond the training reach, the searched radius is the reach (the distance from the searched commune scores).
    wide = radius_km > training_reach_km()
    ranked = _rank_trainings(
        rows=rows, places=places, rome_code=None, workplace=origin, target_level=level, contract_start=None,
        origin=origin if wide else None, origin_radius_km=radius_km if wide else None,
    )  # fmt: skip
    # Every training is ranked; only the page is explained (Paris, 30 km, no job: 7,245 trainings for 20 shown).
    start = (page - 1) * page_size
    matches = _explain_trainings(ranked[start : start + page_size], target_level=level, contract_start=None)
    if wide:  # the searched commune is the measuring point: "from you" would repeat the distance
        matches = [
            replace(match, reasons=[reason for reason in match.reasons if reason.code != "distance_from_you"])
            for match in matches
        ]
    return TrainingSearchResult(items=matches, count=len(ranked), page=page, page_size=page_size)


# --- Candidates for an offer ----------------------------------------------------------------------------------

MAX_MOBILITY_KM = 200


def candidates_for_offer(
    *, offer: Offer, user: AnyUser, today: date | None = None, page: int = 1, page_size: int = 20
) -> CandidateSearchResult:
    """Profiles visible to `user` whose wished jobs include the offer's and whose mobility radius reaches the
    workplace, ranked by job, distance, level, availability and driving licence. Never sex, origin, age,
    disability or address beyond the distance."""
    today = today or timezone.localdate()
    page, page_size = _page(page, page_size)
    if not Offer.objects.editable_by(user).filter(pk=offer.pk).exists():
        raise MatchingError("Vous ne gérez pas cette offre : vous ne pouvez pas voir ses candidats.")
    places = _places_within(commune=offer.commune, radius_km=MAX_MOBILITY_KM)
    rows = [
        row
        for row in CandidateProfile.objects.visible_to(user)
        .filter(_near(commune=offer.commune, radius_km=MAX_MOBILITY_KM), wished_jobs=offer.rome_job)
        .order_by()
        .values_list(
            "pk",
            "commune_id",
            "mobility_radius_km",
            "wished_level_id",
            "current_level_id",
            "available_from",
            "driving_licence",
        )
        if row[1] in places
    ]
    profile_ids = [row[0] for row in rows]
    wished: dict[int, set[str]] = defaultdict(set)
    for profile_id, code in CandidateProfile.wished_jobs.through.objects.filter(
        candidateprofile_id__in=profile_ids
    ).values_list("candidateprofile_id", "romejob__code"):
        wished[profile_id].add(code)
    applied = dict(
        Application.objects.filter(
            offer=offer, candidate_id__in=profile_ids, status__in=list(OPEN_STATUSES)
        ).values_list("candidate_id", "pk")
    )
    offer_facts = scoring.OfferFacts(
        offer_id=offer.pk,
        rome_code=offer.rome_job.code,
        appellation_id=offer.appellation_id,
        distance_km=0.0,
        target_level=offer.target_level_id,
        starts_on=offer.starts_on,
        freshness_date=today,
        driving_licence_required=offer.driving_licence_required,
    )
    matches = []
    for pk, commune_id, mobility, wished_level, current_level, available_from, licence in rows:
        place, distance = places[commune_id]
        facts = scoring.CandidateFacts(
            profile_id=pk,
            wished_rome_codes=frozenset(wished[pk]),
            distance_km=distance,
            mobility_radius_km=mobility,
            wished_level=wished_level,
            current_level=current_level,
            available_from=available_from,
            driving_licence=licence,
        )
        scored = scoring.score_candidate(candidate=facts, offer=offer_facts, today=today)
        if scored is None:
            continue
        reasons = list(scored.reasons)
        if pk in applied:
            reasons.append(Reason("applied", "a postulé à cette offre", applied[pk]))
        matches.append(
            CandidateMatch(
                profile_id=pk,
                commune_insee=place.insee,
                commune_name=place.name,
                distance_km=round(distance, 1),
                wished_level=wished_level,
                current_level=current_level,
                available_from=available_from,
                driving_licence=licence,
                application_id=applied.get(pk),
                score=scored.score,
                reasons=reasons,
            )
        )
    matches.sort(key=lambda match: (-match.score, match.distance_km, match.profile_id))
    start = (page - 1) * page_size
    return CandidateSearchResult(
        items=matches[start : start + page_size], count=len(matches), page=page, page_size=page_size
    )


def trainings_for_recruit(
    *, offer: Offer, candidate: CandidateProfile, today: date | None = None, limit: int = 10
) -> list[TrainingMatch]:
    """Trainings to propose to a recruit: compatible with the offer, reachable from the workplace or from the
    young person's commune within their mobility radius."""
    return trainings_for_offer(
        offer=offer, origin=candidate.commune, radius_km=candidate.mobility_radius_km, today=today, limit=limit
    )


# --- Companies likely to recruit ------------------------------------------------------------------------------

COMPANY_HISTORY_YEARS = 3


def companies_likely_to_recruit(
    *,
    rome_job: RomeJob,
    commune: Commune,
    radius_km: float,
    today: date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> CompanySearchResult:
    """Establishments near `commune` whose past apprenticeship contracts, or whose activity (NAF), show they hire
    apprentices for `rome_job`: for spontaneous applications. Only establishments (legal persons) and
    aggregated counts: no personal data."""
    today = today or timezone.localdate()
    page, page_size = _page(page, page_size)
    since_year = today.year - COMPANY_HISTORY_YEARS
    since = date(since_year, 1, 1)
    places = _places_within(commune=commune, radius_km=radius_km)
    naf_counts = dict(
        Contract.objects.filter(rome_job=rome_job, starts_on__gte=since, naf__isnull=False)
        .values("naf_id")
        .annotate(n=Count("*"))  # COUNT(*): read from the index contract_job_start_idx alone
        .order_by()
        .values_list("naf_id", "n")
    )
    total = sum(naf_counts.values())
    shares = {naf_id: count / total for naf_id, count in naf_counts.items()} if total else {}
    top_share = max(shares.values(), default=0.0)
    # NAF codes that weigh at least 2 % of the job's contracts: below that the signal is noise.
    strong_nafs = sorted(naf_id for naf_id, share in shares.items() if share >= scoring.COMPANY_NAF_MIN_SHARE)
    ranked = []
    for pk, name, siret, naf_id, band, commune_id, own in _company_rows(
        commune=commune, radius_km=radius_km, rome_job=rome_job, since=since, naf_ids=strong_nafs
    ):
        if commune_id not in places:
            continue
        facts = scoring.CompanyFacts(
            establishment_id=pk,
            distance_km=places[commune_id][1],
            own_contracts=own,
            naf_code=None,  # read for the page only: the score does not depend on it
            naf_label=None,
            naf_share=shares.get(naf_id, 0.0),
            naf_top_share=top_share,
        )
        scored = scoring.score_company(company=facts, radius_km=radius_km, since_year=since_year, explain=False)
        if scored is not None:
            ranked.append(
                (-scored.score, round(facts.distance_km, 1), pk, name, siret, naf_id, band, commune_id, facts)
            )
    ranked.sort(key=lambda row: row[:3])
    # Every establishment is scored; only the page is explained (Paris, 30 km, cook: 5,114 for 20 shown).
    start = (page - 1) * page_size
    shown = ranked[start : start + page_size]
    nafs = {
        pk: (code, label)
        for pk, code, label in NafActivity.objects.filter(pk__in={row[5] for row in shown if row[5]}).values_list(
            "pk", "code", "label"
        )
    }
    matches = []
    for _score, distance, pk, name, siret, naf_id, band, commune_id, facts in shown:
        naf_code, naf_label = nafs.get(naf_id, (None, None))
        facts = replace(facts, naf_code=naf_code, naf_label=naf_label)
        scored = scoring.score_company(company=facts, radius_km=radius_km, since_year=since_year)
        place = places[commune_id][0]
        matches.append(
            CompanyMatch(
                establishment_id=pk,
                name=name,
                siret=siret,
                naf_code=naf_code,
                naf_label=naf_label,
                headcount_band=band,
                commune_insee=place.insee,
                commune_name=place.name,
                distance_km=distance,
                past_contracts=facts.own_contracts,
                score=scored.score,
                reasons=scored.reasons,
            )
        )
    return CompanySearchResult(items=matches, count=len(ranked), page=page, page_size=page_size, since_year=since_year)


def _company_rows(
    *, commune: Commune, radius_km: float, rome_job: RomeJob, since: date, naf_ids: list[int]
) -> list[tuple]:
    """(pk, name, siret, naf_id, headcount_band, commune_id, contracts) of the establishments in the bounding box of
    the circle (or of the commune without coordinates) whose NAF code is in `naf_ids` or that signed contracts for
    `rome_job` since `since`, with that number of contracts. ONE query: the job's contracts are counted per
    establishment once, from the index contract_job_start_idx, then joined to the establishments of the box; the
    database had looked up the contracts of every establishment of the box (Paris: 47,708 index probes)."""
    params: dict[str, object] = {"job": rome_job.pk, "since": since}
    if commune.latitude is None or commune.longitude is None:
        area = "e.commune_id = %(origin)s"
        params["origin"] = commune.pk
    else:
        box = bounding_box(latitude=commune.latitude, longitude=commune.longitude, radius_km=radius_km)
        area = "c.latitude BETWEEN %(min_lat)s AND %(max_lat)s AND c.longitude BETWEEN %(min_lon)s AND %(max_lon)s"
        params |= {
            "min_lat": box.min_latitude,
            "max_lat": box.max_latitude,
            "min_lon": box.min_longitude,
            "max_lon": box.max_longitude,
        }
    names = []
    for index, naf_id in enumerate(naf_ids):
        params[f"naf{index}"] = naf_id
        names.append(f"%(naf{index})s")
    naf_test = f"e.naf_id IN ({', '.join(names)})" if names else "1 = 0"
    sql = f"""
    WITH own AS MATERIALIZED (
        SELECT establishment_id, COUNT(*) AS n FROM contracts_contract
        WHERE rome_job_id = %(job)s AND starts_on >= %(since)s
        GROUP BY establishment_id
    )
    SELECT e.id, e.name, e.siret, e.naf_id, e.headcount_band, e.commune_id, COALESCE(o.n, 0)
    FROM employers_establishment e
    JOIN territory_commune c ON c.id = e.commune_id
    LEFT JOIN own o ON o.establishment_id = e.id
    WHERE {area} AND ({naf_test} OR o.n IS NOT NULL)"""
    with connection.cursor() as cursor:
        cursor.execute(cte_hints(sql), params)
        return cursor.fetchall()
