"""Exports of the observatory's tables as CSV or XLSX, with the filters in the file name and a metadata header
(source, date, synthetic or not). Shared by the pages and the API."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook

from guichet.observatory.kpis import LEVELS, TOTAL
from guichet.observatory.operations import (
    AIDS_COMMITTED,
    AIDS_ENVELOPE,
    AIDS_GRANTED,
    AIDS_PAID,
    AREA_LEVELS,
    SUPPORT_IN_TIME,
    SUPPORT_LATE,
    SUPPORT_RECEIVED,
    SUPPORT_RESPONSE_HOURS,
    aid_figures,
    parse_year,
    support_figures,
)
from guichet.observatory.selectors import (
    DIMENSION_LABELS,
    REGION,
    ObservatoryError,
    check_grid,
    gaps,
    indicator_get,
    kpi_run_latest,
    kpi_series,
    plan_current,
    register_scope,
    targets_progress,
)
from guichet.support.models import SupportRequest

TABLES = ("indicateurs", "besoins", "objectifs", "guichet", "aides")


@dataclass
class Table:
    name: str
    filters: dict[str, str]
    headers: list[str]
    rows: list[list]
    source: str
    synthetic: bool

    def filename(self, extension: str) -> str:
        parts = [f"{key}-{value}" for key, value in sorted(self.filters.items()) if value]
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", "_".join(["observatoire", self.name, *parts]))
        return f"{slug}_{timezone.localdate().isoformat()}.{extension}"

    def metadata(self) -> list[tuple[str, str]]:
        run = kpi_run_latest()
        return [
            ("Tableau", self.name),
            ("Filtres", ", ".join(f"{k}={v}" for k, v in sorted(self.filters.items()) if v) or "aucun"),
            ("Source", self.source),
            ("Données arrêtées au", run.as_of.isoformat() if run else "pas encore calculées"),
            ("Exporté le", timezone.localdate().isoformat()),
            ("Données fictives", "oui (démonstration)" if self.synthetic else "non"),
        ]


def _param(params: Mapping[str, str], name: str, default: str = "") -> str:
    return (params.get(name) or default).strip()


def build_table(name: str, params: Mapping[str, str]) -> Table:
    """The rows of an exportable table for the given filters; raises ObservatoryError on a bad filter."""
    _, synthetic, _ = register_scope()
    if name == "indicateurs":
        indicator = _param(params, "indicateur", "apprentis_stock")
        level = _param(params, "niveau", "region")
        area = _param(params, "code", REGION)
        dimension = _param(params, "ventilation", "total")
        if level not in LEVELS:
            raise ObservatoryError("niveau", "Le niveau doit valoir region, department, zone ou basin.")
        if dimension not in DIMENSION_LABELS:
            raise ObservatoryError("ventilation", f"Ventilation inconnue : {', '.join(DIMENSION_LABELS)}.")
        glossary = indicator_get(code=indicator)
        series = kpi_series(indicator=indicator, level=level, area=area, dimension=dimension)
        rows = [
            [period.isoformat()[:7], category, value]
            for category, values in sorted(series.items())
            for period, value in sorted(values.items())
        ]
        return Table(
            name="indicateurs",
            filters={"indicateur": indicator, "niveau": level, "code": area, "ventilation": dimension},
            headers=["mois", "categorie" if dimension != "total" else TOTAL, f"{glossary.code} ({glossary.unit})"],
            rows=rows,
            source=glossary.source,
            synthetic=synthetic,
        )
    if name == "besoins":
        grid = check_grid(_param(params, "grid", "zone"))
        area = _param(params, "code") or None
        rome = _param(params, "rome").upper() or None
        future = _param(params, "avenir") in {"1", "oui", "true"}
        rows = [
            [
                row.area,
                row.area_name,
                row.rome,
                row.title,
                row.future_family,
                row.needs,
                row.secret_cells,
                row.places,
                row.remaining,
                row.contracts,
                row.unfilled_offers,
                None if row.needs_per_place is None else round(row.needs_per_place, 2),
                round(row.gap, 1),
            ]
            for row in gaps(grid=grid, area=area, rome=rome, future_only=future)
        ]
        return Table(
            name="besoins",
            filters={"grid": grid, "code": area or "", "rome": rome or "", "avenir": "oui" if future else ""},
            headers=[
                "zone",
                "nom_zone",
                "rome",
                "metier",
                "famille_avenir",
                "besoins_bmo_repartis",
                "cases_secretes",
                "places_formation",
                "places_restantes",
                "contrats_12_mois",
                "offres_non_pourvues",
                "besoins_par_place",
                "ecart_besoins_places",
            ],
            rows=rows,
            source="France Travail BMO 2025 ; Dares FAP 2021 - ROME ; formations, offres et contrats du Guichet",
            synthetic=synthetic,
        )
    if name == "objectifs":
        plan = plan_current()
        rows = []
        if plan:
            for item in targets_progress(plan=plan):
                p = item.progress
                rows.append(
                    [
                        plan.name, item.target.label, item.target.indicator.code, item.target.baseline_year,
                        float(item.target.baseline_value), item.target.target_year, float(item.target.target_value),
                        None if p.value is None else round(p.value, 2),
                        item.measured_on.isoformat() if item.measured_on else None, round(p.trajectory, 2),
                        None if p.forecast is None else round(p.forecast, 2),
                    ]
                )  # fmt: skip
        return Table(
            name="objectifs",
            filters={"plan": plan.code if plan else ""},
            headers=[
                "plan",
                "objectif",
                "indicateur",
                "annee_depart",
                "valeur_depart",
                "annee_cible",
                "valeur_cible",
                "valeur_mesuree",
                "mesuree_le",
                "trajectoire_a_cette_date",
                "prevision_au_rythme_actuel",
            ],
            rows=rows,
            source="Objectifs : plans régionaux (data/reference/observatory/plans.csv) ; valeurs : registre des "
            "contrats et chiffres publiés (Dares, DEPP, Région)",
            synthetic=synthetic,
        )
    if name == "guichet":
        return _support_table(params)
    if name == "aides":
        return _aids_table(params)
    raise ObservatoryError("table", f"Tableau inconnu : choisissez parmi {', '.join(TABLES)}.")


def _operations_level(params: Mapping[str, str]) -> str:
    level = _param(params, "niveau", "zone")
    if level not in AREA_LEVELS:
        raise ObservatoryError("niveau", "Le niveau doit valoir department, zone ou basin.")
    return level


def _support_table(params: Mapping[str, str]) -> Table:
    """The single point of contact's reactivity, region first then each area of the level."""
    level = _operations_level(params)
    figures = support_figures(today=timezone.localdate(), level=level)
    rows = [
        [row.area, row.name, row.received, row.answered, row.answered_in_time,
         None if row.median_hours is None else round(row.median_hours, 1),
         None if row.share_in_time is None else round(row.share_in_time, 1), row.late_pending]
        for row in [figures.region, *figures.areas]
    ]  # fmt: skip
    return Table(
        name="guichet",
        filters={"niveau": level},
        headers=[
            "zone",
            "nom_zone",
            f"{SUPPORT_RECEIVED} (nombre)",
            "demandes_repondues",
            "repondues_dans_les_delais",
            f"{SUPPORT_RESPONSE_HOURS} (heures)",
            f"{SUPPORT_IN_TIME} (pourcentage)",
            f"{SUPPORT_LATE} (nombre)",
        ],
        rows=rows,
        source="Demandes du guichet unique (application support du Guichet), lues en direct le jour de l'export",
        synthetic=SupportRequest.objects.filter(is_synthetic=True).exists(),
    )


def _aids_table(params: Mapping[str, str]) -> Table:
    """Regional aids of a budget year: the region's budgets then commitments and payments per area."""
    level = _operations_level(params)
    figures = aid_figures(year=parse_year(_param(params, "annee")), level=level, today=timezone.localdate())
    rows: list[list] = []
    if figures.year:
        rows.append(
            ["32", "Hauts-de-France", float(figures.total(AIDS_ENVELOPE)), float(figures.total(AIDS_COMMITTED)),
             float(figures.total(AIDS_PAID)), figures.total(AIDS_GRANTED)]
        )  # fmt: skip
        rows += [
            [row.area, row.name, None, float(row.committed), float(row.paid), row.granted] for row in figures.areas
        ]
    return Table(
        name="aides",
        filters={"niveau": level, "annee": str(figures.year or "")},
        headers=[
            "zone",
            "nom_zone",
            f"{AIDS_ENVELOPE} (euros)",
            f"{AIDS_COMMITTED} (euros)",
            f"{AIDS_PAID} (euros)",
            f"{AIDS_GRANTED} (nombre)",
        ],
        rows=rows,
        source="Budgets, décisions et versements des aides régionales (application aids du Guichet), lus en direct",
        synthetic=figures.synthetic,
    )


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for key, value in table.metadata():
        writer.writerow([f"# {key}", value])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.name[:31]
    for key, value in table.metadata():
        sheet.append([key, value])
    sheet.append([])
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    about = workbook.create_sheet("Source")
    about.append(["Généré par le Guichet Apprentissage, observatoire", timezone.localdate().isoformat()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
