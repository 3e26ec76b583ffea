"""Writes of the observatory: recomputing the KPI summaries from the contracts register."""

from __future__ import annotations

import time
from datetime import date

import numpy as np
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from guichet.contracts.models import Contract
from guichet.employers.enums import HeadcountBand
from guichet.employers.models import EstablishmentCensus
from guichet.jobs.models import RomeJob
from guichet.observatory.kpis import (
    DIMENSIONS,
    LEVELS,
    PLACE_TRAINING,
    PLACE_WORK,
    TOTAL,
    UNKNOWN,
    ContractTable,
    KpiSeriesRow,
    compute_kpis,
    month_start,
)
from guichet.observatory.models import KpiRun, KpiSeries
from guichet.territory.models import BasinGrid, BasinMembership, Commune

GRID_OF_LEVEL = {"zone": BasinGrid.ZONE_EMPLOI, "basin": BasinGrid.BMO}


def commune_area_lookups() -> dict[str, tuple[np.ndarray, list[str]]]:
    """level -> (array indexed by commune id giving an area index or -1, area codes)."""
    communes = list(Commune.objects.values_list("id", "department__code", "department__region__code"))
    size = max((row[0] for row in communes), default=0) + 1
    lookups: dict[str, tuple[np.ndarray, list[str]]] = {}
    for level, position in (("region", 2), ("department", 1)):
        codes = sorted({row[position] for row in communes})
        index = {code: i for i, code in enumerate(codes)}
        array = np.full(size, -1, dtype="int64")
        for row in communes:
            array[row[0]] = index[row[position]]
        lookups[level] = (array, codes)
    for level, grid in GRID_OF_LEVEL.items():
        members = list(BasinMembership.objects.filter(grid=grid).values_list("commune_id", "basin__code"))
        codes = sorted({code for _, code in members})
        index = {code: i for i, code in enumerate(codes)}
        array = np.full(size, -1, dtype="int64")
        for commune_id, code in members:
            array[commune_id] = index[code]
        lookups[level] = (array, codes)
    return lookups


def _encode(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    labels, inverse = np.unique(values, return_inverse=True)
    return inverse.astype("int64"), [str(label) for label in labels]


def load_register_table() -> tuple[ContractTable, bool]:
    """The whole register in columns, and whether it holds synthetic contracts."""
    fields = (
        "birth_year", "sex", "level_id", "rome_job_id", "headcount_band", "establishment_id",
        "workplace_commune_id", "training_commune_id", "starts_on", "planned_end_on", "break_on",
    )  # fmt: skip
    rows = list(Contract.objects.order_by().values_list(*fields).iterator(chunk_size=50_000))
    synthetic = Contract.objects.filter(is_synthetic=True).exists()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in fields]
    (birth, sex, level, rome, size, employer, workplace, training, starts, planned, breaks) = columns
    n = len(rows)
    jobs = list(RomeJob.objects.values_list("id", "domain__major_code", "future_family"))
    job_size = max((job[0] for job in jobs), default=0) + 1
    domain_labels = [*sorted({job[1] for job in jobs}), UNKNOWN]
    future_labels = [*sorted({job[2] for job in jobs if job[2]}), "autre"]
    domain_of = np.full(job_size, len(domain_labels) - 1, dtype="int64")
    future_of = np.full(job_size, len(future_labels) - 1, dtype="int64")
    for job_id, domain, future in jobs:
        domain_of[job_id] = domain_labels.index(domain)
        if future:
            future_of[job_id] = future_labels.index(future)
    rome_ids = np.asarray(rome, dtype="int64")

    def ordinals(values: tuple) -> np.ndarray:
        return np.fromiter((value.toordinal() if value else 0 for value in values), dtype="int64", count=n)

    start, planned_end, break_day = ordinals(starts), ordinals(planned), ordinals(breaks)
    end = np.where(break_day > 0, break_day, planned_end)
    categories, labels = {}, {}
    categories["total"], labels["total"] = np.zeros(n, dtype="int64"), [TOTAL]
    categories["level"], labels["level"] = _encode(np.asarray(level, dtype="int64"))
    categories["sex"], labels["sex"] = _encode(np.asarray(sex, dtype="U1"))
    categories["size"], labels["size"] = _encode(np.asarray([s or UNKNOWN for s in size], dtype="U8"))
    categories["domain"], labels["domain"] = domain_of[rome_ids] if n else np.zeros(0, "int64"), domain_labels
    categories["future"], labels["future"] = future_of[rome_ids] if n else np.zeros(0, "int64"), future_labels
    lookups = commune_area_lookups()
    places = {PLACE_WORK: np.asarray(workplace, dtype="int64"), PLACE_TRAINING: np.asarray(training, dtype="int64")}
    areas, area_labels = {}, {}
    for place, commune_ids in places.items():
        for level_name in LEVELS:
            lookup, codes = lookups[level_name]
            areas[(place, level_name)] = lookup[commune_ids] if n else np.zeros(0, "int64")
            area_labels[(place, level_name)] = codes
    employer_ids = np.fromiter((value if value else -1 for value in employer), dtype="int64", count=n)
    table = ContractTable(
        start=start,
        end=end,
        break_day=break_day,
        birth_year=np.asarray(birth, dtype="int64"),
        categories=categories,
        labels=labels,
        areas=areas,
        area_labels=area_labels,
        employer=employer_ids,
    )
    return table, synthetic


def establishment_denominators(*, vintage: int = 2014) -> dict[str, dict[str, int]]:
    """Establishments with at least one salaried employee (INSEE census), per level and area."""
    per_commune = dict(
        EstablishmentCensus.objects.filter(vintage=vintage)
        .exclude(headcount_band=HeadcountBand.NONE)
        .values("commune_id")
        .annotate(total=Sum("count"))
        .values_list("commune_id", "total")
    )
    result: dict[str, dict[str, int]] = {}
    for level, (lookup, codes) in commune_area_lookups().items():
        totals: dict[str, int] = {}
        for commune_id, count in per_commune.items():
            index = lookup[commune_id] if commune_id < len(lookup) else -1
            if index >= 0:
                totals[codes[index]] = totals.get(codes[index], 0) + count
        result[level] = totals
    return result


def _write_series(rows: list[KpiSeriesRow], *, start: date) -> None:
    KpiSeries.objects.all().delete()
    KpiSeries.objects.bulk_create(
        (
            KpiSeries(
                indicator=row.indicator,
                place=row.place,
                level=row.level,
                area=row.area,
                dimension=row.dimension,
                category=row.category,
                start=start,
                values=row.values,
            )
            for row in rows
        ),
        batch_size=2000,
    )


@transaction.atomic
def kpis_recompute(*, trigger: str, as_of: date | None = None, months: int = 60) -> KpiRun:
    """Replace the summaries with figures recomputed from the whole register, in one transaction."""
    as_of = as_of or timezone.localdate()
    started = timezone.now()
    clock = time.perf_counter()
    table, synthetic = load_register_table()
    result = compute_kpis(
        table=table, as_of=as_of, months=months, denominators=establishment_denominators(), dimensions=DIMENSIONS
    )
    first = month_start(result.first_month)
    _write_series(result.series, start=first)
    run = KpiRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        as_of=as_of,
        trigger=f"{trigger} ({time.perf_counter() - clock:.1f} s)",
        contracts=len(table),
        rows=len(result.series),
        first_period=first,
        months=months,
        synthetic=synthetic,
    )
    return run
