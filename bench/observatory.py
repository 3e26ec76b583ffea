"""Benchmark of the observatory at national scale, in one command:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_h9 .venv/bin/python bench/observatory.py [--contracts N]

1. generates N synthetic contracts over 5 years (2021-2025) across all French communes, written as a file in the
   import format (docs/observatory.md);
2. imports it with the contracts importer, and compares with a raw PostgreSQL COPY of the same file into a table of
   text columns (goal: importer >= 50 % of the COPY rate). The importer's time includes the register's deferred
   foreign-key checks (run by the importer itself, as a commit would); its steps, the peak memory of the process
   and a second import of the same file are printed; `--method python` measures the line-by-line path;
3. recomputes every KPI from the register into the summary tables (load + compute + write), and compares with
   DuckDB computing the same figures (stocks, new contracts, break-ups, early break-up rates, every place basis,
   level and breakdown) from the same contracts exported to Parquet (goal: <= 2x DuckDB);
4. prints the figures and ratios; everything runs in one transaction that is rolled back: the database is left as
   it was. Needs PostgreSQL; a missing database is created, migrated and given the reference data first.
   `--import-only` stops after step 2.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pgdatabase import ensure_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.base")


class Rollback(Exception):
    pass


def generate_file(path: Path, count: int, seed: int = 2016) -> None:
    from guichet.contracts.importers import ALL_COLUMNS as COLUMNS
    from guichet.jobs.models import RomeJob
    from guichet.territory.models import Commune, CommuneKind

    rng = random.Random(seed)
    communes = list(
        Commune.objects.filter(kind=CommuneKind.COMMUNE, population__gt=0)
        .order_by("insee")
        .values_list("insee", "department__code", "population")
    )
    by_department: dict[str, list[str]] = {}
    for insee, department, _ in communes:
        by_department.setdefault(department, []).append(insee)
    codes = [c[0] for c in communes]
    cumulative, total = [], 0
    for _, _, population in communes:
        total += population
        cumulative.append(total)
    department_of = {c[0]: c[1] for c in communes}
    romes = list(RomeJob.objects.order_by("code").values_list("code", flat=True))
    reasons = ("periode_probatoire", "accord_commun", "demission", "licenciement", "autre")
    bands = ("0", "1-5", "6-9", "10-19", "20-49", "50-99", "100-199", "200-499", "500+")
    import bisect

    with open(path, "w", encoding="utf-8") as handle:
        handle.write(";".join(COLUMNS) + "\n")
        for index in range(count):
            work = codes[bisect.bisect_left(cumulative, rng.random() * total)]
            training = work if rng.random() < 0.2 else rng.choice(by_department[department_of[work]])
            start = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
            months = rng.choice((6, 12, 12, 18, 24, 24, 24, 36))
            end = start + timedelta(days=months * 30)
            broken = ""
            reason = ""
            draw = rng.random()
            if draw < 0.27:
                broken_day = start + timedelta(days=rng.randint(1, 90) if draw < 0.106 else rng.randint(91, 365))
                if broken_day <= end:
                    broken, reason = broken_day.isoformat(), rng.choice(reasons)
            age = rng.choice((16, 17, 18, 18, 19, 19, 20, 21, 22, 23, 24, 25, 27))
            birth = date(start.year - age, 1, 1) + timedelta(days=rng.randrange(365))
            row = {
                "numero_contrat": f"BENCH-{index:08d}",
                "annee_naissance": str(start.year - age),
                "sexe": "F" if rng.random() < 0.46 else "M",
                "niveau": str(rng.choice((3, 3, 4, 5, 5, 6, 7))),
                "code_rome": rng.choice(romes),
                "code_rncp": "",
                "siret_employeur": "",
                "code_naf": "",
                "tranche_effectif": rng.choice(bands),
                "commune_travail": work,
                "siret_cfa": "",
                "commune_formation": training,
                "date_conclusion": (start - timedelta(days=rng.randint(0, 30))).isoformat(),
                "date_debut": start.isoformat(),
                "date_fin_prevue": end.isoformat(),
                "date_rupture": broken,
                "motif_rupture": reason,
                "date_naissance": birth.isoformat() if rng.random() < 0.5 else "",
                "uai_cfa": "",
                "code_diplome": "",
                "type_contrat": "CDI" if rng.random() < 0.03 else "CDD",
                "rqth": "oui" if rng.random() < 0.01 else "non",
                "secteur_employeur": "public" if rng.random() < 0.07 else "prive",
            }
            handle.write(";".join(row[column] for column in COLUMNS) + "\n")


def raw_copy_seconds(path: Path) -> float:
    from django.db import connection

    from guichet.contracts.importers import ALL_COLUMNS as COLUMNS

    with connection.cursor() as cursor:
        columns = ", ".join(f"{column} text" for column in COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE bench_raw_copy ({columns})")
        started = time.perf_counter()
        with (
            open(path, "rb") as handle,
            cursor.cursor.copy("COPY bench_raw_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw_copy")
    return elapsed


EXPORT_SQL = """
COPY (
  SELECT c.starts_on, COALESCE(c.break_on, c.planned_end_on) AS end_on, c.break_on, c.birth_year,
         c.level_id::text AS level, c.sex, COALESCE(d.major_code, 'inconnu') AS domain,
         COALESCE(NULLIF(c.headcount_band, ''), 'inconnu') AS size,
         COALESCE(NULLIF(r.future_family, ''), 'autre') AS future,
         wr.code AS work_region, wd.code AS work_department, wz.code AS work_zone, wb.code AS work_basin,
         tr.code AS training_region, td.code AS training_department, tz.code AS training_zone,
         tb.code AS training_basin
  FROM contracts_contract c
  JOIN jobs_romejob r ON r.id = c.rome_job_id
  LEFT JOIN jobs_professionaldomain d ON d.id = r.domain_id
  JOIN territory_commune w ON w.id = c.workplace_commune_id
  JOIN territory_department wd ON wd.id = w.department_id
  JOIN territory_region wr ON wr.id = wd.region_id
  LEFT JOIN territory_basinmembership wzm ON wzm.commune_id = w.id AND wzm.grid = 'ze2020'
  LEFT JOIN territory_basin wz ON wz.id = wzm.basin_id
  LEFT JOIN territory_basinmembership wbm ON wbm.commune_id = w.id AND wbm.grid = 'bmo'
  LEFT JOIN territory_basin wb ON wb.id = wbm.basin_id
  JOIN territory_commune t ON t.id = c.training_commune_id
  JOIN territory_department td ON td.id = t.department_id
  JOIN territory_region tr ON tr.id = td.region_id
  LEFT JOIN territory_basinmembership tzm ON tzm.commune_id = t.id AND tzm.grid = 'ze2020'
  LEFT JOIN territory_basin tz ON tz.id = tzm.basin_id
  LEFT JOIN territory_basinmembership tbm ON tbm.commune_id = t.id AND tbm.grid = 'bmo'
  LEFT JOIN territory_basin tb ON tb.id = tbm.basin_id
) TO STDOUT WITH (FORMAT csv, HEADER true)
"""


def export_parquet(directory: Path) -> Path:
    import duckdb
    from django.db import connection

    csv_path = directory / "contracts_export.csv"
    with connection.cursor() as cursor, open(csv_path, "wb") as handle, cursor.cursor.copy(EXPORT_SQL) as copy:
        for chunk in copy:
            handle.write(chunk)
    parquet = directory / "contracts.parquet"
    duck = duckdb.connect()
    duck.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, "
        "types={'work_zone': 'VARCHAR', 'work_basin': 'VARCHAR', 'training_zone': 'VARCHAR', "
        "'training_basin': 'VARCHAR', 'work_region': 'VARCHAR', 'work_department': 'VARCHAR', "
        "'training_region': 'VARCHAR', 'training_department': 'VARCHAR', 'level': 'VARCHAR'})) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    duck.close()
    return parquet


def duckdb_seconds(parquet: Path, *, first: int, last: int, as_of: date) -> tuple[float, int]:
    """The same figures as kpis.compute_kpis, in SQL; returns (seconds, number of non-zero figures)."""
    import duckdb

    duck = duckdb.connect()
    started = time.perf_counter()
    duck.execute(
        f"""
        CREATE TEMP TABLE c AS
        SELECT *,
          (year(starts_on) - 1970) * 12 + month(starts_on) - 1 AS start_m,
          CASE WHEN month(end_on + 1) <> month(end_on) THEN (year(end_on) - 1970) * 12 + month(end_on) - 1
               ELSE (year(end_on) - 1970) * 12 + month(end_on) - 2 END AS last_m,
          CASE WHEN break_on IS NULL THEN NULL ELSE (year(break_on) - 1970) * 12 + month(break_on) - 1 END AS break_m,
          (break_on IS NOT NULL AND break_on - starts_on < 90) AS early
        FROM read_parquet('{parquet}')
        """
    )
    age = (
        "CASE WHEN {y} - birth_year < 18 THEN '15-17' WHEN {y} - birth_year <= 20 THEN '18-20' "
        "WHEN {y} - birth_year <= 25 THEN '21-25' ELSE '26+' END"
    )
    figures = 0
    dims = ["level", "sex", "domain", "size", "future"]
    for place in ("work", "training"):
        for level in ("region", "department", "zone", "basin"):
            area = f"{place}_{level}"
            sets = ", ".join(["(m, area)"] + [f"(m, area, {d})" for d in [*dims, "age"]])
            stock = duck.execute(
                f"""
                SELECT count(*) FROM (
                  SELECT m, area, {", ".join(dims)}, age, count(*) AS n FROM (
                    SELECT g.m, {area} AS area, {", ".join(dims)}, {age.format(y="(g.m // 12 + 1970)")} AS age
                    FROM c JOIN range({first}, {last + 1}) g(m) ON g.m BETWEEN c.start_m AND c.last_m
                    WHERE {area} IS NOT NULL
                  ) GROUP BY GROUPING SETS ({sets})
                )
                """
            ).fetchone()[0]
            figures += stock
            if place != "work":
                continue
            for event, month, year in (("new", "start_m", "year(starts_on)"), ("breaks", "break_m", "year(break_on)")):
                rows = duck.execute(
                    f"""
                    SELECT count(*) FROM (
                      SELECT {month} AS m, {area} AS area, {", ".join(dims)}, {age.format(y=year)} AS age,
                             count(*) AS n, avg(early::int) AS rate
                      FROM c WHERE {area} IS NOT NULL AND {month} BETWEEN {first} AND {last}
                      GROUP BY GROUPING SETS ({sets})
                    )
                    """
                ).fetchone()[0]
                figures += rows * (2 if event == "new" else 1)  # new contracts and early break-up rate
    elapsed = time.perf_counter() - started
    duck.close()
    return elapsed, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--method", choices=("auto", "sql", "python"), default="auto", help="chemin de l'import")
    parser.add_argument("--import-only", action="store_true", help="s'arrêter après l'import")
    arguments = parser.parse_args()
    ensure_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from guichet.contracts.importers import import_contracts
    from guichet.contracts.models import Contract
    from guichet.observatory.kpis import last_complete_month
    from guichet.observatory.services import kpis_recompute

    if connection.vendor != "postgresql":
        sys.exit("Ce banc compare avec COPY de PostgreSQL : lancez-le avec DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0, interactive=False)
    from guichet.territory.models import Region

    if not Region.objects.exists():  # a new database: the communes and jobs the generated file refers to
        clock = time.perf_counter()
        call_command("import_reference_data", verbosity=0)
        print(f"Données de référence chargées en {time.perf_counter() - clock:.1f} s.", flush=True)
    as_of = date(2025, 12, 31)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        path = directory / "contrats.csv"
        started = time.perf_counter()
        generate_file(path, arguments.contracts)
        size = path.stat().st_size
        print(f"Fichier : {arguments.contracts:,} contrats, {size / 1e6:.0f} Mo, généré en "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        # Earlier runs were rolled back: without a vacuum their dead rows and index entries slow every insert down.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Contract._meta.db_table}")
        try:
            with transaction.atomic():
                before = Contract.objects.count()
                copy_seconds = raw_copy_seconds(path)
                memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                started = time.perf_counter()
                report = import_contracts(path=path, method=arguments.method)
                import_seconds = time.perf_counter() - started
                memory_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                if report.rejected:
                    sys.exit(report.as_text())
                print(f"COPY brut : {copy_seconds:.1f} s ({arguments.contracts / copy_seconds:,.0f} lignes/s)")
                print(f"Import des contrats (chemin {report.method}) : {import_seconds:.1f} s "
                      f"({arguments.contracts / import_seconds:,.0f} lignes/s) ; {report.created:,} créés "
                      f"({before:,} déjà présents)")  # fmt: skip
                steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.timings.items())
                print(f"  étapes : {steps}")
                print(f"  mémoire du processus : pic {memory_after / 1024:.0f} Mo "
                      f"(+{(memory_after - memory_before) / 1024:.0f} Mo pendant l'import)")  # fmt: skip
                print(f"Ratio import / COPY : {copy_seconds / import_seconds:.0%} du débit de COPY (objectif >= 50 %)")
                started = time.perf_counter()
                again = import_contracts(path=path, method=arguments.method)
                print(f"Second import du même fichier : {time.perf_counter() - started:.1f} s, "
                      f"{again.created} créés, {again.updated} modifiés, {again.unchanged:,} inchangés")  # fmt: skip
                if arguments.import_only:
                    raise Rollback
                started = time.perf_counter()
                run = kpis_recompute(trigger="banc", as_of=as_of, months=60)
                recompute_seconds = time.perf_counter() - started
                print(f"Recalcul complet des indicateurs : {recompute_seconds:.1f} s ({run.contracts:,} contrats, "
                      f"{run.rows:,} valeurs écrites)")  # fmt: skip
                parquet = export_parquet(directory)
                last = last_complete_month(as_of)
                duck_seconds, figures = duckdb_seconds(parquet, first=last - 59, last=last, as_of=as_of)
                print(f"DuckDB, mêmes indicateurs depuis Parquet : {duck_seconds:.1f} s ({figures:,} valeurs)")
                print(f"Ratio recalcul / DuckDB : {recompute_seconds / duck_seconds:.1f} x (objectif <= 2 x)")
                raise Rollback
        except Rollback:
            print("Transaction annulée : la base est revenue à son état initial.")


if __name__ == "__main__":
    main()
