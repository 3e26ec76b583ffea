"""Benchmark of the pay and aid rules: 100,000 contracts (salary schedule + aids + employer cost) in one batch,
and OpenFisca-France's apprentice pay variable over the same cases as a speed reference.

    .venv/bin/python bench/aids.py [--contracts 100000] [--seed 2026] [--openfisca-contracts 100000]

No database: the rules are pure and read data/reference/aids/parametres.json. OpenFisca's
`remuneration_apprenti` models the pre-2019 grid (DOMAIN.md 4.1): its amounts are NOT compared, only its time
to compute the same person-months (one vectorised calculation per month).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from guichet.rules.aids import AidInput, aids_simulate, employer_cost
from guichet.rules.base import add_months, add_years, age_on
from guichet.rules.parameters import reference_ruleset
from guichet.rules.salary import SalaryInput, salary_schedule

TODAY = date(2026, 11, 25)


def generate(count: int, seed: int) -> list[tuple[SalaryInput, AidInput]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365))
        age = rng.choice([15, 16, 16, 17, 17, 18, 18, 19, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])
        birth = add_years(start, -age) - timedelta(days=rng.randrange(0, 364))
        months = rng.choice([6, 12, 12, 24, 24, 24, 36])
        end = add_months(start, months) - timedelta(days=1)
        concluded = start - timedelta(days=rng.randrange(0, 90))
        finished = True if age_on(birth, start) == 15 else None
        salary = SalaryInput(
            birth_date=birth,
            contract_start=start,
            contract_end=end,
            concluded_on=concluded,
            finished_troisieme=finished,
        )
        aid = AidInput(
            birth_date=birth,
            contract_start=start,
            contract_end=end,
            concluded_on=concluded,
            diploma_level=rng.choice([3, 3, 4, 4, 5, 5, 6, 7]),
            headcount=rng.choice([3, 8, 15, 40, 120, 249, 250, 800]),
            rqth=rng.random() < 0.02,
        )
        cases.append((salary, aid))
    return cases


def run_rules(cases: list[tuple[SalaryInput, AidInput]]) -> tuple[float, int, Counter]:
    ruleset = reference_ruleset()
    months = 0
    granted: Counter = Counter()
    began = time.perf_counter()
    for salary_input, aid_input in cases:
        schedule = salary_schedule(data=salary_input, ruleset=ruleset)
        aids = aids_simulate(data=aid_input, ruleset=ruleset, today=TODAY)
        employer_cost(salary=schedule, aids=aids)
        months += len(schedule.months)
        for aid in aids.aids:
            if aid.eligible and aid.programme.exclusive_group:
                granted[aid.code] += 1
    return time.perf_counter() - began, months, granted


def run_openfisca(cases: list[tuple[SalaryInput, AidInput]]) -> tuple[float, int, float] | None:
    """Time OpenFisca's `remuneration_apprenti` over the same person-months (one calculation per month)."""
    try:
        import numpy as np
        from openfisca_core.simulation_builder import SimulationBuilder
        from openfisca_france import FranceTaxBenefitSystem
    except ImportError:
        return None
    setup_began = time.perf_counter()
    system = FranceTaxBenefitSystem()
    setup = time.perf_counter() - setup_began
    by_month: dict[str, list[int]] = {}
    for index, (salary_input, _) in enumerate(cases):
        cursor = salary_input.contract_start.replace(day=1)
        while cursor <= salary_input.contract_end:
            by_month.setdefault(f"{cursor:%Y-%m}", []).append(index)
            cursor = add_months(cursor, 1)
    births = np.array([np.datetime64(case[0].birth_date) for case in cases])
    starts = np.array([np.datetime64(case[0].contract_start) for case in cases])
    person_months = 0
    began = time.perf_counter()
    for month, members in sorted(by_month.items()):
        simulation = SimulationBuilder().build_default_simulation(system, count=len(members))
        simulation.set_input("date_naissance", month, births[members])
        simulation.set_input("apprentissage_contrat_debut", month, starts[members])
        simulation.calculate("remuneration_apprenti", month)
        person_months += len(members)
    return time.perf_counter() - began, person_months, setup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--openfisca-contracts", type=int, default=None, help="default: same as --contracts")
    args = parser.parse_args()
    cases = generate(args.contracts, args.seed)
    seconds, months, granted = run_rules(cases)
    print(f"guichet.rules: {args.contracts} contracts ({months} contract-months) in {seconds:.1f} s")
    print(f"  {args.contracts / seconds:,.0f} contracts/s, {months / seconds:,.0f} contract-months/s")
    print("  State employer aids granted:", ", ".join(f"{code} {count}" for code, count in granted.most_common()))
    subset = cases[: args.openfisca_contracts or args.contracts]
    result = run_openfisca(subset)
    if result is None:
        print("OpenFisca-France not installed: no speed reference.")
        return
    of_seconds, person_months, setup = result
    print(
        f"OpenFisca-France remuneration_apprenti: {len(subset)} contracts ({person_months} person-months) in "
        f"{of_seconds:.1f} s (+ {setup:.1f} s to load the tax-benefit system)"
    )
    print(f"  {person_months / of_seconds:,.0f} person-months/s")
    ours_per_month = months / seconds
    print(
        f"Ratio (person-months/s): guichet.rules (pay + aids + cost) / OpenFisca (pay only) = "
        f"{ours_per_month / (person_months / of_seconds):.2f}"
    )
    print("Reminder: OpenFisca's amounts use the pre-2019 grid; only its speed is comparable.")


if __name__ == "__main__":
    main()
