"""Working-day calendars for deadlines (pure rules, used by several apps).

French public holidays come from the maintained `holidays` library (metropolitan France: the 11
days of C. trav. L3133-1, Easter Monday, Ascension and Whit Monday computed), never a hand-written list.

- jours ouvrés (WORKED): Monday to Friday, public holidays excluded: the usual office deadline;
- jours ouvrables (WORKABLE): Monday to Saturday, public holidays excluded: the legal unit of, e.g., the
  5-day deadline to send an apprenticeship contract to the OPCO (C. trav. D6224-1).
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from functools import lru_cache

import holidays


class DayKind(enum.Enum):
    WORKED = "ouvres"
    WORKABLE = "ouvrables"


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """Public holidays of metropolitan France in `year`, with their French names."""
    return dict(holidays.France(years=year, language="fr"))


def is_public_holiday(day: date) -> bool:
    return day in public_holidays(day.year)


def is_working_day(day: date, *, kind: DayKind = DayKind.WORKED) -> bool:
    last_weekday = 4 if kind is DayKind.WORKED else 5  # Friday or Saturday
    return day.weekday() <= last_weekday and not is_public_holiday(day)


def add_working_days(start: date, days: int, *, kind: DayKind = DayKind.WORKED) -> date:
    """The date `days` working days after `start` (the day after `start` is the first one counted).

    >>> add_working_days(date(2026, 4, 3), 1)  # Friday before Easter Monday
    datetime.date(2026, 4, 7)
    """
    if days < 0:
        raise ValueError("Le nombre de jours ouvrés doit être positif ou nul.")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, kind=kind):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, *, kind: DayKind = DayKind.WORKED) -> int:
    """Working days in the interval ]start, end] (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, kind=kind):
            count += 1
    return count
