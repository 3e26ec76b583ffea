"""Load the ROME 4.0 referential and the national diploma levels, all or nothing.

Files (in `data/reference/jobs/`, `.csv` or `.csv.gz`):
- `rome_grands_domaines`: the 14 grands domaines (letter, label);
- `rome_arborescence_2024`: one line per ROME fiche with its domaine professionnel (110) and grand domaine;
- `tjp_rome` (`;`): the same 609 fiches with the transition and regulated-job flags;
- `rome_appellations_2024`: the 11,522 job titles (appellations), each pointing at a ROME code;
- `niveaux_diplome`: the project's cited table of levels 3 to 8 (décret n° 2019-14), cross-checked
  against the BCN table `nNiveauFormationDiplome` (`;`).

Everything is parsed and validated first; nothing is written unless every line of every file is
accepted. Rows are matched on natural keys (domain code, ROME code, OGR code, level). Nothing is
deleted: a job withdrawn from the ROME stays, since offers and trainings may point at it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from guichet.core.importing import ImportReport, open_text, read_csv, reference_file, upsert
from guichet.core.text import search_key
from guichet.jobs.future import future_family_by_code
from guichet.jobs.models import Appellation, DiplomaLevel, ProfessionalDomain, RomeJob

ROME_CODE = re.compile(r"^[A-N]\d{4}$")
DOMAIN_CODE = re.compile(r"^[A-N]\d{2}$")
MAJOR_CODE = re.compile(r"^[A-N]$")
OGR_CODE = re.compile(r"^\d{1,9}$")

# Décret n° 2019-14, article 1: levels of the 1969 nomenclature (V..I) -> levels 3..8.
OLD_LEVELS = {"V": 5, "IV": 4, "III": 3, "II": 2, "I": 1}
LEVELS = range(3, 9)

# tjp_rome flags: "O" (oui), "N" (non) or empty; transition_eco holds a label instead of "O".
YES, NO = "O", "N"


@dataclass
class ParsedJobs:
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    appellations: dict[int, dict[str, Any]] = field(default_factory=dict)
    levels: dict[int, dict[str, Any]] = field(default_factory=dict)


def _path(source_dir: Path, stem: str) -> Path:
    """The compressed file if present, else the plain one (tests write plain CSV)."""
    compressed = source_dir / f"{stem}.csv.gz"
    return compressed if compressed.exists() else source_dir / f"{stem}.csv"


def _rows(
    report: ImportReport, path: Path, *, required: list[str], delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str]]]:
    """read_csv, turning a missing file or missing columns into a rejection instead of an exception."""
    if not path.exists():
        report.reject(0, f"fichier introuvable : {path.name}")
        return
    try:
        for line, row in read_csv(path, required=required, delimiter=delimiter):
            report.read += 1
            yield line, row
    except ValueError as error:
        report.reject(1, str(error))
    except (UnicodeDecodeError, csv.Error, OSError) as error:
        report.reject(0, f"{path.name} illisible : {error}")


def _parse_major_domains(report: ImportReport, path: Path) -> dict[str, str]:
    majors: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, row in _rows(report, path, required=["grand_domaine", "libelle"]):
        code, label = row["grand_domaine"], row["libelle"]
        if not MAJOR_CODE.match(code):
            report.reject(line, f"grand domaine « {code} » invalide (une lettre de A à N attendue)")
        elif code in seen:
            report.reject(line, f"grand domaine {code} en double (déjà ligne {seen[code]})")
        elif not label:
            report.reject(line, f"libellé manquant pour le grand domaine {code}")
        else:
            seen[code] = line
            majors[code] = label
    return majors


def _parse_tree(report: ImportReport, path: Path, majors: dict[str, str], parsed: ParsedJobs) -> dict[str, int]:
    """Domains and jobs from the arborescence; returns ROME code -> line (for cross-file messages)."""
    columns = [
        "grand_domaine", "libelle_grand_domaine", "domaine_professionnel", "libelle_domaine_professionnel",
        "code_rome", "libelle_rome", "code_ogr_fiche",
    ]  # fmt: skip
    lines: dict[str, int] = {}
    ogr_lines: dict[int, int] = {}
    for line, row in _rows(report, path, required=columns):
        major, domain, code = row["grand_domaine"], row["domaine_professionnel"], row["code_rome"]
        title, ogr = row["libelle_rome"], row["code_ogr_fiche"]
        if not ROME_CODE.match(code):
            report.reject(line, f"code ROME « {code} » invalide (une lettre de A à N et 4 chiffres attendus)")
            continue
        if code in lines:
            report.reject(line, f"code ROME {code} en double (déjà ligne {lines[code]})")
            continue
        lines[code] = line
        if major not in majors:
            report.reject(line, f"grand domaine « {major} » absent de rome_grands_domaines")
            continue
        if row["libelle_grand_domaine"] != majors[major]:
            report.reject(line, f"libellé du grand domaine {major} différent de celui de rome_grands_domaines")
            continue
        if not DOMAIN_CODE.match(domain) or not code.startswith(domain) or not domain.startswith(major):
            report.reject(line, f"domaine professionnel « {domain} » incohérent avec le code ROME {code}")
            continue
        if not row["libelle_domaine_professionnel"]:
            report.reject(line, f"libellé manquant pour le domaine professionnel {domain}")
            continue
        if not title or len(title) > RomeJob._meta.get_field("title").max_length:
            report.reject(line, f"intitulé du métier {code} manquant ou trop long")
            continue
        if not OGR_CODE.match(ogr):
            report.reject(line, f"code OGR de la fiche « {ogr} » invalide (nombre entier attendu)")
            continue
        if int(ogr) in ogr_lines:
            report.reject(line, f"code OGR de fiche {ogr} en double (déjà ligne {ogr_lines[int(ogr)]})")
            continue
        ogr_lines[int(ogr)] = line
        known = parsed.domains.get(domain)
        if known and known["name"] != row["libelle_domaine_professionnel"]:
            report.reject(line, f"libellé du domaine {domain} différent de celui des lignes précédentes")
            continue
        parsed.domains[domain] = {
            "code": domain,
            "name": row["libelle_domaine_professionnel"],
            "major_code": major,
            "major_name": majors[major],
        }
        parsed.jobs[code] = {
            "code": code,
            "title": title,
            "search_title": search_key(title),
            "domain_code": domain,
            "ogr_code": int(ogr),
        }
    return lines


def _flag(value: str) -> bool | None:
    """tjp_rome yes/no flag; None for a value that is neither."""
    return {YES: True, NO: False, "": False}.get(value)


def _parse_flags(report: ImportReport, path: Path, parsed: ParsedJobs, tree_lines: dict[str, int]) -> None:
    columns = [
        "code_rome", "code_ogr", "transition_eco", "transition_num", "transition_demo", "emploi_reglemente",
    ]  # fmt: skip
    seen: dict[str, int] = {}
    for line, row in _rows(report, path, required=columns, delimiter=";"):
        code = row["code_rome"]
        if not ROME_CODE.match(code):
            report.reject(line, f"code ROME « {code} » invalide (une lettre de A à N et 4 chiffres attendus)")
            continue
        if code in seen:
            report.reject(line, f"code ROME {code} en double (déjà ligne {seen[code]})")
            continue
        seen[code] = line
        job = parsed.jobs.get(code)
        if job is None:
            if code not in tree_lines:  # a job rejected in the arborescence is reported there already
                report.reject(line, f"code ROME {code} absent de rome_arborescence_2024")
            continue
        if row["code_ogr"] != str(job["ogr_code"]):
            report.reject(line, f"code OGR {row['code_ogr']} différent de celui de l'arborescence ({job['ogr_code']})")
            continue
        flags = {name: _flag(row[name]) for name in ("transition_num", "transition_demo", "emploi_reglemente")}
        wrong = [name for name, value in flags.items() if value is None]
        if wrong:
            report.reject(line, f"valeur inattendue dans {', '.join(wrong)} (O, N ou vide attendu)")
            continue
        job.update(
            transition_eco=row["transition_eco"] not in {"", NO},  # a label such as "Emploi Vert" means yes
            transition_num=flags["transition_num"],
            transition_demo=flags["transition_demo"],
            regulated=flags["emploi_reglemente"],
        )
    if not seen:  # unreadable file: already reported, listing all 609 codes would add nothing
        return
    for code, line in tree_lines.items():
        if code not in seen:
            report.reject(0, f"code ROME {code} (ligne {line} de l'arborescence) absent de tjp_rome")


def _parse_future(report: ImportReport, parsed: ParsedJobs) -> None:
    try:
        families = future_family_by_code()
    except ValueError as error:
        report.reject(0, str(error))
        return
    for code in parsed.jobs:
        parsed.jobs[code]["future_family"] = families.get(code, "")
    for code in sorted(set(families) - set(parsed.jobs)):
        report.reject(0, f"métier d'avenir {code} (guichet/jobs/future.py) absent de rome_arborescence_2024")


def _parse_appellations(report: ImportReport, path: Path, parsed: ParsedJobs, tree_lines: dict[str, int]) -> None:
    seen: dict[int, int] = {}
    max_length = Appellation._meta.get_field("title").max_length
    for line, row in _rows(report, path, required=["code_ogr", "libelle_appellation", "code_rome"]):
        ogr, title, code = row["code_ogr"], row["libelle_appellation"], row["code_rome"]
        if not OGR_CODE.match(ogr):
            report.reject(line, f"code OGR « {ogr} » invalide (nombre entier attendu)")
            continue
        if int(ogr) in seen:
            report.reject(line, f"code OGR {ogr} en double (déjà ligne {seen[int(ogr)]})")
            continue
        seen[int(ogr)] = line
        if not title or len(title) > max_length:
            report.reject(line, f"appellation {ogr} manquante ou trop longue")
            continue
        if not ROME_CODE.match(code):
            report.reject(line, f"code ROME « {code} » invalide (une lettre de A à N et 4 chiffres attendus)")
            continue
        if code not in tree_lines:
            report.reject(line, f"code ROME {code} inconnu (absent de rome_arborescence_2024)")
            continue
        parsed.appellations[int(ogr)] = {
            "ogr_code": int(ogr),
            "title": title,
            "search_title": search_key(title),
            "job_code": code,
        }


def _read_commented_csv(report: ImportReport, path: Path, *, required: list[str]) -> Iterator[tuple[int, dict]]:
    """Like read_csv, for a project file that starts with `#` comment lines (its citation)."""
    if not path.exists():
        report.reject(0, f"fichier introuvable : {path.name}")
        return
    with open_text(path) as handle:
        lines = handle.read().splitlines()
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    reader = csv.DictReader(lines[skipped:])
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        report.reject(skipped + 1, f"colonnes manquantes dans {path.name} : {', '.join(missing)}")
        return
    for row in reader:
        report.read += 1
        yield reader.line_num + skipped, {key: (value or "").strip() for key, value in row.items() if key}


def _bcn_old_levels(report: ImportReport, path: Path) -> dict[int, Counter[int]]:
    """BCN: for each level of the national framework, how often each 1969 level (1..5) goes with it."""
    found: dict[int, Counter[int]] = {}
    required = ["NIVEAU_FORMATION_DIPLOME", "NIVEAU_INTERMINISTERIEL", "NIVEAU_QUALIFICATION_RNCP"]
    for _line, row in _rows(report, path, required=required, delimiter=";"):
        rncp, old = row["NIVEAU_QUALIFICATION_RNCP"], row["NIVEAU_INTERMINISTERIEL"]
        if rncp.isdigit() and int(rncp) in LEVELS:
            counter = found.setdefault(int(rncp), Counter())
            if old.isdigit():
                counter[int(old)] += 1
    return found


def _parse_levels(report: ImportReport, path: Path, bcn_path: Path, parsed: ParsedJobs) -> None:
    rejected_before = len(report.rejected)
    bcn = _bcn_old_levels(report, bcn_path)
    bcn_readable = len(report.rejected) == rejected_before
    for level in LEVELS:
        if level not in bcn and bcn_readable:
            report.reject(0, f"niveau {level} absent de la colonne NIVEAU_QUALIFICATION_RNCP de {bcn_path.name}")
    seen: dict[int, int] = {}
    for line, row in _read_commented_csv(report, path, required=["niveau", "ancien_niveau", "libelle", "exemples"]):
        raw, old = row["niveau"], row["ancien_niveau"]
        if not raw.isdigit() or int(raw) not in LEVELS:
            report.reject(line, f"niveau « {raw} » invalide (3 à 8 attendu)")
            continue
        level = int(raw)
        if level in seen:
            report.reject(line, f"niveau {level} en double (déjà ligne {seen[level]})")
            continue
        seen[level] = line
        if old not in OLD_LEVELS:
            report.reject(line, f"ancien niveau « {old} » invalide (V, IV, III, II ou I attendu)")
            continue
        if level in bcn and bcn[level] and bcn[level].most_common(1)[0][0] != OLD_LEVELS[old]:
            expected = bcn[level].most_common(1)[0][0]
            report.reject(line, f"ancien niveau {old} pour le niveau {level}, la BCN donne le niveau {expected}")
            continue
        if not row["libelle"] or not row["exemples"]:
            report.reject(line, f"libellé ou exemples manquants pour le niveau {level}")
            continue
        parsed.levels[level] = {"level": level, "label": row["libelle"], "old_name": old, "examples": row["exemples"]}
    for level in LEVELS:
        if level not in seen and seen:
            report.reject(0, f"niveau {level} absent de {path.name}")


def parse_jobs(*, source_dir: Path) -> tuple[ParsedJobs, list[ImportReport]]:
    """Read and validate every file; no database access."""
    parsed = ParsedJobs()
    domains = ImportReport("Domaines professionnels ROME (rome_grands_domaines + rome_arborescence_2024)")
    jobs = ImportReport("Métiers ROME (rome_arborescence_2024 + tjp_rome)")
    appellations = ImportReport("Appellations ROME (rome_appellations_2024)")
    levels = ImportReport("Niveaux de diplôme (niveaux_diplome + BCN nNiveauFormationDiplome)")

    majors = _parse_major_domains(domains, _path(source_dir, "rome_grands_domaines"))
    tree_lines = _parse_tree(jobs, _path(source_dir, "rome_arborescence_2024"), majors, parsed)
    _parse_flags(jobs, _path(source_dir, "tjp_rome"), parsed, tree_lines)
    _parse_future(jobs, parsed)
    _parse_appellations(appellations, _path(source_dir, "rome_appellations_2024"), parsed, tree_lines)
    _parse_levels(levels, _path(source_dir, "niveaux_diplome"), _path(source_dir, "nNiveauFormationDiplome"), parsed)
    return parsed, [domains, jobs, appellations, levels]


def _with_fk(row: dict[str, Any], code_field: str, id_field: str, ids: dict[str, int]) -> dict[str, Any]:
    """Replace a natural-key reference (ROME or domain code) by the database id upsert() expects."""
    values = {name: value for name, value in row.items() if name != code_field}
    values[id_field] = ids[row[code_field]]
    return values


def load_jobs(*, source_dir: Path | None = None) -> list[ImportReport]:
    """Validate all job files, then write them in one transaction only if nothing was rejected."""
    source_dir = source_dir or reference_file("jobs")
    parsed, reports = parse_jobs(source_dir=source_dir)
    if any(report.rejected for report in reports):
        return reports
    domains_report, jobs_report, appellations_report, levels_report = reports
    with transaction.atomic():
        domains_report.add(upsert(ProfessionalDomain, key="code", rows=parsed.domains.values()))
        domain_ids = dict(ProfessionalDomain.objects.values_list("code", "id"))
        job_rows = [_with_fk(job, "domain_code", "domain_id", domain_ids) for job in parsed.jobs.values()]
        jobs_report.add(upsert(RomeJob, key="code", rows=job_rows))
        job_ids = dict(RomeJob.objects.values_list("code", "id"))
        appellation_rows = [_with_fk(row, "job_code", "job_id", job_ids) for row in parsed.appellations.values()]
        appellations_report.add(upsert(Appellation, key="ogr_code", rows=appellation_rows))
        levels_report.add(upsert(DiplomaLevel, key="level", rows=parsed.levels.values()))
    return reports
