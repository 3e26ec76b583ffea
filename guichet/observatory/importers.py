"""The observatory's reference dataset: indicator glossary, FAP-2021 families, the FAP228 <-> ROME correspondence,
the BMO 2025 survey for Hauts-de-France, published apprentice figures and the plans' targets.

Every file is validated whole before anything is written; one rejected line and nothing is saved (the registry
runs every dataset in one transaction). A second run over the same files changes nothing.
Plans and targets are seeded from `plans.csv` only when missing: an administrator's later edits win.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from guichet.core.importing import ImportReport, read_csv, reference_file, upsert
from guichet.jobs.models import RomeJob
from guichet.observatory.models import (
    BmoNeed,
    FapFamily,
    FapRome,
    Indicator,
    IndicatorMeasure,
    IndicatorUnit,
    Plan,
    PublishedFigure,
    Target,
)
from guichet.territory.models import Basin, BasinGrid

INDICATORS_FILE = "observatory/indicateurs.csv"
PLANS_FILE = "observatory/plans.csv"
FAP_FILE = "observatory/fap2021_nomenclature.csv.gz"
FAP_ROME_FILE = "observatory/fap228_bmo_rome.csv.gz"
BMO_FILE = "observatory/bmo_2025_hauts_de_france.csv.gz"
PUBLISHED_FILE = "calibration/apprentis_chiffres_publies.csv"

FAP228 = re.compile(r"^[A-Z][0-9A-Z][A-Z][0-9]{2}$")
ROME = re.compile(r"^[A-N]\d{4}$")
SECRET = "*"


def _path(relative: str, source_dir: Path | None) -> Path:
    if source_dir is None:
        return reference_file(relative)
    return Path(source_dir) / Path(relative).name


def import_indicators(*, path: Path) -> ImportReport:
    report = ImportReport(source=f"Glossaire des indicateurs ({path.name})")
    rows: dict[str, dict] = {}
    columns = ["code", "libelle", "definition", "unite", "nature", "source", "mise_a_jour", "limites"]
    try:
        for line, row in read_csv(path, required=columns):
            report.read += 1
            code = row["code"]
            if not re.fullmatch(r"[a-z0-9_]{2,60}", code):
                report.reject(line, f"code « {code} » invalide (minuscules, chiffres et _ seulement)")
                continue
            if code in rows:
                report.reject(line, f"indicateur {code} en double")
                continue
            if row["unite"] not in IndicatorUnit.values:
                report.reject(line, f"unité « {row['unite']} » inconnue ({', '.join(IndicatorUnit.values)})")
                continue
            if row["nature"] not in IndicatorMeasure.values:
                report.reject(line, f"nature « {row['nature']} » inconnue ({', '.join(IndicatorMeasure.values)})")
                continue
            missing = [name for name in ("libelle", "definition", "source", "mise_a_jour") if not row[name]]
            if missing:
                report.reject(line, f"{code} : champ(s) vide(s) {', '.join(missing)}")
                continue
            rows[code] = {
                "code": code,
                "label": row["libelle"],
                "definition": row["definition"],
                "unit": row["unite"],
                "measure": row["nature"],
                "source": row["source"],
                "refreshed": row["mise_a_jour"],
                "caveats": row["limites"],
                "position": len(rows) + 1,
            }
    except ValueError as error:
        report.reject(0, str(error))
    if not report.rejected:
        report.add(upsert(Indicator, key="code", rows=rows.values(), delete_missing=False))
    return report


def import_fap(*, nomenclature: Path, correspondence: Path) -> list[ImportReport]:
    """FAP228 families (labels from the DARES nomenclature, BMO labels from the correspondence), then the
    FAP228 -> ROME pairs. A ROME code missing from the loaded ROME is kept with no job and counted as unmapped."""
    families = ImportReport(source=f"Familles professionnelles FAP 2021 ({nomenclature.name})")
    labels: dict[str, str] = {}
    try:
        for line, row in read_csv(nomenclature, required=["Code_FAP228", "Intitulé_FAP228"]):
            families.read += 1
            code, label = row["Code_FAP228"], row["Intitulé_FAP228"]
            if not FAP228.match(code):
                families.reject(line, f"code FAP228 « {code} » invalide")
                continue
            if labels.get(code, label) != label:
                families.reject(line, f"code FAP228 {code} avec deux libellés différents")
                continue
            labels[code] = label
    except ValueError as error:
        families.reject(0, str(error))

    pairs = ImportReport(source=f"Correspondance FAP228 - ROME ({correspondence.name})")
    rome_ids = dict(RomeJob.objects.values_list("code", "id"))
    bmo_labels: dict[str, str] = {}
    links: dict[tuple[str, str], int] = {}
    unmapped: set[str] = set()
    required = ["code_fap228", "nom_metier_bmo", "code_rome", "n_qualif"]
    try:
        for line, row in read_csv(correspondence, required=required):
            pairs.read += 1
            fap, rome, weight = row["code_fap228"], row["code_rome"], row["n_qualif"]
            if fap not in labels:
                pairs.reject(line, f"code FAP228 « {fap} » absent de la nomenclature")
                continue
            if not ROME.match(rome):
                pairs.reject(line, f"code ROME « {rome} » invalide")
                continue
            if not weight.isdigit() or not 1 <= int(weight) <= 10:
                pairs.reject(line, f"n_qualif « {weight} » invalide (entier de 1 à 10 attendu)")
                continue
            if (fap, rome) in links:
                pairs.reject(line, f"paire {fap} - {rome} en double")
                continue
            if rome not in rome_ids:
                unmapped.add(rome)
            links[(fap, rome)] = int(weight)
            if row["nom_metier_bmo"]:
                bmo_labels[fap] = row["nom_metier_bmo"]
    except ValueError as error:
        pairs.reject(0, str(error))
    if families.rejected or pairs.rejected:
        return [families, pairs]

    with transaction.atomic():
        families.add(
            upsert(
                FapFamily,
                key="code",
                rows=[{"code": c, "label": lbl, "bmo_label": bmo_labels.get(c, "")} for c, lbl in labels.items()],
            )
        )
        fap_ids = dict(FapFamily.objects.values_list("code", "id"))
        existing = {(link.fap_id, link.rome_code): link for link in FapRome.objects.all()}
        to_create, to_update = [], []
        for (fap, rome), weight in links.items():
            key = (fap_ids[fap], rome)
            link = existing.pop(key, None)
            job_id = rome_ids.get(rome)
            if link is None:
                to_create.append(FapRome(fap_id=key[0], rome_code=rome, rome_job_id=job_id, qualifications=weight))
            elif (link.rome_job_id, link.qualifications) != (job_id, weight):
                link.rome_job_id, link.qualifications = job_id, weight
                to_update.append(link)
            else:
                pairs.unchanged += 1
        FapRome.objects.bulk_create(to_create)
        FapRome.objects.bulk_update(to_update, ["rome_job", "qualifications"])
        FapRome.objects.filter(pk__in=[link.pk for link in existing.values()]).delete()
        pairs.created, pairs.updated, pairs.deleted = len(to_create), len(to_update), len(existing)
    if unmapped:
        pairs.source += f" ; {len(unmapped)} code(s) ROME absents du ROME 4.0 chargé, gardés sans métier"
    return [families, pairs]


def _count(raw: str) -> tuple[int | None, bool] | None:
    """(value, secret) for a BMO count: "*" is secret (NULL, never zero); None when invalid."""
    if raw == SECRET:
        return None, True
    if raw.isdigit():
        return int(raw), False
    return None


def import_bmo(*, path: Path) -> ImportReport:
    report = ImportReport(source=f"Besoins en main-d'œuvre, France Travail ({path.name})")
    basins = {basin.code: basin for basin in Basin.objects.filter(grid=BasinGrid.BMO)}
    fap_ids = dict(FapFamily.objects.values_list("code", "id"))
    rows: dict[tuple[int, int, int], dict] = {}
    required = ["annee", "Code métier BMO", "REG", "Dept", "BE25", "NOMBE25", "met", "xmet", "smet"]
    try:
        for line, row in read_csv(path, required=required):
            report.read += 1
            year, fap, basin_code = row["annee"], row["Code métier BMO"], row["BE25"]
            if not (year.isdigit() and 2000 <= int(year) <= 2100):
                report.reject(line, f"année « {year} » invalide")
                continue
            if row["REG"] != "32":
                report.reject(line, f"région {row['REG']} : seules les lignes des Hauts-de-France (32) sont attendues")
                continue
            basin = basins.get(basin_code)
            if basin is None:
                report.reject(line, f"bassin BMO « {basin_code} » inconnu du maillage BMO chargé")
                continue
            if fap not in fap_ids:
                report.reject(line, f"code métier BMO « {fap} » inconnu de la nomenclature FAP 2021 (niveau 228)")
                continue
            values = {}
            for column, name in (("met", "projects"), ("xmet", "difficult"), ("smet", "seasonal")):
                parsed = _count(row[column])
                if parsed is None:
                    report.reject(line, f"{column} « {row[column]} » : un entier ou « * » (secret) attendu")
                    break
                values[name], values[f"{name}_secret"] = parsed
            else:
                key = (int(year), basin.pk, fap_ids[fap])
                if key in rows:
                    report.reject(line, f"bassin {basin_code} et métier {fap} en double pour {year}")
                    continue
                rows[key] = {"year": int(year), "basin_id": basin.pk, "fap_id": fap_ids[fap], **values}
    except ValueError as error:
        report.reject(0, str(error))
    if report.rejected:
        return report
    with transaction.atomic():
        existing = {(need.year, need.basin_id, need.fap_id): need for need in BmoNeed.objects.all()}
        fields = ["projects", "projects_secret", "difficult", "difficult_secret", "seasonal", "seasonal_secret"]
        to_create, to_update = [], []
        for key, values in rows.items():
            need = existing.pop(key, None)
            if need is None:
                to_create.append(BmoNeed(**values))
            elif any(getattr(need, name) != values[name] for name in fields):
                for name in fields:
                    setattr(need, name, values[name])
                to_update.append(need)
            else:
                report.unchanged += 1
        BmoNeed.objects.bulk_create(to_create, batch_size=2000)
        BmoNeed.objects.bulk_update(to_update, fields, batch_size=2000)
        years = {key[0] for key in rows}
        stale = [need.pk for key, need in existing.items() if key[0] in years]
        BmoNeed.objects.filter(pk__in=stale).delete()
        report.created, report.updated, report.deleted = len(to_create), len(to_update), len(stale)
    return report


def import_published_figures(*, path: Path) -> ImportReport:
    report = ImportReport(source=f"Chiffres publiés sur les apprentis ({path.name})")
    rows: list[dict] = []
    seen: set[tuple[str, str, str, str]] = set()
    required = ["perimetre", "annee", "indicateur", "valeur", "producteur_cite", "page_titre", "page_url"]
    try:
        for line, row in read_csv(path, required=required):
            report.read += 1
            if not row["valeur"].isdigit():
                report.reject(line, f"valeur « {row['valeur']} » : un entier attendu")
                continue
            if not row["page_url"].startswith(("http://", "https://")):
                report.reject(line, "adresse de la page manquante ou invalide")
                continue
            key = (row["perimetre"], row["annee"], row["indicateur"], row["page_url"])
            if key in seen:
                report.reject(line, "chiffre en double")
                continue
            seen.add(key)
            rows.append(
                {
                    "perimeter": row["perimetre"],
                    "year": row["annee"],
                    "label": row["indicateur"],
                    "value": int(row["valeur"]),
                    "producer": row["producteur_cite"],
                    "page_title": row["page_titre"][:500],
                    "page_date": row.get("page_date", ""),
                    "page_url": row["page_url"],
                    "note": row.get("note", ""),
                }
            )
    except ValueError as error:
        report.reject(0, str(error))
    if report.rejected:
        return report
    with transaction.atomic():
        existing = {(f.perimeter, f.year, f.label, f.page_url): f for f in PublishedFigure.objects.all()}
        for row in rows:
            figure = existing.pop((row["perimeter"], row["year"], row["label"], row["page_url"]), None)
            if figure is None:
                PublishedFigure.objects.create(**row)
                report.created += 1
            elif any(getattr(figure, name) != value for name, value in row.items()):
                for name, value in row.items():
                    setattr(figure, name, value)
                figure.save()
                report.updated += 1
            else:
                report.unchanged += 1
        report.deleted = len(existing)
        PublishedFigure.objects.filter(pk__in=[f.pk for f in existing.values()]).delete()
    return report


def import_plans(*, path: Path) -> ImportReport:
    """Seed plans and targets; an existing target (perhaps edited by an administrator) is left as it is."""
    report = ImportReport(source=f"Objectifs des plans régionaux ({path.name})")
    indicators = dict(Indicator.objects.values_list("code", "id"))
    parsed: list[tuple[dict, dict]] = []
    required = ["plan", "nom_plan", "annee_adoption", "source_plan", "indicateur", "objectif", "annee_depart"]
    required += ["valeur_depart", "annee_cible", "valeur_cible", "precisions"]
    try:
        for line, row in read_csv(path, required=required):
            report.read += 1
            if row["indicateur"] not in indicators:
                report.reject(line, f"indicateur « {row['indicateur']} » absent du glossaire")
                continue
            try:
                years = [int(row[name]) for name in ("annee_adoption", "annee_depart", "annee_cible")]
                values = [Decimal(row[name]) for name in ("valeur_depart", "valeur_cible")]
            except (ValueError, InvalidOperation):
                report.reject(line, "années entières et valeurs numériques attendues (point décimal)")
                continue
            if years[2] <= years[1]:
                report.reject(line, "l'année cible doit suivre l'année de départ")
                continue
            plan = {
                "code": row["plan"],
                "name": row["nom_plan"],
                "adopted_year": years[0],
                "source": row["source_plan"],
            }
            target = {
                "indicator_id": indicators[row["indicateur"]],
                "label": row["objectif"],
                "baseline_year": years[1],
                "baseline_value": values[0],
                "target_year": years[2],
                "target_value": values[1],
                "note": row["precisions"],
            }
            parsed.append((plan, target))
    except ValueError as error:
        report.reject(0, str(error))
    if report.rejected:
        return report
    with transaction.atomic():
        for plan_values, target_values in parsed:
            has_current = Plan.objects.filter(is_current=True).exists()
            plan, _ = Plan.objects.get_or_create(
                code=plan_values["code"], defaults={**plan_values, "is_current": not has_current}
            )
            _, target_created = Target.objects.get_or_create(
                plan=plan, indicator_id=target_values["indicator_id"], defaults=target_values
            )
            if target_created:
                report.created += 1
            else:
                report.unchanged += 1
    return report


def load_observatory_reference(*, source_dir: Path | None = None) -> list[ImportReport]:
    """The observatory dataset; needs territory (BMO basins) and jobs (ROME) loaded first."""
    reports = [import_indicators(path=_path(INDICATORS_FILE, source_dir))]
    if reports[-1].rejected:
        return reports
    reports += import_fap(nomenclature=_path(FAP_FILE, source_dir), correspondence=_path(FAP_ROME_FILE, source_dir))
    if any(report.rejected for report in reports):
        return reports
    reports.append(import_bmo(path=_path(BMO_FILE, source_dir)))
    reports.append(import_published_figures(path=_path(PUBLISHED_FILE, source_dir)))
    reports.append(import_plans(path=_path(PLANS_FILE, source_dir)))
    return reports
