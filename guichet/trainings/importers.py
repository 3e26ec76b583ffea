"""Reference importers of the trainings app: the region's real apprenticeship organisations (ONISEP UAI-SIRET
list) and the Certif Info certifications with their ROME codes.

Both validate the whole file before writing, write nothing when a line is rejected, and change
nothing on a second run over the same file.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from guichet.core.importing import ImportReport, read_csv, upsert
from guichet.employers.importers import source_path
from guichet.employers.validators import validate_siret
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.territory.models import Commune
from guichet.trainings.enums import CentreNature
from guichet.trainings.kinds import is_lycee_name
from guichet.trainings.models import Certification, TrainingCentre
from guichet.trainings.validators import is_valid_uai

CENTRES_FILE = "trainings/organismes_apprentissage_hauts_de_france.csv.gz"
CERTIFICATIONS_FILE = "trainings/certifinfo_rome.csv.gz"

CENTRE_COLUMNS = [
    "uai",
    "siret",
    "raison_sociale",
    "enseigne",
    "nature",
    "code_insee",
    "code_postal",
    "adresse",
    "prepa_apprentissage",
]
ROME_COLUMNS = [f"rome_{index}" for index in range(1, 6)]
CERTIFICATION_COLUMNS = [
    "code_certifinfo",
    "libelle",
    "type_diplome",
    "niveau_europeen",
    "cfd",
    "rncp",
    *ROME_COLUMNS,
    "access_apprentissage",
]
ROME_PATTERN = re.compile(r"^[A-N]\d{4}$")
CFD_PATTERN = re.compile(r"^[0-9A-Z]{8}$")
RNCP_PATTERN = re.compile(r"^\d{1,6}$")


def import_centres(*, path: Path) -> ImportReport:
    report = ImportReport(source=f"Organismes de formation en apprentissage des Hauts-de-France ({path.name})")
    commune_ids = dict(Commune.objects.values_list("insee", "id"))
    rows: dict[str, dict[str, object]] = {}
    try:
        for line, row in read_csv(path, required=CENTRE_COLUMNS):
            report.read += 1
            uai, siret = row["uai"], row["siret"]
            if not is_valid_uai(uai):
                report.reject(line, f"UAI « {uai} » invalide (7 chiffres et une lettre majuscule attendus)")
                continue
            try:
                validate_siret(siret)
            except ValidationError as error:
                report.reject(line, f"SIRET « {siret} » : {error.messages[0]}")
                continue
            if siret in rows:
                report.reject(line, f"SIRET {siret} en double")
                continue
            if row["nature"] not in CentreNature.values:
                report.reject(line, f"nature « {row['nature']} » inconnue")
                continue
            commune_id = commune_ids.get(row["code_insee"])
            if commune_id is None:
                report.reject(line, f"commune {row['code_insee'] or '(vide)'} inconnue")
                continue
            if not row["raison_sociale"]:
                report.reject(line, "raison sociale manquante")
                continue
            if row["prepa_apprentissage"] not in ("", "X"):
                report.reject(line, f"prepa_apprentissage « {row['prepa_apprentissage']} » : X ou vide attendu")
                continue
            postcode = row["code_postal"]
            rows[siret] = {
                "siret": siret,
                "uai": uai,
                "name": row["raison_sociale"][:255],
                "sign": row["enseigne"][:255],
                "nature": row["nature"],
                "commune_id": commune_id,
                "address": row["adresse"][:255],
                "postcode": postcode if re.fullmatch(r"\d{5}", postcode) else "",
                "is_lycee": is_lycee_name(row["raison_sociale"], row["enseigne"]),
                "prepa_apprentissage": row["prepa_apprentissage"] == "X",
                "is_synthetic": False,
            }
    except ValueError as error:
        report.reject(0, str(error))
    if report.rejected:
        return report
    with transaction.atomic():
        # Real centres only; a centre missing from a newer file is kept (trainings and contracts point to it).
        report.add(upsert(TrainingCentre, key="siret", rows=rows.values()))
    return report


def _parse_certification(row: dict[str, str], levels: set[int]) -> tuple[dict[str, object], list[str]] | str:
    """The model values and ROME codes of a Certif Info row, or the reason to reject it."""
    code = row["code_certifinfo"]
    if not code.isdigit():
        return f"code Certif Info « {code} » invalide (nombre attendu)"
    if not row["libelle"]:
        return f"intitulé manquant pour la certification {code}"
    level: int | None = None
    if row["niveau_europeen"]:
        if not row["niveau_europeen"].isdigit() or int(row["niveau_europeen"]) not in levels:
            return f"niveau « {row['niveau_europeen']} » inconnu (3 à 8 attendu)"
        level = int(row["niveau_europeen"])
    if row["cfd"] and not CFD_PATTERN.match(row["cfd"]):
        return f"code CFD « {row['cfd']} » invalide (8 caractères attendus)"
    if row["rncp"] and not RNCP_PATTERN.match(row["rncp"]):
        return f"code RNCP « {row['rncp']} » invalide (nombre attendu)"
    romes = [row[column] for column in ROME_COLUMNS if row[column]]
    bad = [rome for rome in romes if not ROME_PATTERN.match(rome)]
    if bad:
        return f"code ROME « {bad[0]} » invalide (une lettre et 4 chiffres attendus)"
    if row["access_apprentissage"] not in ("0", "1", "2"):
        return f"access_apprentissage « {row['access_apprentissage']} » : 0, 1 ou 2 attendu"
    values: dict[str, object] = {
        "code_certifinfo": code,
        "title": row["libelle"][:500],
        "diploma_type": row["type_diplome"][:255],
        "level_id": level,
        "cfd": row["cfd"],
        "rncp": f"RNCP{row['rncp']}" if row["rncp"] else "",
        # Certif Info publishes 0/1/2 without a legend; 1 is read as "open to apprenticeship".
        "apprenticeship_access": row["access_apprentissage"] == "1",
    }
    return values, sorted(set(romes))


def import_certifications(*, path: Path) -> ImportReport:
    """Certifications keyed on their Certif Info code; linked to the ROME jobs already loaded.

    The source repeats some certifications on identical lines (they differ only in the RS code, which is not
    imported): those repeats are merged; a repeat with different values is rejected.
    """
    report = ImportReport(source=f"Certifications Certif Info avec codes ROME ({path.name})")
    levels = set(DiplomaLevel.objects.values_list("level", flat=True))
    rows: dict[str, dict[str, object]] = {}
    romes_by_code: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    try:
        for line, row in read_csv(path, required=CERTIFICATION_COLUMNS):
            report.read += 1
            parsed = _parse_certification(row, levels)
            if isinstance(parsed, str):
                report.reject(line, parsed)
                continue
            values, romes = parsed
            code = str(values["code_certifinfo"])
            if code in rows:
                if rows[code] != values or romes_by_code[code] != romes:
                    report.reject(line, f"certification {code} en double, différente de la ligne {first_line[code]}")
                continue
            rows[code], romes_by_code[code], first_line[code] = values, romes, line
    except ValueError as error:
        report.reject(0, str(error))
    if report.rejected:
        return report
    with transaction.atomic():
        before = {
            values["code_certifinfo"]: values
            for values in Certification.objects.values(*next(iter(rows.values()), {"code_certifinfo": ""}).keys())
        }
        result = upsert(Certification, key="code_certifinfo", rows=rows.values())
        relinked = _link_rome_jobs(romes_by_code)
        changed = {code for code, values in rows.items() if code in before and before[code] != values}
        report.created = result.created
        report.updated = len((changed | relinked) & before.keys())
        report.unchanged = len(rows) - report.created - report.updated
    return report


def _link_rome_jobs(romes_by_code: dict[str, list[str]]) -> set[str]:
    """Set each certification's ROME jobs (codes absent from the ROME table are skipped).

    Returns the Certif Info codes whose links changed.
    """
    job_ids = dict(RomeJob.objects.values_list("code", "id"))
    certification_ids = dict(Certification.objects.values_list("code_certifinfo", "id"))
    codes_by_id = {pk: code for code, pk in certification_ids.items()}
    through = Certification.rome_jobs.through
    wanted = {
        (certification_ids[code], job_ids[rome])
        for code, romes in romes_by_code.items()
        for rome in romes
        if rome in job_ids
    }
    existing = set(through.objects.values_list("certification_id", "romejob_id"))
    to_add, to_remove = wanted - existing, existing - wanted
    through.objects.bulk_create(
        [through(certification_id=cert, romejob_id=job) for cert, job in sorted(to_add)], batch_size=2000
    )
    for cert, job in to_remove:
        through.objects.filter(certification_id=cert, romejob_id=job).delete()
    return {codes_by_id[cert] for cert, _ in to_add | to_remove if cert in codes_by_id}


def load_trainings_reference(*, source_dir: Path | None = None) -> list[ImportReport]:
    """The trainings' reference dataset: real training centres, then certifications (needs ROME jobs, levels)."""
    reports = [import_centres(path=source_path(CENTRES_FILE, source_dir))]
    if not reports[0].rejected:
        reports.append(import_certifications(path=source_path(CERTIFICATIONS_FILE, source_dir)))
    return reports
