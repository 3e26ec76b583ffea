"""Figures of the Region's own services on the observatory: the single point of contact (support app: requests,
first-response time, share answered within the deadline) and the regional aids (aids app: envelopes, amounts
committed and paid).

Both apps sit above the observatory in docs/architecture.md, so the observatory reads them directly (selectors and
models), live: these figures are small and not part of the contracts register's summaries. Every figure has a code
of the glossary (data/reference/observatory/indicateurs.csv); `OPERATION_INDICATORS` lists them and a test checks
that the glossary defines each one.

Areas: a support request is placed by the commune the requester gave; an aid by the workplace commune of its
contract in the register. Requests and aids whose commune is outside the region or unknown are counted at region
level and shown as "non localisé" on the area tables, so the area rows add up to the region.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from guichet.aids.models import AidApplication, AidBudget, AidPayment, ApplicationStatus
from guichet.observatory.selectors import GRIDS, REGION, ObservatoryError
from guichet.support.models import SupportRequest
from guichet.support.selectors import (
    ResponseFigures,
    response_add,
    response_figures_by_commune,
    support_kpis,
)
from guichet.territory.models import Basin, BasinMembership, Commune, Department

SUPPORT_RECEIVED = "guichet_demandes_recues"
SUPPORT_RESPONSE_HOURS = "guichet_delai_premiere_reponse"
SUPPORT_IN_TIME = "guichet_part_dans_les_delais"
SUPPORT_LATE = "guichet_demandes_en_retard"
AIDS_ENVELOPE = "aides_enveloppe"
AIDS_COMMITTED = "aides_engagees"
AIDS_PAID = "aides_payees"
AIDS_GRANTED = "aides_accordees"
SUPPORT_INDICATORS = (SUPPORT_RECEIVED, SUPPORT_RESPONSE_HOURS, SUPPORT_IN_TIME, SUPPORT_LATE)
AIDS_INDICATORS = (AIDS_ENVELOPE, AIDS_COMMITTED, AIDS_PAID, AIDS_GRANTED)
OPERATION_INDICATORS = SUPPORT_INDICATORS + AIDS_INDICATORS
AREA_LEVELS = ("department", "zone", "basin")
UNLOCATED = "non_localise"
UNLOCATED_LABEL = "Non localisé (commune hors région ou inconnue)"
CENTS = Decimal("0.01")


def _check_level(level: str) -> str:
    if level not in AREA_LEVELS:
        raise ObservatoryError("niveau", "Le niveau doit valoir department, zone ou basin.")
    return level


def area_names(*, level: str) -> dict[str, str]:
    """code -> name of the areas of a level, in code order."""
    _check_level(level)
    if level == "department":
        rows = Department.objects.filter(region__code=REGION).order_by("code").values_list("code", "name")
    else:
        rows = Basin.objects.filter(grid=GRIDS[level]).order_by("code").values_list("code", "name")
    return dict(rows)


def commune_areas(*, level: str) -> dict[int, str]:
    """commune id -> area code, for the communes of the region."""
    _check_level(level)
    if level == "department":
        return dict(Commune.objects.filter(department__region__code=REGION).values_list("id", "department__code"))
    return dict(BasinMembership.objects.filter(grid=GRIDS[level]).values_list("commune_id", "basin__code"))


# --- Single point of contact (support) --------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportRow:
    """The reactivity of the single point of contact over one area (or the region)."""

    area: str
    name: str
    received: int
    answered: int
    answered_in_time: int
    share_in_time: float | None  # 0-100, over the answered requests
    median_hours: float | None  # first response, clock hours
    late_pending: int

    @classmethod
    def of(cls, *, area: str, name: str, figures: ResponseFigures) -> SupportRow:
        return cls(
            area=area,
            name=name,
            received=figures.received,
            answered=figures.answered,
            answered_in_time=figures.answered_in_time,
            share_in_time=figures.share_in_time,
            median_hours=figures.median_first_response_hours,
            late_pending=figures.late_pending,
        )

    def value(self, code: str) -> float | None:
        return {
            SUPPORT_RECEIVED: self.received,
            SUPPORT_RESPONSE_HOURS: self.median_hours,
            SUPPORT_IN_TIME: self.share_in_time,
            SUPPORT_LATE: self.late_pending,
        }[code]


@dataclass
class SupportFigures:
    today: date
    region: SupportRow
    by_topic: list[SupportRow]
    level: str | None = None
    areas: list[SupportRow] = field(default_factory=list)


def support_figures(*, today: date, level: str | None = None, area: str | None = None) -> SupportFigures:
    """Region-wide figures (support's own `support_kpis`), by topic, and per area of `level` when given.

    An area's figures are the support app's `response_totals` over the requests whose commune is in the area:
    the same definitions as the advisors' dashboard. `area` limits the per-area rows to that one.
    """
    kpis = support_kpis(today=today)
    region = SupportRow.of(area=REGION, name="Hauts-de-France", figures=kpis["total"])
    by_topic = [SupportRow.of(area=f.label, name=f.label, figures=f) for f in kpis["by_topic"]]
    result = SupportFigures(today=today, region=region, by_topic=by_topic, level=level)
    if level is None:
        return result
    names = area_names(level=level)
    if area is not None:  # one area only (the API's zone): no "non localisé" row
        names = {code: name for code, name in names.items() if code == area}
    # One query: the figures per commune, added up per area (a request whose commune is in no area of the level
    # counts as "non localisé").
    areas = commune_areas(level=level)
    totals = {code: ResponseFigures(label=code) for code in names}
    outside = ResponseFigures(label=UNLOCATED)
    for commune_id, figures in response_figures_by_commune(requests=SupportRequest.objects.all(), today=today).items():
        code = areas.get(commune_id) if commune_id is not None else None
        if code is None:
            response_add(outside, figures)
        elif code in totals:
            response_add(totals[code], figures)
    result.areas = [SupportRow.of(area=code, name=name, figures=totals[code]) for code, name in names.items()]
    if area is None and outside.received:
        result.areas.append(SupportRow.of(area=UNLOCATED, name=UNLOCATED_LABEL, figures=outside))
    return result


# --- Regional aids ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    """One programme's envelope of a year, as the aids app keeps it (amounts in euros)."""

    programme: str
    year: int
    envelope: Decimal
    committed: Decimal
    paid: Decimal
    granted: int
    synthetic: bool

    @property
    def committed_share(self) -> float | None:
        return float(100 * self.committed / self.envelope) if self.envelope else None


@dataclass(frozen=True)
class AidAreaRow:
    area: str
    name: str
    committed: Decimal
    paid: Decimal
    granted: int

    def value(self, code: str) -> Decimal | int:
        return {AIDS_COMMITTED: self.committed, AIDS_PAID: self.paid, AIDS_GRANTED: self.granted}[code]


@dataclass
class AidFigures:
    year: int | None
    years: list[int]
    budgets: list[BudgetRow]
    level: str | None = None
    areas: list[AidAreaRow] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return any(budget.synthetic for budget in self.budgets)

    def total(self, code: str) -> Decimal | int:
        """Region-wide value of an aids indicator for the year (sum of the programmes' budget rows)."""
        if code == AIDS_GRANTED:
            return sum(budget.granted for budget in self.budgets)
        attribute = {AIDS_ENVELOPE: "envelope", AIDS_COMMITTED: "committed", AIDS_PAID: "paid"}[code]
        return sum((getattr(budget, attribute) for budget in self.budgets), Decimal(0))


def aid_years() -> list[int]:
    return sorted(set(AidBudget.objects.values_list("year", flat=True)), reverse=True)


def aid_figures(*, year: int | None = None, level: str | None = None, today: date | None = None) -> AidFigures:
    """Envelopes, committed and paid amounts per programme for a year (the aids app's budget rows), and the same
    commitments and payments per area of `level`, from the granted applications of that year's budgets."""
    years = aid_years()
    if year is None:
        current = (today or timezone.localdate()).year
        year = next((y for y in years if y <= current), years[0] if years else None)
    elif year not in years:
        raise ObservatoryError("annee", f"Aucun budget d'aide pour {year} : choisissez parmi {_years_text(years)}.")
    result = AidFigures(year=year, years=years, budgets=[], level=level)
    if year is None:
        return result
    budgets = (
        AidBudget.objects.filter(year=year)
        .select_related("programme")
        .annotate(granted=Count("applications", filter=Q(applications__status=ApplicationStatus.GRANTED)))
        .order_by("programme__name")
    )
    result.budgets = [
        BudgetRow(
            programme=budget.programme.name,
            year=budget.year,
            envelope=budget.amount,
            committed=budget.committed_amount,
            paid=budget.paid_amount,
            granted=budget.granted,
            synthetic=budget.is_synthetic,
        )
        for budget in budgets
    ]
    if level is None:
        return result
    names = area_names(level=level)
    area_of = commune_areas(level=level)
    committed: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[str, Decimal] = defaultdict(Decimal)
    granted: dict[str, int] = defaultdict(int)
    for commune_id, amount, count in (
        AidApplication.objects.filter(status=ApplicationStatus.GRANTED, budget__year=year)
        .values_list("contract__workplace_commune_id")
        .annotate(amount=Sum("granted_amount"), count=Count("id"))
        .order_by()
    ):
        area = area_of.get(commune_id, UNLOCATED)
        committed[area] += amount or 0
        granted[area] += count
    for commune_id, amount in (
        AidPayment.objects.filter(paid_on__isnull=False, application__budget__year=year)
        .values_list("application__contract__workplace_commune_id")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        paid[area_of.get(commune_id, UNLOCATED)] += amount or 0
    for code, name in names.items():
        result.areas.append(AidAreaRow(code, name, committed[code], paid[code], granted[code]))
    if committed[UNLOCATED] or paid[UNLOCATED] or granted[UNLOCATED]:
        result.areas.append(
            AidAreaRow(UNLOCATED, UNLOCATED_LABEL, committed[UNLOCATED], paid[UNLOCATED], granted[UNLOCATED])
        )
    return result


def _years_text(years: list[int]) -> str:
    return ", ".join(str(year) for year in years) or "aucune année ouverte"


def parse_year(value: str | None) -> int | None:
    """The `annee` filter of pages and exports: empty means the current budget year."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise ObservatoryError("annee", "L'année doit s'écrire sur 4 chiffres, par exemple 2026.")
    return int(value)
