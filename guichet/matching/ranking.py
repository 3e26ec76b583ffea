"""The offer search ranked in SQL: ONE query scores, sorts and pages every matching offer, counts them, and finds
the best compatible trainings of the page's offers only. The rules are those of `guichet.matching.scoring`
(docs/matching.md),
written a second time as SQL, operation for operation, so that the database computes the same floating-point
numbers as Python (same haversine, same order of additions); `test_ranking.py` checks the two against each other.

Works on PostgreSQL and SQLite with the same statement: only a few fragments differ (day numbers, local date of
a timestamp, rounding to 0.1, LEAST/GREATEST, a list aggregate), see `_Dialect`. Dates travel as day numbers
(days since 1970-01-01), so that "within 3 months of the contract start" is integer arithmetic on both.

The "compatible training nearby" signal of every offer, set-wise: the sessions of the trainings with places of
the offers' jobs in the search area (radius + training reach) become day intervals ([session - 92 days,
session + 92 days], overlapping ones merged: one multirange per side on PostgreSQL, "islands" on SQLite):

1. trainings within the searched radius of the searched commune serve every offer (reachable from the young
   person's side): one interval test per offer;
2. the others serve only the workplaces within `MATCHING_TRAINING_REACH_KM`: tested (distance included) only
   for the offers that (1) did not settle and whose start falls in the union of those intervals.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from guichet.candidates.services import pause_threshold
from guichet.core.db import cte_hints, prepared_cursor
from guichet.matching import scoring
from guichet.offers.enums import OfferStatus
from guichet.territory.models import Commune
from guichet.territory.selectors import EARTH_RADIUS_KM, bounding_box

_EPOCH = date(1970, 1, 1).toordinal()
_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # as in search._TrainingPresence._within


def day_number(day: date) -> int:
    return day.toordinal() - _EPOCH


def day_from_number(number: int) -> date:
    return date.fromordinal(_EPOCH + number)


@dataclass(frozen=True)
class _Dialect:
    """The three fragments that differ between PostgreSQL and SQLite (`{}` is the operand)."""

    day: str  # a DATE column -> integer day number
    local_day: str  # a timestamp -> day number of its date in the %(tz)s time zone
    tenths: str  # a float x -> scoring.tenth(x) * 10 as an integer (x * 10 rounded, ties to even): the sort keys
    day_list: str  # aggregate: the day numbers of a group, comma-separated
    least: str
    greatest: str
    day_ranges: bool  # multiranges of integers (PostgreSQL 14+)


_POSTGRESQL = _Dialect(
    day="({} - DATE '1970-01-01')",
    local_day="(CAST(({} AT TIME ZONE %(tz)s) AS DATE) - DATE '1970-01-01')",
    # round(double precision) is rint(): to nearest, ties to even, like Python's round()
    tenths="CAST(ROUND(({}) * CAST(10 AS DOUBLE PRECISION)) AS INTEGER)",
    day_list="STRING_AGG(CAST({} AS TEXT), ',')",
    least="LEAST",
    greatest="GREATEST",
    day_ranges=True,
)
_SQLITE = _Dialect(
    day="CAST(julianday({}) - 2440587.5 AS INTEGER)",
    # Django registers django_datetime_cast_date() on every SQLite connection (it backs TruncDate).
    local_day="CAST(julianday(django_datetime_cast_date({}, %(tz)s, %(connection_tz)s)) - 2440587.5 AS INTEGER)",
    # SQLite's ROUND() sends ties away from zero: floor(v) + 1 above the half, + 0 below, + (floor(v) odd) on it
    tenths="(SELECT lo + CASE WHEN v10 - lo > 0.5 THEN 1 WHEN v10 - lo < 0.5 THEN 0 ELSE ABS(lo %% 2) END FROM ("
    "SELECT v10, CAST(v10 AS INTEGER) - (v10 < CAST(v10 AS INTEGER)) AS lo FROM (SELECT ({}) * 10.0 AS v10)))",
    day_list="GROUP_CONCAT({}, ',')",
    least="MIN",
    greatest="MAX",
    day_ranges=False,
)


def _dialect() -> _Dialect:
    if connection.vendor == "postgresql":
        return _POSTGRESQL
    if connection.vendor == "sqlite":
        return _SQLITE
    raise NotImplementedError(f"Classement SQL non prévu pour la base {connection.vendor}.")


def _haversine(dialect: _Dialect, lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """SQL twin of territory.selectors.haversine_km(lat1, lon1, lat2, lon2), same operations in the same order
    (%(deg)s is math.radians(1.0), Python's own degree-to-radian factor)."""
    phi1, phi2 = f"({lat1} * %(deg)s)", f"({lat2} * %(deg)s)"
    a = (
        f"POWER(SIN(({phi2} - {phi1}) / %(two)s), 2) + COS({phi1}) * COS({phi2}) "
        f"* POWER(SIN((({lon2} - {lon1}) * %(deg)s) / %(two)s), 2)"
    )
    return f"(%(diameter)s * ASIN({dialect.least}(%(one)s, SQRT({a}))))"


def _latitudes_within(lat1: str, lat2: str, radius: str) -> str:
    """The pre-check of search._TrainingPresence._within: the latitudes alone do not put the points apart."""
    return f"NOT (ABS({lat1} - {lat2}) * %(km_per_degree)s > {radius})"


def _within(dialect: _Dialect, lat1: str, lon1: str, lat2: str, lon2: str, radius: str) -> str:
    """SQL twin of search._TrainingPresence._within for located points: latitude pre-check, then haversine."""
    return f"({_latitudes_within(lat1, lat2, radius)} AND {_haversine(dialect, lat1, lon1, lat2, lon2)} <= {radius})"


def _islands(source: str, keys: tuple[str, ...], extra: str = "") -> str:
    """Merged day intervals [day - after, day + before] of the rows of `source` (columns *keys, day), per keys:
    a SELECT of (*keys, lo, hi[, extra aggregates])."""
    key_list = ", ".join(keys)
    return f"""
        SELECT {key_list}, MIN(day) - %(after)s AS lo, MAX(day) + %(before)s AS hi{extra}
        FROM (
            SELECT m.*, SUM(m.starts) OVER (PARTITION BY {key_list} ORDER BY m.day ROWS UNBOUNDED PRECEDING)
                AS island
            FROM (
                SELECT d.*, CASE WHEN d.day - LAG(d.day) OVER (PARTITION BY {key_list} ORDER BY d.day) <= %(gap)s
                    THEN 0 ELSE 1 END AS starts
                FROM {source} d
            ) m
        ) i
        GROUP BY {key_list}, island"""


@dataclass(frozen=True)
class OfferFilters:
    """Hard filters of an offer search (the rows the bare query returns)."""

    origin: Commune
    radius_km: float
    rome_job_id: int | None = None
    rome_codes: tuple[str, ...] = ()  # when no rome_job_id; empty: every job
    level: int | None = None
    start_before: date | None = None
    no_licence: bool = False  # leave out offers requiring a driving licence


@dataclass(frozen=True)
class PageTraining:
    """A compatible training of an offer of the page, with the facts its score is computed from."""

    training_id: int
    title: str
    centre_name: str
    level: int | None
    commune_insee: str
    commune_name: str
    remaining_places: int
    distance_km: float  # from the workplace
    distance_from_origin_km: float
    reach_km: float  # the reach it was accepted with (the workplace reach, or further when near the origin)
    session_starts: list[date]  # upcoming sessions (from 3 months ago), sorted


@dataclass(frozen=True)
class RankedOffer:
    """One offer of the page, with the facts its score was computed from."""

    offer_id: int
    title: str
    rome_code: str
    rome_title: str
    appellation_id: int | None
    appellation_code: int | None
    appellation_title: str | None
    establishment_name: str
    commune_id: int
    commune_insee: str
    commune_name: str
    distance_km: float
    target_level: int
    starts_on: date
    duration_months: int
    driving_licence_required: bool
    freshness_date: date
    pending_applications: int
    recent_applications: int
    has_compatible_training: bool
    score: float  # rounded to 0.1 by the database: the sort key
    trainings: list[PageTraining]  # the best compatible ones, best first


@dataclass(frozen=True)
class RankedPage:
    items: list[RankedOffer]
    count: int
    paused_count: int


def _common_params(*, filters: OfferFilters, today: date) -> dict[str, object]:
    reach = training_reach_km()
    origin = filters.origin
    params: dict[str, object] = {
        "deg": math.radians(1.0),
        "two": 2.0,
        "one": 1.0,
        "diameter": 2 * EARTH_RADIUS_KM,
        "km_per_degree": _KM_PER_DEGREE,
        "radius": float(filters.radius_km),
        "reach": reach,
        "outer": float(filters.radius_km) + reach,
        "origin_id": origin.pk,
        "lat0": origin.latitude,
        "lon0": origin.longitude,
        "before": scoring.SESSION_WINDOW_BEFORE.days,
        "after": scoring.SESSION_WINDOW_AFTER.days,
        "gap": scoring.SESSION_WINDOW_BEFORE.days + scoring.SESSION_WINDOW_AFTER.days + 1,
        "horizon": today - scoring.SESSION_WINDOW_BEFORE,
    }
    if origin.latitude is not None and origin.longitude is not None:
        for prefix, radius in (("in", float(filters.radius_km)), ("out", float(filters.radius_km) + reach)):
            box = bounding_box(latitude=origin.latitude, longitude=origin.longitude, radius_km=radius)
            params |= {
                f"{prefix}_min_lat": box.min_latitude,
                f"{prefix}_max_lat": box.max_latitude,
                f"{prefix}_min_lon": box.min_longitude,
                f"{prefix}_max_lon": box.max_longitude,
            }
    return params


def training_reach_km() -> float:
    """How far from the workplace a training centre still counts as reachable (MATCHING_TRAINING_REACH_KM)."""
    return float(getattr(settings, "MATCHING_TRAINING_REACH_KM", 30))


def _area(
    dialect: _Dialect, *, located: bool, alias: str, prefix: str, radius: str | None, commune_id: str = "id"
) -> tuple[str, str]:
    """(WHERE condition keeping the rows `alias` (communes, or rows with `commune_id`, latitude and longitude)
    within `radius` of the origin, or only in its bounding box when `radius` is None; SQL of their distance from
    the origin)."""
    if not located:  # an origin without coordinates is within 0 km of itself only
        return f"{alias}.{commune_id} = %(origin_id)s", "0.0"
    distance = _haversine(dialect, "%(lat0)s", "%(lon0)s", f"{alias}.latitude", f"{alias}.longitude")
    box = (
        f"{alias}.latitude BETWEEN %({prefix}_min_lat)s AND %({prefix}_max_lat)s "
        f"AND {alias}.longitude BETWEEN %({prefix}_min_lon)s AND %({prefix}_max_lon)s"
    )
    return (box if radius is None else f"{box} AND {distance} <= {radius}"), distance


def ranked_offer_page(
    *,
    filters: OfferFilters,
    seeker: scoring.SeekerFacts,
    job_points: float,
    today: date,
    offset: int,
    limit: int,
    trainings_per_offer: int = 3,
) -> RankedPage:
    """ONE query: score every offer matching `filters`, sort by (score rounded to 0.1 desc, distance rounded to
    0.1, id), keep the `limit` offers from `offset` (paused offers left out and counted), each with its
    `trainings_per_offer` best compatible trainings (search._match_trainings' order).

    `job_points`: every kept offer passed the job filter, so the `job` signal is the same for all of them (25, or
    0 for a profile without wished jobs, whose search keeps every job)."""
    sql, params = _page_statement(
        filters=filters, seeker=seeker, job_points=job_points, today=today, offset=offset, limit=limit,
        trainings_per_offer=trainings_per_offer,
    )  # fmt: skip
    with prepared_cursor() as cursor:  # planned once per connection: planning cost as much as running
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if not rows and offset:  # a page beyond the last one: the counts still come from the first row
            params["limit"], params["offset"], params["per_offer"] = 1, 0, 0
            cursor.execute(sql, params)
            first = cursor.fetchall()
            counts = (int(first[0][9]), int(first[0][10])) if first else (0, 0)
        else:
            counts = (int(rows[0][9]), int(rows[0][10])) if rows else (0, 0)
    return _page_from_rows(rows, counts)


@dataclass(frozen=True)
class PageRequest:
    """One search of a batch (`ranked_offer_pages`): the arguments of `ranked_offer_page`, first page."""

    filters: OfferFilters
    seeker: scoring.SeekerFacts
    job_points: float
    today: date
    limit: int
    trainings_per_offer: int = 3


def ranked_offer_pages(requests: list[PageRequest]) -> list[RankedPage]:
    """The first page of several searches in ONE statement: each search's query (that of `ranked_offer_page`,
    parameters renamed) as one branch of a UNION ALL, its rows tagged with its position. The same pages as
    `ranked_offer_page` one by one (tested), without a round trip per search: for pages that show the offers of
    many young people or groups (the training centre's list)."""
    if not requests:
        return []
    branches, params = [], {}
    for index, request in enumerate(requests):
        sql, own = _page_statement(
            filters=request.filters, seeker=request.seeker, job_points=request.job_points, today=request.today,
            offset=0, limit=request.limit, trainings_per_offer=request.trainings_per_offer,
        )  # fmt: skip
        sql = _PARAMETER.sub(lambda match, index=index: f"%({match.group(1)}_{index})s", sql)
        params |= {f"{name}_{index}": value for name, value in own.items()}
        branches.append(f"SELECT {index} AS search_index, s.* FROM ({sql}) s")
    rows_of: list[list[tuple]] = [[] for _ in requests]
    with prepared_cursor() as cursor:
        cursor.execute("\nUNION ALL\n".join(branches), params)
        for row in cursor.fetchall():
            rows_of[row[0]].append(row[1:])
    pages = []
    for rows in rows_of:
        # Each branch's ORDER BY does not survive the UNION: sort again on the same keys (the two last columns).
        rows.sort(key=lambda row: (row[7], -row[8], row[35], row[0], -1 if row[36] is None else row[36]))
        counts = (int(rows[0][9]), int(rows[0][10])) if rows else (0, 0)
        pages.append(_page_from_rows(rows, counts))
    return pages


_PARAMETER = re.compile(r"%\((\w+)\)s")


def _page_statement(
    *,
    filters: OfferFilters,
    seeker: scoring.SeekerFacts,
    job_points: float,
    today: date,
    offset: int,
    limit: int,
    trainings_per_offer: int,
) -> tuple[str, dict[str, object]]:
    """The SQL and parameters of `ranked_offer_page`."""
    dialect = _dialect()
    located = filters.origin.latitude is not None and filters.origin.longitude is not None
    params = _common_params(filters=filters, today=today)
    # The communes of the bounding box, each with its distance computed once (not once per offer).
    box_in, distance = _area(dialect, located=located, alias="c", prefix="in", radius=None)
    conditions = ["o.status = %(published)s AND a.distance_km <= %(radius)s"]
    params["published"] = OfferStatus.PUBLISHED.value
    # The jobs, known before the query when asked for: the trainings are then read from the job's index.
    jobs = "SELECT rome_job_id FROM inside"
    if filters.rome_job_id is not None:
        conditions.append("o.rome_job_id = %(rome_job_id)s")
        params["rome_job_id"] = filters.rome_job_id
        jobs = "%(rome_job_id)s"
    elif filters.rome_codes:
        names = []
        for index, code in enumerate(sorted(set(filters.rome_codes))):
            params[f"code{index}"] = code
            names.append(f"%(code{index})s")
        jobs = f"SELECT id FROM jobs_romejob WHERE code IN ({', '.join(names)})"
        conditions.append(f"o.rome_job_id IN ({jobs})")
    if filters.level is not None:
        conditions.append("o.target_level_id = %(level)s")
        params["level"] = filters.level
    if filters.start_before is not None:
        conditions.append("o.starts_on <= %(start_before)s")
        params["start_before"] = filters.start_before
    if filters.no_licence:
        conditions.append("o.driving_licence_required = %(false)s")
        params["false"] = False
    params |= {
        "since": today - timedelta(days=scoring.FAIRNESS_DAYS),
        "tz": timezone.get_current_timezone_name(),
        "connection_tz": connection.timezone_name,
        "threshold": pause_threshold(),
        "limit": limit,
        "offset": offset,
        "per_offer": trainings_per_offer,
    }
    box_out, origin_distance = _area(
        dialect, located=located, alias="ts", prefix="out", radius=None, commune_id="commune_id"
    )
    if located:
        # search._TrainingPresence._within(origin, training commune, radius): latitude pre-check, then haversine.
        from_origin = f"{_latitudes_within('%(lat0)s', 'b.lat', '%(radius)s')} AND b.origin_km <= %(radius)s"
        from_origin = f"CASE WHEN {from_origin} THEN 1 ELSE 0 END"
        workplace_reach = _within(dialect, "i.lat", "i.lon", "y.lat", "y.lon", "%(reach)s")
        page_precheck = _latitudes_within("w.lat", "n.lat", "%(reach)s")
        work_distance = _haversine(dialect, "w.lat", "w.lon", "n.lat", "n.lon")
    else:  # everything lies in the origin commune
        from_origin, workplace_reach, page_precheck, work_distance = "1", "1 = 1", "1 = 1", "0.0"
    windows = _session_windows(dialect, params=params)
    score = _offer_score_sql(dialect, seeker=seeker, job_points=job_points, today=today, params=params)
    points = _training_points_sql(dialect, params=params)
    offer_key = (
        "CASE WHEN p.target_level_id IS NULL OR k.level_id IS NULL THEN k.key_zero "
        "ELSE CASE ABS(k.level_id - p.target_level_id) WHEN 0 THEN k.key_exact WHEN 1 THEN k.key_near "
        "ELSE k.key_zero END END"
    )
    # The session windows of a training are tested for the offers of its own workplace only. As a plain condition,
    # PostgreSQL tested them before the join's equalities (conditions of equal cost keep their written order, and
    # the equalities come last): for every (offer, training) pair of the page's workplaces, 17,700 multirange tests
    # for Arras instead of about 1,000.
    compatible = (
        f"CASE WHEN k.workplace_id = p.commune_id AND k.rome_job_id = p.rome_job_id THEN {windows.compatible} "
        "ELSE FALSE END"
    )
    fresh = "COALESCE(o.published_at, o.updated_at)", "COALESCE(o.updated_at, o.published_at)"
    # A slot that counts: places left, a session from the horizon on (the area's slots and the sessions shown).
    live_slot = "{0}.remaining_places > 0 AND {0}.starts_on >= %(horizon)s"
    sql = f"""
    WITH area AS MATERIALIZED (
        SELECT c.id, c.latitude AS lat, c.longitude AS lon, {distance} AS distance_km
        FROM territory_commune c WHERE {box_in}
    ),
    inside AS MATERIALIZED (
        SELECT o.id, o.rome_job_id, o.appellation_id, o.commune_id, o.target_level_id, o.driving_licence_required,
            {dialect.day.format("o.starts_on")} AS start_day,
            {dialect.local_day.format(f"{dialect.greatest}({fresh[0]}, {fresh[1]})")} AS fresh_day,
            a.lat, a.lon, a.distance_km, o.pending_applications AS pending,
            CASE WHEN o.last_application_on >= %(since)s THEN 1 ELSE 0 END AS maybe_recent
        FROM area a JOIN offers_offer o ON o.commune_id = a.id
        WHERE {" AND ".join(conditions)}
    ),
    box_slots AS MATERIALIZED (
        -- the training slots (trainings.TrainingSlot: training x job x session start, with the training's
        -- commune coordinates and places) of the jobs with places and a session from the horizon on, in the box
        -- of radius + reach around the origin: one range of the (job, latitude, longitude) index, as the bare
        -- query reads the offers; each with its distance from the origin, computed once
        SELECT ts.training_id AS id, ts.rome_job_id, ts.commune_id, ts.level_id, ts.remaining_places,
            ts.latitude AS lat, ts.longitude AS lon, {dialect.day.format("ts.starts_on")} AS day,
            {origin_distance} AS origin_km
        FROM trainings_trainingslot ts
        WHERE ts.rome_job_id IN ({jobs}) AND {live_slot.format("ts")} AND {box_out}
    ),
    near_slots AS MATERIALIZED (
        -- those within radius + reach (the communes search.py calls `places`)
        SELECT b.*, {from_origin} AS from_origin FROM box_slots b WHERE b.origin_km <= %(outer)s
    ),
    near_trainings AS MATERIALIZED (
        SELECT id, rome_job_id, commune_id, level_id, remaining_places, lat, lon, origin_km, from_origin,
            {windows.per_training} AS windows
        FROM near_slots
        GROUP BY id, rome_job_id, commune_id, level_id, remaining_places, lat, lon, origin_km, from_origin
    ),
{windows.ctes}
    far_commune_days AS (
        SELECT DISTINCT commune_id, rome_job_id, day, lat, lon FROM near_slots WHERE from_origin = 0
    ),
    far_commune_islands AS MATERIALIZED (
        {_islands("far_commune_days", ("commune_id", "rome_job_id"), ", MIN(lat) AS lat, MIN(lon) AS lon")}
    ),
    facts AS MATERIALIZED (
        SELECT i.*, CASE WHEN i.pending >= %(threshold)s THEN 1 ELSE 0 END AS paused,
            -- the applications sent since the fairness window opened, counted only for the offers that received
            -- one since then (offers_offer.last_application_on, kept by the database with the pending count); a
            -- subquery rather than a join, which the generic plan (it estimates one offer) ran as a loop over every
            -- count for every offer (1.8 s for Paris)
            CASE WHEN i.maybe_recent = 1 THEN (
                SELECT COUNT(*) FROM candidates_application ap WHERE ap.offer_id = i.id AND ap.sent_on >= %(since)s
            ) ELSE 0 END AS recent,
            CASE WHEN {windows.near_test} THEN 1 WHEN NOT {windows.far_test} THEN 0 WHEN EXISTS (
                SELECT 1 FROM far_commune_islands y
                WHERE y.rome_job_id = i.rome_job_id AND i.start_day BETWEEN y.lo AND y.hi AND {workplace_reach}
            ) THEN 1 ELSE 0 END AS has_training
        FROM inside i
{windows.joins}
    ),
    ranked AS (
        SELECT f.*, {dialect.tenths.format(score)} AS score, {dialect.tenths.format("f.distance_km")} AS distance_key
        FROM facts f
    ),
    page AS MATERIALIZED (
        -- the counts by two scans of the offers rather than a window over them, which copied every offer (Paris:
        -- 0.8 ms less)
        SELECT r.*, (SELECT COUNT(*) FROM facts WHERE paused = 0) AS ranked_count,
            (SELECT COUNT(*) FROM facts WHERE paused = 1) AS paused_count
        FROM ranked r
        ORDER BY r.paused, r.score DESC, r.distance_key, r.id
        LIMIT %(limit)s OFFSET %(offset)s
    ),
    workplaces AS (SELECT DISTINCT commune_id, rome_job_id, lat, lon FROM page WHERE paused = 0),
    pairs AS MATERIALIZED (
        -- the distance from the workplace, computed once per (workplace, training): every key below reads it
        -- (NULL when the latitudes alone put a training that is not near the origin out of reach)
        SELECT w.commune_id AS workplace_id, n.id, n.rome_job_id, n.level_id, n.remaining_places, n.origin_km,
            n.from_origin, n.windows,
            CASE WHEN n.from_origin = 1 OR {page_precheck} THEN {work_distance} END AS work_km
        FROM workplaces w JOIN near_trainings n ON n.rome_job_id = w.rome_job_id
    ),
    reachable AS MATERIALIZED (
        SELECT v.*, {points["reach"]} AS reach_km FROM pairs v WHERE v.from_origin = 1 OR v.work_km <= %(reach)s
    ),
    keyed AS MATERIALIZED (
        -- the sort keys of a training that do not depend on the offer (its points with each level bonus),
        -- and its rank among the trainings of the same level for the workplace
        SELECT r.*, ROW_NUMBER() OVER (
            PARTITION BY r.workplace_id, r.rome_job_id, r.level_id ORDER BY r.key_zero DESC, r.distance_key, r.id
        ) AS level_rank
        FROM (
            SELECT q.*, {points["key_zero"]} AS key_zero, {points["key_near"]} AS key_near,
                {points["key_exact"]} AS key_exact, {dialect.tenths.format("q.work_km")} AS distance_key
            FROM reachable q
        ) r
    ),
    tops AS MATERIALIZED (SELECT * FROM keyed WHERE level_rank <= %(per_offer)s),
    bounds AS MATERIALIZED (
        -- per offer, the 3rd best key among the first trainings of each level: a lower bound of its 3rd best
        -- key overall, so that a training whose best possible key (same level) is under it cannot make the list
        SELECT offer_id, MIN(points_key) AS bound FROM (
            SELECT p.id AS offer_id, {offer_key} AS points_key,
                ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY {offer_key} DESC) AS n
            FROM page p
            JOIN tops k ON k.workplace_id = p.commune_id AND k.rome_job_id = p.rome_job_id
            WHERE p.paused = 0 AND {compatible}
        ) x
        WHERE n <= %(per_offer)s
        GROUP BY offer_id
        HAVING COUNT(*) = %(per_offer)s
    ),
    pool AS MATERIALIZED (
        -- the trainings whose best possible key reaches the lowest bound: the others cannot make the list of an
        -- offer with a bound
        SELECT k.* FROM keyed k WHERE k.key_exact >= (SELECT MIN(bound) FROM bounds)
    ),
    unbounded AS MATERIALIZED (
        -- the offers without a bound (fewer compatible trainings among the first ones of each level)
        SELECT p.* FROM page p WHERE p.paused = 0 AND NOT EXISTS (SELECT 1 FROM bounds b WHERE b.offer_id = p.id)
    ),
    candidates AS (
        SELECT p.id AS offer_id, k.id AS training_id, k.rome_job_id, k.work_km, k.origin_km, k.reach_km,
            k.distance_key, {offer_key} AS points_key
        FROM page p
        JOIN bounds b ON b.offer_id = p.id
        JOIN pool k ON k.workplace_id = p.commune_id AND k.rome_job_id = p.rome_job_id
        -- key_exact first: no key of a training is above it, and it is one comparison
        WHERE k.key_exact >= b.bound AND {offer_key} >= b.bound AND {compatible}
        UNION ALL
        SELECT p.id, k.id, k.rome_job_id, k.work_km, k.origin_km, k.reach_km, k.distance_key, {offer_key}
        FROM unbounded p
        JOIN keyed k ON k.workplace_id = p.commune_id AND k.rome_job_id = p.rome_job_id
        WHERE {compatible}
    ),
    best AS MATERIALIZED (
        SELECT b.* FROM (
            SELECT k.*, ROW_NUMBER() OVER (
                PARTITION BY k.offer_id ORDER BY k.points_key DESC, k.distance_key, k.training_id
            ) AS position
            FROM candidates k
        ) b
        WHERE b.position <= %(per_offer)s
    ),
    -- The details in two small joins: one join of eleven tables costs more to plan than to run.
    page_details AS MATERIALIZED (
        SELECT p.id, p.distance_km, p.start_day, p.fresh_day, p.pending, p.recent, p.has_training, p.paused,
            p.score, p.distance_key, p.ranked_count, p.paused_count, o.title, j.code, j.title AS job_title,
            o.appellation_id, ap.ogr_code, ap.title AS appellation_title, e.name, o.commune_id, c.insee,
            c.name AS commune_name, o.target_level_id, o.duration_months, o.driving_licence_required
        FROM page p
        JOIN offers_offer o ON o.id = p.id
        JOIN jobs_romejob j ON j.id = o.rome_job_id
        LEFT JOIN jobs_appellation ap ON ap.id = o.appellation_id
        JOIN employers_establishment e ON e.id = o.establishment_id
        JOIN territory_commune c ON c.id = o.commune_id
    ),
    best_details AS MATERIALIZED (
        SELECT b.offer_id, b.position, b.training_id, t.title, COALESCE(NULLIF(ce.sign, ''), ce.name) AS centre,
            t.level_id, tc.insee, tc.name, t.remaining_places, b.work_km, b.origin_km, b.reach_km, (
                -- its sessions (those of near_slots), for the 60 trainings shown rather than for every one
                SELECT {dialect.day_list.format(dialect.day.format("s.starts_on"))} FROM trainings_trainingslot s
                WHERE s.training_id = b.training_id AND s.rome_job_id = b.rome_job_id AND {live_slot.format("s")}
            ) AS days
        FROM best b
        JOIN trainings_training t ON t.id = b.training_id
        JOIN trainings_trainingcentre ce ON ce.id = t.centre_id
        JOIN territory_commune tc ON tc.id = t.commune_id
    )
    SELECT p.id, p.distance_km, p.start_day, p.fresh_day, p.pending, p.recent, p.has_training, p.paused, p.score,
        p.ranked_count, p.paused_count, p.title, p.code, p.job_title, p.appellation_id, p.ogr_code,
        p.appellation_title, p.name, p.commune_id, p.insee, p.commune_name, p.target_level_id, p.duration_months,
        p.driving_licence_required, b.training_id, b.title, b.centre, b.level_id, b.insee, b.name,
        b.remaining_places, b.work_km, b.origin_km, b.reach_km, b.days, p.distance_key, b.position
    FROM page_details p
    LEFT JOIN best_details b ON b.offer_id = p.id
    ORDER BY p.paused, p.score DESC, p.distance_key, p.id, b.position"""
    return cte_hints(sql), params


@dataclass(frozen=True)
class _SessionWindows:
    """SQL of the session windows (a session starting within [contract start - before, contract start + after]
    makes a training compatible), by dialect (see _session_windows)."""

    ctes: str  # common table expressions, read from near_slots
    near_test: str  # the offer `i` has a compatible session near the origin
    far_test: str  # ...or further, near the workplace perhaps
    joins: str  # joins of `facts` the tests read
    per_training: str  # aggregate of near_trainings: a training's own windows (NULL where unused)
    compatible: str  # the training `k` is compatible with the page's offer `p`


def _session_windows(dialect: _Dialect, *, params: dict[str, object]) -> _SessionWindows:
    """PostgreSQL: multiranges. One per side for every job, each window [session - after, session + before]
    shifted by job id x JOB_STRIDE (days stay under the stride until the year 4700), so that an offer's test is
    one lookup in a value computed once per query; and one per training, looked up by the page's offers.
    SQLite: the merged intervals ("islands") per job, joined to each offer, and a semi-join with the sessions."""
    if dialect.day_ranges:
        params["job_stride"] = JOB_STRIDE
        window = (
            "SELECT range_agg(int8range(rome_job_id * %(job_stride)s + day - %(after)s, "
            "rome_job_id * %(job_stride)s + day + %(before)s, '[]')) AS days FROM near_slots WHERE from_origin = {}"
        )
        key = "(i.rome_job_id * %(job_stride)s + i.start_day)"
        return _SessionWindows(
            ctes=f"""    near_windows AS MATERIALIZED ({window.format(1)}),
    far_windows AS MATERIALIZED ({window.format(0)}),""",
            near_test=f"COALESCE((SELECT days FROM near_windows) @> {key}, FALSE)",
            far_test=f"COALESCE((SELECT days FROM far_windows) @> {key}, FALSE)",
            joins="",
            per_training="RANGE_AGG(INT4RANGE(day - %(after)s, day + %(before)s, '[]'))",
            compatible="k.windows @> p.start_day",
        )
    return _SessionWindows(
        ctes=f"""    sessions AS MATERIALIZED (SELECT DISTINCT id AS training_id, day FROM near_slots),
    near_days AS (SELECT DISTINCT rome_job_id, day FROM near_slots WHERE from_origin = 1),
    near_islands AS ({_islands("near_days", ("rome_job_id",))}),
    far_days AS (SELECT DISTINCT rome_job_id, day FROM near_slots WHERE from_origin = 0),
    far_islands AS ({_islands("far_days", ("rome_job_id",))}),""",
        near_test="n.lo IS NOT NULL",
        far_test="x.lo IS NOT NULL",
        joins=(
            "LEFT JOIN near_islands n ON n.rome_job_id = i.rome_job_id AND i.start_day BETWEEN n.lo AND n.hi\n"
            "LEFT JOIN far_islands x ON x.rome_job_id = i.rome_job_id AND i.start_day BETWEEN x.lo AND x.hi"
        ),
        per_training="NULL",
        compatible=(
            "EXISTS (SELECT 1 FROM sessions s WHERE s.training_id = k.id "
            "AND s.day BETWEEN p.start_day - %(before)s AND p.start_day + %(after)s)"
        ),
    )


JOB_STRIDE = 1_000_000  # day numbers of the session windows stay within one stride per job (see _session_windows)


def _page_from_rows(rows: list[tuple], counts: tuple[int, int]) -> RankedPage:
    """The page of the rows of `_page_statement` (in its order), with the (ranked, paused) counts."""
    items: dict[int, RankedOffer] = {}
    for row in rows:
        if row[7]:  # paused offers come last: only on a page past the ranked ones
            continue
        item = items.get(row[0])
        if item is None:
            item = items[row[0]] = RankedOffer(
                offer_id=row[0],
                distance_km=float(row[1]),
                starts_on=day_from_number(int(row[2])),
                freshness_date=day_from_number(int(row[3])),
                pending_applications=int(row[4]),
                recent_applications=int(row[5]),
                has_compatible_training=bool(row[6]),
                score=int(row[8]) / 10,
                title=row[11],
                rome_code=row[12],
                rome_title=row[13],
                appellation_id=row[14],
                appellation_code=row[15],
                appellation_title=row[16],
                establishment_name=row[17],
                commune_id=row[18],
                commune_insee=row[19],
                commune_name=row[20],
                target_level=row[21],
                duration_months=row[22],
                driving_licence_required=bool(row[23]),
                trainings=[],
            )
        if row[24] is not None:
            item.trainings.append(
                PageTraining(
                    training_id=row[24],
                    title=row[25],
                    centre_name=row[26],
                    level=row[27],
                    commune_insee=row[28],
                    commune_name=row[29],
                    remaining_places=row[30],
                    distance_km=float(row[31]),
                    distance_from_origin_km=float(row[32]),
                    reach_km=float(row[33]),
                    session_starts=sorted({day_from_number(int(day)) for day in str(row[34]).split(",")}),
                )
            )
    return RankedPage(items=list(items.values()), count=counts[0], paused_count=counts[1])


def _offer_score_sql(
    dialect: _Dialect, *, seeker: scoring.SeekerFacts, job_points: float, today: date, params: dict[str, object]
) -> str:
    """scoring.score_offer as one SQL expression over the columns of `facts f`, adding the same terms in the same
    order (a term Python skips adds 0.0 here, which changes no floating-point sum)."""
    params |= {
        "w_job": float(job_points),
        "w_appellation": float(scoring.JOB_APPELLATION),
        "w_distance": float(scoring.DISTANCE),
        "radius_points": max(float(seeker.radius_km), 1.0),
        "w_level_exact": float(scoring.LEVEL_EXACT),
        "w_level_near": float(scoring.LEVEL_NEAR),
        "w_dates_ok": float(scoring.DATES_OK),
        "w_dates_late": float(scoring.DATES_LATE),
        "w_fresh": float(scoring.FRESHNESS),
        "fresh_days": float(scoring.FRESHNESS_DAYS),
        "today_day": day_number(today),
        "earliest_day": day_number(seeker.available_from or today),
        "w_training": float(scoring.TRAINING),
        "w_licence": float(scoring.LICENCE_MISSING),
        "w_fair": scoring.FAIRNESS_PER_APPLICATION,
        "fair_max": scoring.FAIRNESS_MAX,
        "zero": 0.0,
    }
    terms = ["%(zero)s", "%(w_job)s"]
    if job_points and seeker.appellation_id is not None:
        params["seeker_appellation"] = seeker.appellation_id
        terms.append("CASE WHEN f.appellation_id = %(seeker_appellation)s THEN %(w_appellation)s ELSE %(zero)s END")
    terms.append(f"%(w_distance)s * (%(one)s - {dialect.least}(f.distance_km, %(radius_points)s) / %(radius_points)s)")
    if seeker.level is not None:
        params["seeker_level"] = seeker.level
        terms.append(
            "CASE ABS(f.target_level_id - %(seeker_level)s) WHEN 0 THEN %(w_level_exact)s "
            "WHEN 1 THEN %(w_level_near)s ELSE %(zero)s END"
        )
    late = ""
    if seeker.start_before is not None:
        params["start_before_day"] = day_number(seeker.start_before)
        late = "WHEN f.start_day > %(start_before_day)s THEN %(w_dates_late)s "
    terms.append(f"CASE WHEN f.start_day < %(earliest_day)s THEN %(zero)s {late}ELSE %(w_dates_ok)s END")
    age = f"{dialect.greatest}(0, %(today_day)s - f.fresh_day)"
    terms.append(f"%(w_fresh)s * {dialect.greatest}(%(zero)s, %(one)s - {age} / %(fresh_days)s)")
    terms.append("CASE WHEN f.has_training = 1 THEN %(w_training)s ELSE %(zero)s END")
    if seeker.driving_licence is False:
        terms.append("CASE WHEN f.driving_licence_required THEN %(w_licence)s ELSE %(zero)s END")
    expression = terms[0]
    for term in terms[1:]:
        expression = f"({expression} + {term})"
    return f"({expression} - {dialect.least}(%(fair_max)s, %(w_fair)s * f.recent))"


def _training_points_sql(dialect: _Dialect, *, params: dict[str, object]) -> dict[str, str]:
    """scoring.training_points (contract start known: session points always) over the columns of `reachable`,
    same terms in the same order, as sort keys (tenths) for each level bonus (none, one level apart, same level);
    `reach` is the effective reach of search._match_trainings (the workplace reach, or the distance itself when
    the training is near the origin)."""
    params |= {
        "t_level_exact": float(scoring.TRAINING_LEVEL_EXACT),
        "t_level_near": float(scoring.TRAINING_LEVEL_NEAR),
        "t_distance": float(scoring.TRAINING_DISTANCE),
        "t_places": float(scoring.TRAINING_PLACES),
        "t_places_full": float(scoring.TRAINING_PLACES_FULL),
        "t_session": float(scoring.TRAINING_SESSION),
    }
    reach = f"CASE WHEN v.from_origin = 1 THEN {dialect.greatest}(%(reach)s, v.work_km) ELSE %(reach)s END"
    distance = (
        f"%(t_distance)s * (%(one)s - {dialect.least}(q.work_km, q.reach_km) "
        f"/ {dialect.greatest}(q.reach_km, %(one)s))"
    )
    places = f"%(t_places)s * {dialect.least}(%(one)s, q.remaining_places / %(t_places_full)s)"
    keys = {
        f"key_{name}": dialect.tenths.format(f"((((%(zero)s + {bonus}) + {distance}) + {places}) + %(t_session)s)")
        for name, bonus in (("zero", "%(zero)s"), ("near", "%(t_level_near)s"), ("exact", "%(t_level_exact)s"))
    }
    return {"reach": reach, **keys}
