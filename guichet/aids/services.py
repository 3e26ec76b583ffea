"""Writes of the aids app: rules snapshots and recorded simulations."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from guichet.aids.models import RulesSnapshot, Simulation, SimulationKind
from guichet.rules.aids import (
    AidInput,
    AidsSimulation,
    EmployerCost,
    aids_simulate,
    employer_cost,
    validate_aid_input,
)
from guichet.rules.base import RulesInputError
from guichet.rules.output import aids_as_dict, salary_as_dict
from guichet.rules.salary import SalaryInput, SalarySchedule, salary_schedule, validate_salary_input


def rules_snapshot_ensure(*, version: str, data: dict[str, Any]) -> RulesSnapshot:
    """Keep the full parameters of a version, once (concurrent callers may race: the first one wins)."""
    existing = RulesSnapshot.objects.filter(version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return RulesSnapshot.objects.create(version=version, data=data)
    except IntegrityError:
        return RulesSnapshot.objects.get(version=version)


def simulation_record(
    *,
    kind: str,
    inputs: dict[str, Any],
    result: dict[str, Any],
    rules_version: str,
    user: Any = None,
    channel: str = "page",
) -> Simulation:
    return Simulation.objects.create(
        kind=kind,
        inputs=inputs,
        result=result,
        rules_version=rules_version,
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        channel=channel,
    )


@dataclass
class EmployerSimulationResult:
    salary: SalarySchedule
    aids: AidsSimulation
    cost: EmployerCost


def salary_simulate(
    *, data: SalaryInput, inputs: dict[str, Any], user: Any = None, channel: str = "page", record: bool = True
) -> SalarySchedule:
    """The legal minimum pay schedule with the parameters in force; recorded with its rules version.

    Raises RulesInputError (nothing recorded) when the input is invalid.
    """
    from guichet.aids.selectors import ruleset_get

    ruleset = ruleset_get()
    schedule = salary_schedule(data=data, ruleset=ruleset)
    if record:
        simulation_record(
            kind=SimulationKind.SALARY,
            inputs=inputs,
            result=salary_as_dict(schedule),
            rules_version=ruleset.version,
            user=user,
            channel=channel,
        )
    return schedule


def employer_simulate(
    *,
    salary_input: SalaryInput,
    aid_input: AidInput,
    today: date,
    inputs: dict[str, Any],
    user: Any = None,
    channel: str = "page",
    record: bool = True,
    beneficiary: str | None = None,
) -> EmployerSimulationResult:
    """Pay schedule, aids (eligible or not, with reasons) and the employer's net cost, recorded together."""
    from guichet.aids.selectors import ruleset_get

    ruleset = ruleset_get()
    problems = []
    for check in (lambda: validate_salary_input(salary_input, ruleset), lambda: validate_aid_input(aid_input)):
        try:
            check()
        except RulesInputError as error:
            problems.extend(error.problems)
    if problems:
        raise RulesInputError(problems)
    schedule = salary_schedule(data=salary_input, ruleset=ruleset)
    first_net = schedule.months[0].net if schedule.months else None
    if aid_input.monthly_net is None and first_net is not None:
        aid_input = replace(aid_input, monthly_net=first_net)
    aids = aids_simulate(data=aid_input, ruleset=ruleset, today=today, beneficiary=beneficiary)
    cost = employer_cost(salary=schedule, aids=aids)
    if record:
        simulation_record(
            kind=SimulationKind.EMPLOYER,
            inputs=inputs,
            result=aids_as_dict(aids, cost),
            rules_version=ruleset.version,
            user=user,
            channel=channel,
        )
    return EmployerSimulationResult(salary=schedule, aids=aids, cost=cost)
