"""Shared pieces of the rules: explanations, money rounding, dates and input errors."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
_monthrange = functools.lru_cache(maxsize=4096)(calendar.monthrange)
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


@dataclass(frozen=True)
class Reason:
    """One step of an explanation: a stable code, a French sentence and the value it is about."""

    code: str
    label: str
    value: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label, "value": self.value}


@dataclass
class FieldProblem:
    field: str
    message: str


@dataclass
class RulesInputError(Exception):
    """Invalid input for a rule: one or more fields, each with a French message saying what to do."""

    problems: list[FieldProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join(f"{problem.field} : {problem.message}" for problem in self.problems)

    def as_list(self) -> list[dict[str, str]]:
        return [{"field": problem.field, "message": problem.message} for problem in self.problems]


def ceil_cents(amount: Decimal) -> Decimal:
    """Round UP to the cent: the official CERFA helper's rule for minimum pay (DOMAIN.md 4.4, 11 #15)."""
    return amount.quantize(CENT, rounding=ROUND_CEILING)


def round_cents(amount: Decimal) -> Decimal:
    """Round half-up to the cent (thresholds, contributions, aid instalments)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years reached on `day`.

    A person born on 29 February gets older on 28 February in a common year: a period of years ends on the day
    with the same number or, failing it, on the last day of the month (the rule of art. 641 of the Code de
    procédure civile for periods in years, applied by analogy; the same convention as `add_years`). The ONE age
    rule of the product: profiles, the guide, contract signing, the contracts importer (its SQL too) and the
    salary and aid rules all use it.
    """
    years = day.year - birth_date.year
    return years - 1 if add_years(birth_date, years) > day else years


def add_years(day: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _monthrange(year, month)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=_monthrange(day.year, day.month)[1])


def next_month_start(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def days_in_month(day: date) -> int:
    return _monthrange(day.year, day.month)[1]


def french_money(amount: Decimal) -> str:
    """1 801,80 € (narrow no-break space for thousands, comma for decimals)."""
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NARROW_NBSP.join(groups)},{cents}{NBSP}€"


def french_percent(rate: Decimal) -> str:
    text = f"{rate.normalize():f}".replace(".", ",")
    return f"{text}{NBSP}%"


MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(day: date) -> str:
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS_FR[day.month - 1]} {day.year}"


def ordinal(number: int) -> str:
    """1re, 2e, 3e (feminine: "année")."""
    return "1re" if number == 1 else f"{number}e"
