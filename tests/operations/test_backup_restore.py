"""Backup and restore round trip with the scripts of docs/operations.md (scripts/backup.sh, restore.sh).

A database populated like production (the reference data, a small synthetic population, KPIs recomputed)
is dumped with pg_dump, restored into a new database with pg_restore, and the two are compared: same
tables, same row count per table, same content per table, and the KPIs recomputed from the restored
register are the same as the original ones."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL,
        reason="pg_dump/pg_restore need PostgreSQL (the SQLite demo database is one file: copy it while stopped)",
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump and pg_restore are not installed"),
    # The test database (with its reference data) is set up; the round trip itself runs on two others.
    pytest.mark.django_db,
]

AS_OF = "2026-10-31"
# The register and the KPIs of the copied database, as JSON on stdout (run in a separate process).
POPULATE = f"""
import django
django.setup()
from datetime import date
from guichet.contracts.demo.generator import generate_demo_population
from guichet.observatory.services import kpis_recompute
generate_demo_population(seed=42, fraction=0.01, today=date(2026, 11, 1))
run = kpis_recompute(trigger="avant sauvegarde", as_of=date.fromisoformat("{AS_OF}"), months=24)
print(run.contracts, run.rows)
"""
KPIS = f"""
import django, hashlib, json
django.setup()
from datetime import date
from guichet.observatory.models import KpiSeries
from guichet.observatory.services import kpis_recompute
def digest():
    rows = KpiSeries.objects.order_by("indicator", "place", "level", "area", "dimension", "category").values_list(
        "indicator", "place", "level", "area", "dimension", "category", "start", "values"
    )
    return len(rows), hashlib.sha256(json.dumps(list(rows), default=str).encode()).hexdigest()
before = digest()
kpis_recompute(trigger="après restauration", as_of=date.fromisoformat("{AS_OF}"), months=24)
print(json.dumps({{"stored": before, "recomputed": digest()}}))
"""


def _url(name: str) -> str:
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{database['USER']}{password}@{host}:{port}/{name}"


def _admin() -> psycopg.Connection:
    return psycopg.connect(_url("postgres").replace("postgres://", "postgresql://", 1), autocommit=True)


def _tables(url: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the whole content of every table of the public schema."""
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        names = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        result = {}
        for name in sorted(names):
            count, digest = db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{name}\" t"
            ).fetchone()
            result[name] = (count, digest)
        return result


def _run(command: list[str], *, database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "guichet.settings.test"}
    env["GUICHET_VAR_DIR"] = str(settings.VAR_DIR)
    result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, (
        f"{' '.join(command[:3])} a échoué :\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@pytest.fixture
def databases(django_db_setup):
    """A copy of the test database (migrated, reference data loaded: copied with pg_dump | pg_restore, not
    with the scripts under test) populated for the round trip, and the name of the database to restore
    into; both dropped afterwards."""
    test_database = connection.settings_dict["NAME"]
    source, target = f"{test_database}_bk_src", f"{test_database}_bk_dst"
    with _admin() as admin:
        for name in (source, target):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{source}"')
    libpq = _url(test_database).replace("postgres://", "postgresql://", 1)
    dump = subprocess.run(["pg_dump", "--format=custom", libpq], capture_output=True, check=True).stdout
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            _url(source).replace("postgres://", "postgresql://", 1),
        ],
        input=dump,
        capture_output=True,
        check=True,
    )
    try:
        _run([sys.executable, "-c", POPULATE], database_url=_url(source))
        yield _url(source), _url(target)
    finally:
        with _admin() as admin:
            for name in (source, target):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_has_the_same_rows_and_the_same_kpis(databases, tmp_path):
    source, target = databases
    dump = tmp_path / "guichet.dump"
    out = _run(["bash", "scripts/backup.sh", source, str(dump)], database_url=source)
    assert dump.stat().st_size > 0 and "Base sauvegardée" in out
    assert not list(tmp_path.glob("*.partial"))
    _run(["bash", "scripts/restore.sh", str(dump), target], database_url=target)

    original, restored = _tables(source), _tables(target)
    assert list(restored) == list(original)
    assert {name: count for name, (count, _) in restored.items()} == {
        name: count for name, (count, _) in original.items()
    }
    assert restored == original  # same content, table by table
    for table in ("territory_commune", "contracts_contract", "observatory_kpiseries", "observatory_kpirun"):
        assert original[table][0] > 0, f"{table} est vide : l'aller-retour ne prouverait rien"

    source_kpis = json.loads(_run([sys.executable, "-c", KPIS], database_url=source))
    target_kpis = json.loads(_run([sys.executable, "-c", KPIS], database_url=target))
    assert target_kpis["stored"] == source_kpis["stored"]
    assert target_kpis["recomputed"] == source_kpis["recomputed"] == source_kpis["stored"]


def test_restore_refuses_a_database_that_already_has_tables(databases, tmp_path):
    source, _ = databases
    dump = tmp_path / "guichet.dump"
    _run(["bash", "scripts/backup.sh", source, str(dump)], database_url=source)
    result = subprocess.run(
        ["bash", "scripts/restore.sh", str(dump), source], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "contient déjà des tables" in result.stderr


def test_backup_refuses_a_database_address_that_is_not_postgresql(tmp_path):
    result = subprocess.run(
        ["bash", "scripts/backup.sh", "sqlite:///var/guichet.sqlite3", str(tmp_path / "x.dump")],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Usage" in result.stderr
    assert not (tmp_path / "x.dump").exists()
