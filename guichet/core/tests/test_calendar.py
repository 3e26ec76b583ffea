from datetime import date

import pytest

from guichet.core.calendar import (
    DayKind,
    add_working_days,
    is_working_day,
    public_holidays,
    working_days_between,
)


def test_the_eleven_french_public_holidays_of_2026_include_the_computed_ones():
    days = public_holidays(2026)
    assert len(days) == 11
    assert date(2026, 4, 6) in days  # Easter Monday
    assert date(2026, 5, 14) in days  # Ascension
    assert date(2026, 5, 25) in days  # Whit Monday
    assert days[date(2026, 7, 14)] == "Fête nationale"


@pytest.mark.parametrize(
    ("start", "days", "kind", "expected"),
    [
        (date(2026, 11, 25), 0, DayKind.WORKED, date(2026, 11, 25)),
        (date(2026, 11, 25), 2, DayKind.WORKED, date(2026, 11, 27)),  # Wednesday -> Friday
        (date(2026, 11, 27), 1, DayKind.WORKED, date(2026, 11, 30)),  # Friday -> Monday
        (date(2026, 11, 27), 1, DayKind.WORKABLE, date(2026, 11, 28)),  # Saturday is "ouvrable"
        (date(2026, 4, 3), 1, DayKind.WORKED, date(2026, 4, 7)),  # over Easter Monday
        (date(2026, 5, 13), 1, DayKind.WORKED, date(2026, 5, 15)),  # over Ascension
        (date(2026, 12, 24), 3, DayKind.WORKED, date(2026, 12, 30)),  # over Christmas
        (date(2026, 12, 30), 2, DayKind.WORKED, date(2027, 1, 4)),  # over New Year and the year change
        (date(2027, 4, 30), 1, DayKind.WORKABLE, date(2027, 5, 3)),  # Saturday 1 May, Sunday
    ],
)
def test_add_working_days_skips_weekends_and_public_holidays(start, days, kind, expected):
    assert add_working_days(start, days, kind=kind) == expected


def test_a_negative_number_of_days_is_refused():
    with pytest.raises(ValueError, match="positif"):
        add_working_days(date(2026, 1, 1), -1)


def test_working_days_between_counts_the_end_not_the_start():
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 5
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 23)) == 0
    assert not is_working_day(date(2026, 11, 11))  # Armistice
    assert is_working_day(date(2026, 11, 28), kind=DayKind.WORKABLE)


@pytest.mark.parametrize("days", [1, 5, 10, 30])
def test_adding_then_counting_working_days_round_trips(days):
    start = date(2026, 12, 20)
    assert working_days_between(start, add_working_days(start, days)) == days
