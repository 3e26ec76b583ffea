"""Bulk import of apprenticeship contracts from a DECA-like CSV extract (format: docs/observatory.md).

All or nothing per file: every line is parsed and validated, the valid ones streamed into a temporary table,
all inside ONE transaction; only when no line is rejected are they merged into the register (insert new
contract numbers, update changed ones, leave identical ones). A killed import leaves nothing behind: the
transaction is never committed. Lines are read as bytes and decoded one by one, so a line in the wrong
encoding is reported with its number instead of stopping the whole read.

Personal data minimised: the format has no names, only the birth year of the apprentice.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import django.dispatch
from django.db import connection, transaction

from guichet.contracts.enums import BreakReason, Sex, age_band_for
from guichet.contracts.models import Contract
from guichet.core.importing import ImportRejected, ImportReport
from guichet.employers.enums import HeadcountBand
from guichet.employers.models import Establishment, NafActivity
from guichet.employers.validators import is_la_poste_siret, luhn_is_valid
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.territory.models import Commune
from guichet.trainings.models import Certification, TrainingCentre

# Sent after a file was imported (and committed); the observatory recomputes its figures on it.
contracts_imported = django.dispatch.Signal()

DELIMITER = ";"
COLUMNS = (
    "numero_contrat", "annee_naissance", "sexe", "niveau", "code_rome", "code_rncp", "siret_employeur",
    "code_naf", "tranche_effectif", "commune_travail", "siret_cfa", "commune_formation", "date_conclusion",
    "date_debut", "date_fin_prevue", "date_rupture", "motif_rupture",
)  # fmt: skip
REQUIRED = ("numero_contrat", "annee_naissance", "sexe", "niveau", "code_rome", "commune_travail")
REQUIRED += ("commune_formation", "date_conclusion", "date_debut", "date_fin_prevue")
SEX_CODES = {"F": Sex.FEMALE, "M": Sex.MALE, "2": Sex.FEMALE, "1": Sex.MALE}
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_/.-]{0,29}$")
ROME = re.compile(r"^[A-N]\d{4}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STAGING_COLUMNS = (
    "contract_number", "birth_year", "age_band", "sex", "level_id", "rome_job_id", "certification_id",
    "establishment_id", "naf_id", "headcount_band", "workplace_commune_id", "training_centre_id",
    "training_commune_id", "concluded_on", "starts_on", "planned_end_on", "break_on", "break_reason", "is_synthetic",
)  # fmt: skip
BREAK_REASONS = frozenset(BreakReason.values)
HEADCOUNT_BANDS = frozenset(HeadcountBand.values)
CHUNK = 20_000
MAX_KEPT_REJECTIONS = 100_000


@dataclass
class Lookups:
    communes: dict[str, int]
    romes: dict[str, int]
    levels: set[int]
    nafs: dict[str, int]
    establishments: dict[str, int]
    centres: dict[str, int]
    certifications: dict[str, int]

    @classmethod
    def load(cls) -> Lookups:
        certifications: dict[str, int] = {}
        for rncp, pk in Certification.objects.exclude(rncp="").order_by("code_certifinfo").values_list("rncp", "pk"):
            certifications.setdefault(rncp, pk)
        return cls(
            communes=dict(Commune.objects.values_list("insee", "id")),
            romes=dict(RomeJob.objects.values_list("code", "id")),
            levels=set(DiplomaLevel.objects.values_list("level", flat=True)),
            nafs=dict(NafActivity.objects.values_list("code", "id")),
            establishments=dict(Establishment.objects.values_list("siret", "id")),
            centres=dict(TrainingCentre.objects.values_list("siret", "id")),
            certifications=certifications,
        )


class _Lines:
    """Decoded lines of a file with their physical numbers; undecodable lines are reported and skipped."""

    def __init__(self, handle: BinaryIO, report: ContractImportReport, progress: Callable[[int], None] | None) -> None:
        self.handle, self.report, self.progress = handle, report, progress
        self.number = 0
        self.bytes_read = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            self.number += 1
            self.bytes_read += len(raw)
            if self.progress is not None and self.number % 10_000 == 0:
                self.progress(self.bytes_read)
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                _reject(self.report, self.number, f"encodage invalide (octet {error.start + 1}) : UTF-8 attendu")
                continue
            if not line.strip():
                continue
            yield line


@dataclass
class ContractImportReport(ImportReport):
    """The shared report, plus the count of rejected lines beyond the ones kept (the first 100,000)."""

    rejected_total: int = 0

    def as_text(self, *, max_rejections: int = 50) -> str:
        text = super().as_text(max_rejections=max_rejections)
        if self.rejected_total > len(self.rejected):
            text += f"\n{self.rejected_total} lignes rejetées au total (les {len(self.rejected)} premières gardées)."
        return text


def _reject(report: ContractImportReport, line: int, reason: str) -> None:
    report.rejected_total += 1
    if len(report.rejected) < MAX_KEPT_REJECTIONS:
        report.reject(line, reason)


def _date(value: str, column: str) -> date:
    if not DATE.match(value):
        raise ValueError(f"{column} « {value} » : date au format AAAA-MM-JJ attendue")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column} « {value} » : cette date n'existe pas") from None


def _siret_ok(value: str) -> bool:
    return len(value) == 14 and (luhn_is_valid(value) or is_la_poste_siret(value))


def validate_row(row: list[str], *, lookups: Lookups) -> tuple:
    """One line -> the staging tuple; raises ValueError with the French reason of the first problem found."""
    values = dict(zip(COLUMNS, (value.strip() for value in row), strict=True))
    missing = [column for column in REQUIRED if not values[column]]
    if missing:
        raise ValueError(f"champ(s) obligatoire(s) vide(s) : {', '.join(missing)}")
    number = values["numero_contrat"]
    if not NUMBER.match(number):
        raise ValueError(f"numero_contrat « {number} » : 1 à 30 lettres, chiffres, - _ / . attendus")
    starts_on = _date(values["date_debut"], "date_debut")
    concluded_on = _date(values["date_conclusion"], "date_conclusion")
    planned_end_on = _date(values["date_fin_prevue"], "date_fin_prevue")
    break_on = _date(values["date_rupture"], "date_rupture") if values["date_rupture"] else None
    if planned_end_on <= starts_on:
        raise ValueError("date_fin_prevue doit être postérieure à date_debut")
    if break_on is not None and break_on < starts_on:
        raise ValueError("date_rupture ne peut pas précéder date_debut")
    if break_on is not None and break_on > planned_end_on:
        raise ValueError("date_rupture ne peut pas suivre date_fin_prevue")
    reason = values["motif_rupture"]
    if break_on is None and reason:
        raise ValueError("motif_rupture donné sans date_rupture")
    if break_on is not None and reason not in BREAK_REASONS:
        raise ValueError(f"motif_rupture « {reason} » inconnu ({', '.join(BreakReason.values)})")
    birth = values["annee_naissance"]
    if not (len(birth) == 4 and birth.isdigit()):
        raise ValueError(f"annee_naissance « {birth} » : une année sur 4 chiffres attendue")
    age = starts_on.year - int(birth)
    if not 14 <= age <= 70:
        raise ValueError(f"annee_naissance {birth} : âge de {age} ans au début du contrat, invraisemblable")
    sex = SEX_CODES.get(values["sexe"])
    if sex is None:
        raise ValueError(f"sexe « {values['sexe']} » : F, M, 2 (femme) ou 1 (homme) attendu")
    level = values["niveau"]
    if not level.isdigit() or int(level) not in lookups.levels:
        raise ValueError(f"niveau « {level} » : niveau de diplôme de 3 à 8 attendu")
    rome = values["code_rome"]
    if not ROME.match(rome) or rome not in lookups.romes:
        raise ValueError(f"code_rome « {rome} » inconnu du ROME 4.0")
    workplace = lookups.communes.get(values["commune_travail"])
    if workplace is None:
        raise ValueError(f"commune_travail « {values['commune_travail']} » : commune inconnue (code INSEE attendu)")
    training = lookups.communes.get(values["commune_formation"])
    if training is None:
        raise ValueError(
            f"commune_formation « {values['commune_formation']} » : commune inconnue (code INSEE attendu)"
        )
    siret = values["siret_employeur"]
    if siret and not _siret_ok(siret):
        raise ValueError(f"siret_employeur « {siret} » : 14 chiffres avec une clé valide attendus")
    centre_siret = values["siret_cfa"]
    if centre_siret and not _siret_ok(centre_siret):
        raise ValueError(f"siret_cfa « {centre_siret} » : 14 chiffres avec une clé valide attendus")
    naf = values["code_naf"]
    naf_id = None
    if naf:
        naf_id = lookups.nafs.get(naf)
        if naf_id is None:
            raise ValueError(f"code_naf « {naf} » inconnu de la NAF rév. 2 (format 47.11F)")
    band = values["tranche_effectif"]
    if band and band not in HEADCOUNT_BANDS:
        raise ValueError(f"tranche_effectif « {band} » inconnue ({', '.join(HeadcountBand.values)})")
    rncp = values["code_rncp"]
    certification = None
    if rncp:
        certification = lookups.certifications.get(rncp)
        if certification is None:
            raise ValueError(f"code_rncp « {rncp} » inconnu de Certif Info")
    return (
        number, int(birth), age_band_for(age).value, sex.value, int(level), lookups.romes[rome], certification,
        lookups.establishments.get(siret) if siret else None, naf_id, band, workplace,
        lookups.centres.get(centre_siret) if centre_siret else None, training, concluded_on, starts_on,
        planned_end_on, break_on, reason if break_on else "", False,
    )  # fmt: skip


def _open(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # type: ignore[return-value]


class _Staging:
    """A temporary table in the import's transaction, filled chunk by chunk."""

    def __init__(self) -> None:
        self.table = "contract_import_staging"
        self.postgres = connection.vendor == "postgresql"

    def create(self) -> None:
        contract = Contract._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            columns = ", ".join(STAGING_COLUMNS)
            suffix = " ON COMMIT DROP" if self.postgres else ""
            cursor.execute(f"CREATE TEMP TABLE {self.table}{suffix} AS SELECT {columns} FROM {contract} WHERE 1 = 0")

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = ", ".join(STAGING_COLUMNS)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(STAGING_COLUMNS))
                cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", rows)

    def merge(self) -> tuple[int, int, int]:
        """Insert new contract numbers, update changed rows; returns (total, created, updated)."""
        contract = Contract._meta.db_table
        columns = ", ".join(STAGING_COLUMNS)
        updated_columns = [column for column in STAGING_COLUMNS if column != "contract_number"]
        assignments = ", ".join(f"{column} = excluded.{column}" for column in updated_columns)
        distinct = " IS DISTINCT FROM " if self.postgres else " IS NOT "
        changed = " OR ".join(f"{contract}.{column}{distinct}excluded.{column}" for column in updated_columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {self.table}")
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COUNT(*) FROM {self.table} s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {contract} c WHERE c.contract_number = s.contract_number)"
            )
            created = cursor.fetchone()[0]
            cursor.execute(
                f"INSERT INTO {contract} ({columns}) SELECT {columns} FROM {self.table} WHERE true "
                f"ON CONFLICT (contract_number) DO UPDATE SET {assignments} WHERE {changed}"
            )
            written = cursor.rowcount
            if not self.postgres:
                cursor.execute(f"DROP TABLE {self.table}")
        return total, created, written - created


def import_contracts(
    *,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    lookups: Lookups | None = None,
) -> ContractImportReport:
    """Import one file, all or nothing. Returns the report; nothing is written when a line is rejected.

    `progress(bytes_read, total_bytes)` is called every 10,000 lines.
    """
    report = ContractImportReport(source=f"Contrats d'apprentissage ({path.name})")
    lookups = lookups or Lookups.load()
    total_bytes = os.path.getsize(path)
    seen: set[str] = set()
    staging = _Staging()
    try:
        with transaction.atomic():
            staging.create()
            buffer: list[tuple] = []
            with _open(path) as handle:
                lines = _Lines(handle, report, (lambda done: progress(done, total_bytes)) if progress else None)
                reader = csv.reader(iter(lines), delimiter=DELIMITER)
                header = next(reader, None)
                if header is None:
                    raise _FileError("le fichier est vide")
                missing = [column for column in COLUMNS if column not in [name.strip() for name in header]]
                if missing:
                    raise _FileError(f"colonnes manquantes : {', '.join(missing)} (voir docs/observatory.md)")
                positions = [[name.strip() for name in header].index(column) for column in COLUMNS]
                width = len(header)
                for row in reader:
                    report.read += 1
                    line = lines.number
                    if len(row) != width:
                        kind = "ligne tronquée" if len(row) < width else "champs en trop"
                        _reject(report, line, f"{kind} : {len(row)} champs au lieu de {width}")
                        continue
                    try:
                        values = validate_row([row[position] for position in positions], lookups=lookups)
                    except ValueError as error:
                        _reject(report, line, str(error))
                        continue
                    if values[0] in seen:
                        _reject(report, line, f"numero_contrat {values[0]} en double dans le fichier")
                        continue
                    seen.add(values[0])
                    if report.rejected:
                        continue  # nothing will be written: stop staging, keep validating
                    buffer.append(values)
                    if len(buffer) >= CHUNK:
                        staging.write(buffer)
                        buffer.clear()
            if progress:
                progress(total_bytes, total_bytes)
            if report.rejected:
                raise ImportRejected(report)
            staging.write(buffer)
            total, report.created, report.updated = staging.merge()
            report.unchanged = total - report.created - report.updated
    except ImportRejected:
        pass
    except _FileError as error:
        _reject(report, 0, str(error))
    except (OSError, EOFError, gzip.BadGzipFile, csv.Error) as error:
        _reject(report, 0, f"fichier illisible : {error}")
    if not report.rejected and report.changed:
        transaction.on_commit(lambda: contracts_imported.send(sender=Contract, report=report))
    return report


class _FileError(Exception):
    pass
