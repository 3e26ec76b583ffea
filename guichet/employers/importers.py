"""Reference importers of the employers app: NAF rév. 2 codes and the INSEE 2014 establishment census.

Both validate the whole file before writing, write nothing when a line is rejected, and change
nothing on a second run over the same file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from guichet.core.importing import ImportRejected, ImportReport, read_csv, reference_file, upsert
from guichet.employers.enums import CENSUS_COLUMNS, NafLevel
from guichet.employers.models import EstablishmentCensus, NafActivity
from guichet.territory.models import Commune

NAF_FILE = "employers/codes_naf_rev2.csv.gz"
CENSUS_FILE = "employers/etablissements_tranche_effectif_2014_communes_hdf.csv.gz"
CENSUS_VINTAGE = 2014

NAF_PATTERNS: dict[str, re.Pattern[str]] = {
    NafLevel.DIVISION: re.compile(r"^\d{2}$"),
    NafLevel.GROUP: re.compile(r"^\d{2}\.\d$"),
    NafLevel.CLASS: re.compile(r"^\d{2}\.\d{2}$"),
    NafLevel.SUBCLASS: re.compile(r"^\d{2}\.\d{2}[A-Z]$"),
}


def source_path(relative: str, source_dir: Path | None) -> Path:
    """The shipped reference file, or the file of the same name (gzipped or not) in `source_dir`."""
    if source_dir is None:
        return reference_file(relative)
    name = Path(relative).name
    candidate = Path(source_dir) / name
    if not candidate.exists() and name.endswith(".gz"):
        plain = Path(source_dir) / name.removesuffix(".gz")
        if plain.exists():
            return plain
    return candidate


def run_all_or_nothing(load: Callable[[], list[ImportReport]]) -> list[ImportReport]:
    """Run loaders in one transaction; roll everything back and raise ImportRejected if a report has rejections."""
    with transaction.atomic():
        reports = load()
        for report in reports:
            if report.rejected:
                raise ImportRejected(report)
    return reports


def import_naf(*, path: Path) -> ImportReport:
    report = ImportReport(source=f"Nomenclature NAF rév. 2 ({path.name})")
    rows: dict[str, dict[str, str]] = {}
    try:
        for line, row in read_csv(path, required=["code", "libelle", "niveau"]):
            report.read += 1
            code, label, level = row["code"], row["libelle"], row["niveau"]
            if level not in NafLevel.values:
                report.reject(line, f"niveau « {level} » inconnu (division, groupe, classe ou sous-classe attendu)")
                continue
            if not NAF_PATTERNS[level].match(code):
                report.reject(line, f"code NAF « {code} » invalide pour le niveau {level}")
                continue
            if not label:
                report.reject(line, f"libellé manquant pour le code {code}")
                continue
            if code in rows:
                report.reject(line, f"code NAF {code} en double")
                continue
            rows[code] = {"code": code, "label": label, "level": level}
    except ValueError as error:
        report.reject(0, str(error))
    if report.rejected:
        return report
    with transaction.atomic():
        report.add(upsert(NafActivity, key="code", rows=rows.values()))
    return report


def import_census(*, path: Path, vintage: int = CENSUS_VINTAGE) -> ImportReport:
    """Counts of establishments per commune and size band; the communes must already be loaded."""
    report = ImportReport(source=f"Établissements par tranche d'effectif, Insee {vintage} ({path.name})")
    commune_ids = dict(Commune.objects.values_list("insee", "id"))
    counts: dict[tuple[int, str], int] = {}
    seen: set[str] = set()
    try:
        for line, row in read_csv(path, required=["code_insee", "etab_total", *CENSUS_COLUMNS.values()]):
            report.read += 1
            insee = row["code_insee"]
            commune_id = commune_ids.get(insee)
            if commune_id is None:
                report.reject(line, f"commune {insee or '(vide)'} inconnue")
                continue
            if insee in seen:
                report.reject(line, f"commune {insee} en double")
                continue
            seen.add(insee)
            values: dict[str, int] = {}
            for band, column in CENSUS_COLUMNS.items():
                raw = row[column]
                if not raw.isdigit():
                    report.reject(line, f"{column} : « {raw} » n'est pas un nombre entier positif")
                    break
                values[band] = int(raw)
            else:
                if not row["etab_total"].isdigit() or int(row["etab_total"]) != sum(values.values()):
                    report.reject(line, f"etab_total ({row['etab_total']}) différent de la somme des tranches")
                    continue
                for band, value in values.items():
                    counts[(commune_id, band)] = value
    except ValueError as error:
        report.reject(0, str(error))
    if report.rejected:
        return report
    with transaction.atomic():
        existing = {
            (census.commune_id, census.headcount_band): census
            for census in EstablishmentCensus.objects.filter(vintage=vintage)
        }
        to_create, to_update = [], []
        for (commune_id, band), value in counts.items():
            census = existing.pop((commune_id, band), None)
            if census is None:
                to_create.append(
                    EstablishmentCensus(commune_id=commune_id, headcount_band=band, vintage=vintage, count=value)
                )
            elif census.count != value:
                census.count = value
                to_update.append(census)
            else:
                report.unchanged += 1
        EstablishmentCensus.objects.bulk_create(to_create, batch_size=2000)
        EstablishmentCensus.objects.bulk_update(to_update, ["count"], batch_size=2000)
        if existing:  # communes or bands no longer in the file
            EstablishmentCensus.objects.filter(pk__in=[census.pk for census in existing.values()]).delete()
        report.created, report.updated, report.deleted = len(to_create), len(to_update), len(existing)
    return report


def load_employers_reference(*, source_dir: Path | None = None) -> list[ImportReport]:
    """The employers' reference dataset: NAF codes, then the establishment census (needs the communes)."""
    reports = [import_naf(path=source_path(NAF_FILE, source_dir))]
    if not reports[0].rejected:
        reports.append(import_census(path=source_path(CENSUS_FILE, source_dir)))
    return reports
