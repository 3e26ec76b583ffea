"""Dated parameters of the rules, as frozen dataclasses, and the version that identifies a set of them.

A `RuleSet` is built from plain data (the JSON reference file, or the aids app's tables serialised in the
same shape) by `ruleset_from_dict`. Its `version` is a hash of that data plus its latest date: two
simulations that used the same parameters carry the same version, and any new row changes it.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

AGE_BANDS = ("under_18", "18_20", "21_25", "26_plus")
AGE_BAND_LABELS = {
    "under_18": "moins de 18 ans",
    "18_20": "18 à 20 ans",
    "21_25": "21 à 25 ans",
    "26_plus": "26 ans et plus",
}


def age_band_for(age: int) -> str:
    """Age column of D6222-26; under-16s are paid like 16-17-year-olds (D6222-27)."""
    if age < 18:
        return "under_18"
    if age <= 20:
        return "18_20"
    if age <= 25:
        return "21_25"
    return "26_plus"


@dataclass(frozen=True)
class SmicValue:
    effective_on: date
    hourly: Decimal
    monthly: Decimal
    reference: str
    territory: str = "metropole"
    url: str = ""
    to_confirm: bool = False


@dataclass(frozen=True)
class PayRate:
    valid_from: date
    age_band: str
    contract_year: int
    rate_percent: Decimal
    reference: str


@dataclass(frozen=True)
class ExemptionRegime:
    """Apprentice's own contributions, keyed on the contract's conclusion date (DOMAIN.md 8)."""

    code: str
    concluded_from: date
    concluded_to: date | None
    threshold_percent_smic: Decimal
    csg_crds_due: bool
    reference: str
    to_confirm: bool = False


@dataclass(frozen=True)
class ContributionRate:
    code: str
    valid_from: date
    rate_percent: Decimal
    base_percent: Decimal
    label: str
    reference: str
    to_confirm: bool = True


@dataclass(frozen=True)
class IncomeTaxCeiling:
    year: int
    amount: Decimal
    reference: str
    to_confirm: bool = False


@dataclass(frozen=True)
class PaymentRuleValue:
    code: str
    concluded_from: date | None


@dataclass(frozen=True)
class AidRule:
    """One row of an aid programme: a window, conditions, and an amount. The first matching row applies."""

    concluded_from: date
    concluded_to: date | None = None
    start_before: date | None = None
    date_basis: str = "conclusion"  # "conclusion": date de conclusion; "request": the day the aid is asked for
    priority: int = 0
    headcount_min: int | None = None
    headcount_max: int | None = None
    level_min: int | None = None
    level_max: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    rqth: str = "any"  # any | required | excluded
    employer_kind: str = "any"  # any | private | public
    first_year_only: bool = False
    requires_deposit: bool = False
    max_net_smic_percent: Decimal | None = None
    amount: Decimal | None = None
    amounts_by_year: tuple[Decimal, ...] = ()
    amount_is_maximum: bool = False
    max_months: int | None = None
    checks: tuple[str, ...] = ()
    reference: str = ""
    to_confirm: bool = False

    def in_window(self, day: date) -> bool:
        return self.concluded_from <= day and (self.concluded_to is None or day <= self.concluded_to)


@dataclass(frozen=True)
class AidProgramme:
    code: str
    name: str
    scope: str  # national | regional
    beneficiary: str  # employer | apprentice
    funder: str
    payment: str  # state_monthly | once | yearly | monthly
    reference: str
    description: str
    rules: tuple[AidRule, ...]
    exclusive_group: str = ""
    source_date: date | None = None
    to_confirm: bool = False

    @property
    def valid_from(self) -> date:
        return min(rule.concluded_from for rule in self.rules)

    @property
    def valid_to(self) -> date | None:
        ends = [rule.concluded_to for rule in self.rules]
        return None if any(end is None for end in ends) else max(ends)  # type: ignore[type-var]

    def in_force_on(self, day: date) -> bool:
        return any(rule.in_window(day) for rule in self.rules)


@dataclass(frozen=True)
class RuleSet:
    smic: tuple[SmicValue, ...]
    pay_grid: tuple[PayRate, ...]
    exemptions: tuple[ExemptionRegime, ...]
    contribution_rates: tuple[ContributionRate, ...]
    income_tax_ceilings: tuple[IncomeTaxCeiling, ...]
    programmes: tuple[AidProgramme, ...]
    version: str
    daily_prorata_from: date | None = None
    daily_prorata_reference: str = ""
    checked_on: date | None = None
    _grid_index: dict[tuple[str, int], list[PayRate]] = field(default_factory=dict, compare=False, repr=False)
    _max_year: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _smic_rows: dict[str, list[SmicValue]] = field(default_factory=dict, compare=False, repr=False)
    _smic_dates: dict[str, list[date]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for rate in sorted(self.pay_grid, key=lambda rate: rate.valid_from):
            self._grid_index.setdefault((rate.age_band, rate.contract_year), []).append(rate)
        for band, year in self._grid_index:
            self._max_year[band] = max(year, self._max_year.get(band, 0))
        for value in sorted(self.smic, key=lambda value: value.effective_on):
            self._smic_rows.setdefault(value.territory, []).append(value)
            self._smic_dates.setdefault(value.territory, []).append(value.effective_on)

    def smic_on(self, day: date, *, territory: str = "metropole") -> SmicValue | None:
        """The SMIC row in force on `day` (the latest effective on or before it)."""
        index = bisect.bisect_right(self._smic_dates.get(territory, []), day)
        return self._smic_rows[territory][index - 1] if index else None

    def smic_changes_between(self, start: date, end: date, *, territory: str = "metropole") -> list[date]:
        dates = self._smic_dates.get(territory, [])
        return dates[bisect.bisect_right(dates, start) : bisect.bisect_right(dates, end)]

    def pay_rate(self, *, age_band: str, contract_year: int, concluded_on: date) -> PayRate | None:
        """Grid rate for the contract's conclusion date; years past the grid's last use its last (4th = 3rd)."""
        max_year = self._max_year.get(age_band)
        if max_year is None:
            return None
        year = min(contract_year, max_year)
        candidates = [rate for rate in self._grid_index.get((age_band, year), []) if rate.valid_from <= concluded_on]
        return candidates[-1] if candidates else None

    def exemption_for(self, concluded_on: date) -> ExemptionRegime | None:
        for regime in self.exemptions:
            if regime.concluded_from <= concluded_on and (
                regime.concluded_to is None or concluded_on <= regime.concluded_to
            ):
                return regime
        return None

    def contribution_rate(self, code: str, day: date) -> ContributionRate | None:
        found = None
        for rate in self.contribution_rates:
            if rate.code == code and rate.valid_from <= day and (found is None or rate.valid_from > found.valid_from):
                found = rate
        return found

    def programme(self, code: str) -> AidProgramme | None:
        return next((programme for programme in self.programmes if programme.code == code), None)


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def _aid_rule(data: dict[str, Any]) -> AidRule:
    return AidRule(
        concluded_from=_date(data["concluded_from"]),  # type: ignore[arg-type]
        concluded_to=_date(data.get("concluded_to")),
        start_before=_date(data.get("start_before")),
        date_basis=data.get("date_basis") or "conclusion",
        priority=int(data.get("priority") or 0),
        headcount_min=data.get("headcount_min"),
        headcount_max=data.get("headcount_max"),
        level_min=data.get("level_min"),
        level_max=data.get("level_max"),
        age_min=data.get("age_min"),
        age_max=data.get("age_max"),
        rqth=data.get("rqth") or "any",
        employer_kind=data.get("employer_kind") or "any",
        first_year_only=bool(data.get("first_year_only")),
        requires_deposit=bool(data.get("requires_deposit")),
        max_net_smic_percent=_decimal(data.get("max_net_smic_percent")),
        amount=_decimal(data.get("amount")),
        amounts_by_year=tuple(Decimal(str(value)) for value in data.get("amounts_by_year") or ()),
        amount_is_maximum=bool(data.get("amount_is_maximum")),
        max_months=data.get("max_months"),
        checks=tuple(data.get("checks") or ()),
        reference=data.get("reference") or "",
        to_confirm=bool(data.get("to_confirm")),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def rules_version_of(parts: dict[str, Any]) -> str:
    """`<latest effective date>.<12 hex of sha256>` of the parsed parameters.

    Computed on the dataclasses (not the raw text), so the reference file and the database give the same
    version for the same values, whatever the number formatting.
    """
    plain = _plain({name: [asdict(item) for item in items] for name, items in parts.items()})
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    dates = [row["effective_on"] for row in plain["smic"]]
    dates += [row["valid_from"] for row in plain["pay_grid"] + plain["contribution_rates"]]
    dates += [row["concluded_from"] for row in plain["exemptions"]]
    dates += [rule["concluded_from"] for programme in plain["programmes"] for rule in programme["rules"]]
    return f"{max(dates, default='0000-00-00')}.{digest}"


def ruleset_from_dict(data: dict[str, Any]) -> RuleSet:
    """Build a RuleSet from the shape of data/reference/aids/parametres.json (raises KeyError/ValueError)."""
    programmes = []
    for item in data.get("programmes", []):
        rules = sorted(
            (_aid_rule(rule) for rule in item["rules"]), key=lambda rule: (rule.priority, rule.concluded_from)
        )
        programmes.append(
            AidProgramme(
                code=item["code"],
                name=item["name"],
                scope=item["scope"],
                beneficiary=item["beneficiary"],
                funder=item.get("funder", ""),
                payment=item["payment"],
                reference=item.get("reference", ""),
                description=item.get("description", ""),
                rules=tuple(rules),
                exclusive_group=item.get("exclusive_group") or "",
                source_date=_date(item.get("source_date")),
                to_confirm=bool(item.get("to_confirm")),
            )
        )
    prorata = next((row for row in data.get("payment_rules", []) if row["code"] == "daily_prorata"), {})
    parts: dict[str, Any] = {
        "smic": sorted(
            (
                SmicValue(
                    effective_on=_date(row["effective_on"]),  # type: ignore[arg-type]
                    hourly=Decimal(str(row["hourly"])),
                    monthly=Decimal(str(row["monthly"])),
                    reference=row.get("reference", ""),
                    territory=row.get("territory") or "metropole",
                    url=row.get("url", ""),
                    to_confirm=bool(row.get("to_confirm")),
                )
                for row in data.get("smic", [])
            ),
            key=lambda row: (row.territory, row.effective_on),
        ),
        "pay_grid": sorted(
            (
                PayRate(
                    valid_from=_date(row["valid_from"]),  # type: ignore[arg-type]
                    age_band=row["age_band"],
                    contract_year=int(row["contract_year"]),
                    rate_percent=Decimal(str(row["rate_percent"])),
                    reference=row.get("reference", ""),
                )
                for row in data.get("pay_grid", [])
            ),
            key=lambda row: (row.valid_from, row.age_band, row.contract_year),
        ),
        "exemptions": sorted(
            (
                ExemptionRegime(
                    code=row["code"],
                    concluded_from=_date(row["concluded_from"]),  # type: ignore[arg-type]
                    concluded_to=_date(row.get("concluded_to")),
                    threshold_percent_smic=Decimal(str(row["threshold_percent_smic"])),
                    csg_crds_due=bool(row["csg_crds_due"]),
                    reference=row.get("reference", ""),
                    to_confirm=bool(row.get("to_confirm")),
                )
                for row in data.get("exemptions", [])
            ),
            key=lambda row: row.concluded_from,
        ),
        "contribution_rates": sorted(
            (
                ContributionRate(
                    code=row["code"],
                    valid_from=_date(row["valid_from"]),  # type: ignore[arg-type]
                    rate_percent=Decimal(str(row["rate_percent"])),
                    base_percent=Decimal(str(row.get("base_percent") or "100")),
                    label=row.get("label", ""),
                    reference=row.get("reference", ""),
                    to_confirm=bool(row.get("to_confirm", True)),
                )
                for row in data.get("contribution_rates", [])
            ),
            key=lambda row: (row.code, row.valid_from),
        ),
        "income_tax_ceilings": sorted(
            (
                IncomeTaxCeiling(
                    year=int(row["year"]),
                    amount=Decimal(str(row["amount"])),
                    reference=row.get("reference", ""),
                    to_confirm=bool(row.get("to_confirm")),
                )
                for row in data.get("income_tax_ceilings", [])
            ),
            key=lambda row: row.year,
        ),
        "programmes": sorted(programmes, key=lambda programme: programme.code),
    }
    version_parts = dict(parts)
    version_parts["payment_rules"] = [
        PaymentRuleValue(code="daily_prorata", concluded_from=_date(prorata.get("concluded_from")))
    ]
    return RuleSet(
        **{name: tuple(items) for name, items in parts.items()},
        version=rules_version_of(version_parts),
        daily_prorata_from=_date(prorata.get("concluded_from")),
        daily_prorata_reference=prorata.get("reference", ""),
        checked_on=_date((data.get("meta") or {}).get("checked_on")),
    )


REFERENCE_FILE = Path(__file__).resolve().parents[2] / "data" / "reference" / "aids" / "parametres.json"


def load_reference_data(path: Path = REFERENCE_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def reference_ruleset(path: Path = REFERENCE_FILE) -> RuleSet:
    """The RuleSet of the reference file itself (tests and benchmarks; pages use the aids app's tables)."""
    return ruleset_from_dict(load_reference_data(path))
