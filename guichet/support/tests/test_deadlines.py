from datetime import date

import pytest

from guichet.support.deadlines import answer_deadline, working_days_left


@pytest.mark.parametrize(
    ("received_on", "days", "expected"),
    [
        (date(2026, 11, 25), 3, date(2026, 11, 30)),  # Wednesday + 3: Thursday, Friday, (weekend), Monday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 skips the weekend
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # received on Saturday: Monday is the first day
        (date(2026, 4, 3), 1, date(2026, 4, 7)),  # Friday before Easter Monday (6 April 2026)
        (date(2027, 3, 26), 2, date(2027, 3, 31)),  # Easter Monday 2027 is 29 March
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Ascension Thursday 14 May 2026
        (date(2027, 5, 5), 3, date(2027, 5, 11)),  # Ascension Thursday 6 May 2027, then the weekend
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Whit Monday 25 May 2026
        (date(2026, 12, 30), 2, date(2027, 1, 4)),  # year change: 1 January and the weekend skipped
        (date(2026, 12, 23), 3, date(2026, 12, 29)),  # Christmas Friday skipped
    ],
)
def test_deadline_counts_working_days_and_skips_weekends_and_public_holidays(received_on, days, expected):
    assert answer_deadline(received_on=received_on, working_days=days) == expected


def test_days_left_are_working_days_and_negative_once_late():
    assert working_days_left(deadline=date(2026, 11, 30), today=date(2026, 11, 27)) == 1
    assert working_days_left(deadline=date(2026, 11, 30), today=date(2026, 11, 30)) == 0
    assert working_days_left(deadline=date(2026, 11, 27), today=date(2026, 12, 1)) == -2
