"""The offer search ranked in SQL (guichet.matching.ranking) equals the reference ranking in Python
(search._offer_search_python) on a hand-built market: same offers, order, scores, reasons and trainings, page
after page, for every kind of search. Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://...)."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.employers.tests.factories import commune
from guichet.jobs.models import Appellation, RomeJob
from guichet.matching import ranking, scoring
from guichet.matching.search import (
    _offer_search_python,
    _offers_for_candidate_python,
    candidate_plan,
    offer_search,
    offers_for_candidate,
    run_search,
    run_searches,
    search_plan,
)
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.offers.tests.factories import OfferFactory
from guichet.territory.models import Commune
from guichet.trainings.tests.factories import TrainingFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)
AMIENS, CAMON, FLIXECOURT, LONGPRE, POIX, ALBERT, BAVELINCOURT, ABBEVILLE = (
    "80021", "80164", "80318", "80488", "80630", "80016", "80056", "80001",
)  # fmt: skip


def offer(job, insee, *, level=4, starts_on=date(2027, 9, 1), age_days=0, **extra):
    item = OfferFactory(
        published=True, rome_job=job, commune=commune(insee), target_level_id=level, starts_on=starts_on, **extra
    )
    moment = datetime(2026, 11, 25, 9, 30, tzinfo=UTC) - timedelta(days=age_days)
    Offer.objects.filter(pk=item.pk).update(published_at=moment, updated_at=moment)
    return item


def training(job, insee, *, places=3, level=4, starts=(date(2027, 9, 6),)):
    item = TrainingFactory(commune=commune(insee), remaining_places=places, total_places=12, level_id=level)
    item.rome_jobs.add(job)
    for start in starts:
        TrainingSessionFactory(training=item, starts_on=start, ends_on=start + timedelta(days=700))
    return item


@pytest.fixture
def market(settings):
    """Offers around Amiens exercising every signal: distance, level, dates, freshness, the training nearby (near
    the searched commune, only near the workplace, none in the window, none with places), the licence, the
    fairness penalty and the pause."""
    settings.OFFER_PAUSE_PENDING_APPLICATIONS = 3
    nurse, baker = RomeJob.objects.get(code="J1501"), RomeJob.objects.get(code="D1102")
    appellation = Appellation.objects.filter(job=nurse).order_by("pk").first()
    offers = {
        "amiens": offer(nurse, AMIENS),
        "amiens_twin": offer(nurse, AMIENS),  # same score as "amiens": the id breaks the tie
        "camon": offer(nurse, CAMON, level=5, age_days=10),
        "flixecourt": offer(nurse, FLIXECOURT, starts_on=date(2027, 3, 1), driving_licence_required=True),
        "longpre": offer(nurse, LONGPRE, level=3, starts_on=date(2027, 9, 15), age_days=3),
        "albert": offer(nurse, ALBERT, level=6, starts_on=date(2028, 1, 10), appellation=appellation),
        "poix": offer(nurse, POIX, age_days=30),
        "busy": offer(nurse, AMIENS, age_days=1),
        "stale": offer(nurse, AMIENS, starts_on=date(2027, 2, 1), age_days=75),
        "bakery": offer(baker, CAMON, level=3),
        "abbeville": offer(nurse, ABBEVILLE),  # beyond 30 km
    }
    OfferFactory(rome_job=nurse, commune=commune(AMIENS), status=OfferStatus.DRAFT)
    for days in (1, 2):
        ApplicationFactory(offer=offers["poix"], sent_on=TODAY - timedelta(days=days))
    for _ in range(3):
        ApplicationFactory(offer=offers["busy"], sent_on=TODAY - timedelta(days=20))
    ApplicationFactory(
        offer=offers["camon"], status=ApplicationStatus.REFUSED, reason="level", sent_on=TODAY - timedelta(days=3)
    )
    training(nurse, AMIENS, places=3, level=4)
    training(nurse, AMIENS, places=0)  # no places: never compatible
    training(nurse, CAMON, places=6, level=5, starts=(date(2026, 9, 7), date(2027, 9, 6)))
    training(nurse, ABBEVILLE, places=2, level=3, starts=(date(2027, 9, 13),))  # 40 km: only near Longpré
    training(nurse, BAVELINCOURT, places=10, level=6, starts=(date(2028, 9, 4),))
    training(baker, CAMON, places=1, level=3)
    return offers, nurse, baker, appellation


def pages(search, **kwargs):
    """Every page of a search (page size 2), and one page past the end."""
    first = search(**kwargs, page=1, page_size=2, today=TODAY)
    results = [first]
    for page in range(2, (first.count + 1) // 2 + 2):
        results.append(search(**kwargs, page=page, page_size=2, today=TODAY))
    return results


def assert_same(**kwargs):
    sql, python = pages(offer_search, **kwargs), pages(_offer_search_python, **kwargs)
    assert [(r.count, r.paused_count, r.page) for r in sql] == [(r.count, r.paused_count, r.page) for r in python]
    assert [r.items for r in sql] == [r.items for r in python]
    assert sql[-1].items == []  # the page past the end is empty and still counts
    return [item for result in sql for item in result.items]


def test_sql_ranking_equals_the_python_ranking_for_a_job(market):
    offers, nurse, *_ = market
    items = assert_same(commune=commune(AMIENS), radius_km=30, rome_job=nurse)
    by_id = {item.offer_id: item for item in items}
    assert offers["busy"].pk not in by_id and offers["abbeville"].pk not in by_id
    assert [item.offer_id for item in items[:2]] == sorted([offers["amiens"].pk, offers["amiens_twin"].pk])
    reasons = {name: {reason.code for reason in by_id[offers[name].pk].reasons} for name in ("longpre", "flixecourt")}
    assert "training" in reasons["longpre"]  # the Abbeville training, within reach of Longpré only
    assert "no_training" in reasons["flixecourt"]  # no session within 3 months of March 2027
    assert "fairness" in {reason.code for reason in by_id[offers["poix"].pk].reasons}
    assert by_id[offers["amiens"].pk].score == 25 + 20 + 10 + 10 + 15
    ranked = ranking.ranked_offer_page(
        filters=ranking.OfferFilters(origin=commune(AMIENS), radius_km=30, rome_job_id=nurse.pk),
        seeker=scoring.SeekerFacts(rome_codes=frozenset({"J1501"}), radius_km=30),
        job_points=scoring.JOB_ROME,
        today=TODAY,
        offset=0,
        limit=100,
    )
    assert [(item.offer_id, item.score) for item in ranked.items] == [(item.offer_id, item.score) for item in items]


def test_sql_ranking_equals_the_python_ranking_with_every_filter_and_preference(market):
    _, nurse, _, appellation = market
    assert_same(
        commune=commune(AMIENS),
        radius_km=30,
        rome_job=nurse,
        level=4,
        start_before=date(2027, 12, 31),
        available_from=date(2027, 6, 1),
        driving_licence=False,
    )
    assert_same(commune=commune(AMIENS), radius_km=30, appellation=appellation, driving_licence=True)
    assert_same(commune=commune(AMIENS), radius_km=30, rome_job=nurse, start_before=date(2027, 12, 31))


def test_sql_ranking_equals_the_python_ranking_for_several_jobs_any_job_and_other_radii(market):
    assert_same(commune=commune(AMIENS), radius_km=30, rome_codes=["J1501", "D1102"])
    assert_same(commune=commune(AMIENS), radius_km=30)
    assert_same(commune=commune(CAMON), radius_km=12, rome_codes=["J1501"])
    assert_same(commune=commune(ABBEVILLE), radius_km=60, rome_codes=["J1501"])
    assert_same(commune=commune(AMIENS), radius_km=1, rome_codes=["J1501"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_ranking_equals_the_python_ranking_on_a_dense_market(seed):
    """Many trainings per workplace, of every level, with few or many places and sessions around the offers'
    starts: the query's pruning of the page's trainings (a bound per offer from the first trainings of each level,
    the trainings under the lowest bound left out, the offers without a bound read in full) keeps the same lists,
    in the same order, as the Python ranking reading every training."""
    import random

    rng = random.Random(seed)
    nurse = RomeJob.objects.get(code="J1501")
    places = (AMIENS, CAMON, FLIXECOURT, LONGPRE, POIX, ALBERT, BAVELINCOURT, ABBEVILLE)
    starts = [date(2027, 9, 1) + timedelta(days=rng.randrange(-200, 200)) for _ in range(6)]
    for _ in range(28):
        training(
            nurse,
            rng.choice(places),
            places=rng.choice((0, 1, 2, 4, 5, 9)),
            level=rng.choice((3, 4, 5, 6, 7)),
            starts=tuple(sorted(set(rng.sample(starts, rng.randint(1, 3))))),
        )
    for _ in range(18):
        offer(
            nurse,
            rng.choice(places[:6]),
            level=rng.choice((3, 4, 5, 6, 7)),
            starts_on=rng.choice(starts) + timedelta(days=rng.randrange(-120, 120)),
            age_days=rng.randrange(0, 70),
        )
    # An offer whose only compatible training is far down its level's list: no bound, read in full.
    lonely = offer(nurse, AMIENS, level=3, starts_on=date(2029, 3, 1))
    for _ in range(3):
        training(nurse, AMIENS, places=9, level=3, starts=(date(2027, 9, 6),))
    far = training(nurse, ALBERT, places=1, level=3, starts=(date(2029, 3, 5),))
    items = assert_same(commune=commune(AMIENS), radius_km=30, rome_job=nurse)
    assert [training.training_id for item in items if item.offer_id == lonely.pk for training in item.trainings] == [
        far.pk
    ]
    assert sum(len(item.trainings) == 3 for item in items) >= 5  # lists long enough for the bounds to prune
    assert_same(commune=commune(ALBERT), radius_km=20, rome_codes=["J1501"], level=4)
    first = search_plan(commune=commune(AMIENS), radius_km=30, rome_job=nurse, today=TODAY, page_size=20)
    assert run_searches([first]) == [run_search(first)]


def test_freshness_counts_local_days_around_midnight_and_the_clock_change():
    """The freshness age is in days of Paris time (timezone.localdate), on both sides of a local midnight, before
    and after the change to winter time (25 October 2026, inside the 60-day window), at 59 and 60 days (the last
    point and none), and for a timestamp ahead of today; the database's score equals Python's."""
    nurse = RomeJob.objects.get(code="J1501")
    ages = {
        datetime(2026, 11, 24, 22, 59, 59, tzinfo=UTC): 1,  # 23:59:59 in Paris (UTC+1)
        datetime(2026, 11, 24, 23, 0, 0, tzinfo=UTC): 0,  # midnight in Paris
        datetime(2026, 10, 24, 21, 59, 59, tzinfo=UTC): 32,  # 23:59:59 summer time (UTC+2)
        datetime(2026, 10, 24, 22, 0, 0, tzinfo=UTC): 31,  # midnight summer time, the night of the change
        datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC): 31,  # 23:59:59 winter time
        datetime(2026, 10, 25, 23, 0, 0, tzinfo=UTC): 30,
        datetime(2026, 9, 26, 21, 59, 59, tzinfo=UTC): 60,
        datetime(2026, 9, 26, 22, 0, 0, tzinfo=UTC): 59,
        datetime(2026, 11, 26, 8, 0, 0, tzinfo=UTC): 0,  # ahead of today
    }
    expected = {}
    for moment, age in ages.items():
        item = OfferFactory(published=True, rome_job=nurse, commune=commune(AMIENS), target_level_id=4)
        Offer.objects.filter(pk=item.pk).update(published_at=moment, updated_at=moment)
        expected[item.pk] = age
    items = assert_same(commune=commune(AMIENS), radius_km=30, rome_job=nurse)
    found = {item.offer_id: next(r.value for r in item.reasons if r.code == "freshness") for item in items}
    assert found == expected


def test_sql_ranking_equals_the_python_ranking_from_a_commune_without_coordinates():
    nurse = RomeJob.objects.get(code="J1501")
    unlocated = Commune.objects.filter(latitude__isnull=True).order_by("insee").first()
    offer(nurse, unlocated.insee)
    offer(nurse, unlocated.insee, starts_on=date(2027, 3, 1))
    training(nurse, unlocated.insee)
    training(nurse, AMIENS)
    items = assert_same(commune=unlocated, radius_km=30, rome_job=nurse)
    assert len(items) == 2 and len(items[0].trainings) == 1


def test_sql_ranking_equals_the_python_ranking_for_a_profile(market):
    _, nurse, baker, _ = market
    profile = CandidateProfileFactory(
        commune=commune(CAMON),
        mobility_radius_km=25,
        wished_level_id=4,
        available_from=date(2027, 6, 1),
        driving_licence=False,
    )
    profile.wished_jobs.add(nurse, baker)
    assert_same_for_profile(profile)
    without_wishes = CandidateProfileFactory(commune=commune(AMIENS), mobility_radius_km=30, driving_licence=True)
    items = assert_same_for_profile(without_wishes)
    assert not any(reason.code == "job" for item in items for reason in item.reasons)  # no wished job: 0 points


def assert_same_for_profile(profile):
    sql, python = (pages(search, profile=profile) for search in (offers_for_candidate, _offers_for_candidate_python))
    assert [(r.count, r.paused_count) for r in sql] == [(r.count, r.paused_count) for r in python]
    assert [r.items for r in sql] == [r.items for r in python]
    assert sql[0].count > 2  # several pages compared
    return [item for result in sql for item in result.items]


@pytest.mark.parametrize(
    "value", [0.0, 0.05, 0.15, 0.25, 0.35, 4.75, 12.05, 12.25, 47.45, 99.95, 1 / 3, 2 / 3, -0.25, -0.75, -1.15, -3.3]
)
def test_the_database_rounds_scores_to_a_tenth_as_python_does(value):
    """The sort keys of the ranking query: the same tenths as scoring.tenth, ties (x * 10 = k + 0.5) included, on
    both databases (PostgreSQL's ROUND of a float, SQLite's hand-written ties-to-even)."""
    from django.db import connection

    sql = f"SELECT {ranking._dialect().tenths.format('%s')}"
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%s", "CAST(%s AS REAL)" if connection.vendor == "sqlite" else "%s"), [value])
        (tenths,) = cursor.fetchone()
    assert tenths == round(scoring.tenth(value) * 10)
    assert scoring.tenth(0.25) == 0.2 and scoring.tenth(0.35) == 0.4 and scoring.tenth(-0.25) == -0.2


def test_several_searches_in_one_query_give_the_pages_of_each_search_alone(market, django_assert_num_queries):
    """search.run_searches (ranking.ranked_offer_pages): one statement for the first pages of several searches of
    every kind, the same results as each search run alone."""
    _, nurse, baker, appellation = market
    profile = CandidateProfileFactory(
        commune=commune(CAMON), mobility_radius_km=25, wished_level_id=4, available_from=date(2027, 6, 1)
    )
    profile.wished_jobs.add(nurse, baker)
    unlocated = Commune.objects.filter(latitude__isnull=True).order_by("insee").first()
    plans = [
        search_plan(commune=commune(AMIENS), radius_km=30, rome_job=nurse, today=TODAY, page_size=3),
        search_plan(
            commune=commune(AMIENS),
            radius_km=30,
            rome_job=nurse,
            level=4,
            start_before=date(2027, 12, 31),
            available_from=date(2027, 6, 1),
            driving_licence=False,
            today=TODAY,
        ),
        search_plan(commune=commune(AMIENS), radius_km=30, appellation=appellation, today=TODAY),
        search_plan(commune=commune(AMIENS), radius_km=30, rome_codes=["J1501", "D1102"], today=TODAY, page_size=5),
        search_plan(commune=commune(AMIENS), radius_km=30, today=TODAY),
        search_plan(commune=commune(ABBEVILLE), radius_km=60, rome_codes=["J1501"], today=TODAY),
        search_plan(commune=unlocated, radius_km=30, rome_job=nurse, today=TODAY),  # nothing there
        candidate_plan(profile=profile, today=TODAY, page_size=4),
        candidate_plan(profile=profile, today=TODAY, wished_codes=["D1102"]),
    ]
    alone = [run_search(plan) for plan in plans]
    with django_assert_num_queries(1):
        together = run_searches(plans)
    assert together == alone
    assert [result.count for result in together][:2] == [alone[0].count, alone[1].count] and together[0].items
    assert together[6].items == [] and together[6].count == 0
    assert run_searches([]) == []
    with pytest.raises(ValueError):
        run_searches([replace(plans[0], page=2)])


def test_the_prepared_ranking_never_loops_over_the_application_counts_for_every_offer(market):
    """PostgreSQL's generic plan of the prepared ranking expects one offer: a LEFT JOIN of the offers with their
    application counts was run as a nested loop over every count for every offer (1.8 s for Paris with a million
    applications, docs/benchmarks/search.md). The applications must only be read by their index, one offer at a
    time (a subplan), never by a join."""
    from django.db import connection

    from guichet.core.db import prepared_cursor

    if connection.vendor != "postgresql":
        pytest.skip("plan of PostgreSQL")
    _, nurse, *_ = market
    plan = search_plan(commune=commune(AMIENS), radius_km=30, rome_job=nurse, today=TODAY)
    sql, params = ranking._page_statement(
        filters=plan.filters, seeker=plan.seeker, job_points=plan.job_points, today=TODAY, offset=0, limit=20,
        trainings_per_offer=3,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
    try:
        with prepared_cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
            from psycopg._queries import _query2pg_nocache

            statement, _, order, _ = _query2pg_nocache(sql.encode(), "utf-8")
            cursor.execute("SELECT name FROM pg_prepared_statements WHERE statement = %s", [statement.decode()])
            (name,) = cursor.fetchone()
        with connection.cursor() as cursor:
            values = [params[key] for key in order]
            cursor.execute(f"EXPLAIN (FORMAT JSON) EXECUTE {name}({', '.join(['%s'] * len(values))})", values)
            (document,) = cursor.fetchone()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET plan_cache_mode")

    def application_reads(node, ancestors=()):
        """Each scan of the applications, with the nodes above it (the outermost first)."""
        if node.get("Relation Name") == "candidates_application":
            yield node, ancestors
        for child in node.get("Plans", ()):
            yield from application_reads(child, (*ancestors, node))

    plan_tree = (document if isinstance(document, list) else json.loads(document))[0]["Plan"]
    reads = list(application_reads(plan_tree))
    assert reads
    for scan, ancestors in reads:
        assert scan["Node Type"] in ("Index Scan", "Index Only Scan") and "offer_id" in scan["Index Cond"]
        chain = (*ancestors, scan)
        top = max(index for index, node in enumerate(chain) if node.get("Parent Relationship") == "SubPlan")
        assert not any(node["Node Type"] in ("Nested Loop", "Hash Join", "Merge Join") for node in chain[top:])
