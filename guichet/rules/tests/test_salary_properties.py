"""Properties of the pay schedule over thousands of generated contracts (hypothesis).

- pay is never below the D6222-26 grid (rate of the month's column and year × SMIC in force, rounded up);
- pay is monotonic: it never drops from one full month to the next (age columns and contract years only go up,
  SMIC only rises in the data);
- the age column changes exactly on the first day of the month after the birthday (D6222-31);
- every SMIC change during the contract is followed from its effective month.
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.rules.base import add_months, add_years, age_on, ceil_cents, next_month_start
from guichet.rules.parameters import AGE_BANDS, age_band_for, reference_ruleset
from guichet.rules.salary import SalaryInput, salary_schedule

RULES = reference_ruleset()
HUNDRED = Decimal(100)


@st.composite
def contracts(draw):
    start = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2028, 12, 31)))
    age = draw(st.integers(min_value=15, max_value=29))
    days_into_year = draw(st.integers(min_value=0, max_value=364))
    birth = add_years(start, -age) - timedelta(days=days_into_year)
    if draw(st.booleans()) and draw(st.integers(min_value=0, max_value=9)) == 0:
        birth = date(2000 + 4 * draw(st.integers(min_value=-3, max_value=2)), 2, 29)  # leap-day birthdays
        if not 15 <= age_on(birth, start) <= 29:
            birth = add_years(start, -age) - timedelta(days=days_into_year)
    months = draw(st.integers(min_value=6, max_value=35))
    end = add_months(start, months) - timedelta(days=draw(st.integers(min_value=0, max_value=20)))
    end = max(end, add_months(start, 6) - timedelta(days=1))
    return SalaryInput(birth_date=birth, contract_start=start, contract_end=end)


SETTINGS = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(contracts())
def test_pay_is_never_below_the_grid(data):
    for month in salary_schedule(data=data, ruleset=RULES).months:
        for piece in month.pieces:
            rate = RULES.pay_rate(
                age_band=month.age_band, contract_year=piece.contract_year, concluded_on=data.contract_start
            )
            smic = RULES.smic_on(piece.start)
            assert piece.full_month_gross >= ceil_cents(rate.rate_percent * smic.monthly / HUNDRED)
            assert piece.full_month_gross * HUNDRED >= rate.rate_percent * smic.monthly


@SETTINGS
@given(contracts())
def test_pay_age_band_and_contract_year_never_go_down(data):
    months = salary_schedule(data=data, ruleset=RULES).months
    for before, after in itertools.pairwise(months):
        assert AGE_BANDS.index(after.age_band) >= AGE_BANDS.index(before.age_band)
        assert after.contract_year >= before.contract_year
        assert after.rate_percent >= before.rate_percent
        assert after.full_month_gross >= before.full_month_gross


@SETTINGS
@given(contracts())
def test_age_band_changes_on_the_first_day_of_the_month_after_the_birthday(data):
    months = salary_schedule(data=data, ruleset=RULES).months
    assert months[0].age_band == age_band_for(age_on(data.birth_date, data.contract_start))
    for before, after in itertools.pairwise(months):
        if after.age_band != before.age_band:
            birthday = add_years(data.birth_date, after.age)
            assert after.start == next_month_start(birthday), (birthday, after.start)
        else:
            assert age_band_for(age_on(data.birth_date, after.start - timedelta(days=1))) == after.age_band


@SETTINGS
@given(contracts())
def test_every_smic_change_during_the_contract_is_followed(data):
    months = {month.month: month for month in salary_schedule(data=data, ruleset=RULES).months}
    for change in RULES.smic_changes_between(data.contract_start, data.contract_end):
        month = months[f"{change:%Y-%m}"]
        assert month.smic_monthly == RULES.smic_on(change).monthly
        assert month.full_month_gross >= ceil_cents(month.rate_percent * month.smic_monthly / HUNDRED)
