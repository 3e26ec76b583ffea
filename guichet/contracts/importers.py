"""Bulk import of apprenticeship contracts from a DECA-like CSV extract (format: docs/observatory.md).

All or nothing per file: every line is validated, all inside ONE transaction; only when no line is rejected
are the lines merged into the register (insert new contract numbers, update changed ones, leave identical
ones). A killed import leaves nothing behind: the transaction is never committed.

Two paths give the same rejections (tested on the same files):

- on PostgreSQL, the set-wise path: the file (decompressed on the fly) is COPYed as it is into an unlogged
  staging table of text columns with a line-number column, validated by one SQL query (joins to the reference
  tables, date, format and SIRET-key checks, duplicates by window), and merged in SQL. It takes the usual
  extract: ASCII, no quotes, one physical line per contract. Anything else (another encoding, quotes,
  control characters, a line with too few or too many fields, blank lines) makes COPY or its pre-checks stop,
  and the file goes through the line-by-line path, which names every faulty line;
- the line-by-line path (SQLite, and the fallback above): lines are read as bytes and decoded one by one, so a
  line in the wrong encoding is reported with its number; each line is validated in Python and streamed into
  a temporary table, merged the same way.

Personal data minimised: the format has no names; the birth date is optional (the birth year is enough).
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO, Literal

import django.dispatch
from django.db import DatabaseError, connection, transaction

from guichet.contracts.enums import BreakReason, ContractKind, EmployerSector, Sex, age_band_for
from guichet.contracts.models import CFD_PATTERN, Contract
from guichet.core.importing import ImportRejected, ImportReport
from guichet.employers.enums import HeadcountBand
from guichet.employers.models import Establishment, NafActivity
from guichet.employers.validators import LA_POSTE_SIREN, is_la_poste_siret, luhn_is_valid
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.rules.base import age_on
from guichet.territory.models import Commune
from guichet.trainings.models import Certification, TrainingCentre

try:
    from psycopg import Error as PsycopgError
except ImportError:  # SQLite-only installation: the SQL path is never taken

    class PsycopgError(Exception):  # type: ignore[no-redef]
        pass


# Sent after a file was imported (and committed); the observatory recomputes its figures on it.
contracts_imported = django.dispatch.Signal()

Method = Literal["auto", "sql", "python"]

DELIMITER = ";"
COLUMNS = (
    "numero_contrat", "annee_naissance", "sexe", "niveau", "code_rome", "code_rncp", "siret_employeur",
    "code_naf", "tranche_effectif", "commune_travail", "siret_cfa", "commune_formation", "date_conclusion",
    "date_debut", "date_fin_prevue", "date_rupture", "motif_rupture",
)  # fmt: skip
# Optional columns (files without them still import): DECA/CERFA fields the register keeps when given.
OPTIONAL_COLUMNS = ("date_naissance", "uai_cfa", "code_diplome", "type_contrat", "rqth", "secteur_employeur")
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
REQUIRED = ("numero_contrat", "annee_naissance", "sexe", "niveau", "code_rome", "commune_travail")
REQUIRED += ("commune_formation", "date_conclusion", "date_debut", "date_fin_prevue")
SEX_CODES = {"F": Sex.FEMALE, "M": Sex.MALE, "2": Sex.FEMALE, "1": Sex.MALE}
RQTH_CODES = {"oui": True, "1": True, "non": False, "0": False}
# CERFA FA13 "type d'employeur": 11 to 16 private employers, 21 to 29 public ones.
SECTOR_CODES = {"prive": EmployerSector.PRIVATE, "public": EmployerSector.PUBLIC}
SECTOR_CODES |= {str(code): EmployerSector.PRIVATE for code in range(11, 17)}
SECTOR_CODES |= {str(code): EmployerSector.PUBLIC for code in range(21, 30)}
KIND_CODES = {kind.value: kind for kind in ContractKind}
NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_/.-]{0,29}$"
ROME_PATTERN = r"^[A-N][0-9]{4}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
UAI_PATTERN = r"^[0-9]{7}[A-Z]$"
NUMBER = re.compile(NUMBER_PATTERN)
ROME = re.compile(ROME_PATTERN)
DATE = re.compile(DATE_PATTERN)
UAI = re.compile(UAI_PATTERN)
CFD = re.compile(CFD_PATTERN)
STAGING_COLUMNS = (
    "contract_number", "birth_year", "birth_date", "age_band", "sex", "level_id", "rome_job_id", "certification_id",
    "establishment_id", "naf_id", "headcount_band", "workplace_commune_id", "training_centre_id",
    "training_centre_uai", "training_commune_id", "diploma_cfd", "contract_kind", "rqth", "employer_sector",
    "concluded_on", "starts_on", "planned_end_on", "break_on", "break_reason", "is_synthetic",
)  # fmt: skip
BREAK_REASONS = frozenset(BreakReason.values)
HEADCOUNT_BANDS = frozenset(HeadcountBand.values)
CHUNK = 20_000
COPY_CHUNK = 1 << 20
MAX_KEPT_REJECTIONS = 100_000
# Imports of contract files run one at a time (PostgreSQL advisory lock, released at the end of the transaction).
IMPORT_LOCK = 6_2026_0001

# French reasons, shared by both paths (the SQL path fills the same templates with format()).
MISSING = "champ(s) obligatoire(s) vide(s) : {}"
BAD_NUMBER = "numero_contrat « {} » : 1 à 30 lettres, chiffres, - _ / . attendus"
DATE_FORMAT = "{} « {} » : date au format AAAA-MM-JJ attendue"
DATE_IMPOSSIBLE = "{} « {} » : cette date n'existe pas"
END_BEFORE_START = "date_fin_prevue doit être postérieure à date_debut"
BREAK_BEFORE_START = "date_rupture ne peut pas précéder date_debut"
BREAK_AFTER_END = "date_rupture ne peut pas suivre date_fin_prevue"
REASON_WITHOUT_BREAK = "motif_rupture donné sans date_rupture"
BAD_REASON = "motif_rupture « {} » inconnu (" + ", ".join(BreakReason.values) + ")"
BAD_BIRTH_YEAR = "annee_naissance « {} » : une année sur 4 chiffres attendue"
IMPLAUSIBLE_AGE = "annee_naissance {} : âge de {} ans au début du contrat, invraisemblable"
BAD_SEX = "sexe « {} » : F, M, 2 (femme) ou 1 (homme) attendu"
BAD_LEVEL = "niveau « {} » : niveau de diplôme de 3 à 8 attendu"
BAD_ROME = "code_rome « {} » inconnu du ROME 4.0"
BAD_COMMUNE = "{} « {} » : commune inconnue (code INSEE attendu)"
BAD_SIRET = "{} « {} » : 14 chiffres avec une clé valide attendus"
BAD_NAF = "code_naf « {} » inconnu de la NAF rév. 2 (format 47.11F)"
BAD_BAND = "tranche_effectif « {} » inconnue (" + ", ".join(HeadcountBand.values) + ")"
BAD_RNCP = "code_rncp « {} » inconnu de Certif Info"
BIRTH_DATE_YEAR = "date_naissance {} : l'année ne correspond pas à annee_naissance {}"
BAD_UAI = "uai_cfa « {} » : 7 chiffres suivis d'une lettre majuscule attendus (ex. 0596789X)"
BAD_CFD = "code_diplome « {} » : code diplôme (CFD) de 8 chiffres ou lettres majuscules attendu"
BAD_KIND = "type_contrat « {} » : CDD ou CDI attendu"
BAD_RQTH = "rqth « {} » : oui, non, 1 ou 0 attendu"
BAD_SECTOR = "secteur_employeur « {} » : prive, public ou type d'employeur du CERFA (11 à 16, 21 à 29) attendu"
DUPLICATE = "numero_contrat {} en double dans le fichier"


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

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            self.number += 1
            if self.progress is not None and self.number % 10_000 == 0:
                self.progress(_position(self.handle))
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
    """The shared report, plus the count of rejected lines beyond the ones kept (the first 100,000) and the
    path that validated the file (`sql` or `python`)."""

    rejected_total: int = 0
    method: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, for the benchmark

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
        raise ValueError(DATE_FORMAT.format(column, value))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(DATE_IMPOSSIBLE.format(column, value)) from None


def _siret_ok(value: str) -> bool:
    return len(value) == 14 and (luhn_is_valid(value) or is_la_poste_siret(value))


def age_at(*, starts_on: date, birth_year: int, birth_date: date | None) -> int:
    """Age at the start of the contract: exact when the birth date is known (rules.base.age_on), else the
    difference of years."""
    if birth_date is None:
        return starts_on.year - birth_year
    return age_on(birth_date, starts_on)


def validate_row(row: list[str], *, lookups: Lookups) -> tuple:
    """One line -> the staging tuple; raises ValueError with the French reason of the first problem found.

    The order of the checks is the order of the CASE in `_SqlPath.validation_sql`: keep them in step."""
    values = dict(zip(ALL_COLUMNS, (value.strip() for value in row), strict=True))
    missing = [column for column in REQUIRED if not values[column]]
    if missing:
        raise ValueError(MISSING.format(", ".join(missing)))
    number = values["numero_contrat"]
    if not NUMBER.match(number):
        raise ValueError(BAD_NUMBER.format(number))
    starts_on = _date(values["date_debut"], "date_debut")
    concluded_on = _date(values["date_conclusion"], "date_conclusion")
    planned_end_on = _date(values["date_fin_prevue"], "date_fin_prevue")
    break_on = _date(values["date_rupture"], "date_rupture") if values["date_rupture"] else None
    if planned_end_on <= starts_on:
        raise ValueError(END_BEFORE_START)
    if break_on is not None and break_on < starts_on:
        raise ValueError(BREAK_BEFORE_START)
    if break_on is not None and break_on > planned_end_on:
        raise ValueError(BREAK_AFTER_END)
    reason = values["motif_rupture"]
    if break_on is None and reason:
        raise ValueError(REASON_WITHOUT_BREAK)
    if break_on is not None and reason not in BREAK_REASONS:
        raise ValueError(BAD_REASON.format(reason))
    birth = values["annee_naissance"]
    if not (len(birth) == 4 and birth.isdigit()):
        raise ValueError(BAD_BIRTH_YEAR.format(birth))
    age = starts_on.year - int(birth)
    if not 14 <= age <= 70:
        raise ValueError(IMPLAUSIBLE_AGE.format(birth, age))
    sex = SEX_CODES.get(values["sexe"])
    if sex is None:
        raise ValueError(BAD_SEX.format(values["sexe"]))
    level = values["niveau"]
    if not level.isdigit() or int(level) not in lookups.levels:
        raise ValueError(BAD_LEVEL.format(level))
    rome = values["code_rome"]
    if not ROME.match(rome) or rome not in lookups.romes:
        raise ValueError(BAD_ROME.format(rome))
    workplace = lookups.communes.get(values["commune_travail"])
    if workplace is None:
        raise ValueError(BAD_COMMUNE.format("commune_travail", values["commune_travail"]))
    training = lookups.communes.get(values["commune_formation"])
    if training is None:
        raise ValueError(BAD_COMMUNE.format("commune_formation", values["commune_formation"]))
    siret = values["siret_employeur"]
    if siret and not _siret_ok(siret):
        raise ValueError(BAD_SIRET.format("siret_employeur", siret))
    centre_siret = values["siret_cfa"]
    if centre_siret and not _siret_ok(centre_siret):
        raise ValueError(BAD_SIRET.format("siret_cfa", centre_siret))
    naf = values["code_naf"]
    naf_id = None
    if naf:
        naf_id = lookups.nafs.get(naf)
        if naf_id is None:
            raise ValueError(BAD_NAF.format(naf))
    band = values["tranche_effectif"]
    if band and band not in HEADCOUNT_BANDS:
        raise ValueError(BAD_BAND.format(band))
    rncp = values["code_rncp"]
    certification = None
    if rncp:
        certification = lookups.certifications.get(rncp)
        if certification is None:
            raise ValueError(BAD_RNCP.format(rncp))
    birth_date = _date(values["date_naissance"], "date_naissance") if values["date_naissance"] else None
    if birth_date is not None and birth_date.year != int(birth):
        raise ValueError(BIRTH_DATE_YEAR.format(values["date_naissance"], birth))
    uai = values["uai_cfa"]
    if uai and not UAI.match(uai):
        raise ValueError(BAD_UAI.format(uai))
    cfd = values["code_diplome"]
    if cfd and not CFD.match(cfd):
        raise ValueError(BAD_CFD.format(cfd))
    kind = values["type_contrat"]
    if kind and kind not in KIND_CODES:
        raise ValueError(BAD_KIND.format(kind))
    rqth = values["rqth"]
    if rqth and rqth not in RQTH_CODES:
        raise ValueError(BAD_RQTH.format(rqth))
    sector = values["secteur_employeur"]
    if sector and sector not in SECTOR_CODES:
        raise ValueError(BAD_SECTOR.format(sector))
    band_at_start = age_band_for(age_at(starts_on=starts_on, birth_year=int(birth), birth_date=birth_date))
    return (
        number, int(birth), birth_date, band_at_start.value, sex.value, int(level), lookups.romes[rome],
        certification, lookups.establishments.get(siret) if siret else None, naf_id, band, workplace,
        lookups.centres.get(centre_siret) if centre_siret else None, uai, training, cfd,
        KIND_CODES[kind].value if kind else "", RQTH_CODES[rqth] if rqth else None,
        SECTOR_CODES[sector].value if sector else "", concluded_on, starts_on, planned_end_on, break_on,
        reason if break_on else "", False,
    )  # fmt: skip


def _open(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # type: ignore[return-value]


def _position(handle: BinaryIO) -> int:
    """Bytes read from the file on disk (the compressed size for .gz), for the progress bar."""
    raw = getattr(handle, "fileobj", None) or handle
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0


def _merge(table: str, timings: dict[str, float], progress: Callable[[float], None] | None = None) -> tuple[int, int]:
    """Merge a staging table of `STAGING_COLUMNS` (unique contract numbers) into the register: update changed
    rows, insert new ones. Returns (created, updated)."""
    started = time.perf_counter()
    contract = Contract._meta.db_table
    columns = ", ".join(STAGING_COLUMNS)
    updated_columns = [column for column in STAGING_COLUMNS if column != "contract_number"]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{column} = excluded.{column}" for column in updated_columns)
            changed = " OR ".join(f"{contract}.{column} IS NOT excluded.{column}" for column in updated_columns)
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {contract} c WHERE c.contract_number = s.contract_number)"
            )
            created = cursor.fetchone()[0]
            cursor.execute(
                f"INSERT INTO {contract} ({columns}) SELECT {columns} FROM {table} WHERE true "
                f"ON CONFLICT (contract_number) DO UPDATE SET {assignments} WHERE {changed}"
            )
            return created, cursor.rowcount - created
        updated = 0
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {contract})")
        if cursor.fetchone()[0]:
            assignments = ", ".join(f"{column} = s.{column}" for column in updated_columns)
            changed = " OR ".join(f"c.{column} IS DISTINCT FROM s.{column}" for column in updated_columns)
            cursor.execute(
                f"UPDATE {contract} c SET {assignments} FROM {table} s "
                f"WHERE c.contract_number = s.contract_number AND ({changed})"
            )
            updated = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {contract} ({columns}) SELECT {columns} FROM {table} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {contract} c WHERE c.contract_number = s.contract_number) "
            "ORDER BY s.contract_number"
        )
        created = cursor.rowcount
        timings["merge"] = time.perf_counter() - started
        if progress:
            progress(0.85)
        started = time.perf_counter()
        _check_foreign_keys(cursor)
        timings["foreign_keys"] = time.perf_counter() - started
    return created, updated


def _check_foreign_keys(cursor) -> None:
    """Run now the register's deferred foreign-key checks (instead of at commit), so that the import's time and
    errors include them."""
    cursor.execute(
        "SELECT string_agg(quote_ident(conname), ', ') FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' AND condeferrable",
        [Contract._meta.db_table],
    )
    names = cursor.fetchone()[0]
    if names:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


class _PythonStaging:
    """A temporary table in the import's transaction, filled chunk by chunk (line-by-line path)."""

    table = "contract_import_staging"

    def __init__(self) -> None:
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

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


def _import_python(
    path: Path, report: ContractImportReport, progress: Callable[[int, int], None] | None, lookups: Lookups | None
) -> None:
    """The line-by-line path, inside the caller's transaction; raises ImportRejected or _FileError."""
    report.method = "python"
    lookups = lookups or Lookups.load()
    total_bytes = os.path.getsize(path)
    seen: set[str] = set()
    staging = _PythonStaging()
    staging.create()
    buffer: list[tuple] = []
    with _open(path) as handle:
        lines = _Lines(handle, report, (lambda done: progress(done, total_bytes)) if progress else None)
        reader = csv.reader(iter(lines), delimiter=DELIMITER)
        header = next(reader, None)
        if header is None:
            raise _FileError("le fichier est vide")
        names = [name.strip() for name in header]
        missing = [column for column in COLUMNS if column not in names]
        if missing:
            raise _FileError(f"colonnes manquantes : {', '.join(missing)} (voir docs/observatory.md)")
        positions = [names.index(column) for column in COLUMNS]
        optional = [names.index(column) if column in names else None for column in OPTIONAL_COLUMNS]
        width = len(header)
        for row in reader:
            report.read += 1
            line = lines.number
            if len(row) != width:
                kind = "ligne tronquée" if len(row) < width else "champs en trop"
                _reject(report, line, f"{kind} : {len(row)} champs au lieu de {width}")
                continue
            fields = [row[position] for position in positions]
            fields += [row[position] if position is not None else "" for position in optional]
            try:
                values = validate_row(fields, lookups=lookups)
            except ValueError as error:
                _reject(report, line, str(error))
                continue
            if values[0] in seen:
                _reject(report, line, DUPLICATE.format(values[0]))
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
    report.created, report.updated = _merge(staging.table, report.timings)
    report.unchanged = len(seen) - report.created - report.updated
    staging.drop()


class _Fallback(Exception):
    """The file is not one the SQL path takes as it is: the line-by-line path reads it."""


BLANK_EDGES = (b" ;", b"; ", b"\t;", b";\t", b" \n", b"\n ", b"\t\n", b"\n\t", b" \r", b"\t\r")
# Bytes the SQL path takes: printable ASCII without the double quote, tab, line feed and carriage return.
UNUSUAL_BYTES = re.compile(rb"[^\t\n\r\x20\x21\x23-\x7e]")


def _luhn_sql(value: str) -> str:
    """SQL for the Luhn sum of a 14-digit string `value` (digits 1, 3, ... 13 from the left are doubled)."""
    terms = []
    for index in range(1, 15):
        digit = f"substr({value}, {index}, 1)::int"
        terms.append(f"((2 * {digit}) / 10 + (2 * {digit}) % 10)" if index % 2 else digit)
    return " + ".join(terms)


def _number_ok_sql(value: str) -> str:
    """NUMBER_PATTERN, written without its bounded repetition, which makes PostgreSQL's regular expressions
    five times slower."""
    return f"({value} ~ '^[A-Za-z0-9][-A-Za-z0-9_/.]*$' AND length({value}) <= 30)"


def _siret_ok_sql(value: str) -> str:
    digits = " + ".join(f"substr({value}, {index}, 1)::int" for index in range(1, 15))
    return (
        f"(CASE WHEN {value} ~ '^[0-9]{{14}}$' THEN (({_luhn_sql(value)}) % 10 = 0 "
        f"OR ({value} LIKE '{LA_POSTE_SIREN}%' AND ({digits}) % 5 = 0)) ELSE false END)"
    )


def _date_status_sql(value: str) -> str:
    """NULL when empty, 'format' when not AAAA-MM-JJ, 'exists' for an impossible date, else 'ok'."""
    year, month, day = f"substr({value}, 1, 4)::int", f"substr({value}, 6, 2)::int", f"substr({value}, 9, 2)::int"
    leap = f"(({year} % 4 = 0 AND {year} % 100 <> 0) OR {year} % 400 = 0)"
    days = (
        f"CASE {month} WHEN 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
        f"WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END"
    )
    return (
        f"CASE WHEN {value} = '' THEN NULL WHEN {value} !~ '{DATE_PATTERN}' THEN 'format' "
        f"WHEN {year} >= 1 AND {month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND ({days}) THEN 'ok' "
        "ELSE 'exists' END"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fmt(template: str, *arguments: str) -> str:
    """SQL format() call for one of the French templates above ('{}' -> '%s')."""
    return f"format({_literal(template.replace('{}', '%s'))}, {', '.join(arguments)})"


def _in(value: str, options: list[str] | frozenset[str]) -> str:
    return f"{value} IN ({', '.join(_literal(option) for option in sorted(options))})"


class _SqlPath:
    """The set-wise path (PostgreSQL): COPY the file as it is, validate and merge in SQL."""

    def __init__(self, path: Path, report: ContractImportReport, progress: Callable[[int, int], None] | None):
        self.path, self.report, self.progress = path, report, progress
        self.total_bytes = os.path.getsize(path)
        suffix = f"{os.getpid()}_{id(self) % 100_000}"
        self.raw, self.typed = f"contract_import_raw_{suffix}", f"contract_import_typed_{suffix}"
        self.calendar = f"contract_import_calendar_{suffix}"
        self.blanks = False

    def _progress(self, share: float) -> None:
        if self.progress:
            self.progress(int(self.total_bytes * share), self.total_bytes)

    def copy(self) -> list[str]:
        """COPY the lines into the raw table; returns the header's names. Raises _Fallback (or a database
        error) when the file is not a plain ASCII extract with one physical line per contract."""
        with _open(self.path) as handle:
            first = handle.readline()
            if first.startswith(b"\xef\xbb\xbf"):
                first = first[3:]
            if not first.strip() or UNUSUAL_BYTES.search(first):
                raise _Fallback
            header = next(csv.reader([first.decode("ascii")], delimiter=DELIMITER))
            names = [name.strip() for name in header]
            if any(column not in names for column in COLUMNS) or len(set(names)) != len(names):
                raise _Fallback  # the line-by-line path names the missing columns
            columns = ", ".join(f"c{index} text" for index in range(len(names)))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE UNLOGGED TABLE {self.raw} (line bigint GENERATED ALWAYS AS IDENTITY, {columns})"
                )
                physical, last = 0, b"\n"
                target = ", ".join(f"c{index}" for index in range(len(names)))
                copy_sql = (
                    f"COPY {self.raw} ({target}) FROM STDIN "
                    f"WITH (FORMAT csv, DELIMITER '{DELIMITER}', FORCE_NOT_NULL ({target}))"
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    while chunk := handle.read(COPY_CHUNK):
                        if UNUSUAL_BYTES.search(chunk):
                            raise _Fallback
                        # a blank at the edge of a field (or of a chunk): the values are trimmed in SQL
                        self.blanks = self.blanks or last in b" \t" or chunk[:1] in b" \t" or chunk[-1:] in b" \t"
                        self.blanks = self.blanks or any(edge in chunk for edge in BLANK_EDGES)
                        physical += chunk.count(b"\n")
                        last = chunk[-1:]
                        copy.write(chunk)
                        self._progress(0.6 * _position(handle) / max(self.total_bytes, 1))
                rows = cursor.rowcount
            physical += last != b"\n"
            if rows != physical:
                raise _Fallback  # blank lines, or an end-of-data marker: let the line-by-line path count
        self.report.read = rows
        return names

    def validation_sql(self, names: list[str]) -> str:
        """One query: every line with its first rejection reason (in the order of `validate_row`) and the values
        to write. Dates and birth years are looked up in small tables of their valid spellings (hash joins)
        rather than parsed line by line; the rare date outside the calendar table is checked by arithmetic."""
        position = {name: index for index, name in enumerate(names)}
        values = {column: f"r.c{position[column]}" if column in position else "''::text" for column in ALL_COLUMNS}
        source = self.raw
        if self.blanks:  # trim each value once (an optimisation fence: the values are used many times)
            trimmed = ", ".join(f"btrim(c{index}, E' \\t') AS c{index}" for index in range(len(names)))
            source = f"(SELECT line, {trimmed} FROM {self.raw} OFFSET 0)"
        joins = []
        dates = ("date_debut", "date_conclusion", "date_fin_prevue", "date_rupture", "date_naissance")
        date_of, status_of = {}, {}
        for index, column in enumerate(dates):
            value = values[column]
            joins.append(f"LEFT JOIN {self.calendar} k{index} ON k{index}.spelling = NULLIF({value}, '')")
            date_of[column] = (
                f"(CASE WHEN k{index}.day IS NOT NULL THEN k{index}.day "
                f"WHEN {_date_status_sql(value)} = 'ok' THEN {value}::date END)"
            )
            status_of[column] = f"(CASE WHEN k{index}.day IS NOT NULL THEN 'ok' ELSE {_date_status_sql(value)} END)"
        joins.append(f"LEFT JOIN {self.calendar}_years y ON y.spelling = {values['annee_naissance']}")
        v = values
        starts = date_of["date_debut"]
        year_age = f"(date_part('year', {starts})::int - y.year)"
        birth = date_of["date_naissance"]
        any_missing = " OR ".join(f"{v[column]} = ''" for column in REQUIRED)
        missing = ", ".join(f"CASE WHEN {v[column]} = '' THEN '{column}' END" for column in REQUIRED)
        date_checks = []
        for column in dates[:4]:
            date_checks += [
                f"WHEN {status_of[column]} = 'format' THEN {_fmt(DATE_FORMAT, _literal(column), v[column])}",
                f"WHEN {status_of[column]} = 'exists' THEN {_fmt(DATE_IMPOSSIBLE, _literal(column), v[column])}",
            ]
        ends, breaks = date_of["date_fin_prevue"], date_of["date_rupture"]
        reason = f"""CASE
            WHEN {any_missing} THEN {_fmt(MISSING, f"concat_ws(', ', {missing})")}
            WHEN NOT {_number_ok_sql(v["numero_contrat"])} THEN {_fmt(BAD_NUMBER, v["numero_contrat"])}
            {" ".join(date_checks)}
            WHEN {ends} <= {starts} THEN {_literal(END_BEFORE_START)}
            WHEN {breaks} < {starts} THEN {_literal(BREAK_BEFORE_START)}
            WHEN {breaks} > {ends} THEN {_literal(BREAK_AFTER_END)}
            WHEN {breaks} IS NULL AND {v["motif_rupture"]} <> '' THEN {_literal(REASON_WITHOUT_BREAK)}
            WHEN {breaks} IS NOT NULL AND NOT {_in(v["motif_rupture"], BREAK_REASONS)}
                THEN {_fmt(BAD_REASON, v["motif_rupture"])}
            WHEN y.year IS NULL THEN {_fmt(BAD_BIRTH_YEAR, v["annee_naissance"])}
            WHEN {year_age} NOT BETWEEN 14 AND 70 THEN {_fmt(IMPLAUSIBLE_AGE, v["annee_naissance"], year_age)}
            WHEN NOT {_in(v["sexe"], list(SEX_CODES))} THEN {_fmt(BAD_SEX, v["sexe"])}
            WHEN dl.level IS NULL THEN {_fmt(BAD_LEVEL, v["niveau"])}
            WHEN j.id IS NULL THEN {_fmt(BAD_ROME, v["code_rome"])}
            WHEN w.id IS NULL THEN {_fmt(BAD_COMMUNE, "'commune_travail'", v["commune_travail"])}
            WHEN f.id IS NULL THEN {_fmt(BAD_COMMUNE, "'commune_formation'", v["commune_formation"])}
            WHEN {v["siret_employeur"]} <> '' AND NOT {_siret_ok_sql(v["siret_employeur"])}
                THEN {_fmt(BAD_SIRET, "'siret_employeur'", v["siret_employeur"])}
            WHEN {v["siret_cfa"]} <> '' AND NOT {_siret_ok_sql(v["siret_cfa"])}
                THEN {_fmt(BAD_SIRET, "'siret_cfa'", v["siret_cfa"])}
            WHEN {v["code_naf"]} <> '' AND n.id IS NULL THEN {_fmt(BAD_NAF, v["code_naf"])}
            WHEN {v["tranche_effectif"]} <> '' AND NOT {_in(v["tranche_effectif"], HEADCOUNT_BANDS)}
                THEN {_fmt(BAD_BAND, v["tranche_effectif"])}
            WHEN {v["code_rncp"]} <> '' AND cert.id IS NULL THEN {_fmt(BAD_RNCP, v["code_rncp"])}
            WHEN {status_of["date_naissance"]} = 'format'
                THEN {_fmt(DATE_FORMAT, "'date_naissance'", v["date_naissance"])}
            WHEN {status_of["date_naissance"]} = 'exists'
                THEN {_fmt(DATE_IMPOSSIBLE, "'date_naissance'", v["date_naissance"])}
            WHEN date_part('year', {birth})::int <> y.year
                THEN {_fmt(BIRTH_DATE_YEAR, v["date_naissance"], v["annee_naissance"])}
            WHEN {v["uai_cfa"]} <> '' AND {v["uai_cfa"]} !~ '{UAI_PATTERN}' THEN {_fmt(BAD_UAI, v["uai_cfa"])}
            WHEN {v["code_diplome"]} <> '' AND {v["code_diplome"]} !~ '{CFD_PATTERN}'
                THEN {_fmt(BAD_CFD, v["code_diplome"])}
            WHEN {v["type_contrat"]} <> '' AND NOT {_in(v["type_contrat"], list(KIND_CODES))}
                THEN {_fmt(BAD_KIND, v["type_contrat"])}
            WHEN {v["rqth"]} <> '' AND NOT {_in(v["rqth"], list(RQTH_CODES))} THEN {_fmt(BAD_RQTH, v["rqth"])}
            WHEN {v["secteur_employeur"]} <> '' AND NOT {_in(v["secteur_employeur"], list(SECTOR_CODES))}
                THEN {_fmt(BAD_SECTOR, v["secteur_employeur"])}
        END"""
        sex = f"CASE {v['sexe']} " + " ".join(
            f"WHEN {_literal(k)} THEN {_literal(x.value)}" for k, x in SEX_CODES.items()
        )
        rqth = f"CASE {v['rqth']} " + " ".join(
            f"WHEN {_literal(k)} THEN {str(x).lower()}" for k, x in RQTH_CODES.items()
        )
        sector = f"CASE {v['secteur_employeur']} " + " ".join(
            f"WHEN {_literal(k)} THEN {_literal(x.value)}" for k, x in SECTOR_CODES.items()
        )
        band = (
            # as age_at() and age_band_for(): with a birth date, "at least N years old" is "the birth date plus N
            # years is on or before the start" (PostgreSQL moves 29 February to the 28th, as rules.base.add_years)
            f"CASE WHEN {birth} IS NULL THEN CASE WHEN {year_age} < 18 THEN '15-17' WHEN {year_age} <= 20 "
            f"THEN '18-20' WHEN {year_age} <= 25 THEN '21-25' ELSE '26+' END "
            f"WHEN {birth} + interval '18 years' > {starts} THEN '15-17' "
            f"WHEN {birth} + interval '21 years' > {starts} THEN '18-20' "
            f"WHEN {birth} + interval '26 years' > {starts} THEN '21-25' ELSE '26+' END"
        )
        level = v["niveau"]
        return f"""
        SELECT r.line, {reason} AS reason,
            {v["numero_contrat"]} AS contract_number, y.year::smallint AS birth_year,
            {birth} AS birth_date, {band} AS age_band, {sex} ELSE '' END AS sex, dl.level AS level_id,
            j.id AS rome_job_id, cert.id AS certification_id, e.id AS establishment_id, n.id AS naf_id,
            {v["tranche_effectif"]} AS headcount_band, w.id AS workplace_commune_id, tc.id AS training_centre_id,
            {v["uai_cfa"]} AS training_centre_uai, f.id AS training_commune_id, {v["code_diplome"]} AS diploma_cfd,
            {v["type_contrat"]} AS contract_kind, {rqth} END AS rqth, {sector} ELSE '' END AS employer_sector,
            {date_of["date_conclusion"]} AS concluded_on, {starts} AS starts_on, {ends} AS planned_end_on,
            {breaks} AS break_on, CASE WHEN {breaks} IS NULL THEN '' ELSE {v["motif_rupture"]} END AS break_reason,
            false AS is_synthetic
        FROM {source} r
        {" ".join(joins)}
        LEFT JOIN {DiplomaLevel._meta.db_table} dl ON dl.level = CASE WHEN {level} <> ''
            AND translate({level}, '0123456789', '') = '' AND length(ltrim({level}, '0')) <= 4
            THEN ('0' || ltrim({level}, '0'))::int END
        LEFT JOIN (SELECT code, id FROM {RomeJob._meta.db_table} WHERE code ~ '{ROME_PATTERN}') j
            ON j.code = {v["code_rome"]}
        LEFT JOIN {Commune._meta.db_table} w ON w.insee = {v["commune_travail"]}
        LEFT JOIN {Commune._meta.db_table} f ON f.insee = {v["commune_formation"]}
        LEFT JOIN {NafActivity._meta.db_table} n ON n.code = NULLIF({v["code_naf"]}, '')
        LEFT JOIN (
            SELECT DISTINCT ON (rncp) rncp, id FROM {Certification._meta.db_table}
            WHERE rncp <> '' ORDER BY rncp, code_certifinfo
        ) cert ON cert.rncp = NULLIF({v["code_rncp"]}, '')
        LEFT JOIN {Establishment._meta.db_table} e ON e.siret = NULLIF({v["siret_employeur"]}, '')
        LEFT JOIN {TrainingCentre._meta.db_table} tc ON tc.siret = NULLIF({v["siret_cfa"]}, '')
        """

    def create_calendar(self) -> None:
        """Valid spellings of the dates 1940-2069 and of 4-digit years, for the hash joins of the validation (other
        dates are checked by arithmetic)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE UNLOGGED TABLE {self.calendar} AS SELECT to_char(day, 'YYYY-MM-DD') AS spelling, "
                "day::date AS day FROM generate_series('1940-01-01'::date, '2069-12-31'::date, '1 day') AS day"
            )
            cursor.execute(
                f"CREATE UNLOGGED TABLE {self.calendar}_years AS SELECT lpad(year::text, 4, '0') AS spelling, year "
                "FROM generate_series(0, 9999) AS year"
            )
            # Without statistics the planner takes each of these joins for a multiplication of the lines, and picks
            # plans that take minutes on a 3-line file; with them it knows one spelling matches one line at most.
            cursor.execute(f"ANALYZE {self.calendar}")
            cursor.execute(f"ANALYZE {self.calendar}_years")

    def validate(self, names: list[str]) -> None:
        """Fill the typed table and report every rejected line (reasons, then duplicates among valid lines)."""
        self.create_calendar()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE UNLOGGED TABLE {self.typed} AS {self.validation_sql(names)}")
            self._progress(0.7)
            cursor.execute(
                f"""
                WITH duplicated AS (
                    SELECT contract_number FROM {self.typed} WHERE reason IS NULL
                    GROUP BY contract_number HAVING count(*) > 1
                ), rejected AS (
                    SELECT line, reason FROM {self.typed} WHERE reason IS NOT NULL
                    UNION ALL
                    SELECT line, format(%s, contract_number) FROM (
                        SELECT line, contract_number,
                            row_number() OVER (PARTITION BY contract_number ORDER BY line) AS rank
                        FROM {self.typed} WHERE reason IS NULL AND contract_number IN (SELECT * FROM duplicated)
                    ) ranked WHERE rank > 1
                )
                SELECT line, reason, count(*) OVER () FROM rejected ORDER BY line LIMIT %s
                """,
                [DUPLICATE.replace("{}", "%s"), MAX_KEPT_REJECTIONS],
            )
            rows = cursor.fetchall()
        for line, reason, total in rows:
            self.report.reject(line + 1, reason)  # + 1: the header is line 1
            self.report.rejected_total = total

    def merge(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.raw}, {self.calendar}, {self.calendar}_years")
        self.report.created, self.report.updated = _merge(self.typed, self.report.timings, self._progress)
        self.report.unchanged = self.report.read - self.report.created - self.report.updated
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.typed}")
        self._progress(1.0)


def _import_sql(path: Path, report: ContractImportReport, progress: Callable[[int, int], None] | None) -> bool:
    """The set-wise path, inside the caller's transaction. Returns False (having undone its work) when the file
    must go through the line-by-line path; raises ImportRejected when lines are rejected."""
    sql = _SqlPath(path, report, progress)
    started = time.perf_counter()
    try:
        with transaction.atomic():  # a savepoint: a failed COPY is undone, the transaction goes on
            names = sql.copy()
    except (_Fallback, DatabaseError, PsycopgError, UnicodeDecodeError, OSError, EOFError, zlib.error, csv.Error):
        report.read = 0
        return False
    report.method = "sql"
    report.timings["copy"] = time.perf_counter() - started
    with connection.cursor() as cursor:  # compiling the long validation expressions costs more than it saves
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        jit = cursor.fetchone()[0]
    started = time.perf_counter()
    sql.validate(names)
    report.timings["validation"] = time.perf_counter() - started
    if report.rejected:
        raise ImportRejected(report)
    sql.merge()
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', %s, true)", [jit])
    return True


def import_contracts(
    *,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    lookups: Lookups | None = None,
    method: Method = "auto",
) -> ContractImportReport:
    """Import one file, all or nothing. Returns the report; nothing is written when a line is rejected.

    `progress(done, total)` is called as the file is read (in bytes of the file on disk). `method`: "auto" (the
    set-wise path on PostgreSQL, else line by line), "sql" (PostgreSQL only; still falls back to the
    line-by-line path for a file COPY does not take as it is) or "python" (line by line).
    """
    report = ContractImportReport(source=f"Contrats d'apprentissage ({path.name})")
    postgres = connection.vendor == "postgresql"
    if method == "sql" and not postgres:
        raise ValueError("Le chemin SQL de l'import demande PostgreSQL.")
    try:
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            if not (method != "python" and postgres and _import_sql(path, report, progress)):
                _import_python(path, report, progress, lookups)
    except ImportRejected:
        pass
    except _FileError as error:
        _reject(report, 0, str(error))
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error, csv.Error) as error:
        _reject(report, 0, f"fichier illisible : {error}")
    if not report.rejected and report.changed:
        transaction.on_commit(lambda: contracts_imported.send(sender=Contract, report=report))
    return report


class _FileError(Exception):
    pass
