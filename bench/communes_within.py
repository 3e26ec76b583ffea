"""Benchmark of `communes_within` (and optionally of the territory import) on the configured database.

    .venv/bin/python bench/communes_within.py [--import] [--radius-km 30] [--sample 1000] [--seed 2026]

Uses DATABASE_URL like the application (SQLite file in GUICHET_VAR_DIR by default); the territory data must
be imported already, or pass --import to import it first (its time is measured). Times `communes_within`
for a seeded random sample of communes nationwide plus every Hauts-de-France commune, and prints the
median, 95th percentile and maximum in ms and the number of communes returned.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.base")
    import django

    django.setup()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time_group(label: str, communes: list, radius_km: float) -> None:
    from guichet.territory.selectors import communes_within

    durations, counts = [], []
    for commune in communes:
        started = time.perf_counter()
        nearby = communes_within(commune=commune, radius_km=radius_km)
        durations.append((time.perf_counter() - started) * 1000)
        counts.append(len(nearby))
    print(
        f"{label}: {len(communes)} calls, radius {radius_km:g} km | "
        f"median {statistics.median(durations):.2f} ms, p95 {_percentile(durations, 0.95):.2f} ms, "
        f"max {max(durations):.2f} ms | communes returned: median {statistics.median(counts):.0f}, "
        f"min {min(counts)}, max {max(counts)}, total {sum(counts)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--import", dest="do_import", action="store_true", help="Import the territory data first.")
    parser.add_argument("--radius-km", type=float, default=30.0)
    parser.add_argument("--sample", type=int, default=1000, help="Random communes nationwide (default 1000).")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    _setup_django()

    from django.db import connection

    from guichet.territory.importers import import_territory
    from guichet.territory.models import Basin, BasinMembership, Commune, Department, Region

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    if options.do_import:
        started = time.perf_counter()
        reports = import_territory()
        elapsed = time.perf_counter() - started
        for report in reports:
            print("  " + report.as_text().replace("\n", "\n  "))
        if any(report.rejected for report in reports):
            sys.exit("Import rejected: nothing was saved.")
        print(f"Territory import: {elapsed:.2f} s")
    counts = {model.__name__: model.objects.count() for model in (Region, Department, Commune, Basin, BasinMembership)}
    print("Rows: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    if not counts["Commune"]:
        sys.exit("No commune in this database: run with --import.")

    with_coordinates = list(Commune.objects.exclude(latitude=None).order_by("insee"))
    sample = random.Random(options.seed).sample(with_coordinates, min(options.sample, len(with_coordinates)))
    hauts_de_france = [commune for commune in with_coordinates if commune.insee[:2] in {"02", "59", "60", "62", "80"}]
    _time_group("warm-up", sample[:50], options.radius_km)
    _time_group("France, random sample", sample, options.radius_km)
    _time_group("Hauts-de-France, all communes", hauts_de_france, options.radius_km)


if __name__ == "__main__":
    main()
