"""Benchmark of the observatory's pages with the summaries in place, in one command:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboard GUICHET_VAR_DIR=/tmp/bench-var \
        .venv/bin/python bench/dashboard.py [--runs 30]

Population: the regional demo (`generate_demo_population --seed 42 --scale region`: 1/10 of Hauts-de-France, the
population analysts see on the demo, with its support requests, aid budgets and proposals), not the national register
of bench/observatory.py: the pages are regional (Hauts-de-France areas only), and the national run rolls its register
back. On an empty database the script migrates, loads the reference data and generates that population first
(about 1 minute), and collects the static files with their manifest (as in production) into GUICHET_VAR_DIR;
`--prepare` forces a new generation.

1. recomputes the summaries (`kpis_recompute`, what the nightly task and each import do) and times it;
2. requests each page through Django's test client as a logged-in analyst (full stack: middleware, session, views,
   templates): dashboard, a zone page, the needs page (both grids), the map (a register figure and a single point
   of contact figure), the proposals list, and the KPI API (region and zone); `--warmup` untimed runs, then `--runs`
   timed runs of each, interleaved;
3. prints p50, p95 and max per page (wall-clock milliseconds), the median CPU time of this Python process per
   request (what the page costs the web server, whatever the machine's load), SQL queries per page and the page
   size, as a Markdown table, and the machine's load average.

Rate-limit counters (local memory cache) are cleared before each timed API call, outside the timing. The bench
analyst account is deleted at the end. Needs PostgreSQL (DATABASE_URL); the figures go in docs/benchmarks/dashboard.md.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

from pgdatabase import ensure_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.base")

BENCH_EMAIL = "banc-tableau-de-bord@example.invalid"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 30 runs = the 29th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def prepare(*, force: bool) -> str:
    from django.conf import settings
    from django.core.management import call_command

    from guichet.contracts.models import Contract
    from guichet.territory.models import Region

    call_command("migrate", verbosity=0, interactive=False)
    steps = []
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)  # the manifest, as in production
        steps.append(f"fichiers statiques rassemblés dans {settings.STATIC_ROOT}")
    if not Region.objects.exists():
        clock = time.perf_counter()
        call_command("import_reference_data", verbosity=0)
        steps.append(f"données de référence chargées en {time.perf_counter() - clock:.1f} s")
    else:
        with open(os.devnull, "w") as quiet:  # the glossary of this checkout
            call_command("import_reference_data", only=["observatory"], verbosity=0, stdout=quiet)
    if force or not Contract.objects.filter(is_synthetic=True).exists():
        clock = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("generate_demo_population", seed=42, scale="region", verbosity=0, stdout=quiet)
        steps.append(f"population régionale générée en {time.perf_counter() - clock:.1f} s")
    return "; ".join(steps) or "population déjà en place"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--prepare", action="store_true", help="regenerate the regional demo population first")
    args = parser.parse_args()
    ensure_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guichet.accounts.models import Role, User
    from guichet.aids.models import AidBudget
    from guichet.contracts.models import Contract
    from guichet.observatory.kpis import STOCK
    from guichet.observatory.operations import SUPPORT_IN_TIME
    from guichet.observatory.selectors import kpi_area_values, kpi_periods
    from guichet.observatory.services import kpis_recompute
    from guichet.support.models import SupportRequest

    if connection.vendor != "postgresql":
        sys.exit("Ce banc mesure PostgreSQL : donnez DATABASE_URL=postgres://... (une base à vous).")
    print(f"Base : {settings.DATABASES['default']['NAME']} (PostgreSQL {connection.pg_version // 10000})")
    print(f"Préparation : {prepare(force=args.prepare)}")
    print(
        f"Population : {Contract.objects.count()} contrats, {SupportRequest.objects.count()} demandes au guichet "
        f"unique, {AidBudget.objects.count()} budgets d'aide"
    )

    clock = time.perf_counter()
    run = kpis_recompute(trigger="banc tableau de bord")
    recompute = time.perf_counter() - clock
    print(f"Recalcul des synthèses : {recompute:.1f} s ({run.contracts} contrats, {run.rows} séries)")

    period = kpi_periods()[-1]
    zones = kpi_area_values(indicator=STOCK, level="zone", period=period)
    zone = max(zones, key=zones.get)
    pages = [
        ("Tableau de bord", "/observatoire/"),
        (f"Page d'une zone d'emploi ({zone})", f"/observatoire/zones/zone/{zone}/"),
        ("Besoins et formations (zones d'emploi)", "/observatoire/besoins/?grid=zone"),
        ("Besoins et formations (bassins BMO)", "/observatoire/besoins/?grid=basin"),
        ("Carte (apprentis, zones d'emploi)", "/observatoire/carte/?grid=zone"),
        ("Carte (guichet unique, zones d'emploi)", f"/observatoire/carte/?grid=zone&indicateur={SUPPORT_IN_TIME}"),
        ("Propositions aux centres", "/observatoire/propositions/"),
        ("API kpis (région)", "/api/v1/observatory/kpis"),
        (f"API kpis (zone {zone})", f"/api/v1/observatory/kpis?level=zone&code={zone}"),
    ]  # fmt: skip

    User.objects.filter(email=BENCH_EMAIL).delete()
    analyst = User.objects.create_user(email=BENCH_EMAIL, password=None, role=Role.ANALYST)
    client = Client(SERVER_NAME="localhost")
    client.force_login(analyst)
    try:
        timings: dict[str, list[float]] = {url: [] for _, url in pages}
        cpu: dict[str, list[float]] = {url: [] for _, url in pages}
        queries: dict[str, int] = {}
        sizes: dict[str, int] = {}
        for _, url in pages:
            for _ in range(args.warmup):
                cache.clear()
                response = client.get(url)
                if response.status_code != 200:
                    sys.exit(f"{url} : réponse {response.status_code}, le banc s'arrête.")
                sizes[url] = len(response.content)
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[url] = len(captured.captured_queries)
        for _ in range(args.runs):
            for _, url in pages:
                cache.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings[url].append((time.perf_counter() - start) * 1000)
                cpu[url].append((time.process_time() - start_cpu) * 1000)
                assert response.status_code == 200, url
    finally:
        analyst.delete()

    print()
    print(f"{args.runs} requêtes mesurées par page (après {args.warmup} de chauffe), client de test Django :")
    print()
    print("| page | p50 (ms) | p95 (ms) | max (ms) | CPU Python p50 (ms) | requêtes SQL | taille (ko) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, url in pages:
        values = timings[url]
        print(
            f"| {label} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | {max(values):.0f} | "
            f"{statistics.median(cpu[url]):.0f} | {queries[url]} | {sizes[url] / 1024:.0f} |"
        )
    load = os.getloadavg()
    print()
    print(f"Charge de la machine à la fin : {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} ({os.cpu_count()} cœurs).")


if __name__ == "__main__":
    main()
