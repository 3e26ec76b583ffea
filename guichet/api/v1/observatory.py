"""Observatory endpoints for analysts (session) and partner keys with an observatory scope: KPIs, targets,
gaps, scenarios, exports."""

from datetime import date
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role, is_admin
from guichet.api.auth import partner_scope_granted, session_or_partner_key
from guichet.api.errors import ApiError, ErrorOut, invalid
from guichet.api.models import PartnerScope
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.types import IsoDate
from guichet.observatory.exports import TABLES, as_csv, build_table
from guichet.observatory.kpis import COMPUTED_INDICATORS, TOTAL, UnknownIndicator, last_complete_month, month_start
from guichet.observatory.models import Indicator
from guichet.observatory.operations import (
    AIDS_ENVELOPE,
    AIDS_INDICATORS,
    OPERATION_INDICATORS,
    SUPPORT_INDICATORS,
    aid_figures,
    support_figures,
)
from guichet.observatory.scenario import ScenarioError, scenario_run
from guichet.observatory.selectors import (
    GRIDS,
    REGION,
    ObservatoryError,
    gaps,
    kpi_periods,
    kpi_run_latest,
    kpi_series,
    plan_current,
    register_scope,
    targets_progress,
)

router = Router(tags=["Observatoire"], auth=session_or_partner_key(PartnerScope.OBSERVATORY_READ))
ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
LIMITS = {"per_client": 60, "per_ip": 120}
SCENARIO_LIMITS = {"per_client": 10, "per_ip": 30}


def _analyst(request: HttpRequest) -> None:
    if partner_scope_granted(request):
        return  # a partner key holding the operation's scope (guichet/api/auth.py)
    if not (is_admin(request.user) or has_role(request.user, Role.ANALYST)):
        raise ApiError(403, "L'observatoire est réservé aux analystes et aux administrateurs.")


class Reason(Schema):
    code: str
    label: str
    value: float | int | str | bool | None


class KpiQuery(Schema):
    date: IsoDate | None = Field(None, description="Date AAAA-MM-JJ : on lit le dernier mois complet.")
    level: Literal["region", "department", "zone", "basin"] = Field("region", description="Niveau géographique.")
    code: str = Field(REGION, max_length=10, description="Code de la zone (32, 80, 3202...).")
    dimension: Literal["total", "level", "age", "sex", "domain", "size", "future"] = Field(
        "total", description="Ventilation."
    )


class KpiOut(Schema):
    indicator: str = Field(description="Code de l'indicateur, défini dans le glossaire /observatoire/indicateurs/.")
    label: str
    unit: str
    category: str
    value: float


class KpiListOut(Schema):
    period: date | None = Field(description="Mois lu (premier jour), dernier mois complet à la date demandée.")
    level: str
    code: str
    dimension: str
    synthetic: bool = Field(description="Vrai si le registre contient des données fictives.")
    as_of: date | None = Field(description="Date d'arrêt des données du dernier calcul.")
    items: list[KpiOut]
    reasons: list[Reason]


@router.get(
    "/observatory/kpis",
    response={200: KpiListOut, **ERRORS},
    summary="Indicateurs d'un mois pour une zone",
    description="Lit les tables de synthèse recalculées chaque nuit et après chaque import. Sans `date` et pour la "
    "ventilation `total`, ajoute les chiffres du jour du guichet unique (`guichet_*`) et des aides régionales "
    "(`aides_*`, budget de l'année en cours ; montants en euros arrondis au centime), définis dans le glossaire. "
    + limits_text(**LIMITS),
)
@rate_limit("observatory.kpis", **LIMITS)
def kpis(request: HttpRequest, query: Query[KpiQuery]):
    _analyst(request)
    periods = kpi_periods()
    period = None
    if periods:
        period = periods[-1]
        if query.date:
            wanted = month_start(last_complete_month(query.date))
            earlier = [p for p in periods if p <= wanted]
            if not earlier:
                raise invalid("date", "Aucun indicateur calculé à cette date : choisissez une date plus récente.")
            period = earlier[-1]
    glossary = {i.code: i for i in Indicator.objects.filter(code__in=COMPUTED_INDICATORS)}
    items = []
    if period:
        for code in COMPUTED_INDICATORS:
            series = kpi_series(
                indicator=code, level=query.level, area=query.code, dimension=query.dimension, start=period, end=period
            )
            for category, values in sorted(series.items()):
                if period in values:
                    indicator = glossary[code]
                    items.append(
                        {"indicator": code, "label": indicator.label, "unit": indicator.unit, "category": category,
                         "value": values[period]}
                    )  # fmt: skip
    run = kpi_run_latest()
    ratio, synthetic, _ = register_scope()
    live = []
    if query.dimension == "total" and query.date is None:
        items += _operation_items(level=query.level, code=query.code)
        live.append(
            {
                "code": "services_live",
                "label": "Guichet unique et aides régionales : chiffres du jour, lus en direct (hors tables de "
                "synthèse) ; aides sur le budget de l'année en cours",
                "value": timezone.localdate().isoformat(),
            }
        )
    return {
        "period": period,
        "level": query.level,
        "code": query.code,
        "dimension": query.dimension,
        "synthetic": synthetic,
        "as_of": run.as_of if run else None,
        "items": items,
        "reasons": [
            {
                "code": "source",
                "label": "Registre des contrats, tables de synthèse",
                "value": run.trigger if run else None,
            },
            {"code": "scope", "label": "Part des contrats réels présents dans le registre", "value": ratio},
            {"code": "total_category", "label": "Catégorie de l'ensemble", "value": TOTAL},
            *live,
        ],
    }


def _operation_items(*, level: str, code: str) -> list[dict]:
    """The single point of contact's and the regional aids' figures of one area (region 32 or an area of the
    region), category "ensemble"; an area the services do not cover gives no item."""
    today = timezone.localdate()
    glossary = {i.code: i for i in Indicator.objects.filter(code__in=OPERATION_INDICATORS)}
    if level == "region":
        if code != REGION:
            return []
        support = support_figures(today=today).region
        aids = aid_figures(today=today)
        values: dict[str, object] = {c: support.value(c) for c in SUPPORT_INDICATORS}
        values |= {c: aids.total(c) for c in AIDS_INDICATORS} if aids.year else {}
    else:
        support_row = next(iter(support_figures(today=today, level=level, area=code).areas), None)
        aid_row = next((r for r in aid_figures(today=today, level=level).areas if r.area == code), None)
        values = {c: support_row.value(c) for c in SUPPORT_INDICATORS} if support_row else {}
        values |= {c: aid_row.value(c) for c in AIDS_INDICATORS if c != AIDS_ENVELOPE} if aid_row else {}
    return [
        {"indicator": c, "label": glossary[c].label, "unit": glossary[c].unit, "category": TOTAL,
         "value": round(float(value), 2)}
        for c, value in values.items()
        if value is not None
    ]  # fmt: skip


class TargetOut(Schema):
    plan: str
    indicator: str
    label: str
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    value: float | None = Field(description="Dernière valeur mesurée (divisée par la couverture du registre).")
    measured_on: date | None
    trajectory: float = Field(description="Valeur de la trajectoire en ligne droite à la date de mesure.")
    forecast: float | None = Field(description="Valeur à l'année cible si le rythme depuis le départ se maintient.")
    on_track: bool | None
    reasons: list[Reason]


class TargetListOut(Schema):
    items: list[TargetOut]
    count: int


@router.get(
    "/observatory/targets",
    response={200: TargetListOut, **ERRORS},
    summary="Objectifs du plan suivi et leur avancement",
    description=limits_text(**LIMITS),
)
@rate_limit("observatory.targets", **LIMITS)
def targets(request: HttpRequest):
    _analyst(request)
    plan = plan_current()
    items = []
    for row in targets_progress(plan=plan) if plan else []:
        p = row.progress
        items.append(
            {
                "plan": plan.code,
                "indicator": row.target.indicator.code,
                "label": row.target.label,
                "baseline_year": row.target.baseline_year,
                "baseline_value": float(row.target.baseline_value),
                "target_year": row.target.target_year,
                "target_value": float(row.target.target_value),
                "value": None if p.value is None else round(p.value, 2),
                "measured_on": row.measured_on,
                "trajectory": round(p.trajectory, 2),
                "forecast": None if p.forecast is None else round(p.forecast, 2),
                "on_track": p.on_track,
                "reasons": row.reasons,
            }
        )
    return {"items": items, "count": len(items)}


class GapQuery(Schema):
    grid: Literal["basin", "zone"] = Field("zone", description="Maillage : bassins BMO ou zones d'emploi.")
    code: str | None = Field(None, max_length=10, description="Code de la zone.")
    rome: str | None = Field(None, pattern=r"^[A-Na-n]\d{4}$", description="Code ROME, par exemple J1501.")
    future_only: bool = Field(False, description="Seulement les métiers d'avenir.")
    limit: int = Field(20, ge=1, le=100, description="Nombre de lignes (100 au plus).")


class GapOut(Schema):
    grid: str
    area: str
    area_name: str
    rome: str
    title: str
    future_family: str
    needs: float
    secret_cells: int
    places: int
    remaining_places: int
    contracts_12_months: int
    unfilled_offers: int
    needs_per_place: float | None
    gap: float
    reasons: list[Reason]


class GapListOut(Schema):
    items: list[GapOut]
    count: int = Field(description="Nombre total de lignes avant la limite.")


@router.get(
    "/observatory/gaps",
    response={200: GapListOut, **ERRORS},
    summary="Besoins (BMO) et places de formation par zone et métier, plus grands écarts d'abord",
    description=limits_text(**LIMITS),
)
@rate_limit("observatory.gaps", **LIMITS)
def gap_list(request: HttpRequest, query: Query[GapQuery]):
    _analyst(request)
    try:
        rows = gaps(grid=query.grid, area=query.code, rome=query.rome.upper() if query.rome else None,
                    future_only=query.future_only)  # fmt: skip
    except ObservatoryError as error:
        raise invalid(error.field, error.message) from None
    items = [
        {
            "grid": row.grid,
            "area": row.area,
            "area_name": row.area_name,
            "rome": row.rome,
            "title": row.title,
            "future_family": row.future_family,
            "needs": row.needs,
            "secret_cells": row.secret_cells,
            "places": row.places,
            "remaining_places": row.remaining,
            "contracts_12_months": row.contracts,
            "unfilled_offers": row.unfilled_offers,
            "needs_per_place": None if row.needs_per_place is None else round(row.needs_per_place, 2),
            "gap": round(row.gap, 1),
            "reasons": row.reasons,
        }
        for row in rows[: query.limit]
    ]
    return {"items": items, "count": len(rows)}


class ScenarioConstraints(Schema):
    department_minimum: int = Field(0, ge=0, le=100_000, description="Places minimales par département.")
    future_share: float = Field(0, ge=0, le=1, description="Part des places réservée aux métiers d'avenir (0 à 1).")


class ScenarioIn(Schema):
    places: int = Field(..., ge=1, le=100_000, description="Nombre de places à répartir.")
    grid: Literal["basin", "zone"] = "zone"
    constraints: ScenarioConstraints = ScenarioConstraints()


class AllocationOut(Schema):
    area: str
    area_name: str
    department: str
    rome: str
    title: str
    places: int
    covered_need: float
    reasons: list[Reason]


class ScenarioOut(Schema):
    places: int
    allocated: int
    covered_need: float
    method: str
    warnings: list[str]
    items: list[AllocationOut]


@router.post(
    "/observatory/scenarios",
    response={200: ScenarioOut, **ERRORS},
    summary="Répartir N nouvelles places de formation",
    description="Méthode gloutonne sur le besoin couvert marginal (docs/observatory.md). "
    + limits_text(**SCENARIO_LIMITS),
)
@rate_limit("observatory.scenarios", **SCENARIO_LIMITS)
def scenario(request: HttpRequest, payload: ScenarioIn):
    _analyst(request)
    try:
        result = scenario_run(
            grid=payload.grid, places=payload.places, department_minimum=payload.constraints.department_minimum,
            future_share=payload.constraints.future_share,
        )  # fmt: skip
    except ScenarioError as error:
        raise invalid(error.field, error.message) from None
    return {
        "places": result.places,
        "allocated": result.allocated,
        "covered_need": result.covered,
        "method": result.method,
        "warnings": result.warnings,
        "items": [
            {
                "area": a.row.area,
                "area_name": a.row.area_name,
                "department": a.department,
                "rome": a.row.rome,
                "title": a.row.title,
                "places": a.places,
                "covered_need": round(a.covered, 1),
                "reasons": a.reasons,
            }
            for a in result.allocations
        ],
    }


@router.get(
    "/observatory/exports/{table}.csv",
    response={200: None, 404: ErrorOut, **ERRORS},
    auth=session_or_partner_key(PartnerScope.OBSERVATORY_EXPORT),
    summary="Exporter un tableau en CSV (métadonnées en tête, filtres dans le nom du fichier)",
    description=f"Tableaux : {', '.join(TABLES)}. Filtres en paramètres (indicateur, niveau, code, ventilation, "
    "grid, rome, avenir). " + limits_text(**LIMITS),
)
@rate_limit("observatory.exports", **LIMITS)
def export_csv(request: HttpRequest, table: str):
    _analyst(request)
    if table not in TABLES:
        raise ApiError(404, f"Tableau inconnu : choisissez parmi {', '.join(TABLES)}.")
    try:
        data = build_table(table, request.GET)
    except ObservatoryError as error:
        raise invalid(error.field, error.message) from None
    except UnknownIndicator as error:
        raise invalid("indicateur", str(error)) from None
    response = HttpResponse(as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{data.filename("csv")}"'
    return response


__all__ = ["GRIDS", "router"]
