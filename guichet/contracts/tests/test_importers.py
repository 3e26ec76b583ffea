"""The contracts importer: all or nothing per file, idempotent on the contract number, every error with its line."""

from __future__ import annotations

import gzip
import os
import select
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from guichet.contracts.importers import COLUMNS, contracts_imported, import_contracts
from guichet.contracts.models import Contract

pytestmark = pytest.mark.django_db

HEADER = ";".join(COLUMNS)


def line(number: str = "IMP-0001", **values: str) -> str:
    row = {
        "numero_contrat": number,
        "annee_naissance": "2006",
        "sexe": "F",
        "niveau": "3",
        "code_rome": "D1102",
        "code_rncp": "",
        "siret_employeur": "",
        "code_naf": "",
        "tranche_effectif": "1-5",
        "commune_travail": "80021",
        "siret_cfa": "",
        "commune_formation": "59350",
        "date_conclusion": "2025-08-20",
        "date_debut": "2025-09-01",
        "date_fin_prevue": "2027-08-31",
        "date_rupture": "",
        "motif_rupture": "",
        **values,
    }
    return ";".join(row[column] for column in COLUMNS)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_valid_file_fills_the_register_with_every_column_mapped(tmp_path):
    path = write(
        tmp_path / "contrats.csv",
        [
            line("IMP-0001"),
            line("IMP-0002", sexe="1", niveau="5", date_rupture="2025-10-15", motif_rupture="demission"),
        ],
    )
    report = import_contracts(path=path)
    assert not report.rejected, report.as_text()
    assert (report.read, report.created, report.updated) == (2, 2, 0)
    first = Contract.objects.get(contract_number="IMP-0001")
    assert first.workplace_commune.insee == "80021"
    assert first.training_commune.insee == "59350"
    assert first.rome_job.code == "D1102"
    assert (first.birth_year, first.age_band, first.sex, first.level_id) == (2006, "18-20", "F", 3)
    assert first.starts_on == date(2025, 9, 1) and first.break_on is None
    assert first.is_synthetic is False
    second = Contract.objects.get(contract_number="IMP-0002")
    assert (second.sex, second.level_id, second.break_on, second.break_reason) == (
        "M",
        5,
        date(2025, 10, 15),
        "demission",
    )


def test_importing_the_same_file_twice_changes_nothing_and_a_changed_line_updates_its_contract(tmp_path):
    path = write(tmp_path / "contrats.csv", [line("IMP-0001"), line("IMP-0002")])
    import_contracts(path=path)
    again = import_contracts(path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    write(path, [line("IMP-0001"), line("IMP-0002", date_rupture="2025-11-02", motif_rupture="accord_commun")])
    changed = import_contracts(path=path)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Contract.objects.get(contract_number="IMP-0002").break_on == date(2025, 11, 2)


def test_a_broken_file_changes_nothing_and_reports_every_error_with_its_line(tmp_path):
    write(tmp_path / "ok.csv", [line("IMP-0001")])
    import_contracts(path=tmp_path / "ok.csv")
    before = list(Contract.objects.order_by("pk").values_list("contract_number", "break_on"))
    path = tmp_path / "casse.csv"
    body = [
        line("IMP-0001", date_rupture="2025-10-01", motif_rupture="demission"),  # 2: valid update, not applied
        line("IMP-0100", date_debut="2025-02-30"),  # 3: no 30 February
        line("IMP-0101", commune_travail="99999"),  # 4: unknown commune
        line("IMP-0102"),  # 5
        line("IMP-0102"),  # 6: duplicate identifier
        line("IMP-0103", date_fin_prevue="2025-08-01"),  # 7: ends before it starts
    ]
    truncated = line("IMP-0105").rsplit(";", 4)[0]  # 9: truncated line
    raw = "\n".join([HEADER, *body]).encode("utf-8") + b"\n"
    raw += line("IMP-0104", commune_travail="80021").replace("F", "F\xe9").encode("latin-1") + b"\n"  # 8: Latin-1
    raw += truncated.encode("utf-8")  # the file stops in the middle of a line
    path.write_bytes(raw)
    report = import_contracts(path=path)
    lines = {rejection.line: rejection.reason for rejection in report.rejected}
    assert sorted(lines) == [3, 4, 6, 7, 8, 9], report.as_text()
    assert "date_debut" in lines[3]
    assert "commune_travail" in lines[4] and "99999" in lines[4]
    assert "en double" in lines[6]
    assert "date_fin_prevue" in lines[7]
    assert "encodage" in lines[8]
    assert "tronquée" in lines[9]
    assert list(Contract.objects.order_by("pk").values_list("contract_number", "break_on")) == before
    assert not Contract.objects.filter(contract_number__startswith="IMP-01").exists()


def test_a_file_without_the_expected_columns_is_refused_with_their_names(tmp_path):
    path = tmp_path / "colonnes.csv"
    path.write_text("numero_contrat;sexe\nA;F\n", encoding="utf-8")
    report = import_contracts(path=path)
    assert report.rejected and "colonnes manquantes" in report.rejected[0].reason
    assert "date_debut" in report.rejected[0].reason


def test_the_command_refuses_a_broken_file_and_writes_the_rejected_lines(tmp_path):
    path = write(tmp_path / "casse.csv", [line("IMP-0200", sexe="X")])
    rejects = tmp_path / "rejets.csv"
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_contracts", str(path), "--no-progress", "--rejects", str(rejects))
    assert "2;sexe « X »" in rejects.read_text(encoding="utf-8")


def test_a_gzipped_file_is_read_and_the_signal_is_sent_after_commit(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "contrats.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join([HEADER, line("IMP-0300")]) + "\n")
    received = []

    def receiver(sender, report, **kwargs):
        received.append(report.created)

    contracts_imported.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = import_contracts(path=path)
    finally:
        contracts_imported.disconnect(receiver)
    assert report.created == 1 and received == [1]


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host, port = database["USER"], database["HOST"] or "127.0.0.1", database["PORT"] or 5432
        password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"
    return f"sqlite:///{database['NAME']}"


def test_killing_the_import_midway_leaves_no_contract_behind(tmp_path):
    path = tmp_path / "gros.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        for index in range(400_000):
            handle.write(line(f"KILL-{index:07d}") + "\n")
    before = Contract.objects.count()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "guichet.settings.test",
        "GUICHET_VAR_DIR": str(settings.VAR_DIR),
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_contracts", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:  # wait until a quarter of the file has been validated and staged
            ready, _, _ = select.select([process.stderr], [], [], 1)
            if ready:
                seen += os.read(process.stderr.fileno(), 4096)
                shares = [part.split(b"%")[0].split()[-1] for part in seen.split(b"\r") if b"%" in part]
                if shares and float(shares[-1].decode()) >= 25:
                    break
            assert process.poll() is None, f"l'import s'est arrêté avant d'être tué : {seen[-500:]!r}"
        else:
            pytest.fail("l'import n'a pas progressé en 2 minutes")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert Contract.objects.count() == before
    assert not Contract.objects.filter(contract_number__startswith="KILL-").exists()
