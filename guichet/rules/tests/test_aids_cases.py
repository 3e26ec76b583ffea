"""Employer and apprentice aids on both sides of each date limit and head-count limit (DOMAIN.md 6 and 7)."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.rules.aids import AidInput, aids_simulate, employer_cost
from guichet.rules.base import RulesInputError
from guichet.rules.parameters import reference_ruleset
from guichet.rules.salary import SalaryInput, salary_schedule

RULES = reference_ruleset()
TODAY = date(2026, 11, 25)


def state_aid(**changes):
    """The State employer aid granted (code, amount) for a contract, or None."""
    base = {
        "birth_date": date(2007, 5, 1),
        "contract_start": date(2026, 9, 1),
        "contract_end": date(2028, 8, 31),
        "diploma_level": 4,
        "headcount": 10,
    }
    data = AidInput(**base | changes)
    simulation = aids_simulate(data=data, ruleset=RULES, today=TODAY, beneficiary="employer")
    granted = [aid for aid in simulation.aids if aid.eligible]
    assert len(granted) <= 1, "State employer aids are not cumulative"
    return (granted[0].code, granted[0].amount) if granted else None


# (case, conclusion date, changes, expected (programme, amount) or None)
CASES = [
    (
        "2019 aide unique, small firm, level 4",
        date(2019, 6, 1),
        {"contract_start": date(2019, 9, 1), "contract_end": date(2022, 8, 31)},
        ("aide_unique_2019", Decimal("7325.00")),
    ),
    (
        "2019 aide unique, level 5 refused",
        date(2019, 6, 1),
        {"contract_start": date(2019, 9, 1), "contract_end": date(2022, 8, 31), "diploma_level": 5},
        None,
    ),
    (
        "2019 aide unique, 250 employees refused",
        date(2019, 6, 1),
        {"contract_start": date(2019, 9, 1), "contract_end": date(2022, 8, 31), "headcount": 250},
        None,
    ),
    (
        "2019 aide unique, 249 employees",
        date(2019, 6, 1),
        {"contract_start": date(2019, 9, 1), "contract_end": date(2022, 8, 31), "headcount": 249},
        ("aide_unique_2019", Decimal("7325.00")),
    ),
    (
        "2020 exceptional aid, adult apprentice",
        date(2020, 7, 1),
        {"birth_date": date(2001, 1, 1), "contract_start": date(2020, 9, 1), "contract_end": date(2021, 8, 31)},
        ("aide_exceptionnelle_2020", Decimal("8000.00")),
    ),
    (
        "2020, day before the exceptional aid",
        date(2020, 6, 30),
        {"birth_date": date(2001, 1, 1), "contract_start": date(2020, 9, 1), "contract_end": date(2021, 8, 31)},
        ("aide_unique_2019", Decimal("4125.00")),
    ),
    (
        "2022-12-31 last day of the 2020-2022 aids",
        date(2022, 12, 31),
        {
            "birth_date": date(2003, 1, 1),
            "contract_start": date(2023, 1, 2),
            "contract_end": date(2024, 1, 1),
            "headcount": 300,
            "diploma_level": 7,
        },
        ("aide_exceptionnelle_2020", Decimal("8000.00")),
    ),
    (
        "2023-01-01 first day of the 6 000 € aid",
        date(2023, 1, 1),
        {
            "birth_date": date(2003, 1, 1),
            "contract_start": date(2023, 1, 2),
            "contract_end": date(2024, 1, 1),
            "headcount": 300,
            "diploma_level": 7,
        },
        ("aide_2023_2024", Decimal("6000.00")),
    ),
    (
        "2024-12-31 big firm still 6 000 €",
        date(2024, 12, 31),
        {"contract_start": date(2025, 1, 6), "contract_end": date(2026, 1, 5), "headcount": 5000},
        ("aide_2023_2024", Decimal("6000.00")),
    ),
    (
        "2025-01-01 big firm: nothing",
        date(2025, 1, 1),
        {"contract_start": date(2025, 1, 6), "contract_end": date(2026, 1, 5), "headcount": 5000},
        None,
    ),
    (
        "2025-02-23 small firm, level 4: aide unique 6 000 €",
        date(2025, 2, 23),
        {"contract_start": date(2025, 3, 3), "contract_end": date(2026, 3, 2)},
        ("aide_unique_2025_janvier", Decimal("6000.00")),
    ),
    (
        "2025-02-23 small firm, level 6: nothing",
        date(2025, 2, 23),
        {"contract_start": date(2025, 3, 3), "contract_end": date(2026, 3, 2), "diploma_level": 6},
        None,
    ),
    (
        "2025-02-24 small firm, level 6: 5 000 €",
        date(2025, 2, 24),
        {"contract_start": date(2025, 3, 3), "contract_end": date(2026, 3, 2), "diploma_level": 6},
        ("aide_2025", Decimal("5000.00")),
    ),
    (
        "2025 249 employees: 5 000 €",
        date(2025, 6, 1),
        {"contract_start": date(2025, 9, 1), "contract_end": date(2026, 8, 31), "headcount": 249},
        ("aide_2025", Decimal("5000.00")),
    ),
    (
        "2025 250 employees: 2 000 €",
        date(2025, 6, 1),
        {"contract_start": date(2025, 9, 1), "contract_end": date(2026, 8, 31), "headcount": 250},
        ("aide_2025", Decimal("2000.00")),
    ),
    (
        "2025 RQTH in a big firm: 6 000 €",
        date(2025, 6, 1),
        {"contract_start": date(2025, 9, 1), "contract_end": date(2026, 8, 31), "headcount": 900, "rqth": True},
        ("aide_2025", Decimal("6000.00")),
    ),
    (
        "2025-12-31 last day of the 2025 aid",
        date(2025, 12, 31),
        {"contract_start": date(2026, 1, 5), "contract_end": date(2027, 1, 4), "headcount": 250},
        ("aide_2025", Decimal("2000.00")),
    ),
    (
        "2026-01-01 big firm: nothing",
        date(2026, 1, 1),
        {"contract_start": date(2026, 1, 5), "contract_end": date(2027, 1, 4), "headcount": 250},
        None,
    ),
    ("2026-03-07 small firm level 4: 5 000 €", date(2026, 3, 7), {}, ("aide_unique_2026_debut", Decimal("5000.00"))),
    ("2026-03-07 small firm level 5: nothing", date(2026, 3, 7), {"diploma_level": 5}, None),
    (
        "2026-03-08 small firm level 5: 4 500 €",
        date(2026, 3, 8),
        {"diploma_level": 5},
        ("aide_2026", Decimal("4500.00")),
    ),
    ("2026 small firm level 6: 2 000 €", date(2026, 4, 1), {"diploma_level": 6}, ("aide_2026", Decimal("2000.00"))),
    ("2026 249 employees level 4: 5 000 €", date(2026, 4, 1), {"headcount": 249}, ("aide_2026", Decimal("5000.00"))),
    ("2026 250 employees level 4: 2 000 €", date(2026, 4, 1), {"headcount": 250}, ("aide_2026", Decimal("2000.00"))),
    (
        "2026 250 employees level 5: 1 500 €",
        date(2026, 4, 1),
        {"headcount": 250, "diploma_level": 5},
        ("aide_2026", Decimal("1500.00")),
    ),
    (
        "2026 250 employees level 7: 750 €",
        date(2026, 4, 1),
        {"headcount": 250, "diploma_level": 7},
        ("aide_2026", Decimal("750.00")),
    ),
    (
        "2026 RQTH level 8 any size: 6 000 €",
        date(2026, 4, 1),
        {"headcount": 2000, "diploma_level": 8, "rqth": True},
        ("aide_2026", Decimal("6000.00")),
    ),
    (
        "2026 start 2026-12-31: aid",
        date(2026, 11, 1),
        {"contract_start": date(2026, 12, 31), "contract_end": date(2027, 12, 30)},
        ("aide_2026", Decimal("5000.00")),
    ),
    (
        "2026 start 2027-01-01: no aid",
        date(2026, 11, 1),
        {"contract_start": date(2027, 1, 1), "contract_end": date(2027, 12, 31)},
        None,
    ),
    ("public employer: no State aid", date(2026, 4, 1), {"public_employer": True}, None),
    ("not deposited within 6 months: no aid", date(2026, 4, 1), {"deposited_within_6_months": False}, None),
]


@pytest.mark.parametrize(("case", "concluded", "changes", "expected"), CASES, ids=[case[0] for case in CASES])
def test_state_employer_aid_by_conclusion_date_size_and_level(case, concluded, changes, expected):
    assert state_aid(concluded_on=concluded, **changes) == expected


def test_refused_aid_names_the_failed_condition_and_its_reference():
    data = AidInput(
        birth_date=date(2007, 5, 1),
        contract_start=date(2026, 9, 1),
        contract_end=date(2028, 8, 31),
        concluded_on=date(2026, 4, 1),
        diploma_level=4,
        headcount=10,
        public_employer=True,
    )
    aid = next(a for a in aids_simulate(data=data, ruleset=RULES, today=TODAY).aids if a.code == "aide_2026")
    assert not aid.eligible
    assert [reason.code for reason in aid.reasons] == ["failed_employer_kind"]
    assert "2026-168" in aid.reference


def test_unknown_head_count_leaves_the_aid_to_check_instead_of_guessing():
    data = AidInput(
        birth_date=date(2007, 5, 1),
        contract_start=date(2026, 9, 1),
        contract_end=date(2028, 8, 31),
        concluded_on=date(2026, 4, 1),
        diploma_level=4,
    )
    aid = next(a for a in aids_simulate(data=data, ruleset=RULES, today=TODAY).aids if a.code == "aide_2026")
    assert aid.eligible and aid.status == "to_check"
    assert any("Effectif" in item for item in aid.to_check)


def test_state_aid_is_paid_monthly_over_the_first_year_and_stops_with_a_short_contract():
    full = AidInput(
        birth_date=date(2007, 5, 1),
        contract_start=date(2026, 9, 1),
        contract_end=date(2028, 8, 31),
        concluded_on=date(2026, 4, 1),
        diploma_level=4,
        headcount=10,
    )
    aid = next(a for a in aids_simulate(data=full, ruleset=RULES, today=TODAY).aids if a.code == "aide_2026")
    assert len(aid.schedule) == 12 and sum(i.amount for i in aid.schedule) == Decimal("5000")
    assert aid.schedule[0].due == date(2026, 9, 1) and aid.schedule[-1].due == date(2027, 8, 1)
    short = AidInput(
        birth_date=date(2007, 5, 1),
        contract_start=date(2026, 9, 1),
        contract_end=date(2027, 3, 15),
        concluded_on=date(2026, 4, 1),
        diploma_level=4,
        headcount=10,
    )
    aid = next(a for a in aids_simulate(data=short, ruleset=RULES, today=TODAY).aids if a.code == "aide_2026")
    # 6 full months of 416.67 € then 15 days of March out of 31 (daily pro rata, décret n° 2025-1031)
    assert len(aid.schedule) == 7
    assert aid.schedule[-1].amount == Decimal("201.61")


def test_before_november_2025_a_broken_month_was_paid_in_full():
    short = AidInput(
        birth_date=date(2007, 5, 1),
        contract_start=date(2025, 9, 1),
        contract_end=date(2026, 3, 15),
        concluded_on=date(2025, 6, 1),
        diploma_level=4,
        headcount=10,
    )
    aid = next(a for a in aids_simulate(data=short, ruleset=RULES, today=TODAY).aids if a.code == "aide_2025")
    assert aid.schedule[-1].amount == Decimal("416.67")


@pytest.mark.parametrize(("request_day", "eligible"), [(date(2025, 12, 31), True), (date(2026, 1, 1), False)])
def test_state_driving_licence_aid_ended_for_requests_from_2026(request_day, eligible):
    data = AidInput(birth_date=date(2006, 5, 1), contract_start=date(2025, 9, 1), contract_end=date(2027, 8, 31))
    aid = next(a for a in aids_simulate(data=data, ruleset=RULES, today=request_day).aids if a.code == "permis_etat")
    assert aid.eligible is eligible


@pytest.mark.parametrize(("birth", "eligible"), [(date(1997, 9, 2), True), (date(1996, 9, 1), False)])
def test_mobili_jeune_is_for_apprentices_under_30(birth, eligible):
    data = AidInput(birth_date=birth, contract_start=date(2026, 9, 1), contract_end=date(2027, 8, 31), rqth=True)
    aid = next(a for a in aids_simulate(data=data, ruleset=RULES, today=TODAY).aids if a.code == "mobili_jeune")
    assert aid.eligible is eligible
    if eligible:
        assert aid.amount_is_maximum and aid.amount == Decimal("1100")  # up to 100 € for 11 months


def test_regional_driving_aid_depends_on_age():
    minor = AidInput(birth_date=date(2009, 5, 1), contract_start=date(2026, 9, 1), contract_end=date(2027, 8, 31))
    adult = AidInput(birth_date=date(2006, 5, 1), contract_start=date(2026, 9, 1), contract_end=date(2027, 8, 31))
    amounts = []
    for data in (minor, adult):
        aid = next(a for a in aids_simulate(data=data, ruleset=RULES, today=TODAY).aids if a.code == "hdf_permis")
        amounts.append(aid.amount)
    assert amounts == [Decimal("1350"), Decimal("850")]


def test_employer_net_cost_is_gross_pay_minus_the_aid_each_month():
    salary = salary_schedule(
        data=SalaryInput(
            birth_date=date(2007, 5, 1),
            contract_start=date(2026, 9, 1),
            contract_end=date(2028, 8, 31),
            concluded_on=date(2026, 4, 1),
        ),
        ruleset=RULES,
    )
    aids = aids_simulate(
        data=AidInput(
            birth_date=date(2007, 5, 1),
            contract_start=date(2026, 9, 1),
            contract_end=date(2028, 8, 31),
            concluded_on=date(2026, 4, 1),
            diploma_level=4,
            headcount=10,
        ),
        ruleset=RULES,
        today=TODAY,
    )
    cost = employer_cost(salary=salary, aids=aids)
    assert cost.total_aid == Decimal("5000.00")
    assert cost.total_net_cost == salary.total_gross - Decimal("5000.00")
    assert cost.months[0].net_cost == Decimal("802.82") - Decimal("416.67")  # 43 % of 1 867,02 € minus 5 000 € / 12
    assert cost.not_modelled


def test_bad_aid_input_names_fields():
    with pytest.raises(RulesInputError) as error:
        aids_simulate(
            data=AidInput(
                birth_date=date(2007, 5, 1),
                contract_start=date(2026, 9, 1),
                contract_end=date(2026, 1, 1),
                headcount=-1,
                diploma_level=2,
            ),
            ruleset=RULES,
            today=TODAY,
        )
    assert {p.field for p in error.value.problems} == {"contract.end", "employer.headcount", "contract.diploma_level"}
