"""Table-driven cases of the legal minimum pay (C. trav. D6222-26 to D6222-33), on the reference parameters.

Each row: birth date, contract start and end, the month looked at, and the expected band, contract year,
rate and minimum gross pay (rate × monthly SMIC in force, rounded UP to the cent as the official CERFA helper
does). SMIC: 1 766.92 € (2024), 1 801.80 € (from 2024-11), 1 823.03 € (2026-01), 1 867.02 € (2026-06).
"""

from datetime import date
from decimal import Decimal

import pytest

from guichet.rules.base import RulesInputError, ceil_cents
from guichet.rules.parameters import reference_ruleset
from guichet.rules.salary import PreviousContract, SalaryInput, salary_schedule

RULES = reference_ruleset()
D = Decimal


def month_of(data: SalaryInput, month: str):
    schedule = salary_schedule(data=data, ruleset=RULES)
    return next(item for item in schedule.months if item.month == month)


# (case, birth, start, end, month, band, year, rate, gross)
CASES = [
    # DOMAIN.md 4.5 worked example, every period
    (
        "worked example, 17, year 1",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2024-09",
        "under_18",
        1,
        27,
        "477.07",
    ),
    (
        "worked example, 17, new SMIC",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2024-11",
        "under_18",
        1,
        27,
        "486.49",
    ),
    (
        "worked example, month of the 18th birthday",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2025-03",
        "under_18",
        1,
        27,
        "486.49",
    ),
    (
        "worked example, month after the 18th birthday",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2025-04",
        "18_20",
        1,
        43,
        "774.78",
    ),
    (
        "worked example, last month of year 1",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2025-08",
        "18_20",
        1,
        43,
        "774.78",
    ),
    (
        "worked example, year 2",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2025-09",
        "18_20",
        2,
        51,
        "918.92",
    ),
    (
        "worked example, SMIC 2026-01",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2026-01",
        "18_20",
        2,
        51,
        "929.75",
    ),
    (
        "worked example, SMIC 2026-05 still",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2026-05",
        "18_20",
        2,
        51,
        "929.75",
    ),
    (
        "worked example, SMIC 2026-06",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2026-06",
        "18_20",
        2,
        51,
        "952.19",
    ),
    (
        "worked example, last month of year 2",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2026-08",
        "18_20",
        2,
        51,
        "952.19",
    ),
    (
        "worked example, year 3",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2026-09",
        "18_20",
        3,
        67,
        "1250.91",
    ),
    (
        "worked example, last month",
        date(2007, 3, 15),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2027-08",
        "18_20",
        3,
        67,
        "1250.91",
    ),
    # 15-year-old (paid like 16-17, D6222-27)
    ("15 years old", date(2011, 6, 1), date(2026, 9, 1), date(2028, 8, 31), "2026-09", "under_18", 1, 27, "504.10"),
    (
        "16 years old, year 2",
        date(2010, 6, 1),
        date(2026, 9, 1),
        date(2028, 8, 31),
        "2027-09",
        "under_18",
        2,
        39,
        "728.14",
    ),
    (
        "17 years old, year 3 before the 18th",
        date(2008, 12, 20),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2026-12",
        "under_18",
        3,
        55,
        "1026.87",
    ),
    (
        "turns 18 on 20 Dec: 18-20 from 1 Jan",
        date(2008, 12, 20),
        date(2024, 9, 1),
        date(2027, 8, 31),
        "2027-01",
        "18_20",
        3,
        67,
        "1250.91",
    ),
    # birthday on the 1st and on the last day of a month both switch on the 1st of the next month
    (
        "born on the 1st, month of the 18th",
        date(2008, 3, 1),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2026-03",
        "under_18",
        1,
        27,
        "492.22",
    ),
    (
        "born on the 1st, next month",
        date(2008, 3, 1),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2026-04",
        "18_20",
        1,
        43,
        "783.91",
    ),
    (
        "born on the 31st, month of the 18th",
        date(2008, 3, 31),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2026-03",
        "under_18",
        1,
        27,
        "492.22",
    ),
    (
        "born on the 31st, next month",
        date(2008, 3, 31),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2026-04",
        "18_20",
        1,
        43,
        "783.91",
    ),
    # 21: both sides
    (
        "20 years old, year 1",
        date(2004, 10, 10),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2025-10",
        "18_20",
        1,
        43,
        "774.78",
    ),
    (
        "21 on 10 Oct: 21-25 from 1 Nov",
        date(2004, 10, 10),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2025-11",
        "21_25",
        1,
        53,
        "954.96",
    ),
    ("21-25, year 2", date(2003, 1, 5), date(2025, 9, 1), date(2027, 8, 31), "2026-09", "21_25", 2, 61, "1138.89"),
    ("21-25, year 3", date(2003, 1, 5), date(2024, 9, 1), date(2027, 8, 31), "2026-09", "21_25", 3, 78, "1456.28"),
    # 26: both sides
    ("25 years old", date(2000, 2, 14), date(2025, 9, 1), date(2027, 8, 31), "2026-02", "21_25", 1, 53, "966.21"),
    (
        "26 on 14 Feb: 100 % from 1 Mar",
        date(2000, 2, 14),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2026-03",
        "26_plus",
        1,
        100,
        "1823.03",
    ),
    (
        "26 and over, year 2",
        date(1998, 2, 14),
        date(2025, 9, 1),
        date(2027, 8, 31),
        "2026-09",
        "26_plus",
        2,
        100,
        "1867.02",
    ),
    # contract anniversary mid-month: the month is prorated, the next one is full year-2 pay
    (
        "anniversary on 15 Sep, next month",
        date(2007, 1, 1),
        date(2024, 9, 15),
        date(2026, 9, 14),
        "2025-10",
        "18_20",
        2,
        51,
        "918.92",
    ),
    (
        "day before the anniversary month",
        date(2007, 1, 1),
        date(2024, 9, 15),
        date(2026, 9, 14),
        "2025-08",
        "18_20",
        1,
        43,
        "774.78",
    ),
]


@pytest.mark.parametrize(
    ("case", "birth", "start", "end", "month", "band", "year", "rate", "gross"), CASES, ids=[c[0] for c in CASES]
)
def test_minimum_pay_follows_the_grid(case, birth, start, end, month, band, year, rate, gross):
    item = month_of(SalaryInput(birth_date=birth, contract_start=start, contract_end=end), month)
    assert (item.age_band, item.contract_year, item.rate_percent) == (band, year, D(rate))
    assert item.minimum_gross == D(gross)


def test_month_of_a_mid_month_anniversary_is_prorated_by_calendar_days():
    item = month_of(
        SalaryInput(birth_date=date(2007, 1, 1), contract_start=date(2024, 9, 15), contract_end=date(2026, 9, 14)),
        "2025-09",
    )
    # 14 days at 43 % and 16 days at 51 % of 1 801.80, then rounded up once
    expected = ceil_cents(D("774.78") * 14 / 30 + D("918.92") * 16 / 30)
    assert item.minimum_gross == expected and item.prorated
    assert [change.code for change in item.changes] == ["contract_year_change"]


def test_fourth_year_is_paid_at_the_third_year_rate_and_says_it_is_to_confirm():
    data = SalaryInput(
        birth_date=date(2000, 1, 1), contract_start=date(2022, 9, 1), contract_end=date(2026, 8, 31), rqth=True
    )
    item = month_of(data, "2025-10")
    assert (item.contract_year, item.rate_percent) == (4, D(78))
    assert "fourth_year" in {reason.code for reason in item.reasons}


def test_conventional_minimum_counts_from_21_only_when_higher_than_the_smic():
    base = {
        "contract_start": date(2026, 9, 1),
        "contract_end": date(2027, 8, 31),
        "conventional_minimum_monthly": D("2000"),
    }
    adult = month_of(SalaryInput(birth_date=date(2003, 1, 1), **base), "2026-09")
    assert adult.minimum_gross == D("1060.00") and adult.basis != "smic"
    lower = month_of(
        SalaryInput(birth_date=date(2003, 1, 1), **(base | {"conventional_minimum_monthly": D("1500")})), "2026-09"
    )
    assert lower.minimum_gross == D("989.53")  # 53 % of the SMIC, higher than 53 % of 1 500
    young = month_of(SalaryInput(birth_date=date(2007, 1, 1), **base), "2026-09")
    assert young.minimum_gross == D("802.82")  # 43 % of the SMIC: the branch minimum does not apply before 21


def test_special_cases_raise_the_rate():
    base = {"birth_date": date(2005, 1, 1), "contract_start": date(2026, 9, 1), "contract_end": date(2027, 8, 31)}
    assert month_of(SalaryInput(**base, licence_pro=True), "2026-09").rate_percent == D(61)
    assert month_of(SalaryInput(**base, same_level_related_diploma=True), "2026-09").rate_percent == D(68)
    previous = PreviousContract(same_employer=False, led_to_diploma=True, last_year_rate_percent=D(78))
    assert month_of(SalaryInput(**base, previous_contract=previous), "2026-09").rate_percent == D(78)
    no_diploma = PreviousContract(same_employer=False, led_to_diploma=False, last_year_rate_percent=D(78))
    assert month_of(SalaryInput(**base, previous_contract=no_diploma), "2026-09").rate_percent == D(53)
    same = PreviousContract(same_employer=True, led_to_diploma=True, last_monthly_gross=D("1500"))
    assert month_of(SalaryInput(**base, previous_contract=same), "2026-09").minimum_gross == D("1500")


def test_contract_shorter_than_the_cycle_starts_in_a_later_year():
    data = SalaryInput(
        birth_date=date(2006, 1, 1),
        contract_start=date(2026, 9, 1),
        contract_end=date(2027, 8, 31),
        first_contract_year=2,
    )
    assert month_of(data, "2026-09").contract_year == 2


def test_net_pay_uses_the_exemption_regime_of_the_conclusion_date():
    base = {"birth_date": date(1998, 1, 1), "contract_start": date(2025, 9, 1), "contract_end": date(2026, 8, 31)}
    old = month_of(SalaryInput(**base, concluded_on=date(2025, 2, 28)), "2025-09")
    new = month_of(SalaryInput(**base, concluded_on=date(2025, 3, 1)), "2025-09")
    assert old.minimum_gross == new.minimum_gross == D("1801.80")
    assert old.exempt_threshold == D("1423.42") and old.csg_crds == 0
    assert new.exempt_threshold == D("900.90") and new.csg_crds > 0
    assert new.net < old.net < old.minimum_gross
    minor = month_of(SalaryInput(**base | {"birth_date": date(2009, 1, 1)}, concluded_on=date(2025, 3, 1)), "2025-09")
    assert minor.net == minor.minimum_gross and not minor.net_is_estimate


def test_part_time_prorates_the_minimum():
    data = SalaryInput(
        birth_date=date(2007, 3, 15),
        contract_start=date(2024, 9, 1),
        contract_end=date(2027, 8, 31),
        weekly_hours=D("17.5"),
    )
    assert month_of(data, "2024-09").minimum_gross == D("238.54")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": date(2012, 1, 1)}, "birth_date"),
        ({"birth_date": date(2011, 6, 1), "finished_troisieme": False}, "birth_date"),
        ({"birth_date": date(1995, 1, 1)}, "birth_date"),
        ({"birth_date": date(1989, 1, 1), "age_exception": "higher_diploma_after_apprenticeship"}, "birth_date"),
        ({"contract_end": date(2026, 8, 1)}, "contract_end"),
        ({"contract_end": date(2029, 9, 1)}, "contract_end"),
        ({"contract_end": date(2027, 1, 1)}, "contract_end"),
        ({"weekly_hours": D(-1)}, "weekly_hours"),
        ({"weekly_hours": D(60)}, "weekly_hours"),
        (
            {"birth_date": date(2000, 1, 1), "contract_start": date(2018, 9, 1), "contract_end": date(2019, 8, 31)},
            "contract_start",
        ),
    ],
)
def test_invalid_contracts_are_refused_with_the_field_at_fault(changes, field):
    base = {"birth_date": date(2008, 1, 1), "contract_start": date(2026, 9, 1), "contract_end": date(2028, 8, 31)}
    with pytest.raises(RulesInputError) as error:
        salary_schedule(data=SalaryInput(**base | changes), ruleset=RULES)
    assert [problem.field for problem in error.value.problems] == [field]


def test_age_limit_exceptions():
    base = {"birth_date": date(1995, 1, 1), "contract_start": date(2026, 9, 1), "contract_end": date(2028, 8, 31)}
    for exception in ("rqth", "business_creation", "high_level_athlete", "previous_contract_broken"):
        assert salary_schedule(data=SalaryInput(**base, age_exception=exception), ruleset=RULES).months
    assert salary_schedule(data=SalaryInput(**base, rqth=True), ruleset=RULES).months
    forty = base | {"birth_date": date(1986, 1, 1)}
    assert salary_schedule(data=SalaryInput(**forty, rqth=True), ruleset=RULES).months


def test_results_carry_reasons_references_and_rules_version():
    schedule = salary_schedule(
        data=SalaryInput(
            birth_date=date(2007, 3, 15), contract_start=date(2024, 9, 1), contract_end=date(2027, 8, 31)
        ),
        ruleset=RULES,
    )
    assert schedule.rules_version == RULES.version
    assert any("D6222-26" in reference for reference in schedule.references)
    assert schedule.not_modelled
    assert schedule.months[0].changes[0].code == "start"
