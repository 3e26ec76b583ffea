"""Where to put N new training places: a greedy allocation on marginal covered need, with its reasons.

Method (documented in docs/observatory.md): one new place covers one recruitment project a year. The uncovered need
of a cell (area, ROME job) is its BMO needs minus its existing places minus the places already allocated. Each
place goes, one at a time, to the cell with the largest uncovered need: its marginal covered need is
min(1, uncovered). Constraints are served first: the places reserved for jobs of the future go to the best
future-job cells, then each department gets its minimum on its best cells, then the rest goes to the best cells
of the whole region. Greedy is optimal here because every place has the same cost and the gain of a cell only
decreases as it receives places (a concave, separable objective).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from guichet.observatory.selectors import GRIDS, GapRow, gaps
from guichet.territory.models import BasinMembership, Commune


class ScenarioError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@dataclass
class Allocation:
    row: GapRow
    department: str
    places: int = 0
    covered: float = 0.0
    reasons: list[dict] = field(default_factory=list)


@dataclass
class ScenarioResult:
    places: int
    allocated: int
    covered: float
    allocations: list[Allocation]
    method: str
    warnings: list[str] = field(default_factory=list)


def _uncovered(allocation: Allocation) -> float:
    return allocation.row.needs - allocation.row.places - allocation.places


def _give(allocations: list[Allocation], count: int, keep: Callable[[Allocation], bool]) -> int:
    heap = [(-_uncovered(a), index) for index, a in enumerate(allocations) if keep(a) and _uncovered(a) > 0]
    heapq.heapify(heap)
    given = 0
    while given < count and heap:
        _, index = heapq.heappop(heap)
        allocation = allocations[index]
        gain = min(1.0, _uncovered(allocation))
        if gain <= 0:
            continue
        allocation.places += 1
        allocation.covered += gain
        given += 1
        if _uncovered(allocation) > 0:
            heapq.heappush(heap, (-_uncovered(allocation), index))
    return given


def allocate(
    *,
    rows: list[GapRow],
    places: int,
    department_of: dict[str, str],
    department_minimum: int = 0,
    future_share: float = 0.0,
) -> ScenarioResult:
    if not 1 <= places <= 100_000:
        raise ScenarioError("places", "Indiquez un nombre de places entre 1 et 100 000.")
    if not 0 <= future_share <= 1:
        raise ScenarioError("future_share", "La part des métiers d'avenir va de 0 à 1 (par exemple 0.3 pour 30 %).")
    departments = sorted(set(department_of.values()))
    if department_minimum < 0 or department_minimum * len(departments) > places:
        raise ScenarioError(
            "department_minimum",
            f"Le minimum par département doit être positif et tenir dans les places : au plus "
            f"{places // max(len(departments), 1)} pour {len(departments)} départements.",
        )
    allocations = [Allocation(row=row, department=department_of.get(row.area, "")) for row in rows]
    warnings = []
    remaining = places
    reserved = math.ceil(places * future_share)
    if reserved:
        given = _give(allocations, reserved, lambda a: bool(a.row.future_family))
        if given < reserved:
            warnings.append(f"Seules {given} places trouvent un besoin non couvert dans les métiers d'avenir.")
        remaining -= given
    for department in departments:
        already = sum(a.places for a in allocations if a.department == department)
        wanted = max(0, department_minimum - already)
        if wanted:
            given = _give(allocations, min(wanted, remaining), lambda a, d=department: a.department == d)
            if given < wanted:
                warnings.append(f"Département {department} : seules {given} places trouvent un besoin non couvert.")
            remaining -= given
    remaining -= _give(allocations, remaining, lambda a: True)
    if remaining:
        warnings.append(f"{remaining} places restent sans besoin non couvert à servir : elles ne sont pas attribuées.")
    chosen = [a for a in allocations if a.places]
    for a in chosen:
        a.reasons = [
            {"code": "besoins_par_rome", "label": "Projets de recrutement répartis", "value": a.row.needs},
            {"code": "places_formation", "label": "Places de formation existantes", "value": a.row.places},
            {"code": "places_attribuees", "label": "Places attribuées par le scénario", "value": a.places},
            {"code": "besoin_couvert", "label": "Besoin couvert par ces places", "value": round(a.covered, 1)},
        ]
        if a.row.future_family:
            a.reasons.append({"code": "metier_avenir", "label": "Métier d'avenir", "value": a.row.future_family})
    chosen.sort(key=lambda a: (-a.places, -a.covered, a.row.area, a.row.rome))
    return ScenarioResult(
        places=places,
        allocated=sum(a.places for a in chosen),
        covered=round(sum(a.covered for a in chosen), 1),
        allocations=chosen,
        method="glouton sur le besoin couvert marginal (une place couvre un projet de recrutement par an)",
        warnings=warnings,
    )


def _area_departments(grid: str) -> dict[str, str]:
    """Area -> department holding most of its population."""
    population = dict(Commune.objects.values_list("id", "population"))
    department = dict(Commune.objects.values_list("id", "department__code"))
    weights: dict[str, dict[str, int]] = {}
    for commune_id, code in BasinMembership.objects.filter(grid=GRIDS[grid]).values_list("commune_id", "basin__code"):
        bucket = weights.setdefault(code, {})
        dep = department[commune_id]
        bucket[dep] = bucket.get(dep, 0) + (population.get(commune_id) or 0)
    return {code: max(bucket, key=bucket.get) for code, bucket in weights.items()}


def scenario_run(*, grid: str, places: int, department_minimum: int, future_share: float):
    rows = gaps(grid=grid)
    return allocate(
        rows=rows, places=places, department_of=_area_departments(grid), department_minimum=department_minimum,
        future_share=future_share,
    )  # fmt: skip
