"""Reads of the observatory: summaries, targets and their progress, needs versus training supply.

Pages and the API read the summary table (KpiSeries) and the small reference tables; nothing here scans the
register of contracts except the 12-month count of contracts per job in `gaps` (indexed, bounded).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from guichet.contracts.models import Contract
from guichet.core.refcache import cached_reference
from guichet.jobs.models import RomeJob
from guichet.observatory.kpis import (
    PLACE_TRAINING,
    PLACE_WORK,
    SIGNING_SHARE,
    STOCK,
    STOCK_TRAINING,
    TOTAL,
    TargetProgress,
    month_end,
    month_start,
    require_indicator,
    target_progress,
)
from guichet.observatory.models import (
    BmoNeed,
    FapRome,
    Indicator,
    KpiRun,
    KpiSeries,
    Plan,
    PublishedFigure,
    RegisterScope,
    Target,
)
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.territory.models import Basin, BasinGrid, BasinMembership, Commune, Department
from guichet.trainings.models import Training

GRIDS = {"basin": BasinGrid.BMO, "zone": BasinGrid.ZONE_EMPLOI}
GRID_LABELS = {"basin": "bassins d'emploi BMO (France Travail)", "zone": "zones d'emploi (Insee 2020)"}
LEVEL_LABELS = {"region": "Région", "department": "Département", "zone": "Zone d'emploi", "basin": "Bassin BMO"}
DIMENSION_LABELS = {
    "total": "Ensemble",
    "level": "Niveau de diplôme préparé",
    "age": "Tranche d'âge",
    "sex": "Sexe",
    "domain": "Grand domaine de métiers (ROME)",
    "size": "Taille de l'établissement employeur",
    "future": "Métiers d'avenir",
}
REGION = "32"
DEFAULT_UNFILLED_DAYS = 30


class ObservatoryError(ValueError):
    """A request names an unknown grid, area or indicator; the message says what to do."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def indicator_codes() -> set[str]:
    return set(Indicator.objects.values_list("code", flat=True))


def indicator_get(*, code: str) -> Indicator:
    """The glossary entry; refuses a figure the glossary does not define (one query)."""
    indicator = Indicator.objects.filter(code=code).first()
    require_indicator(code, known=[indicator.code] if indicator else [])
    return indicator


def check_grid(grid: str) -> str:
    if grid not in GRIDS:
        raise ObservatoryError("grid", "Le maillage doit valoir « basin » (bassins BMO) ou « zone » (zones d'emploi).")
    return grid


def kpi_run_latest() -> KpiRun | None:
    return KpiRun.objects.order_by("-started_at").first()


def register_scope() -> tuple[float, bool, str]:
    """(share of real contracts in the register, synthetic?, note)."""
    scope = RegisterScope.objects.first()
    if scope is None:
        return 1.0, Contract.objects.filter(is_synthetic=True).exists(), ""
    return float(scope.ratio), scope.is_synthetic, scope.note


def kpi_periods() -> list[date]:
    """The months of the latest recomputation (first day of each)."""
    run = KpiRun.objects.filter(first_period__isnull=False).order_by("-started_at").first()
    if run is None:
        return []
    first = (run.first_period.year - 1970) * 12 + run.first_period.month - 1
    return [month_start(first + index) for index in range(run.months)]


def _series_values(row: KpiSeries) -> dict[date, float]:
    first = (row.start.year - 1970) * 12 + row.start.month - 1
    return {month_start(first + i): value for i, value in enumerate(row.values) if value is not None}


def kpi_series(
    *,
    indicator: str,
    level: str = "region",
    area: str = REGION,
    dimension: str = "total",
    place: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, dict[date, float]]:
    """category -> {month: value}, read from the summaries; refuses an indicator the glossary does not define."""
    indicator_get(code=indicator)
    place = place or (PLACE_TRAINING if indicator == STOCK_TRAINING else PLACE_WORK)
    rows = KpiSeries.objects.filter(indicator=indicator, level=level, area=area, dimension=dimension, place=place)
    series: dict[str, dict[date, float]] = {}
    for row in rows:
        values = _series_values(row)
        series[row.category] = {
            period: value
            for period, value in values.items()
            if (start is None or period >= start) and (end is None or period <= end)
        }
    return series


def kpi_value(*, indicator: str, period: date, level: str = "region", area: str = REGION) -> float:
    series = kpi_series(indicator=indicator, level=level, area=area, start=period, end=period)
    return series.get(TOTAL, {}).get(period, 0.0)


def kpi_area_values(*, indicator: str, level: str, period: date) -> dict[str, float]:
    """area -> value of the total for one month (for maps and ranking)."""
    indicator_get(code=indicator)
    place = PLACE_TRAINING if indicator == STOCK_TRAINING else PLACE_WORK
    rows = KpiSeries.objects.filter(indicator=indicator, level=level, dimension="total", place=place)
    values = {}
    for row in rows:
        value = _series_values(row).get(period)
        if value is not None:
            values[row.area] = value
    return values


def sum_last_months(series: dict[date, float], *, end: date, months: int = 12) -> float:
    start = (end.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    return sum(value for period, value in series.items() if start <= period <= end)


# --- National share --------------------------------------------------------------------------------------------

MEASURE_KEYS = ("SIFA", "nouveaux contrats", "contrats en cours")


@dataclass(frozen=True)
class NationalShare:
    year: str
    measure: str
    regional: PublishedFigure
    national: PublishedFigure

    @property
    def share(self) -> float:
        return 100.0 * self.regional.value / self.national.value


def national_shares() -> list[NationalShare]:
    """Region / France pairs of published figures of the same nature and year (the only comparable ones)."""
    regional = PublishedFigure.objects.filter(perimeter="Hauts-de-France")
    national = list(PublishedFigure.objects.filter(perimeter="France"))
    pairs = []
    for figure in regional:
        for key in MEASURE_KEYS:
            if key.lower() not in figure.label.lower():
                continue
            match = next(
                (n for n in national if n.year == figure.year and key.lower() in n.label.lower()),
                None,
            )
            if match:
                pairs.append(NationalShare(year=figure.year, measure=key, regional=figure, national=match))
    return sorted(pairs, key=lambda pair: pair.year)


# --- Targets ---------------------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: Target
    progress: TargetProgress
    measured_on: date | None
    raw_value: float | None
    reasons: list[dict] = field(default_factory=list)
    history: list[tuple[date, float]] = field(default_factory=list)


def plan_current() -> Plan | None:
    return Plan.objects.filter(is_current=True).first() or Plan.objects.order_by("-adopted_year").first()


def targets_progress(*, plan: Plan) -> list[TargetRow]:
    """Each target with its latest measured value, the straight-line trajectory and the forecast at current pace."""
    ratio, synthetic, _ = register_scope()
    rows = []
    for target in plan.targets.select_related("indicator").order_by("indicator__position"):
        code = target.indicator.code
        reasons: list[dict] = []
        value = raw = None
        measured_on = None
        history: list[tuple[date, float]] = []
        if code in (STOCK, SIGNING_SHARE):
            series = kpi_series(indicator=code).get(TOTAL, {})
            if series:
                last = max(series)
                measured_on = month_end((last.year - 1970) * 12 + last.month - 1)
                raw = series[last]
                value = raw / ratio if ratio else raw
                history = [(period, series[period] / ratio) for period in sorted(series)]
                reasons.append({"code": "register", "label": "Valeur du registre des contrats", "value": raw})
                if ratio != 1:
                    reasons.append(
                        {
                            "code": "scope",
                            "label": "Registre partiel : valeur divisée par sa couverture des contrats réels",
                            "value": ratio,
                        }
                    )
        elif code == "part_nationale":
            shares = national_shares()
            if shares:
                latest = shares[-1]
                value = raw = latest.share
                measured_on = date(int(latest.year[:4]), 12, 31)
                reasons.append(
                    {
                        "code": "published",
                        "label": f"{latest.regional.label} ({latest.regional.producer}) / "
                        f"{latest.national.label} ({latest.national.producer}), {latest.year}",
                        "value": round(latest.share, 2),
                    }
                )
        progress = target_progress(
            baseline_year=target.baseline_year,
            baseline_value=float(target.baseline_value),
            target_year=target.target_year,
            target_value=float(target.target_value),
            value=value,
            measured_on=measured_on,
        )
        if synthetic and code in (STOCK, SIGNING_SHARE):
            reasons.append({"code": "synthetic", "label": "Données fictives (démonstration)", "value": True})
        rows.append(TargetRow(target, progress, measured_on, raw, reasons, history))
    return rows


# --- Needs versus training supply ------------------------------------------------------------------------------


def _basin_to_zone_weights() -> dict[str, dict[str, float]]:
    """BMO basin -> {zone d'emploi: share of the basin's population living in that zone}."""
    zone_of = dict(BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI).values_list("commune_id", "basin__code"))
    # A join, not `id__in=<3 800 ids>`: the driver spent longer splitting that query than PostgreSQL running it.
    population = dict(
        Commune.objects.filter(basin_memberships__grid=BasinGrid.ZONE_EMPLOI).values_list("id", "population")
    )
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for commune_id, basin in BasinMembership.objects.filter(grid=BasinGrid.BMO).values_list(
        "commune_id", "basin__code"
    ):
        zone = zone_of.get(commune_id)
        if zone:
            totals[basin][zone] += population.get(commune_id) or 0
    weights = {}
    for basin, zones in totals.items():
        total = sum(zones.values())
        weights[basin] = {zone: value / total for zone, value in zones.items()} if total else {}
    return weights


def _area_of_communes(grid: str) -> dict[int, str]:
    return dict(BasinMembership.objects.filter(grid=GRIDS[grid]).values_list("commune_id", "basin__code"))


@dataclass
class GapRow:
    grid: str
    area: str
    area_name: str
    rome: str
    title: str
    future_family: str
    needs: float  # recruitment projects spread to this ROME job (non-secret only)
    secret_cells: int  # BMO cells of the job in the area hidden by secrecy (not counted, never zero)
    difficult: float
    places: int
    remaining: int
    contracts: int
    unfilled_offers: int
    bmo_year: int | None = None
    unfilled_days: int = DEFAULT_UNFILLED_DAYS

    @property
    def reasons(self) -> list[dict]:
        """The figures behind the row, as data (built when asked: a grid has some 11,000 rows, a page shows 50)."""
        reasons = [
            {"code": "besoins_par_rome", "label": f"Projets de recrutement BMO {self.bmo_year} répartis",
             "value": self.needs},
            {"code": "places_formation", "label": "Places de formation", "value": self.places},
            {"code": "places_restantes", "label": "Places restantes", "value": self.remaining},
            {"code": "contrats_signes_zone", "label": "Contrats débutés en 12 mois", "value": self.contracts},
            {"code": "offres_non_pourvues", "label": f"Offres ouvertes depuis {self.unfilled_days} jours ou plus",
             "value": self.unfilled_offers},
        ]  # fmt: skip
        if self.secret_cells:
            reasons.append(
                {
                    "code": "secret",
                    "label": "Cases BMO couvertes par le secret statistique (non comptées)",
                    "value": self.secret_cells,
                }
            )
        return reasons

    @property
    def needs_per_place(self) -> float | None:
        return self.needs / self.places if self.places else None

    @property
    def gap(self) -> float:
        """Recruitment projects not matched by a training place (negative: more places than projects)."""
        return self.needs - self.places


def _spread_needs(
    *, grid: str, year: int | None, area: str | None
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float], dict[tuple[str, str], int]]:
    """BMO projects (and difficult ones) of `year` spread to (area, ROME job) through FAP228 weights, and the cells
    hidden by secrecy: reference data only, so cached (guichet.core.refcache: forgotten after every reference
    import)."""

    def compute() -> tuple[dict, dict, dict]:
        weights: dict[int, list[tuple[str, float]]] = defaultdict(list)
        for fap_id, rome_code, qualifications in FapRome.objects.filter(rome_job__isnull=False).values_list(
            "fap_id", "rome_code", "qualifications"
        ):
            weights[fap_id].append((rome_code, qualifications))
        spread = _basin_to_zone_weights() if grid == "zone" else None
        needs: dict[tuple[str, str], float] = defaultdict(float)
        difficult: dict[tuple[str, str], float] = defaultdict(float)
        secret: dict[tuple[str, str], int] = defaultdict(int)
        rows = BmoNeed.objects.filter(year=year).values_list("basin__code", "fap_id", "projects", "difficult")
        for basin, fap_id, projects, hard in rows:
            links = weights.get(fap_id, [])
            total = sum(weight for _, weight in links)
            targets = [(basin, 1.0)] if spread is None else list(spread.get(basin, {}).items())
            if area:  # one area asked (a zone page): spread nothing elsewhere
                targets = [target for target in targets if target[0] == area]
            for target_area, area_share in targets:
                for rome_code, weight in links:
                    key = (target_area, rome_code)
                    if projects is None:
                        secret[key] += 1
                        continue
                    needs[key] += projects * area_share * weight / total
                    difficult[key] += (hard or 0) * area_share * weight / total
        return dict(needs), dict(difficult), dict(secret)

    return cached_reference("bmo_spread", f"{grid}:{year}:{area or ''}", compute)  # type: ignore[return-value]


def gaps(
    *,
    grid: str,
    area: str | None = None,
    rome: str | None = None,
    future_only: bool = False,
    today: date | None = None,
    unfilled_days: int = DEFAULT_UNFILLED_DAYS,
    year: int | None = None,
) -> list[GapRow]:
    """Needs (BMO, spread to ROME through FAP228) versus training places, contracts and unfilled offers, per
    (area, ROME job) of the grid, largest gap first."""
    check_grid(grid)
    today = today or timezone.localdate()
    year = year or BmoNeed.objects.order_by("-year").values_list("year", flat=True).first()
    names = dict(Basin.objects.filter(grid=GRIDS[grid]).values_list("code", "name"))
    if area and area not in names:
        raise ObservatoryError("code", f"Zone « {area} » inconnue sur ce maillage ({GRID_LABELS[grid]}).")
    needs, difficult, secret = _spread_needs(grid=grid, year=year, area=area)
    area_of = _area_of_communes(grid)
    places: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for commune_id, rome_code, total_places, remaining in Training.objects.values_list(
        "commune_id", "rome_jobs__code", "total_places", "remaining_places"
    ):
        if rome_code and commune_id in area_of:
            cell = places[(area_of[commune_id], rome_code)]
            cell[0] += total_places
            cell[1] += remaining
    since = today - timedelta(days=365)
    contracts: dict[tuple[str, str], int] = defaultdict(int)
    for commune_id, rome_code, count in (
        Contract.objects.filter(starts_on__gt=since, starts_on__lte=today)
        .values_list("workplace_commune_id", "rome_job__code")
        .annotate(count=Count("id"))
        .order_by()
    ):
        if commune_id in area_of:
            contracts[(area_of[commune_id], rome_code)] += count
    unfilled: dict[tuple[str, str], int] = defaultdict(int)
    cutoff = timezone.make_aware(
        timezone.datetime.combine(today - timedelta(days=unfilled_days), timezone.datetime.min.time())
    )
    for commune_id, rome_code in Offer.objects.filter(
        status=OfferStatus.PUBLISHED, published_at__lte=cutoff
    ).values_list("commune_id", "rome_job__code"):
        if commune_id in area_of:
            unfilled[(area_of[commune_id], rome_code)] += 1
    keys = set(needs) | set(places) | set(secret)
    jobs = {job.code: job for job in RomeJob.objects.only("code", "title", "future_family")}
    result = []
    for key in keys:
        area_code, rome_code = key
        if area and area_code != area:
            continue
        if rome and rome_code != rome:
            continue
        job = jobs.get(rome_code)
        if job is None or (future_only and not job.future_family):
            continue
        row = GapRow(
            grid=grid,
            area=area_code,
            area_name=names.get(area_code, area_code),
            rome=rome_code,
            title=job.title,
            future_family=job.future_family,
            needs=round(needs.get(key, 0.0), 1),
            secret_cells=secret.get(key, 0),
            difficult=round(difficult.get(key, 0.0), 1),
            places=places.get(key, [0, 0])[0],
            remaining=places.get(key, [0, 0])[1],
            contracts=contracts.get(key, 0),
            unfilled_offers=unfilled.get(key, 0),
            bmo_year=year,
            unfilled_days=unfilled_days,
        )
        result.append(row)
    result.sort(key=lambda row: (-row.gap, row.area, row.rome))
    return result


@dataclass(frozen=True)
class Coverage:
    projects_total: int
    projects_mapped: int
    secret_cells: int
    cells: int
    rome_jobs: int
    rome_without_fap: list[str]

    @property
    def mapped_share(self) -> float:
        return 100.0 * self.projects_mapped / self.projects_total if self.projects_total else 0.0


def fap_rome_coverage() -> Coverage:
    """How much of the BMO needs the FAP228 -> ROME correspondence can carry, and the ROME jobs it misses."""
    mapped_faps = set(FapRome.objects.filter(rome_job__isnull=False).values_list("fap_id", flat=True))
    totals = BmoNeed.objects.aggregate(
        total=Sum("projects"),
        mapped=Sum("projects", filter=Q(fap_id__in=mapped_faps)),
        secret=Count("id", filter=Q(projects_secret=True)),
        cells=Count("id"),
    )
    without = list(RomeJob.objects.filter(fap_links__isnull=True).order_by("code").values_list("code", flat=True))
    return Coverage(
        projects_total=totals["total"] or 0,
        projects_mapped=totals["mapped"] or 0,
        secret_cells=totals["secret"],
        cells=totals["cells"],
        rome_jobs=RomeJob.objects.count(),
        rome_without_fap=without,
    )


def areas(*, level: str) -> list[tuple[str, str, dict | None]]:
    """(code, name, geometry) of the areas of a level."""
    if level == "department":
        return [(d.code, d.name, d.geometry) for d in Department.objects.filter(region__code=REGION).order_by("code")]
    grid = {"zone": BasinGrid.ZONE_EMPLOI, "basin": BasinGrid.BMO}[level]
    return [(b.code, b.name, b.geometry) for b in Basin.objects.filter(grid=grid).order_by("code")]


def decimal_or_none(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))
