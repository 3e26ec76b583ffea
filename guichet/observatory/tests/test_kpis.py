"""The KPI module on small registers whose figures are computed by hand in the comments."""

from datetime import date

import pytest

from guichet.observatory.kpis import (
    BREAKS,
    EARLY_BREAK_RATE,
    NEW,
    SIGNING_SHARE,
    STOCK,
    STOCK_TRAINING,
    ContractRow,
    Geography,
    UnknownIndicator,
    age_on,
    compute_kpis,
    last_complete_month,
    month_start,
    require_indicator,
    table_from_rows,
    target_progress,
)

GEOGRAPHY = Geography(
    areas={
        "region": {"A": "32", "B": "32", "X": "11"},
        "department": {"A": "80", "B": "59", "X": "75"},
        "zone": {"A": "Z1", "B": "Z2"},
        "basin": {"A": "B1", "B": "B1"},
    }
)
AS_OF = date(2025, 6, 30)


def contract(number: str = "C1", **values) -> ContractRow:
    defaults = {
        "birth_year": 2004,
        "sex": "F",
        "level": 3,
        "starts_on": date(2024, 9, 1),
        "planned_end_on": date(2026, 8, 31),
        "workplace": "A",
        "training": "A",
        "employer": "E1",
    }
    return ContractRow(number=number, **{**defaults, **values})


def compute(*rows: ContractRow, denominators=None, months: int = 12):
    return compute_kpis(
        table=table_from_rows(list(rows), geography=GEOGRAPHY), as_of=AS_OF, months=months, denominators=denominators
    )


def test_a_contract_counts_in_the_stock_of_every_month_end_it_spans():
    result = compute(contract(starts_on=date(2024, 9, 15), planned_end_on=date(2025, 2, 27)))
    stock = [result.value(STOCK, month_start(m)) for m in range(result.first_month, result.last_month + 1)]
    # July 2024 .. June 2025: in force on 30 Sep, 31 Oct, 30 Nov, 31 Dec, 31 Jan; ends 27 Feb, before 28 Feb.
    assert stock == [0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    assert result.value(NEW, date(2024, 9, 1)) == 1
    assert result.value(NEW, date(2024, 10, 1)) == 0


def test_a_contract_ending_on_the_last_day_of_a_month_is_in_that_month_stock():
    result = compute(contract(planned_end_on=date(2025, 1, 31)))
    assert result.value(STOCK, date(2025, 1, 1)) == 1
    assert result.value(STOCK, date(2025, 2, 1)) == 0


def test_a_break_up_leaves_the_stock_from_the_month_end_after_the_break():
    result = compute(
        contract("C1", break_on=date(2024, 10, 10)),
        contract("C2"),
        contract("C3", break_on=date(2025, 1, 31)),
    )
    assert result.value(STOCK, date(2024, 9, 1)) == 3
    assert result.value(STOCK, date(2024, 10, 1)) == 2  # C1 broken on 10 October
    assert result.value(STOCK, date(2025, 1, 1)) == 2  # C3 still in force on its break day, 31 January
    assert result.value(STOCK, date(2025, 2, 1)) == 1
    assert result.value(BREAKS, date(2024, 10, 1)) == 1
    assert result.value(BREAKS, date(2025, 1, 1)) == 1


def test_the_early_break_up_rate_counts_breaks_within_90_days_of_the_cohort():
    result = compute(
        contract("C1", break_on=date(2024, 10, 10)),  # 39 days: early
        contract("C2", break_on=date(2025, 1, 31)),  # 152 days: not early
        contract("C3"),
        contract("C4"),
    )
    assert result.value(EARLY_BREAK_RATE, date(2024, 9, 1)) == 25.0


def test_the_early_break_up_rate_waits_until_the_cohort_is_90_days_old():
    result = compute(contract(starts_on=date(2025, 5, 2), break_on=date(2025, 5, 20)))
    assert result.value(NEW, date(2025, 5, 1)) == 1
    # 31 May + 90 days is after 30 June: the May cohort is not mature, no rate is published (not zero either).
    assert not [p for p in result.points if p.indicator == EARLY_BREAK_RATE]


def test_a_birthday_year_moves_an_apprentice_in_force_to_the_next_age_band():
    row = contract(birth_year=2007, starts_on=date(2024, 9, 1))
    result = compute(row)
    assert result.value(STOCK, date(2024, 12, 1), dimension="age", category="15-17") == 1
    assert result.value(STOCK, date(2025, 1, 1), dimension="age", category="15-17") == 0
    assert result.value(STOCK, date(2025, 1, 1), dimension="age", category="18-20") == 1
    assert result.value(NEW, date(2024, 9, 1), dimension="age", category="15-17") == 1
    assert age_on(row, date(2025, 1, 1)) == "18-20"


def test_stocks_by_workplace_and_by_training_place_differ_when_the_apprentice_commutes():
    result = compute(contract(workplace="A", training="B"), contract("C2", workplace="X", training="A"))
    assert result.value(STOCK, date(2024, 12, 1), level="zone", area="Z1") == 1
    assert result.value(STOCK, date(2024, 12, 1), level="zone", area="Z2") == 0
    assert result.value(STOCK_TRAINING, date(2024, 12, 1), level="zone", area="Z2", place="formation") == 1
    assert result.value(STOCK_TRAINING, date(2024, 12, 1), level="zone", area="Z1", place="formation") == 1
    # Region: one apprentice works in Hauts-de-France, two train there.
    assert result.value(STOCK, date(2024, 12, 1)) == 1
    assert result.value(STOCK_TRAINING, date(2024, 12, 1), place="formation") == 2
    assert result.value(STOCK, date(2024, 12, 1), level="region", area="11") == 1


def test_breakdowns_by_level_sex_domain_size_and_future_jobs_sum_to_the_total():
    rows = [
        contract("C1", level=3, sex="F", domain="J", future="sante", size="1-5"),
        contract("C2", level=5, sex="M", domain="H", size="50-99"),
        contract("C3", level=5, sex="M", domain="H"),
    ]
    result = compute(*rows)
    month = date(2024, 12, 1)
    assert result.value(STOCK, month) == 3
    assert result.value(STOCK, month, dimension="level", category="5") == 2
    assert result.value(STOCK, month, dimension="sex", category="M") == 2
    assert result.value(STOCK, month, dimension="domain", category="J") == 1
    assert result.value(STOCK, month, dimension="future", category="sante") == 1
    assert result.value(STOCK, month, dimension="future", category="autre") == 2
    assert result.value(STOCK, month, dimension="size", category="inconnu") == 1


def test_an_employer_signing_twice_in_twelve_months_counts_once_in_the_signing_share():
    rows = [
        contract("C1", employer="E1", starts_on=date(2024, 9, 1)),
        contract("C2", employer="E1", starts_on=date(2025, 2, 1)),
        contract("C3", employer="E2", starts_on=date(2024, 8, 1), workplace="B"),
    ]
    result = compute(*rows, denominators={"zone": {"Z1": 4, "Z2": 10}, "region": {"32": 14}})
    assert result.value(SIGNING_SHARE, date(2025, 3, 1), level="zone", area="Z1") == 25.0  # 1 of 4
    assert result.value(SIGNING_SHARE, date(2025, 3, 1), level="zone", area="Z2") == 10.0  # 1 of 10
    assert result.value(SIGNING_SHARE, date(2025, 3, 1)) == pytest.approx(100 * 2 / 14, abs=1e-3)
    # E2's August 2024 start leaves the 12-month window after July 2025... still in on June 2025:
    assert result.value(SIGNING_SHARE, date(2025, 6, 1), level="zone", area="Z2") == 10.0


def test_the_signing_share_forgets_an_employer_twelve_months_after_its_last_start():
    rows = [contract("C1", employer="E1", starts_on=date(2023, 6, 10))]
    result = compute(rows[0], denominators={"zone": {"Z1": 4}}, months=24)
    assert result.value(SIGNING_SHARE, date(2024, 5, 1), level="zone", area="Z1") == 25.0
    assert result.value(SIGNING_SHARE, date(2024, 6, 1), level="zone", area="Z1") == 0


def test_contracts_before_the_window_still_count_in_the_stock_but_not_in_the_flows():
    result = compute(contract(starts_on=date(2022, 9, 1), planned_end_on=date(2025, 8, 31)))
    assert result.value(STOCK, date(2024, 7, 1)) == 1
    assert not [p for p in result.points if p.indicator == NEW]


def test_an_empty_register_gives_no_figure():
    assert compute().points == []


def test_the_last_complete_month_depends_on_the_day():
    assert month_start(last_complete_month(date(2025, 6, 30))) == date(2025, 6, 1)
    assert month_start(last_complete_month(date(2025, 6, 29))) == date(2025, 5, 1)


def test_an_indicator_missing_from_the_glossary_is_refused():
    assert require_indicator("entrees", known={"entrees"}) == "entrees"
    with pytest.raises(UnknownIndicator):
        require_indicator("apprentis_inventes", known={"entrees"})


def test_target_progress_compares_the_value_with_the_straight_line_and_forecasts_at_the_current_pace():
    progress = target_progress(
        baseline_year=2016,
        baseline_value=33000,
        target_year=2021,
        target_value=50000,
        value=41500,
        measured_on=date(2018, 12, 31),
    )
    # Two years out of five: the straight line says 33 000 + 2 x 3 400 = 39 800.
    assert progress.trajectory == pytest.approx(39800)
    assert progress.on_track is True
    # 8 500 gained in 2 years -> 21 250 more in 5 years.
    assert progress.forecast == pytest.approx(54250)
    assert progress.progress == pytest.approx(50.0)


def test_target_progress_without_a_value_says_nothing_is_measured():
    progress = target_progress(
        baseline_year=2016, baseline_value=4, target_year=2021, target_value=4.01, value=None, measured_on=None
    )
    assert progress.value is None and progress.on_track is None
