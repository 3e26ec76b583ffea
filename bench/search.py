"""Benchmark of the offer search (ROME + commune + 30 km) at national scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/search.py \
        [--offers 500000] [--trainings 50000] [--contracts 1000000] [--establishments 300000] [--runs 200]

One command: when the database holds fewer synthetic rows than asked, it first migrates, imports the territory,
jobs, employers and trainings reference data and bulk-generates the missing rows in a CHILD process (all
French communes, weighted by population; rows flagged is_synthetic; the training slots, the ranking's index of
trainings, rebuilt after the bulk load or when missing), timing each step; then, in this process,
it times the same searches three ways, in the same run, on the same database:

1. bare SQL: one hand-written query returning the published offers of the job within the radius
   (bounding box on the commune index, then the haversine distance), i.e. the rows the service ranks;
2. the service: guichet.matching.search.offer_search (one SQL query ranks every offer and finds the compatible
   trainings of the page, then the page is explained);
3. the API: GET /api/v1/offers through Django's test client (URL routing, validation, serialisation);
4. with --reference, the reference ranking in Python (search._offer_search_python, the service before the SQL
   ranking), for a before/after comparison in the same run;
5. with --parts, then, where the time of the largest search goes: the ranking statement cut down (the offers read
   and sorted only; then with the training signal, the application counts and the score; then whole, with the
   page's double match), between the bare query, the service and the API.

It checks that the bare query and the service return the same offers, then prints p50/p95 per layer, the ratios
to the bare query (goal: service p95 <= 2x, API p95 <= 3x), the peak resident memory of this process (the
"server" process: it serves the API calls in-process) and the load average of the machine during the calls.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pgdatabase import ensure_database

ROOT = Path(__file__).resolve().parents[1]
# Searches: large, middle-sized and small communes of several regions, each with a common apprenticeship job.
SEARCHES = [
    ("80021", "J1501"),  # Amiens, aide-soignant
    ("59350", "D1102"),  # Lille, boulanger
    ("75056", "G1602"),  # Paris, cuisinier
    ("69123", "D1507"),  # Lyon, mise en rayon
    ("13055", "I1604"),  # Marseille, mécanique automobile
    ("31555", "M1607"),  # Toulouse, secrétariat
    ("33063", "F1603"),  # Bordeaux, plomberie
    ("35238", "D1214"),  # Rennes, vente habillement
    ("62041", "H2913"),  # Arras, soudage
    ("02691", "A1203"),  # Saint-Quentin, espaces verts
    ("60057", "F1602"),  # Beauvais, électricité bâtiment
    ("21231", "M1203"),  # Dijon, comptabilité
]
RADIUS_KM = 30


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.base")
    # As in production (guichet.settings.production): the connection outlives a request, so the API calls do not
    # reconnect each time, and its prepared statements (guichet.core.db.prepared_cursor) are kept.
    os.environ.setdefault("CONN_MAX_AGE", "60")
    import django

    django.setup()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- Generation (child process) -------------------------------------------------------------------------------


def generate(
    *, offers: int, trainings: int, contracts: int, establishments: int, candidates: int, applications: int, seed: int
) -> None:
    """Bulk-insert the missing synthetic rows at national scale."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from guichet.candidates.enums import EMPLOYER_REFUSAL_REASONS, ApplicationStatus, RefusalReason, WithdrawalReason
    from guichet.candidates.models import Application, CandidateProfile
    from guichet.contracts.demo.generator import SiretFactory
    from guichet.contracts.enums import AgeBand, Sex
    from guichet.contracts.models import Contract
    from guichet.employers.enums import HeadcountBand, NafLevel
    from guichet.employers.models import Company, Establishment, NafActivity
    from guichet.jobs.models import RomeJob
    from guichet.offers.enums import OfferStatus
    from guichet.offers.models import Offer
    from guichet.territory.models import Commune, CommuneKind
    from guichet.trainings.models import Training, TrainingCentre, TrainingSession, TrainingSlot
    from guichet.trainings.slots import training_slots_rebuild

    rng = random.Random(seed)
    batch = 5000
    started = time.monotonic()

    def step(label: str, since: float) -> float:
        now = time.monotonic()
        print(f"  {label}: {now - since:.1f} s", flush=True)
        return now

    t = time.monotonic()
    call_command("migrate", verbosity=0)
    t = step("migrate", t)
    from guichet.core.reference import load_reference_data

    if not Commune.objects.exists():
        load_reference_data(only=["territory", "jobs", "employers", "trainings"])
    t = step("données de référence (territoire, métiers, NAF, centres)", t)

    communes = list(
        Commune.objects.filter(kind=CommuneKind.COMMUNE, latitude__isnull=False, population__gt=0)
        .order_by("insee")
        .values_list("id", "population")
    )
    commune_ids = [pk for pk, _ in communes]
    commune_cum = list(itertools.accumulate(population for _, population in communes))
    print(f"  communes (toute la France, avec coordonnées et population) : {len(communes)}", flush=True)
    jobs = list(RomeJob.objects.order_by("code").values_list("id", "code"))
    common = {code for _, code in SEARCHES}
    job_ids = [pk for pk, _ in jobs]
    job_cum = list(itertools.accumulate(40 if code in common else 1 for _, code in jobs))

    def draw_commune() -> int:
        return rng.choices(commune_ids, cum_weights=commune_cum)[0]

    def draw_job() -> int:
        return rng.choices(job_ids, cum_weights=job_cum)[0]

    nafs = list(NafActivity.objects.filter(level=NafLevel.SUBCLASS).order_by("code").values_list("id", flat=True))
    bands = list(HeadcountBand.values)

    existing = Establishment.objects.filter(is_synthetic=True).count()
    with transaction.atomic():
        sirets = SiretFactory(rng)
        new_companies, new_establishments = [], []
        for index in range(max(0, establishments - existing)):
            company = Company(siren=sirets.siren(), name=f"Entreprise fictive B{index:07d}", is_synthetic=True)
            new_companies.append(company)
            new_establishments.append(
                Establishment(
                    siret=sirets.siret(company.siren, 1),
                    company=company,
                    name=company.name,
                    naf_id=rng.choice(nafs),
                    headcount_band=rng.choice(bands),
                    commune_id=draw_commune(),
                    is_synthetic=True,
                )
            )
        Company.objects.bulk_create(new_companies, batch_size=batch)
        for item in new_establishments:
            item.company_id = item.company.pk
        Establishment.objects.bulk_create(new_establishments, batch_size=batch)
    t = step(f"établissements (+{len(new_establishments)})", t)
    establishment_rows = list(
        Establishment.objects.filter(is_synthetic=True).order_by("pk").values_list("pk", "commune_id", "naf_id")
    )

    today = datetime.now(tz=UTC).date()
    existing = Offer.objects.filter(is_synthetic=True).count()
    missing = max(0, offers - existing)
    statuses = [OfferStatus.PUBLISHED] * 8 + [OfferStatus.FILLED, OfferStatus.EXPIRED]
    for start in range(0, missing, 100_000):
        rows = []
        for _ in range(min(100_000, missing - start)):
            establishment_id, commune_id, _naf = rng.choice(establishment_rows)
            status = rng.choice(statuses)
            rows.append(
                Offer(
                    establishment_id=establishment_id,
                    rome_job_id=draw_job(),
                    title="Offre fictive (banc d'essai)",
                    commune_id=commune_id,
                    target_level_id=rng.choice((3, 3, 4, 4, 5, 6, 7)),
                    starts_on=today + timedelta(days=rng.randint(10, 300)),
                    duration_months=rng.choice((12, 24, 24, 36)),
                    positions=1,
                    status=status,
                    is_synthetic=True,
                )
            )
        with transaction.atomic():
            Offer.objects.bulk_create(rows, batch_size=batch)
        print(f"    offres : {existing + start + len(rows)}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE offers_offer SET published_at = updated_at WHERE published_at IS NULL AND status <> 'draft'"
        )
    t = step(f"offres (+{missing})", t)

    centres_needed = max(1, trainings // 10)
    existing_centres = TrainingCentre.objects.filter(is_synthetic=True).count()
    with transaction.atomic():
        sirets = SiretFactory(rng)
        centres = [
            TrainingCentre(
                uai=f"{9_000_000 + index:07d}Z",
                siret=sirets.siret(sirets.siren(), 1),
                name=f"CFA fictif {index:05d}",
                commune_id=draw_commune(),
                is_synthetic=True,
            )
            for index in range(existing_centres, centres_needed)
        ]
        TrainingCentre.objects.bulk_create(centres, batch_size=batch)
    centre_rows = list(TrainingCentre.objects.filter(is_synthetic=True).values_list("pk", "commune_id"))
    existing = Training.objects.filter(is_synthetic=True).count()
    missing = max(0, trainings - existing)
    with transaction.atomic():
        new_trainings, links = [], []
        for _ in range(missing):
            centre_id, commune_id = rng.choice(centre_rows)
            total = rng.randint(8, 24)
            new_trainings.append(
                Training(
                    centre_id=centre_id,
                    title="Formation fictive (banc d'essai)",
                    level_id=rng.choice((3, 4, 5, 6, 7)),
                    commune_id=commune_id,
                    total_places=total,
                    remaining_places=rng.randint(0, total),
                    duration_months=24,
                    is_synthetic=True,
                )
            )
        Training.objects.bulk_create(new_trainings, batch_size=batch)
        through = Training.rome_jobs.through
        for training in new_trainings:
            for job_id in {draw_job() for _ in range(rng.randint(1, 3))}:
                links.append(through(training_id=training.pk, romejob_id=job_id))
        through.objects.bulk_create(links, batch_size=batch)
        sessions = []
        for training in new_trainings:
            for year in (today.year, today.year + 1):
                starts = date(year, 9, 1) + timedelta(days=rng.randint(0, 30))
                sessions.append(
                    TrainingSession(training=training, starts_on=starts, ends_on=starts + timedelta(days=700))
                )
        TrainingSession.objects.bulk_create(sessions, batch_size=batch)
    t = step(f"centres et formations (+{missing})", t)
    if missing or not TrainingSlot.objects.exists():
        print(f"    créneaux de formation : {training_slots_rebuild()}", flush=True)
        t = step("créneaux de formation (index de recherche)", t)

    existing = Contract.objects.filter(is_synthetic=True).count()
    missing = max(0, contracts - existing)
    for start in range(0, missing, 100_000):
        rows = []
        for index in range(start, min(missing, start + 100_000)):
            establishment_id, commune_id, naf_id = rng.choice(establishment_rows)
            centre_id, centre_commune = rng.choice(centre_rows)
            starts_on = today - timedelta(days=rng.randint(30, 1500))
            rows.append(
                Contract(
                    contract_number=f"BANC-{existing + index:08d}",
                    birth_year=starts_on.year - 19,
                    age_band=AgeBand.FROM_18_TO_20,
                    sex=rng.choice((Sex.FEMALE, Sex.MALE)),
                    level_id=rng.choice((3, 4, 5, 6, 7)),
                    rome_job_id=draw_job(),
                    establishment_id=establishment_id,
                    naf_id=naf_id,
                    workplace_commune_id=commune_id,
                    training_centre_id=centre_id,
                    training_commune_id=centre_commune,
                    concluded_on=starts_on - timedelta(days=10),
                    starts_on=starts_on,
                    planned_end_on=starts_on + timedelta(days=730),
                    is_synthetic=True,
                )
            )
        with transaction.atomic():
            Contract.objects.bulk_create(rows, batch_size=batch)
        print(f"    contrats : {existing + start + len(rows)}", flush=True)
    t = step(f"contrats (+{missing})", t)

    # Young people and their applications: the ranking counts each offer's pending and recent applications.
    existing = CandidateProfile.objects.filter(is_synthetic=True).count()
    with transaction.atomic():
        CandidateProfile.objects.bulk_create(
            (
                CandidateProfile(
                    birth_date=today - timedelta(days=rng.randint(16 * 365 + 4, 29 * 365)),
                    commune_id=draw_commune(),
                    mobility_radius_km=rng.choice((10, 20, 30, 50)),
                    is_synthetic=True,
                )
                for _ in range(max(0, candidates - existing))
            ),
            batch_size=batch,
        )
    t = step(f"jeunes (+{max(0, candidates - existing)})", t)
    candidate_ids = list(CandidateProfile.objects.filter(is_synthetic=True).values_list("pk", flat=True))
    offer_ids = list(Offer.objects.filter(is_synthetic=True).values_list("pk", flat=True))
    existing = Application.objects.filter(is_synthetic=True).count()
    missing = max(0, applications - existing)
    pairs = set(Application.objects.filter(is_synthetic=True).values_list("candidate_id", "offer_id"))
    pending = [ApplicationStatus.SENT] * 10 + [ApplicationStatus.SEEN] * 6 + [ApplicationStatus.INTERVIEW] * 3
    pending += [ApplicationStatus.ACCEPTED]
    for start in range(0, missing, 100_000):
        rows = []
        while len(rows) < min(100_000, missing - start):
            pair = (rng.choice(candidate_ids), rng.choice(offer_ids))
            if pair in pairs:  # one application of a young person per offer
                continue
            pairs.add(pair)
            age = rng.randint(0, 180)  # sent in the last six months; the recent ones mostly still open
            if rng.random() < (0.8 if age < 30 else 0.15):
                status, reason = rng.choice(pending), ""
            else:
                status, reason = rng.choice(
                    [(ApplicationStatus.REFUSED, code) for code in EMPLOYER_REFUSAL_REASONS]
                    + [(ApplicationStatus.REFUSED, RefusalReason.NO_RESPONSE)] * 3
                    + [(ApplicationStatus.WITHDRAWN, WithdrawalReason.YOUNG_CHOICE)] * 2
                    + [(ApplicationStatus.CONTRACT_SIGNED, "")] * 2
                )
            rows.append(
                Application(
                    candidate_id=pair[0],
                    offer_id=pair[1],
                    status=status,
                    reason=reason,
                    sent_on=today - timedelta(days=age),
                    is_synthetic=True,
                )
            )
        with transaction.atomic():
            Application.objects.bulk_create(rows, batch_size=batch)
        print(f"    candidatures : {existing + start + len(rows)}", flush=True)
    t = step(f"candidatures (+{missing})", t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("ANALYZE", t)
    print(f"  génération totale : {time.monotonic() - started:.1f} s", flush=True)


# --- Measurement ----------------------------------------------------------------------------------------------

HAVERSINE = """2 * 6371.0088 * ASIN(LEAST(1.0, SQRT(
           POWER(SIN((RADIANS(c.latitude) - RADIANS(%(lat)s)) / 2), 2)
           + COS(RADIANS(%(lat)s)) * COS(RADIANS(c.latitude))
             * POWER(SIN((RADIANS(c.longitude) - RADIANS(%(lon)s)) / 2), 2))))"""
BARE_SQL = f"""
SELECT o.id, c.insee, {HAVERSINE} AS distance_km
FROM offers_offer o
JOIN territory_commune c ON c.id = o.commune_id
WHERE o.status = 'published' AND o.rome_job_id = %(job)s
  AND c.latitude BETWEEN %(min_lat)s AND %(max_lat)s AND c.longitude BETWEEN %(min_lon)s AND %(max_lon)s
  AND {HAVERSINE} <= %(radius)s
ORDER BY distance_km, o.id
"""


def bare_sql(*, commune, job, radius_km: float) -> list[int]:
    from django.db import connection

    from guichet.territory.selectors import bounding_box

    box = bounding_box(latitude=commune.latitude, longitude=commune.longitude, radius_km=radius_km)
    params = {
        "lat": commune.latitude, "lon": commune.longitude, "job": job.pk, "radius": radius_km,
        "min_lat": box.min_latitude, "max_lat": box.max_latitude,
        "min_lon": box.min_longitude, "max_lon": box.max_longitude,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, params)
        return [row[0] for row in cursor.fetchall()]


def _searches() -> list[tuple]:
    """The (commune, ROME job) of SEARCHES that the database holds."""
    from guichet.jobs.models import RomeJob
    from guichet.territory.selectors import commune_get

    searches = []
    for insee, code in SEARCHES:
        commune, job = commune_get(insee=insee), RomeJob.objects.filter(code=code).first()
        if commune is not None and job is not None:
            searches.append((commune, job))
    return searches


def measure(*, runs: int, reference: bool = False) -> None:
    from django.db import connection
    from django.test import Client

    from guichet.contracts.models import Contract
    from guichet.matching.search import _offer_search_python, offer_search
    from guichet.offers.models import Offer
    from guichet.territory.models import Commune
    from guichet.trainings.models import Training

    print(
        f"Base : {connection.vendor}, {Commune.objects.count()} communes, {Offer.objects.count()} offres "
        f"({Offer.objects.filter(status='published').count()} publiées), {Training.objects.count()} formations, "
        f"{Contract.objects.count()} contrats.",
        flush=True,
    )
    searches = _searches()
    # Same rows: the bare query and the service (every page) return the same offers.
    for commune, job in searches:
        expected = bare_sql(commune=commune, job=job, radius_km=RADIUS_KM)
        found, page = [], 1
        while True:
            result = offer_search(commune=commune, radius_km=RADIUS_KM, rome_job=job, page=page, page_size=100)
            found += [item.offer_id for item in result.items]
            if page * 100 >= result.count:
                break
            page += 1
        if sorted(found) != sorted(expected) or result.paused_count:
            raise SystemExit(f"Résultats différents pour {commune.insee} {job.code} : {len(found)} / {len(expected)}")
    sizes = [len(bare_sql(commune=c, job=j, radius_km=RADIUS_KM)) for c, j in searches]
    print(f"Recherches : {len(searches)} couples commune + métier, rayon {RADIUS_KM} km ; offres trouvées par "
          f"recherche : min {min(sizes)}, médiane {statistics.median(sizes):.0f}, max {max(sizes)} "
          "(mêmes lignes pour la requête SQL et le service : vérifié).", flush=True)  # fmt: skip

    client = Client(HTTP_HOST="localhost")
    layers = {
        "SQL brut": lambda c, j, i: bare_sql(commune=c, job=j, radius_km=RADIUS_KM),
        "service": lambda c, j, i: offer_search(commune=c, radius_km=RADIUS_KM, rome_job=j),
        "API": lambda c, j, i: _api(client, c, j, i),
    }
    if reference:
        layers["Python (avant)"] = lambda c, j, i: _offer_search_python(commune=c, radius_km=RADIUS_KM, rome_job=j)
    timings: dict[str, list[float]] = {name: [] for name in layers}
    for index in range(3 * len(searches)):  # warm-up: caches, prepared plans
        for function in layers.values():
            commune, job = searches[index % len(searches)]
            function(commune, job, index)
    loads = []
    for index in range(runs):
        commune, job = searches[index % len(searches)]
        loads.append(os.getloadavg()[0])
        for name in rng_order(index, list(layers)):
            started = time.perf_counter()
            layers[name](commune, job, index)
            timings[name].append((time.perf_counter() - started) * 1000)
    base = _percentile(timings["SQL brut"], 0.95)
    print(f"{runs} appels par couche, ordre des couches alterné :")
    for name, values in timings.items():
        p95 = _percentile(values, 0.95)
        print(f"  {name:<14} p50 {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms   "
              f"p95 / SQL brut {p95 / base:5.2f}")  # fmt: skip
    service_ratio = _percentile(timings["service"], 0.95) / base
    api_ratio = _percentile(timings["API"], 0.95) / base
    service_verdict = "atteint" if service_ratio <= 2 else "NON atteint"
    api_verdict = "atteint" if api_ratio <= 3 else "NON atteint"
    print(
        f"Objectifs : service p95 <= 2x SQL brut ({service_verdict}, {service_ratio:.2f}x) ; "
        f"API p95 <= 3x ({api_verdict}, {api_ratio:.2f}x)."
    )
    if reference:
        before = _percentile(timings["Python (avant)"], 0.95)
        print(f"Service p95 avant / après : {before / _percentile(timings['service'], 0.95):.1f} fois plus rapide.")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Mémoire du processus serveur (pic de RSS, API servie dans ce processus) : {peak_mb:.0f} Mo.")
    print(f"Charge de la machine pendant les appels (load average 1 min) : min {min(loads):.1f}, "
          f"médiane {statistics.median(loads):.1f}, max {max(loads):.1f}.")  # fmt: skip


def _statement_parts(sql: str) -> dict[str, str]:
    """The ranking statement cut down, to see where its time goes (--parts): without the page's double match (the
    trainings of the page's offers are never read), then also without the signals, the counts and the score (the
    offers read and sorted by distance and id only: the floor of any search that ranks them in SQL)."""

    def cut(text: str, old: str, new: str) -> str:
        if text.count(old) != 1:
            raise SystemExit(
                f"--parts : la requête de classement a changé ({old[:40]!r}), mettre à jour bench/search.py."
            )
        return text.replace(old, new)

    no_match = cut(sql, "LEFT JOIN best_details b ON b.offer_id = p.id", "LEFT JOIN best_details b ON FALSE")
    floor = cut(no_match, "CASE WHEN i.maybe_recent = 1 THEN (", "CASE WHEN i.maybe_recent = 2 THEN (")
    signal_end = floor.index("AS has_training")
    signal_start = floor.rindex("CASE WHEN", 0, floor.index(" THEN 1 WHEN NOT ", 0, signal_end))
    floor = floor[:signal_start] + "0 " + floor[signal_end:]
    score_start = floor.index("SELECT f.*,", floor.index("ranked AS (")) + len("SELECT f.*,")
    floor = floor[:score_start] + " 0 " + floor[floor.index("AS score,", score_start) :]
    return {"no_match": no_match, "floor": floor}


def measure_parts(*, runs: int) -> None:
    """Where the time of the largest search goes: the bare query, the ranking statement cut down (floor: offers read
    and sorted; then with signals, counts and score; then whole), the service and the API, called in turn."""
    from django.test import Client

    from guichet.core.db import prepared_cursor
    from guichet.matching import ranking
    from guichet.matching.search import offer_search, search_plan

    commune, job = max(_searches(), key=lambda pair: len(bare_sql(commune=pair[0], job=pair[1], radius_km=RADIUS_KM)))
    plan = search_plan(commune=commune, radius_km=RADIUS_KM, rome_job=job)
    sql, params = ranking._page_statement(
        filters=plan.filters, seeker=plan.seeker, job_points=plan.job_points, today=plan.today, offset=0,
        limit=plan.page_size, trainings_per_offer=3,
    )  # fmt: skip
    parts = _statement_parts(sql)

    def statement(text: str):
        def run(index: int) -> None:
            with prepared_cursor() as cursor:
                cursor.execute(text, params)
                cursor.fetchall()

        return run

    client = Client(HTTP_HOST="localhost")
    layers = {
        "SQL brut (rayon)": lambda i: bare_sql(commune=commune, job=job, radius_km=RADIUS_KM),
        "lecture + tri": statement(parts["floor"]),
        "+ signaux, score": statement(parts["no_match"]),
        "+ double match": statement(sql),
        "service": lambda i: offer_search(commune=commune, radius_km=RADIUS_KM, rome_job=job),
        "API": lambda i: _api(client, commune, job, i),
    }
    timings: dict[str, list[float]] = {name: [] for name in layers}
    for index in range(runs + 7):  # 7 warm-up rounds: the prepared statements reach their generic plans
        for name in rng_order(index, list(layers)):
            started = time.perf_counter()
            layers[name](index)
            if index >= 7:
                timings[name].append((time.perf_counter() - started) * 1000)
    base = statistics.median(timings["SQL brut (rayon)"])
    print(f"Décomposition de la recherche la plus grande ({commune.insee} {job.code}), médianes de {runs} appels :")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"  {name:<18} {median:7.2f} ms   / SQL brut {median / base:5.2f}")


def rng_order(index: int, names: list[str]) -> list[str]:
    shift = index % len(names)
    return names[shift:] + names[:shift]


def _api(client, commune, job, index: int) -> None:
    # One client address per call: the per-IP rate limit protects the service, not this benchmark.
    response = client.get(
        "/api/v1/offers",
        {"rome": job.code, "insee": commune.insee, "radius_km": RADIUS_KM},
        REMOTE_ADDR=f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}",
    )
    if response.status_code != 200:
        raise SystemExit(f"API : statut {response.status_code} {response.content[:200]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=500_000)
    parser.add_argument("--trainings", type=int, default=50_000)
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--establishments", type=int, default=300_000)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=240)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reference", action="store_true", help="time the Python reference ranking too (before)")
    parser.add_argument(
        "--parts", action="store_true", help="then, where the largest search's time goes (statement cut down)"
    )
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if not options.generate_only:
        ensure_database()  # on a fresh machine: the server answers, the database does not exist yet
    _setup_django()
    from django.db import connection

    if options.generate_only:
        generate(offers=options.offers, trainings=options.trainings, contracts=options.contracts,
                 establishments=options.establishments, candidates=options.candidates,
                 applications=options.applications, seed=options.seed)  # fmt: skip
        return
    if connection.vendor != "postgresql":
        print("Attention : ce banc d'essai vise PostgreSQL (DATABASE_URL=postgres://...).", flush=True)
    from django.db.utils import DatabaseError

    try:
        from guichet.candidates.models import Application
        from guichet.contracts.models import Contract
        from guichet.offers.models import Offer
        from guichet.trainings.models import Training, TrainingSlot

        enough = (
            Application.objects.filter(is_synthetic=True).count() >= options.applications
            and Offer.objects.filter(is_synthetic=True).count() >= options.offers
            and Training.objects.count() >= options.trainings
            and Contract.objects.count() >= options.contracts
            and TrainingSlot.objects.exists()  # else: migrate, then fill the slots
        )
    except DatabaseError:
        enough = False
    connection.close()
    if not enough:
        print("Génération des données (processus séparé) :", flush=True)
        started = time.monotonic()
        subprocess.run([sys.executable, __file__, "--generate-only", *sys.argv[1:]], check=True)
        print(f"Génération terminée en {time.monotonic() - started:.0f} s.", flush=True)
    measure(runs=options.runs, reference=options.reference)
    if options.parts:
        measure_parts(runs=options.runs // 3)


if __name__ == "__main__":
    main()
