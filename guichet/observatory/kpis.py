"""The KPI module: every figure of the observatory computed from the contracts register, by one tested module.

Two layers:
- pure functions over plain rows (`ContractRow`) or their columnar form (`ContractTable`), with no database:
  `compute_kpis(table=..., as_of=..., ...)` returns `KpiPoint`s, monthly, per place basis, territorial level,
  area, breakdown dimension and category;
- a loader (`load_register_table`) that reads the register into that columnar form, and `recompute_summaries`
  that writes the points into the summary table read by the pages (services.py).

Definitions (the glossary, `data/reference/observatory/indicateurs.csv`, states them for readers):
- a contract is *in force* on day D when starts_on <= D <= effective end, the effective end being the break date
  when the contract was broken, else the planned end. Stocks are counted on the last day of each month, for the
  months that are complete on `as_of`;
- *new contracts* of a month: contracts whose start date falls in the month (a flow); *break-ups*: contracts
  whose break date falls in the month;
- *early break-up rate* of a month: share of the contracts started in the month broken within 90 days of their
  start; only for months whose every contract is 90 days old on `as_of`;
- *age at a date*: the register keeps only the birth year (data minimisation), so the age at D is the age reached
  during D's calendar year (D.year - birth_year): the age band of an apprentice in force changes on 1 January;
  flows use the age at the event (start or break);
- *share of employer establishments signing*: distinct employer establishments with a contract started in the 12
  months ending with the month, over the INSEE 2014 count of establishments with at least one employee.

The computation is vectorised with numpy (differences of counts over months, then cumulative sums) so that a
national register of 1,000,000 contracts is recomputed in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from guichet.contracts.enums import age_band_for

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
EARLY_BREAK_DAYS = 90
SIGNING_WINDOW_MONTHS = 12

PLACE_WORK, PLACE_TRAINING = "travail", "formation"
LEVELS = ("region", "department", "zone", "basin")
DIMENSIONS = ("total", "level", "age", "sex", "domain", "size", "future")
TOTAL = "ensemble"
UNKNOWN = "inconnu"
AGE_BANDS = ("15-17", "18-20", "21-25", "26+")

# Indicator codes computed here; each must exist in the glossary (the Indicator table) to be shown.
STOCK, STOCK_TRAINING = "apprentis_stock", "apprentis_stock_formation"
NEW, BREAKS, EARLY_BREAK_RATE = "entrees", "ruptures", "taux_rupture_precoce"
SIGNING_SHARE = "part_etablissements_signataires"
COMPUTED_INDICATORS = (STOCK, STOCK_TRAINING, NEW, BREAKS, EARLY_BREAK_RATE, SIGNING_SHARE)


class UnknownIndicator(ValueError):
    """Raised when a page, chart or API asks for a figure the glossary does not define."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Indicateur « {code} » inconnu du glossaire : il ne peut pas être affiché.")
        self.code = code


def require_indicator(code: str, *, known: Iterable[str]) -> str:
    """Return `code` if the glossary defines it; refuse any other figure."""
    if code not in set(known):
        raise UnknownIndicator(code)
    return code


@dataclass(frozen=True)
class ContractRow:
    """One contract of the register, as plain values (no database)."""

    number: str
    birth_year: int
    sex: str
    level: int
    starts_on: date
    planned_end_on: date
    workplace: str  # commune INSEE code
    training: str  # commune INSEE code
    break_on: date | None = None
    domain: str = ""  # ROME grand domaine (A..N)
    future: str = ""  # jobs of the future family, empty otherwise
    size: str = ""  # head-count band of the employer
    employer: str = ""  # SIRET (or any stable id) of the employer establishment

    @property
    def effective_end(self) -> date:
        return self.break_on if self.break_on is not None else self.planned_end_on

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.effective_end


@dataclass(frozen=True)
class Geography:
    """Area code of each commune per territorial level (communes outside the grid are simply absent)."""

    areas: dict[str, dict[str, str]]  # level -> {commune INSEE: area code}

    def area(self, level: str, commune: str) -> str | None:
        return self.areas.get(level, {}).get(commune)


@dataclass(frozen=True)
class KpiPoint:
    indicator: str
    period: date  # first day of the month
    place: str
    level: str
    area: str
    dimension: str
    category: str
    value: float


class _Codes:
    """Strings <-> small integers, for numpy columns."""

    def __init__(self, labels: Iterable[str] = ()) -> None:
        self.labels: list[str] = []
        self.index: dict[str, int] = {}
        for label in labels:
            self.code(label)

    def code(self, label: str) -> int:
        found = self.index.get(label)
        if found is None:
            found = self.index[label] = len(self.labels)
            self.labels.append(label)
        return found


@dataclass
class ContractTable:
    """The register in columns. Dates are day ordinals; categories and areas small integers (-1: none)."""

    start: np.ndarray
    end: np.ndarray  # effective end (ordinal)
    break_day: np.ndarray  # ordinal of the break, 0 if not broken
    birth_year: np.ndarray
    categories: dict[str, np.ndarray]  # dimension -> codes (total, level, sex, domain, size, future)
    labels: dict[str, list[str]]  # dimension -> labels
    areas: dict[tuple[str, str], np.ndarray]  # (place, level) -> area codes, -1 outside the level's grid
    area_labels: dict[tuple[str, str], list[str]]
    employer: np.ndarray  # -1 when unknown

    def __len__(self) -> int:
        return len(self.start)


def _column(values: Sequence[int], dtype: str = "int64") -> np.ndarray:
    return np.asarray(values, dtype=dtype)


def table_from_rows(rows: Sequence[ContractRow], *, geography: Geography) -> ContractTable:
    """Columnar form of plain rows (used by the tests and by small registers)."""
    codes = {dimension: _Codes() for dimension in DIMENSIONS if dimension != "age"}
    area_codes = {(place, level): _Codes() for place in (PLACE_WORK, PLACE_TRAINING) for level in LEVELS}
    employers = _Codes()
    columns: dict[str, list[int]] = {dimension: [] for dimension in codes}
    area_columns: dict[tuple[str, str], list[int]] = {key: [] for key in area_codes}
    employer_column = []
    for row in rows:
        values = {
            "total": TOTAL,
            "level": str(row.level),
            "sex": row.sex,
            "domain": row.domain or UNKNOWN,
            "size": row.size or UNKNOWN,
            "future": row.future or "autre",
        }
        for dimension, value in values.items():
            columns[dimension].append(codes[dimension].code(value))
        for (place, level), column in area_columns.items():
            commune = row.workplace if place == PLACE_WORK else row.training
            area = geography.area(level, commune)
            column.append(-1 if area is None else area_codes[(place, level)].code(area))
        employer_column.append(employers.code(row.employer) if row.employer else -1)
    return ContractTable(
        start=_column([row.starts_on.toordinal() for row in rows]),
        end=_column([row.effective_end.toordinal() for row in rows]),
        break_day=_column([row.break_on.toordinal() if row.break_on else 0 for row in rows]),
        birth_year=_column([row.birth_year for row in rows]),
        categories={dimension: _column(values) for dimension, values in columns.items()},
        labels={dimension: codes[dimension].labels for dimension in codes},
        areas={key: _column(values) for key, values in area_columns.items()},
        area_labels={key: area_codes[key].labels for key in area_codes},
        employer=_column(employer_column),
    )


# --- Calendar helpers ----------------------------------------------------------------------------------------


def month_index(ordinals: np.ndarray) -> np.ndarray:
    """Months since January 1970 of each day ordinal."""
    return (ordinals - EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[M]").astype("int64")


def month_start(index: int) -> date:
    return date(1970 + index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    return month_start(index + 1) - timedelta(days=1)


def last_complete_month(as_of: date) -> int:
    """Index of the last month whose last day is on or before `as_of`."""
    index = (as_of.year - 1970) * 12 + as_of.month - 1
    return index if month_end(index) <= as_of else index - 1


def _last_stock_month(end: np.ndarray) -> np.ndarray:
    """Last month at whose last day a contract ending on `end` is still in force."""
    months = month_index(end)
    ends_on_month_end = month_index(end + 1) != months
    return np.where(ends_on_month_end, months, months - 1)


def _age_codes(years: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    ages = years - birth_year
    return np.select([ages < 18, ages <= 20, ages <= 25], [0, 1, 2], default=3)


# --- Computation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSeriesRow:
    """The monthly values of one figure, from the first month of the result (None: not published)."""

    indicator: str
    place: str
    level: str
    area: str
    dimension: str
    category: str
    values: list[float | None]


@dataclass
class KpiResult:
    first_month: int
    last_month: int
    series: list[KpiSeriesRow] = field(default_factory=list)

    @property
    def points(self) -> list[KpiPoint]:
        """Every published (non-zero or kept) value as a single point."""
        return [
            KpiPoint(
                indicator=row.indicator,
                period=month_start(self.first_month + index),
                place=row.place,
                level=row.level,
                area=row.area,
                dimension=row.dimension,
                category=row.category,
                value=value,
            )
            for row in self.series
            for index, value in enumerate(row.values)
            if value is not None and (value != 0 or row.indicator == EARLY_BREAK_RATE)
        ]

    def value(
        self,
        indicator: str,
        period: date,
        *,
        level: str = "region",
        area: str = "32",
        dimension: str = "total",
        category: str = TOTAL,
        place: str = PLACE_WORK,
    ) -> float:
        """A single figure (0 when absent)."""
        index = (period.year - 1970) * 12 + period.month - 1 - self.first_month
        for row in self.series:
            if (row.indicator, row.place, row.level, row.area, row.dimension, row.category) == (
                indicator, place, level, area, dimension, category,
            ):  # fmt: skip
                found = row.values[index] if 0 <= index < len(row.values) else None
                return found or 0.0
        return 0.0


class _Collector:
    def __init__(self, first: int, months: int, series: list[KpiSeriesRow]) -> None:
        self.first, self.months, self.series = first, months, series

    def counts(
        self,
        *,
        area: np.ndarray,
        category: np.ndarray,
        n_areas: int,
        n_categories: int,
        month: np.ndarray,
        weight: np.ndarray | None = None,
    ) -> np.ndarray:
        """Sum of `weight` (or 1) per (area, category, month); rows outside the grid or the months are ignored."""
        relative = month - self.first
        keep = (area >= 0) & (relative >= 0) & (relative < self.months)
        flat = (area[keep] * n_categories + category[keep]) * self.months + relative[keep]
        weights = None if weight is None else weight[keep]
        size = n_areas * n_categories * self.months
        return np.bincount(flat, weights=weights, minlength=size).reshape(n_areas, n_categories, self.months)

    def emit(
        self,
        grid: np.ndarray,
        *,
        indicator: str,
        place: str,
        level: str,
        areas: list[str],
        dimension: str,
        categories: list[str],
        keep: np.ndarray | None = None,
    ) -> None:
        """One series per (area, category) having a value: zeros kept inside a series, `keep` masks the others."""
        mask = grid != 0 if keep is None else keep
        rounded = np.round(grid.astype("float64"), 4)
        for a, c in zip(*np.nonzero(mask.any(axis=2)), strict=True):
            values = rounded[a, c].tolist()
            if keep is not None:
                values = [value if kept else None for value, kept in zip(values, keep[a, c].tolist(), strict=True)]
            self.series.append(
                KpiSeriesRow(
                    indicator=indicator,
                    place=place,
                    level=level,
                    area=areas[a],
                    dimension=dimension,
                    category=categories[c],
                    values=values,
                )
            )


def compute_kpis(
    *,
    table: ContractTable,
    as_of: date,
    months: int = 60,
    denominators: dict[str, dict[str, int]] | None = None,
    dimensions: Sequence[str] = DIMENSIONS,
) -> KpiResult:
    """Monthly figures for the `months` complete months up to `as_of`.

    `denominators`: level -> {area code: employer establishments} for the signing share (skipped when absent).
    """
    last = last_complete_month(as_of)
    first = last - months + 1
    result = KpiResult(first_month=first, last_month=last)
    if len(table) == 0:
        return result
    out = _Collector(first, months, result.series)
    start_month = month_index(table.start)
    stock_last = _last_stock_month(table.end)
    broken = table.break_day > 0
    break_month = np.where(broken, month_index(np.where(broken, table.break_day, table.start)), -1)
    start_year = start_month // 12 + 1970
    break_year = break_month // 12 + 1970
    early = broken & (table.break_day - table.start < EARLY_BREAK_DAYS)
    # Months whose every contract has had 90 days to break, on as_of.
    mature = np.array(
        [month_end(first + m) + timedelta(days=EARLY_BREAK_DAYS) <= as_of for m in range(months)], dtype=bool
    )

    for (place, level), area in table.areas.items():
        area_labels = table.area_labels[(place, level)]
        n_areas = len(area_labels)
        if n_areas == 0:
            continue
        for dimension in dimensions:
            categories = list(AGE_BANDS) if dimension == "age" else table.labels[dimension]
            n_cat = len(categories)
            stock_indicator = STOCK if place == PLACE_WORK else STOCK_TRAINING
            # Stock: +1 from the start month, -1 after the last month-end in force; age bands per calendar year.
            if dimension == "age":
                diff = np.zeros((n_areas, n_cat, months + 1))
                for year in range(1970 + first // 12, 1970 + last // 12 + 1):
                    lo = np.maximum(start_month, (year - 1970) * 12)
                    hi = np.minimum(stock_last, (year - 1970) * 12 + 11)
                    valid = lo <= hi
                    codes = _age_codes(np.full(len(table), year), table.birth_year)
                    diff += _interval_diff(out, area, codes, lo, hi, valid, n_areas, n_cat)
            else:
                codes = table.categories[dimension]
                valid = start_month <= stock_last
                diff = _interval_diff(out, area, codes, start_month, stock_last, valid, n_areas, n_cat)
            stock = np.cumsum(diff, axis=2)[:, :, :months]
            out.emit(
                stock, indicator=stock_indicator, place=place, level=level, areas=area_labels, dimension=dimension,
                categories=categories,
            )  # fmt: skip
            if place != PLACE_WORK:
                continue
            start_codes = _age_codes(start_year, table.birth_year) if dimension == "age" else codes
            new = out.counts(area=area, category=start_codes, n_areas=n_areas, n_categories=n_cat, month=start_month)
            out.emit(new, indicator=NEW, place=place, level=level, areas=area_labels, dimension=dimension,
                     categories=categories)  # fmt: skip
            break_codes = _age_codes(break_year, table.birth_year) if dimension == "age" else codes
            breaks = out.counts(
                area=np.where(broken, area, -1), category=break_codes, n_areas=n_areas, n_categories=n_cat,
                month=break_month,
            )  # fmt: skip
            out.emit(breaks, indicator=BREAKS, place=place, level=level, areas=area_labels, dimension=dimension,
                     categories=categories)  # fmt: skip
            early_count = out.counts(
                area=area, category=start_codes, n_areas=n_areas, n_categories=n_cat, month=start_month,
                weight=early.astype("float64"),
            )  # fmt: skip
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.where(new > 0, 100.0 * early_count / np.where(new > 0, new, 1), 0.0)
            keep = (new > 0) & mature[np.newaxis, np.newaxis, :]
            out.emit(rate, indicator=EARLY_BREAK_RATE, place=place, level=level, areas=area_labels,
                     dimension=dimension, categories=categories, keep=keep)  # fmt: skip
        if place == PLACE_WORK and denominators and level in denominators:
            _signing_share(out, table, area, area_labels, start_month, level, denominators[level])
    return result


def _interval_diff(
    out: _Collector,
    area: np.ndarray,
    codes: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    valid: np.ndarray,
    n_areas: int,
    n_cat: int,
) -> np.ndarray:
    """+1 at max(lo, first) and -1 after hi, per (area, category), for the rows in force some month of the range."""
    months = out.months
    lo_rel = np.maximum(lo - out.first, 0)
    hi_rel = hi - out.first
    keep = valid & (area >= 0) & (hi_rel >= 0) & (lo_rel < months)
    hi_rel = np.minimum(hi_rel, months - 1)
    width = months + 1
    base = (area[keep] * n_cat + codes[keep]) * width
    size = n_areas * n_cat * width
    plus = np.bincount(base + lo_rel[keep], minlength=size)
    minus = np.bincount(base + hi_rel[keep] + 1, minlength=size)
    return (plus - minus).reshape(n_areas, n_cat, width).astype("float64")


def _signing_share(
    out: _Collector,
    table: ContractTable,
    area: np.ndarray,
    area_labels: list[str],
    start_month: np.ndarray,
    level: str,
    denominators: dict[str, int],
) -> None:
    """Distinct employers with a start in the 12 months ending each month, over the establishment count."""
    keep = (area >= 0) & (table.employer >= 0)
    if not keep.any():
        return
    triples = np.unique(np.stack([area[keep], table.employer[keep], start_month[keep]], axis=1), axis=0)
    # Rows sorted by (area, employer, month): each start covers [month, month + 11], cut at the next start of the
    # same employer so that the intervals do not overlap; then counting intervals counts distinct employers.
    same_next = np.zeros(len(triples), dtype=bool)
    same_next[:-1] = (triples[1:, 0] == triples[:-1, 0]) & (triples[1:, 1] == triples[:-1, 1])
    next_month = np.empty(len(triples), dtype="int64")
    next_month[:-1] = triples[1:, 2]
    next_month[-1] = 0
    hi = np.where(same_next, np.minimum(triples[:, 2] + SIGNING_WINDOW_MONTHS - 1, next_month - 1),
                  triples[:, 2] + SIGNING_WINDOW_MONTHS - 1)  # fmt: skip
    n_areas = len(area_labels)
    zeros = np.zeros(len(triples), dtype="int64")
    diff = _interval_diff(out, triples[:, 0], zeros, triples[:, 2], hi, np.ones(len(triples), bool), n_areas, 1)
    signing = np.cumsum(diff, axis=2)[:, :, : out.months]
    totals = np.array([denominators.get(label, 0) for label in area_labels], dtype="float64")
    has_total = totals > 0
    share = np.zeros_like(signing)
    share[has_total] = 100.0 * signing[has_total] / totals[has_total][:, np.newaxis, np.newaxis]
    keep_cells = np.broadcast_to(has_total[:, np.newaxis, np.newaxis], share.shape) & (signing > 0)
    out.emit(share, indicator=SIGNING_SHARE, place=PLACE_WORK, level=level, areas=area_labels, dimension="total",
             categories=[TOTAL], keep=keep_cells)  # fmt: skip


# --- Targets -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    value: float | None  # latest measured value (None when nothing measured)
    value_year: float | None  # when it was measured, as a fractional year
    trajectory: float  # where the straight line from baseline to target says we should be at value_year
    forecast: float | None  # value at target year if the pace since baseline continues
    on_track: bool | None
    progress: float | None  # share of the way from baseline to target, in %


def target_progress(
    *,
    baseline_year: int,
    baseline_value: float,
    target_year: int,
    target_value: float,
    value: float | None,
    measured_on: date | None,
) -> TargetProgress:
    """Linear trajectory from (baseline_year, baseline) to (target_year, target); forecast at the current pace.

    Years are read as 31 December of that year (a plan's "year" is the end-of-year figure).
    """
    if value is None or measured_on is None:
        return TargetProgress(None, None, baseline_value, None, None, None)
    when = measured_on.year + (measured_on.timetuple().tm_yday / (366 if _leap(measured_on.year) else 365)) - 1
    span = target_year - baseline_year
    elapsed = when - baseline_year
    slope = (target_value - baseline_value) / span
    trajectory = baseline_value + slope * elapsed
    forecast = None
    if elapsed > 0:
        forecast = baseline_value + (value - baseline_value) / elapsed * span
    rising = target_value >= baseline_value
    on_track = value >= trajectory if rising else value <= trajectory
    gap = target_value - baseline_value
    progress = 100.0 * (value - baseline_value) / gap if gap else None
    return TargetProgress(
        value=value,
        value_year=when,
        trajectory=trajectory,
        forecast=forecast,
        on_track=on_track,
        progress=progress,
    )


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def age_on(row: ContractRow, day: date) -> str:
    """Age band of an apprentice on `day` (age reached in that calendar year), as the module counts it."""
    return age_band_for(day.year - row.birth_year).value
