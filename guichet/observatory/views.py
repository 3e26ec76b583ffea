"""Pages of the observatory, for analysts and administrators: they read the summaries, never the raw register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role, is_admin
from guichet.observatory import charts
from guichet.observatory.exports import TABLES, as_csv, as_xlsx, build_table
from guichet.observatory.kpis import (
    BREAKS,
    EARLY_BREAK_RATE,
    NEW,
    SIGNING_SHARE,
    STOCK,
    STOCK_TRAINING,
    TOTAL,
)
from guichet.observatory.models import Indicator, Proposal
from guichet.observatory.operations import (
    AIDS_COMMITTED,
    AIDS_ENVELOPE,
    AIDS_GRANTED,
    AIDS_PAID,
    AREA_LEVELS,
    OPERATION_INDICATORS,
    SUPPORT_IN_TIME,
    SUPPORT_INDICATORS,
    SUPPORT_LATE,
    SUPPORT_RECEIVED,
    SUPPORT_RESPONSE_HOURS,
    aid_figures,
    parse_year,
    support_figures,
)
from guichet.observatory.scenario import ScenarioError, scenario_run
from guichet.observatory.selectors import (
    DIMENSION_LABELS,
    GRID_LABELS,
    GRIDS,
    LEVEL_LABELS,
    REGION,
    ObservatoryError,
    areas,
    fap_rome_coverage,
    gaps,
    indicator_codes,
    kpi_area_values,
    kpi_periods,
    kpi_run_latest,
    kpi_series,
    national_shares,
    plan_current,
    register_scope,
    sum_last_months,
    targets_progress,
)
from guichet.territory.models import Basin

MAP_INDICATORS = (STOCK, STOCK_TRAINING, NEW, SIGNING_SHARE, SUPPORT_IN_TIME, SUPPORT_RESPONSE_HOURS, AIDS_COMMITTED)
# Decimals and unit of each map indicator (the others: whole numbers, no unit).
MAP_FORMATS = {
    SIGNING_SHARE: (2, "\u00a0%"),
    SUPPORT_IN_TIME: (1, "\u00a0%"),
    SUPPORT_RESPONSE_HOURS: (1, "\u00a0h"),
    AIDS_COMMITTED: (0, "\u00a0€"),
}


def analyst_required(view: Callable) -> Callable:
    """Login required; analysts and administrators only (403 page for the others)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (is_admin(request.user) or has_role(request.user, Role.ANALYST)):
            return render(request, "observatory/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _context(**extra) -> dict:
    ratio, synthetic, note = register_scope()
    return {
        "run": kpi_run_latest(),
        "synthetic": synthetic,
        "scope_ratio": ratio,
        "scope_note": note,
        "grid_labels": GRID_LABELS,
        **extra,
    }


def _last_period() -> date | None:
    periods = kpi_periods()
    return periods[-1] if periods else None


@analyst_required
def dashboard(request: HttpRequest) -> HttpResponse:
    known = indicator_codes()
    plan = plan_current()
    targets = targets_progress(plan=plan) if plan else []
    period = _last_period()
    stock_chart = None
    target_charts = []
    for item in targets:
        if item.history:
            target = item.target
            lines = [
                charts.Line("Valeur mesurée", item.history, "#08519c"),
                charts.Line(
                    "Trajectoire du plan",
                    [
                        (date(target.baseline_year, 12, 31), float(target.baseline_value)),
                        (date(target.target_year, 12, 31), float(target.target_value)),
                    ],
                    "#b30000",
                    dashed=True,
                ),
            ]
            target_charts.append(
                (
                    item,
                    charts.line_chart(
                        indicator=target.indicator.code,
                        known=known,
                        title=f"{target.label} : valeur et trajectoire",
                        lines=lines,
                        chart_id=f"objectif-{target.pk}",
                    ),
                )
            )
    figures = []
    if period:
        work = kpi_series(indicator=STOCK).get(TOTAL, {})
        training = kpi_series(indicator=STOCK_TRAINING).get(TOTAL, {})
        new = kpi_series(indicator=NEW).get(TOTAL, {})
        breaks = kpi_series(indicator=BREAKS).get(TOTAL, {})
        rates = kpi_series(indicator=EARLY_BREAK_RATE).get(TOTAL, {})
        signing = kpi_series(indicator=SIGNING_SHARE).get(TOTAL, {})
        figures = [
            (STOCK, work.get(period), 0, ""),
            (STOCK_TRAINING, training.get(period), 0, ""),
            (NEW, sum_last_months(new, end=period), 0, " (12 derniers mois)"),
            (BREAKS, sum_last_months(breaks, end=period), 0, " (12 derniers mois)"),
            (EARLY_BREAK_RATE, rates[max(rates)] if rates else None, 1, f" ({_month(max(rates))})" if rates else ""),
            (SIGNING_SHARE, signing.get(period), 2, ""),
        ]
        stock_chart = charts.line_chart(
            indicator=STOCK, known=known, title="Apprentis en contrat chaque fin de mois, Hauts-de-France",
            lines=[
                charts.Line("Lieu de travail", sorted(work.items()), "#08519c"),
                charts.Line("Lieu de formation", sorted(training.items()), "#238b45", dashed=True),
            ],
            chart_id="stock-region",
        )  # fmt: skip
    labels = dict(Indicator.objects.values_list("code", "label"))
    context = _context(
        plan=plan,
        targets=target_charts or [(item, None) for item in targets],
        period=period,
        figures=[(code, labels.get(code, code), value, decimals, suffix) for code, value, decimals, suffix in figures],
        stock_chart=stock_chart,
        stock_rows=_stock_rows(),
        shares=national_shares(),
        proposals=Proposal.objects.select_related("centre", "rome_job")[:10],
        **_operations_context(request, labels=labels),
    )
    return render(request, "observatory/dashboard.html", context)


def _operations_context(request: HttpRequest, *, labels: dict[str, str]) -> dict:
    """The single point of contact's and the regional aids' figures, region-wide and per area of the chosen level."""
    today = timezone.localdate()
    level = request.GET.get("services", "zone")
    if level not in AREA_LEVELS:
        level = "zone"
    aids_error = None
    try:
        aids = aid_figures(year=parse_year(request.GET.get("annee")), level=level, today=today)
    except ObservatoryError as error:
        aids_error = error.message
        aids = aid_figures(level=level, today=today)
    support = support_figures(today=today, level=level)
    region = support.region
    support_region = [
        (SUPPORT_RECEIVED, labels.get(SUPPORT_RECEIVED), region.received, 0, ""),
        (SUPPORT_RESPONSE_HOURS, labels.get(SUPPORT_RESPONSE_HOURS), region.median_hours, 1, "\u00a0h"),
        (SUPPORT_IN_TIME, labels.get(SUPPORT_IN_TIME), region.share_in_time, 1, "\u00a0%"),
        (SUPPORT_LATE, labels.get(SUPPORT_LATE), region.late_pending, 0, ""),
    ]
    money = (2, "\u00a0€")
    aids_region = [
        (code, labels.get(code), aids.total(code), *((0, "") if code == AIDS_GRANTED else money))
        for code in (AIDS_ENVELOPE, AIDS_COMMITTED, AIDS_PAID, AIDS_GRANTED)
    ] if aids.year else []  # fmt: skip
    return {
        "today": today,
        "services_level": level,
        "services_level_label": LEVEL_LABELS[level],
        "services_levels": [(value, LEVEL_LABELS[value]) for value in AREA_LEVELS],
        "support": support,
        "support_region": support_region,
        "aids": aids,
        "aids_region": aids_region,
        "aids_error": aids_error,
    }


def _operation_area_values(*, indicator: str, level: str) -> dict[str, float]:
    """area -> live value of a single-point-of-contact or aids indicator (areas without a value are left out)."""
    if indicator in SUPPORT_INDICATORS:
        rows = support_figures(today=timezone.localdate(), level=level).areas
    else:
        rows = aid_figures(level=level, today=timezone.localdate()).areas
    values = {row.area: row.value(indicator) for row in rows}
    return {area: float(value) for area, value in values.items() if value is not None}


def _month(period: date) -> str:
    return charts.french_month(period)


def _stock_rows() -> list[tuple[date, float | None, float | None]]:
    work = kpi_series(indicator=STOCK).get(TOTAL, {})
    training = kpi_series(indicator=STOCK_TRAINING).get(TOTAL, {})
    return [(period, work.get(period), training.get(period)) for period in sorted(set(work) | set(training))]


def _grid(request: HttpRequest) -> str:
    grid = request.GET.get("grid", "zone")
    return grid if grid in GRIDS else "zone"


@analyst_required
def area_map(request: HttpRequest) -> HttpResponse:
    known = indicator_codes()
    grid = request.GET.get("grid", "zone")
    level = grid if grid in GRIDS else ("department" if grid == "department" else "zone")
    indicator = request.GET.get("indicateur", STOCK)
    if indicator not in MAP_INDICATORS:
        indicator = STOCK
    period = _last_period()
    if indicator in OPERATION_INDICATORS:
        values = _operation_area_values(indicator=indicator, level=level)
        period = None  # live figures, not a month of the summaries
    else:
        values = kpi_area_values(indicator=indicator, level=level, period=period) if period else {}
    shapes = areas(level=level)
    links = {code: reverse("observatory:area", args=[level, code]) for code, _, _ in shapes}
    glossary = Indicator.objects.get(code=indicator)
    decimals, unit = MAP_FORMATS.get(indicator, (0, ""))
    title = f"{glossary.label}, par {LEVEL_LABELS[level].lower()}"
    if period:
        title += f", {_month(period)}"
    elif indicator in OPERATION_INDICATORS:
        title += f", au {date_format(timezone.localdate(), 'j F Y')}"
    svg = charts.choropleth(
        indicator=indicator, known=known, title=title, areas=shapes, values=values, links=links, decimals=decimals,
        unit=unit,
    )  # fmt: skip
    rows = sorted(
        [(code, name, values.get(code), links[code]) for code, name, _ in shapes],
        key=lambda row: -(row[2] or 0),
    )
    context = _context(
        svg=svg, rows=rows, level=level, indicator=glossary,
        indicators=Indicator.objects.filter(code__in=MAP_INDICATORS),
        period=period, decimals=decimals, unit=unit, levels=[("zone", "Zones d'emploi"), ("basin", "Bassins BMO"),
                                                              ("department", "Départements")],
    )  # fmt: skip
    return render(request, "observatory/map.html", context)


@analyst_required
def area_detail(request: HttpRequest, level: str, code: str) -> HttpResponse:
    if level == "department":
        from guichet.territory.models import Department

        found = Department.objects.filter(code=code, region__code=REGION).defer("geometry").first()
    elif level in GRIDS:
        found = Basin.objects.filter(grid=GRIDS[level], code=code).defer("geometry").first()
    else:
        found = None
    if found is None:
        return render(request, "observatory/not_found.html", _context(), status=404)
    known = indicator_codes()
    dimension = request.GET.get("ventilation", "total")
    if dimension not in DIMENSION_LABELS:
        dimension = "total"
    series = kpi_series(indicator=STOCK, level=level, area=code, dimension=dimension)
    new = kpi_series(indicator=NEW, level=level, area=code, dimension=dimension)
    period = _last_period()
    categories = sorted(set(series) | set(new))
    table = [
        (category, series.get(category, {}).get(period), sum_last_months(new.get(category, {}), end=period))
        for category in categories
    ] if period else []  # fmt: skip
    total = kpi_series(indicator=STOCK, level=level, area=code).get(TOTAL, {})
    chart = charts.line_chart(
        indicator=STOCK, known=known, title=f"Apprentis en contrat (lieu de travail), {found.name}",
        lines=[charts.Line("Lieu de travail", sorted(total.items()), "#08519c")], chart_id="stock-zone",
    )  # fmt: skip
    gap_rows = gaps(grid=level, area=code)[:30] if level in GRIDS else []
    today = timezone.localdate()
    support_row = next(iter(support_figures(today=today, level=level, area=code).areas), None)
    aids = aid_figures(level=level, today=today)
    aid_row = next((row for row in aids.areas if row.area == code), None)
    context = _context(
        area=found, level=level, level_label=LEVEL_LABELS[level], code=code, chart=chart, table=table,
        dimension=dimension, dimensions=DIMENSION_LABELS, period=period, gap_rows=gap_rows,
        history=sorted(total.items()), support_row=support_row, aid_row=aid_row, aid_year=aids.year, today=today,
    )  # fmt: skip
    return render(request, "observatory/area.html", context)


SORTS = {
    "ecart": lambda row: -row.gap,
    "besoins": lambda row: -row.needs,
    "places": lambda row: -row.places,
    "par_place": lambda row: -(row.needs_per_place or float("inf") if row.needs else 0),
    "offres": lambda row: -row.unfilled_offers,
    "zone": lambda row: (row.area, row.rome),
}


@analyst_required
def needs(request: HttpRequest) -> HttpResponse:
    grid = _grid(request)
    area = request.GET.get("code") or None
    rome = (request.GET.get("rome") or "").strip().upper() or None
    future = request.GET.get("avenir") == "1"
    sort = request.GET.get("tri", "ecart")
    error = None
    try:
        rows = gaps(grid=grid, area=area, rome=rome, future_only=future)
    except ObservatoryError as exc:
        rows, error = [], exc.message
    rows.sort(key=SORTS.get(sort, SORTS["ecart"]))
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    size = 50
    context = _context(
        grid=grid, area=area or "", rome=rome or "", future=future, sort=sort, error=error,
        rows=rows[(page - 1) * size : page * size], count=len(rows), page=page,
        pages=max(1, (len(rows) + size - 1) // size),
        areas=Basin.objects.filter(grid=GRIDS[grid]).order_by("code").only("code", "name"),
        coverage=fap_rome_coverage(),
        sorts=[("ecart", "Écart besoins - places"), ("besoins", "Besoins"), ("places", "Places"),
               ("par_place", "Besoins par place"), ("offres", "Offres non pourvues"), ("zone", "Zone puis métier")],
        query=request.GET.urlencode(),
    )  # fmt: skip
    return render(request, "observatory/needs.html", context)


@analyst_required
def glossary(request: HttpRequest) -> HttpResponse:
    context = _context(indicators=Indicator.objects.all(), coverage=fap_rome_coverage())
    return render(request, "observatory/glossary.html", context)


@analyst_required
def scenario(request: HttpRequest) -> HttpResponse:
    grid = _grid(request)
    result, errors = None, {}
    values = {"places": request.GET.get("places", ""), "minimum": request.GET.get("minimum", "0"),
              "avenir": request.GET.get("avenir", "0")}  # fmt: skip
    if values["places"]:
        try:
            places = int(values["places"])
        except ValueError:
            errors["places"] = "Indiquez un nombre entier de places, par exemple 200."
        try:
            minimum = int(values["minimum"] or 0)
        except ValueError:
            errors["minimum"] = "Indiquez un nombre entier de places par département, par exemple 10."
        try:
            share = float((values["avenir"] or "0").replace(",", ".")) / 100
        except ValueError:
            errors["avenir"] = "Indiquez un pourcentage entre 0 et 100, par exemple 30."
        if not errors:
            try:
                result = scenario_run(grid=grid, places=places, department_minimum=minimum, future_share=share)
            except ScenarioError as error:
                field = {"places": "places", "department_minimum": "minimum", "future_share": "avenir"}[error.field]
                errors[field] = error.message
    return render(request, "observatory/scenario.html", _context(grid=grid, values=values, errors=errors,
                                                                    result=result))  # fmt: skip


@analyst_required
def export(request: HttpRequest, table: str, extension: str) -> HttpResponse:
    if table not in TABLES or extension not in {"csv", "xlsx"}:
        return render(request, "observatory/not_found.html", _context(), status=404)
    try:
        data = build_table(table, request.GET)
    except (ObservatoryError, ValueError) as error:
        message = getattr(error, "message", str(error))
        return render(request, "observatory/bad_request.html", _context(message=message), status=400)
    if extension == "csv":
        response = HttpResponse(as_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            as_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{data.filename(extension)}"'
    return response
