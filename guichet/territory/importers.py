"""Importers for the territory reference data: regions, departments, communes and basin grids.

Sources (data/reference/territory/, see data/reference/SOURCES.md):
- `regions.json`, `departements.json`: INSEE COG 2026 (via @etalab/decoupage-administratif);
- `departements_hauts_de_france.geojson.gz`: outlines of the five Hauts-de-France departments;
- `communes_2026.csv.gz`: every commune of France (communes actuelles and arrondissements municipaux are kept;
  delegated and associated communes are not places where people live or work apart from their commune nouvelle);
- `communes_2026_coordonnees.csv.gz`: centre coordinates (`centre_lat`/`centre_lon`; when a commune has no centre
  but has a town hall location, the town hall is used: three communes nouvelles of 2026 are in that case). Communes
  absent from this file (overseas collectivities, a few new communes) have no coordinates;
- INSEE zones d'emploi 2020 (`zones_emploi_2020_...geojson.gz` + `communes_ze2020_hauts_de_france.csv.gz`);
- France Travail BMO basins (`bassins_bmo_hauts_de_france.csv` + `.geojson.gz` + `communes_bassins_bmo_...csv.gz`).

Each file is parsed and validated completely before anything is written. `import_territory()` parses ALL the
files, and writes (inside one transaction, with bulk operations through `upsert`) only when no line at all was
rejected. The single-step loaders (`import_regions`, `import_communes`...) check references against what is
already in the database (run them in order). Every loader takes an optional `source_dir`, used by the tests to
feed broken files. Rows are matched on natural keys (INSEE codes, basin codes), never on database ids; a second
run over the same files creates and updates nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from guichet.core.importing import ImportReport, read_csv, read_json, reference_file, upsert
from guichet.core.text import search_key
from guichet.territory.models import Basin, BasinGrid, BasinMembership, Commune, CommuneKind, Department, Region

INSEE_CODE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")  # metropolitan, Corsica, and overseas (97xxx, 98xxx) codes
DEPARTMENT_CODE = re.compile(r"^(\d{2}|2A|2B|9[78]\d)$")
REGION_CODE = re.compile(r"^(\d{2}|9[78]\d)$")
BASIN_CODE = re.compile(r"^\d{4}$")
POSTCODE = re.compile(r"^\d{5}$")

REGIONS_FILE = "regions.json"
DEPARTMENTS_FILE = "departements.json"
DEPARTMENT_OUTLINES_FILE = "departements_hauts_de_france.geojson.gz"
COMMUNES_FILE = "communes_2026.csv.gz"
COORDINATES_FILE = "communes_2026_coordonnees.csv.gz"
ZONES_FILE = "zones_emploi_2020_hauts_de_france.geojson.gz"
ZONE_COMMUNES_FILE = "communes_ze2020_hauts_de_france.csv.gz"
BMO_BASINS_FILE = "bassins_bmo_hauts_de_france.csv"
BMO_OUTLINES_FILE = "bassins_bmo_hauts_de_france.geojson.gz"
BMO_COMMUNES_FILE = "communes_bassins_bmo_hauts_de_france.csv.gz"

KEPT_KINDS = {CommuneKind.COMMUNE.value, CommuneKind.ARRONDISSEMENT.value}
SKIPPED_KINDS = {"commune-deleguee", "commune-associee"}
MAX_NAME_LENGTH = 100
MAX_POSTCODES_LENGTH = 200
MAX_POPULATION = 2_147_483_647  # PositiveIntegerField upper bound on PostgreSQL


def default_source_dir() -> Path:
    return reference_file("territory")


# --- Parsing helpers -------------------------------------------------------------------------------------------


def _csv_rows(report: ImportReport, path: Path, *, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file; a missing file or missing columns become a rejection instead of an exception."""
    if not path.exists():
        report.reject(0, f"fichier introuvable : {path.name}")
        return
    try:
        yield from read_csv(path, required=required)
    except ValueError as error:  # missing columns (read_csv names them)
        report.reject(1, str(error))
    except (UnicodeDecodeError, OSError) as error:
        report.reject(0, f"fichier illisible : {path.name} ({error.__class__.__name__})")


def _json_items(report: ImportReport, path: Path) -> list[Any] | None:
    if not path.exists():
        report.reject(0, f"fichier introuvable : {path.name}")
        return None
    try:
        return read_json(path)
    except (ValueError, UnicodeDecodeError, OSError) as error:
        report.reject(0, f"{path.name} n'est pas un fichier JSON lisible ({error.__class__.__name__})")
        return None


def _features(report: ImportReport, path: Path) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(position, properties, geometry) of each feature of a GeoJSON FeatureCollection."""
    data = _json_items(report, path)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        report.reject(0, f"{path.name} n'est pas une collection d'entités GeoJSON (FeatureCollection)")
        return
    for position, feature in enumerate(data["features"], start=1):
        where = f"{path.name}, entité n° {position}"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            report.reject(0, f"{where} : entité sans propriétés")
            continue
        geometry = feature.get("geometry")
        if not _valid_geometry(geometry):
            report.reject(0, f"{where} : contour absent ou invalide (Polygon ou MultiPolygon attendu)")
            continue
        yield position, feature["properties"], geometry


def _valid_geometry(geometry: Any) -> bool:
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        return False
    polygons = geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        return False
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return False
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return False
            for point in ring:
                if not (isinstance(point, list) and len(point) >= 2 and _in_range(point[1], point[0])):
                    return False
    return True


def _in_range(latitude: Any, longitude: Any) -> bool:
    return (
        isinstance(latitude, int | float)
        and isinstance(longitude, int | float)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )


def _parse_float(value: str) -> float | None:
    """A finite float, or None when the text is not one."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _in_file(name: str) -> str:
    return f" ({name})"


# --- Parsed data ---------------------------------------------------------------------------------------------


@dataclass
class ParsedRegions:
    report: ImportReport
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> row


@dataclass
class ParsedDepartments:
    report: ImportReport
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> row with region_code

    def region_of(self) -> dict[str, str]:
        return {code: row["region_code"] for code, row in self.rows.items()}


@dataclass
class ParsedCommunes:
    report: ImportReport
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # insee -> row


@dataclass
class ParsedGrid:
    grid: str
    basins_report: ImportReport
    memberships_report: ImportReport
    basins: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> row
    memberships: dict[str, str] = field(default_factory=dict)  # commune insee -> basin code

    @property
    def reports(self) -> list[ImportReport]:
        return [self.basins_report, self.memberships_report]


# --- Regions and departments ------------------------------------------------------------------------------------


def parse_regions(directory: Path) -> ParsedRegions:
    parsed = ParsedRegions(ImportReport(source=f"Régions ({REGIONS_FILE})"))
    report = parsed.report
    items = _json_items(report, directory / REGIONS_FILE)
    if items is None:
        return parsed
    if not isinstance(items, list):
        report.reject(0, f"{REGIONS_FILE} doit contenir une liste de régions")
        return parsed
    for position, item in enumerate(items, start=1):
        report.read += 1
        where = f"région n° {position}"
        code = str(item.get("code", "")).strip() if isinstance(item, dict) else ""
        name = str(item.get("nom", "")).strip() if isinstance(item, dict) else ""
        if not REGION_CODE.match(code):
            report.reject(0, f"{where} : code de région « {code} » invalide (2 chiffres, ou 97x/98x)")
        elif code in parsed.rows:
            report.reject(0, f"{where} : code de région « {code} » en double")
        elif not name or len(name) > MAX_NAME_LENGTH:
            report.reject(0, f"{where} (code {code}) : nom absent ou trop long")
        else:
            parsed.rows[code] = {"code": code, "name": name}
    return parsed


def parse_departments(directory: Path, *, region_codes: set[str]) -> ParsedDepartments:
    parsed = ParsedDepartments(ImportReport(source=f"Départements ({DEPARTMENTS_FILE}, {DEPARTMENT_OUTLINES_FILE})"))
    report = parsed.report
    items = _json_items(report, directory / DEPARTMENTS_FILE)
    if items is None:
        return parsed
    if not isinstance(items, list):
        report.reject(0, f"{DEPARTMENTS_FILE} doit contenir une liste de départements")
        return parsed
    for position, item in enumerate(items, start=1):
        report.read += 1
        where = f"département n° {position}"
        item = item if isinstance(item, dict) else {}
        code, name = str(item.get("code", "")).strip(), str(item.get("nom", "")).strip()
        region = str(item.get("region", "")).strip()
        if not DEPARTMENT_CODE.match(code):
            report.reject(0, f"{where} : code de département « {code} » invalide")
        elif code in parsed.rows:
            report.reject(0, f"{where} : code de département « {code} » en double")
        elif not name or len(name) > MAX_NAME_LENGTH:
            report.reject(0, f"{where} (code {code}) : nom absent ou trop long")
        elif region not in region_codes:
            report.reject(0, f"{where} (code {code}) : région « {region} » inconnue")
        else:
            parsed.rows[code] = {"code": code, "name": name, "region_code": region, "geometry": None}
    outlined: set[str] = set()
    for position, properties, geometry in _features(report, directory / DEPARTMENT_OUTLINES_FILE):
        code = str(properties.get("code", "")).strip()
        where = f"{DEPARTMENT_OUTLINES_FILE}, entité n° {position}"
        if code not in parsed.rows:
            report.reject(0, f"{where} : département « {code} » inconnu")
        elif code in outlined:
            report.reject(0, f"{where} : contour du département « {code} » en double")
        else:
            outlined.add(code)
            parsed.rows[code]["geometry"] = geometry
    return parsed


# --- Communes ---------------------------------------------------------------------------------------------------


def parse_communes(directory: Path, *, department_regions: dict[str, str]) -> ParsedCommunes:
    """Communes actuelles and arrondissements municipaux of all France, with their centre coordinates."""
    parsed = ParsedCommunes(ImportReport(source=f"Communes ({COMMUNES_FILE}, {COORDINATES_FILE})"))
    report, rows = parsed.report, parsed.rows
    parents: list[tuple[int, str, str]] = []  # (line, arrondissement insee, parent insee)
    required = ["code_insee", "nom", "type", "departement", "region", "codes_postaux", "population", "commune_parente"]
    for line, row in _csv_rows(report, directory / COMMUNES_FILE, required=required):
        report.read += 1
        code, kind = row["code_insee"], row["type"]
        if kind in SKIPPED_KINDS:
            continue
        problem = _commune_problem(row, department_regions=department_regions)
        if problem is None and code in rows:
            problem = f"code INSEE « {code} » en double"
        if problem:
            report.reject(line, problem + _in_file(COMMUNES_FILE))
            continue
        postcodes = row["codes_postaux"].split()
        rows[code] = {
            "insee": code,
            "name": row["nom"],
            "search_name": search_key(row["nom"])[:MAX_NAME_LENGTH],
            "kind": kind,
            "department_code": row["departement"],
            "parent_insee": None,
            "postcodes": " ".join(postcodes),
            "population": int(row["population"]) if row["population"] else None,
            "latitude": None,
            "longitude": None,
        }
        if kind == CommuneKind.ARRONDISSEMENT:
            parents.append((line, code, row["commune_parente"]))
    for line, code, parent in parents:
        if rows.get(parent, {}).get("kind") != CommuneKind.COMMUNE:
            problem = f"commune parente « {parent} » inconnue pour l'arrondissement {code}"
            report.reject(line, problem + _in_file(COMMUNES_FILE))
        else:
            rows[code]["parent_insee"] = parent
    _parse_coordinates(directory / COORDINATES_FILE, parsed)
    return parsed


def _commune_problem(row: dict[str, str], *, department_regions: dict[str, str]) -> str | None:
    code, kind, department = row["code_insee"], row["type"], row["departement"]
    if not INSEE_CODE.match(code):
        return f"code INSEE « {code} » invalide (5 caractères : 2 chiffres ou 2A/2B, puis 3 chiffres)"
    if kind not in KEPT_KINDS:
        return f"type de commune « {kind} » inconnu"
    if not row["nom"] or len(row["nom"]) > MAX_NAME_LENGTH:
        return f"nom de la commune {code} absent ou trop long"
    if department not in department_regions:
        return f"département « {department} » inconnu pour la commune {code}"
    if row["region"] != department_regions[department]:
        return f"la région « {row['region']} » de la commune {code} n'est pas celle du département {department}"
    postcodes = row["codes_postaux"].split()
    bad_postcodes = [postcode for postcode in postcodes if not POSTCODE.match(postcode)]
    if bad_postcodes:
        return f"code postal « {bad_postcodes[0]} » invalide pour la commune {code} (5 chiffres attendus)"
    if len(" ".join(postcodes)) > MAX_POSTCODES_LENGTH:
        return f"trop de codes postaux pour la commune {code}"
    population = row["population"]
    if population and not (population.isdigit() and int(population) <= MAX_POPULATION):
        return f"population « {population} » invalide pour la commune {code} (nombre entier positif attendu)"
    if kind == CommuneKind.ARRONDISSEMENT and not row["commune_parente"]:
        return f"l'arrondissement {code} n'a pas de commune parente"
    return None


def _parse_coordinates(path: Path, parsed: ParsedCommunes) -> None:
    report, rows = parsed.report, parsed.rows
    seen: set[str] = set()
    required = ["code_insee", "centre_lat", "centre_lon", "mairie_lat", "mairie_lon"]
    for line, row in _csv_rows(report, path, required=required):
        code = row["code_insee"]
        problem = None
        if not INSEE_CODE.match(code):
            problem = f"code INSEE « {code} » invalide"
        elif code in seen:
            problem = f"code INSEE « {code} » en double"
        elif code not in rows:
            problem = f"commune « {code} » inconnue"
        seen.add(code)
        point = None
        if problem is None:
            point, problem = _point(row, "centre")
            if problem is None and point is None:
                point, problem = _point(row, "mairie")
        if problem:
            report.reject(line, problem + _in_file(path.name))
        elif point:
            rows[code]["latitude"], rows[code]["longitude"] = point


def _point(row: dict[str, str], prefix: str) -> tuple[tuple[float, float] | None, str | None]:
    """(latitude, longitude) from the `<prefix>_lat`/`<prefix>_lon` columns; both empty means no point."""
    raw_lat, raw_lon = row[f"{prefix}_lat"], row[f"{prefix}_lon"]
    if not raw_lat and not raw_lon:
        return None, None
    latitude, longitude = _parse_float(raw_lat), _parse_float(raw_lon)
    if latitude is None or longitude is None:
        return None, f"coordonnées « {raw_lat} », « {raw_lon} » invalides pour la commune {row['code_insee']}"
    if not _in_range(latitude, longitude):
        return None, (
            f"coordonnées hors limites pour la commune {row['code_insee']} : latitude {raw_lat} "
            f"(entre -90 et 90 attendue), longitude {raw_lon} (entre -180 et 180 attendue)"
        )
    return (latitude, longitude), None


# --- Basin grids ------------------------------------------------------------------------------------------------


def parse_zones_emploi(directory: Path, *, commune_codes: set[str]) -> ParsedGrid:
    """INSEE zones d'emploi 2020: zones and outlines from the GeoJSON, composition from the INSEE table."""
    parsed = ParsedGrid(
        grid=BasinGrid.ZONE_EMPLOI,
        basins_report=ImportReport(source=f"Zones d'emploi 2020 ({ZONES_FILE})"),
        memberships_report=ImportReport(source=f"Communes des zones d'emploi 2020 ({ZONE_COMMUNES_FILE})"),
    )
    report = parsed.basins_report
    for position, properties, geometry in _features(report, directory / ZONES_FILE):
        report.read += 1
        where = f"{ZONES_FILE}, entité n° {position}"
        code, name = str(properties.get("code", "")).strip(), str(properties.get("name", "")).strip()
        interregional = properties.get("interregional", False)
        if not BASIN_CODE.match(code):
            report.reject(0, f"{where} : code de zone d'emploi « {code} » invalide (4 chiffres attendus)")
        elif code in parsed.basins:
            report.reject(0, f"{where} : zone d'emploi « {code} » en double")
        elif not name or len(name) > MAX_NAME_LENGTH:
            report.reject(0, f"{where} : nom de la zone d'emploi « {code} » absent ou trop long")
        elif not isinstance(interregional, bool):
            report.reject(0, f"{where} : « interregional » doit valoir true ou false")
        else:
            parsed.basins[code] = _basin_row(parsed.grid, code, name, interregional, geometry)
    required = ["CODGEO", "ZE2020", "ZE_PARTIE_REG"]

    def problem(row: dict[str, str]) -> str | None:
        zone = parsed.basins.get(row["ZE2020"])
        if zone and row["ZE_PARTIE_REG"] and not zone["interregional"]:
            return f"la zone d'emploi « {row['ZE2020']} » a une partie régionale mais n'est pas interrégionale"
        return None

    _parse_memberships(
        directory / ZONE_COMMUNES_FILE,
        parsed,
        commune_codes=commune_codes,
        required=required,
        commune_column="CODGEO",
        basin_column="ZE2020",
        basin_label="zone d'emploi",
        extra_check=problem,
    )
    return parsed


def parse_bassins_bmo(directory: Path, *, commune_codes: set[str], department_codes: set[str]) -> ParsedGrid:
    """France Travail BMO basins: list from the CSV, outlines from the GeoJSON, composition from the commune table."""
    parsed = ParsedGrid(
        grid=BasinGrid.BMO,
        basins_report=ImportReport(source=f"Bassins BMO ({BMO_BASINS_FILE}, {BMO_OUTLINES_FILE})"),
        memberships_report=ImportReport(source=f"Communes des bassins BMO ({BMO_COMMUNES_FILE})"),
    )
    report = parsed.basins_report
    required = ["code_bassin_bmo", "nom_bassin_bmo", "departement_bmo2025"]
    for line, row in _csv_rows(report, directory / BMO_BASINS_FILE, required=required):
        report.read += 1
        code, name, department = row["code_bassin_bmo"], row["nom_bassin_bmo"], row["departement_bmo2025"]
        problem = None
        if not BASIN_CODE.match(code):
            problem = f"code de bassin « {code} » invalide (4 chiffres attendus)"
        elif code in parsed.basins:
            problem = f"bassin « {code} » en double"
        elif not name or len(name) > MAX_NAME_LENGTH:
            problem = f"nom du bassin « {code} » absent ou trop long"
        elif department not in department_codes:
            problem = f"département « {department} » inconnu pour le bassin {code}"
        if problem:
            report.reject(line, problem + _in_file(BMO_BASINS_FILE))
        else:
            parsed.basins[code] = _basin_row(parsed.grid, code, name, False, None)
    outlined: set[str] = set()
    for position, properties, geometry in _features(report, directory / BMO_OUTLINES_FILE):
        code = str(properties.get("code", "")).strip()
        where = f"{BMO_OUTLINES_FILE}, entité n° {position}"
        if code not in parsed.basins:
            report.reject(0, f"{where} : bassin « {code} » inconnu")
        elif code in outlined:
            report.reject(0, f"{where} : contour du bassin « {code} » en double")
        else:
            outlined.add(code)
            parsed.basins[code]["geometry"] = geometry
    _parse_memberships(
        directory / BMO_COMMUNES_FILE,
        parsed,
        commune_codes=commune_codes,
        required=["code_insee", "code_bassin_bmo"],
        commune_column="code_insee",
        basin_column="code_bassin_bmo",
        basin_label="bassin BMO",
    )
    return parsed


def _basin_row(grid: str, code: str, name: str, interregional: bool, geometry: Any) -> dict[str, Any]:
    return {"code": code, "grid": grid, "name": name, "interregional": interregional, "geometry": geometry}


def _parse_memberships(
    path: Path,
    parsed: ParsedGrid,
    *,
    commune_codes: set[str],
    required: list[str],
    commune_column: str,
    basin_column: str,
    basin_label: str,
    extra_check: Callable[[dict[str, str]], str | None] | None = None,
) -> None:
    report = parsed.memberships_report
    for line, row in _csv_rows(report, path, required=required):
        report.read += 1
        commune, basin = row[commune_column], row[basin_column]
        problem = None
        if not INSEE_CODE.match(commune):
            problem = f"code INSEE « {commune} » invalide"
        elif commune in parsed.memberships:
            problem = f"commune « {commune} » en double"
        elif commune not in commune_codes:
            problem = f"commune « {commune} » inconnue"
        elif basin not in parsed.basins:
            problem = f"{basin_label} « {basin} » inconnu{'e' if basin_label.startswith('zone') else ''}"
        elif extra_check:
            problem = extra_check(row)
        if problem:
            report.reject(line, problem + _in_file(path.name))
        else:
            parsed.memberships[commune] = basin


# --- Writing ----------------------------------------------------------------------------------------------------


def _write_regions(parsed: ParsedRegions) -> None:
    parsed.report.add(upsert(Region, key="code", rows=parsed.rows.values()))


def _write_departments(parsed: ParsedDepartments) -> None:
    region_ids = dict(Region.objects.values_list("code", "id"))
    rows = [
        {
            "code": row["code"],
            "name": row["name"],
            "region_id": region_ids[row["region_code"]],
            "geometry": row["geometry"],
        }
        for row in parsed.rows.values()
    ]
    parsed.report.add(upsert(Department, key="code", rows=rows))


def _write_communes(parsed: ParsedCommunes) -> None:
    """Communes first, then arrondissements, whose parent must have an id."""
    department_ids = dict(Department.objects.values_list("code", "id"))

    def model_rows(kind: str, parent_ids: dict[str, int]) -> list[dict[str, Any]]:
        rows = []
        for row in parsed.rows.values():
            if row["kind"] != kind:
                continue
            values = {name: value for name, value in row.items() if name not in {"department_code", "parent_insee"}}
            values["department_id"] = department_ids[row["department_code"]]
            values["parent_id"] = parent_ids[row["parent_insee"]] if row["parent_insee"] else None
            rows.append(values)
        return rows

    parsed.report.add(upsert(Commune, key="insee", rows=model_rows(CommuneKind.COMMUNE, {})))
    parent_codes = {row["parent_insee"] for row in parsed.rows.values() if row["parent_insee"]}
    parent_ids = dict(Commune.objects.filter(insee__in=parent_codes).values_list("insee", "id"))
    parsed.report.add(upsert(Commune, key="insee", rows=model_rows(CommuneKind.ARRONDISSEMENT, parent_ids)))


def _write_grid(parsed: ParsedGrid) -> None:
    # Basins are never deleted here: other apps (advisor assignments) refer to them.
    scope = Q(grid=parsed.grid)
    parsed.basins_report.add(upsert(Basin, key="code", rows=parsed.basins.values(), scope=scope))
    basin_ids = dict(Basin.objects.filter(scope).values_list("code", "id"))
    commune_ids = dict(Commune.objects.filter(insee__in=parsed.memberships).values_list("insee", "id"))
    rows = [
        {"commune_id": commune_ids[insee], "grid": parsed.grid, "basin_id": basin_ids[code]}
        for insee, code in parsed.memberships.items()
    ]
    # A commune that left the grid's files loses its membership.
    result = upsert(BasinMembership, key="commune_id", rows=rows, scope=scope, delete_missing=True)
    parsed.memberships_report.add(result)


def _rejected(reports: Iterable[ImportReport]) -> bool:
    return any(report.rejected for report in reports)


# --- Public loaders ---------------------------------------------------------------------------------------------


def import_territory(*, source_dir: Path | None = None) -> list[ImportReport]:
    """Parse and validate every territory file, then write them all, or nothing if any line is rejected."""
    directory = Path(source_dir) if source_dir else default_source_dir()
    regions = parse_regions(directory)
    departments = parse_departments(directory, region_codes=set(regions.rows))
    communes = parse_communes(directory, department_regions=departments.region_of())
    zones = parse_zones_emploi(directory, commune_codes=set(communes.rows))
    bmo = parse_bassins_bmo(directory, commune_codes=set(communes.rows), department_codes=set(departments.rows))
    reports = [regions.report, departments.report, communes.report, *zones.reports, *bmo.reports]
    if _rejected(reports):
        return reports
    with transaction.atomic():
        _write_regions(regions)
        _write_departments(departments)
        _write_communes(communes)
        _write_grid(zones)
        _write_grid(bmo)
    return reports


def import_regions(*, source_dir: Path | None = None) -> list[ImportReport]:
    parsed = parse_regions(Path(source_dir) if source_dir else default_source_dir())
    if not parsed.report.rejected:
        with transaction.atomic():
            _write_regions(parsed)
    return [parsed.report]


def import_departments(*, source_dir: Path | None = None) -> list[ImportReport]:
    region_codes = set(Region.objects.values_list("code", flat=True))
    parsed = parse_departments(Path(source_dir) if source_dir else default_source_dir(), region_codes=region_codes)
    if not parsed.report.rejected:
        with transaction.atomic():
            _write_departments(parsed)
    return [parsed.report]


def import_communes(*, source_dir: Path | None = None) -> list[ImportReport]:
    department_regions = dict(Department.objects.values_list("code", "region__code"))
    directory = Path(source_dir) if source_dir else default_source_dir()
    parsed = parse_communes(directory, department_regions=department_regions)
    if not parsed.report.rejected:
        with transaction.atomic():
            _write_communes(parsed)
    return [parsed.report]


def import_zones_emploi(*, source_dir: Path | None = None) -> list[ImportReport]:
    commune_codes = set(Commune.objects.values_list("insee", flat=True))
    parsed = parse_zones_emploi(Path(source_dir) if source_dir else default_source_dir(), commune_codes=commune_codes)
    if not _rejected(parsed.reports):
        with transaction.atomic():
            _write_grid(parsed)
    return parsed.reports


def import_bassins_bmo(*, source_dir: Path | None = None) -> list[ImportReport]:
    commune_codes = set(Commune.objects.values_list("insee", flat=True))
    department_codes = set(Department.objects.values_list("code", flat=True))
    directory = Path(source_dir) if source_dir else default_source_dir()
    parsed = parse_bassins_bmo(directory, commune_codes=commune_codes, department_codes=department_codes)
    if not _rejected(parsed.reports):
        with transaction.atomic():
            _write_grid(parsed)
    return parsed.reports
