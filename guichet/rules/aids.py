"""Aids for employers and apprentices: eligibility with the failed condition, amount, payment schedule,
and the employer's net cost (DOMAIN.md 6 and 7).

Each programme is data (`AidProgramme` with dated `AidRule` rows): the first row whose conditions all hold
gives the amount. A programme none of whose rows holds is "not eligible", with the conditions that failed
on its closest row. Conditions that cannot be known from the inputs are listed "à vérifier", never guessed.
Programmes of the same `exclusive_group` (the State employer aids) are not cumulative: the highest wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from guichet.rules.base import (
    HUNDRED,
    ZERO,
    FieldProblem,
    Reason,
    RulesInputError,
    add_months,
    add_years,
    age_on,
    french_date,
    french_money,
    round_cents,
)
from guichet.rules.parameters import AidProgramme, AidRule, RuleSet
from guichet.rules.salary import SalarySchedule, contract_year_on

NEIGHBOUR_DAYS = 366  # programmes ended or starting within a year of the date are shown, as not eligible
EMPLOYER_COST_NOT_MODELLED = (
    "Cotisations patronales après réduction générale : non modélisées (réforme 2026 de la réduction générale non "
    "paramétrée, DOMAIN.md 6.3 et 11 #13).",
    "Coût de la formation au CFA : pris en charge par l'OPCO selon le niveau de prise en charge, non modélisé.",
    "Aides de l'Agefiph pour un apprenti handicapé : non modélisées.",
)


@dataclass(frozen=True)
class AidInput:
    birth_date: date
    contract_start: date
    contract_end: date
    concluded_on: date | None = None
    diploma_level: int | None = None
    headcount: int | None = None
    public_employer: bool = False
    rqth: bool = False
    deposited_within_6_months: bool | None = None
    first_contract_year: int = 1
    monthly_net: Decimal | None = None

    @property
    def conclusion(self) -> date:
        return self.concluded_on or self.contract_start


@dataclass
class Instalment:
    due: date
    amount: Decimal
    period_start: date
    period_end: date

    @property
    def month(self) -> str:
        return f"{self.due:%Y-%m}"


@dataclass
class AidResult:
    programme: AidProgramme
    eligible: bool
    amount: Decimal
    amount_is_maximum: bool
    schedule: list[Instalment]
    reasons: list[Reason]
    to_check: list[str]
    reference: str
    to_confirm: bool
    rules_version: str
    excluded_by: str = ""

    @property
    def code(self) -> str:
        return self.programme.code

    @property
    def status(self) -> str:
        if not self.eligible:
            return "not_eligible"
        return "to_check" if self.to_check else "eligible"


@dataclass
class AidsSimulation:
    aids: list[AidResult]
    national_total: Decimal
    regional_total: Decimal
    employer_total: Decimal
    apprentice_total: Decimal
    rules_version: str
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class CostMonth:
    month: str
    gross: Decimal
    aid: Decimal
    net_cost: Decimal


@dataclass
class EmployerCost:
    months: list[CostMonth]
    total_gross: Decimal
    total_aid: Decimal
    total_net_cost: Decimal
    not_modelled: list[str]
    rules_version: str


def validate_aid_input(data: AidInput) -> None:
    problems = []
    if data.contract_end <= data.contract_start:
        problems.append(FieldProblem("contract.end", "La fin du contrat doit être postérieure à son début."))
    if data.headcount is not None and data.headcount < 0:
        problems.append(FieldProblem("employer.headcount", "L'effectif doit être un nombre positif de salariés."))
    if data.diploma_level is not None and not 3 <= data.diploma_level <= 8:
        problems.append(FieldProblem("contract.diploma_level", "Le niveau du diplôme va de 3 (CAP) à 8 (doctorat)."))
    if data.birth_date >= data.contract_start:
        problems.append(
            FieldProblem("apprentice.birth_date", "La date de naissance doit précéder le début du contrat.")
        )
    if problems:
        raise RulesInputError(problems)


def _basis_date(rule: AidRule, data: AidInput, today: date) -> date:
    return max(today, data.contract_start) if rule.date_basis == "request" else data.conclusion


def _conditions(rule: AidRule, data: AidInput, ruleset: RuleSet, today: date) -> list[tuple[Reason, bool | None]]:
    """Each condition of a rule with its outcome: True holds, False fails, None unknown (to check)."""
    results: list[tuple[Reason, bool | None]] = []
    day = _basis_date(rule, data, today)
    what = "Demande faite le" if rule.date_basis == "request" else "Contrat conclu le"
    window = f"du {french_date(rule.concluded_from)}" + (
        f" au {french_date(rule.concluded_to)}" if rule.concluded_to else " (sans date de fin connue)"
    )
    results.append(
        (Reason("date_window", f"{what} {french_date(day)} ; période {window}.", day.isoformat()), rule.in_window(day))
    )
    if rule.start_before is not None:
        results.append(
            (
                Reason(
                    "start_before",
                    f"Début du contrat le {french_date(data.contract_start)} ; il doit commencer avant le "
                    f"{french_date(rule.start_before)}.",
                    data.contract_start.isoformat(),
                ),
                data.contract_start < rule.start_before,
            )
        )
    if rule.headcount_min is not None or rule.headcount_max is not None:
        if rule.headcount_max is not None and rule.headcount_min is None:
            need = f"moins de {rule.headcount_max + 1} salariés"
        elif rule.headcount_min is not None and rule.headcount_max is None:
            need = f"{rule.headcount_min} salariés ou plus"
        else:
            need = f"de {rule.headcount_min} à {rule.headcount_max} salariés"
        outcome = None
        if data.headcount is not None:
            outcome = (rule.headcount_min is None or data.headcount >= rule.headcount_min) and (
                rule.headcount_max is None or data.headcount <= rule.headcount_max
            )
        value = "" if data.headcount is None else str(data.headcount)
        results.append(
            (
                Reason("headcount", f"Effectif de l'entreprise : {value or 'non indiqué'} ; il faut {need}.", value),
                outcome,
            )
        )
    if rule.level_min is not None or rule.level_max is not None:
        low, high = rule.level_min or 3, rule.level_max or 8
        need = f"niveau {low}" if low == high else f"niveau {low} à {high}"
        outcome = None if data.diploma_level is None else low <= data.diploma_level <= high
        value = "" if data.diploma_level is None else str(data.diploma_level)
        results.append(
            (
                Reason("diploma_level", f"Diplôme préparé : niveau {value or 'non indiqué'} ; il faut {need}.", value),
                outcome,
            )
        )
    if rule.age_min is not None or rule.age_max is not None:
        age_day = day if rule.date_basis == "request" else data.contract_start
        age = age_on(data.birth_date, age_day)
        if rule.age_min is not None and rule.age_max is not None:
            need = f"de {rule.age_min} à {rule.age_max} ans"
        elif rule.age_min is not None:
            need = f"{rule.age_min} ans ou plus"
        else:
            need = f"{rule.age_max} ans au plus"
        outcome = (rule.age_min is None or age >= rule.age_min) and (rule.age_max is None or age <= rule.age_max)
        results.append(
            (
                Reason("age", f"Âge de l'apprenti : {age} ans le {french_date(age_day)} ; il faut {need}.", str(age)),
                outcome,
            )
        )
    if rule.rqth != "any":
        need = rule.rqth == "required"
        label = "Apprenti reconnu travailleur handicapé (RQTH)" if need else "Apprenti sans RQTH"
        results.append(
            (Reason("rqth", f"{label} : {'oui' if data.rqth else 'non'}.", str(data.rqth).lower()), data.rqth == need)
        )
    if rule.employer_kind != "any":
        kind = "public" if data.public_employer else "privé"
        need = "privé" if rule.employer_kind == "private" else "public"
        results.append(
            (
                Reason("employer_kind", f"Employeur {kind} ; aide réservée au secteur {need}.", kind),
                (rule.employer_kind == "public") == data.public_employer,
            )
        )
    if rule.first_year_only:
        results.append(
            (
                Reason(
                    "first_year",
                    f"Entrée en 1re année d'apprentissage : {'oui' if data.first_contract_year == 1 else 'non'}.",
                    str(data.first_contract_year),
                ),
                data.first_contract_year == 1,
            )
        )
    if rule.requires_deposit:
        outcome = data.deposited_within_6_months
        results.append(
            (
                Reason(
                    "deposit",
                    "Contrat transmis à l'OPCO dans les 6 mois après sa conclusion et déposé par lui "
                    "(décrets n° 2025-174 et 2026-168).",
                    "" if outcome is None else str(outcome).lower(),
                ),
                outcome,
            )
        )
    if rule.max_net_smic_percent is not None:
        smic = ruleset.smic_on(data.contract_start)
        ceiling = None if smic is None else round_cents(rule.max_net_smic_percent * smic.monthly / HUNDRED)
        outcome = None if data.monthly_net is None or ceiling is None else data.monthly_net <= ceiling
        results.append(
            (
                Reason(
                    "net_ceiling",
                    f"Salaire net au plus {rule.max_net_smic_percent} % du SMIC"
                    + (f" ({french_money(ceiling)} par mois)." if ceiling is not None else "."),
                    "" if data.monthly_net is None else str(data.monthly_net),
                ),
                outcome,
            )
        )
    return results


def _schedule(
    programme: AidProgramme, rule: AidRule, data: AidInput, ruleset: RuleSet, today: date
) -> list[Instalment]:
    start, end = data.contract_start, data.contract_end
    instalments: list[Instalment] = []
    if programme.payment == "state_monthly":
        daily = ruleset.daily_prorata_from is not None and data.conclusion >= ruleset.daily_prorata_from
        for index, yearly in enumerate(rule.amounts_by_year):
            year_start = add_years(start, index)
            if year_start > end:
                break
            monthly = yearly / 12
            paid = ZERO
            for month in range(12):
                period_start = add_months(year_start, month)
                period_end = add_months(year_start, month + 1) - timedelta(days=1)
                if period_start > end:
                    break
                if period_end <= end:
                    amount = round_cents(yearly - paid) if month == 11 else round_cents(monthly)
                elif daily:
                    covered = (end - period_start).days + 1
                    amount = round_cents(monthly * covered / ((period_end - period_start).days + 1))
                else:
                    amount = round_cents(monthly)
                paid += amount
                instalments.append(Instalment(period_start, amount, period_start, min(period_end, end)))
        return instalments
    amount = rule.amount or ZERO
    if programme.payment == "once":
        due = _basis_date(rule, data, today) if rule.date_basis == "request" else start
        return [Instalment(due, amount, start, end)]
    if programme.payment == "yearly":
        year = 0
        while add_years(start, year) <= end:
            year_start = add_years(start, year)
            instalments.append(
                Instalment(year_start, amount, year_start, min(add_years(start, year + 1) - timedelta(days=1), end))
            )
            year += 1
        return instalments
    if programme.payment == "monthly":
        per_year: dict[int, int] = {}
        index = 0
        while (period_start := add_months(start, index)) <= end:
            year = contract_year_on(contract_start=start, day=period_start)
            if rule.max_months is None or per_year.get(year, 0) < rule.max_months:
                period_end = min(add_months(start, index + 1) - timedelta(days=1), end)
                instalments.append(Instalment(period_start, amount, period_start, period_end))
                per_year[year] = per_year.get(year, 0) + 1
            index += 1
        return instalments
    raise ValueError(f"Mode de versement inconnu : {programme.payment}")


def _relevant(programme: AidProgramme, data: AidInput, today: date) -> bool:
    for rule in programme.rules:
        day = _basis_date(rule, data, today)
        low = rule.concluded_from - timedelta(days=NEIGHBOUR_DAYS)
        high = None if rule.concluded_to is None else rule.concluded_to + timedelta(days=NEIGHBOUR_DAYS)
        if low <= day and (high is None or day <= high):
            return True
    return False


def aid_evaluate(*, programme: AidProgramme, data: AidInput, ruleset: RuleSet, today: date) -> AidResult:
    """Eligibility, amount and schedule of one programme for one contract."""
    evaluated = [(rule, _conditions(rule, data, ruleset, today)) for rule in programme.rules]
    matched = next(
        ((rule, outcomes) for rule, outcomes in evaluated if all(ok is not False for _, ok in outcomes)), None
    )
    if matched is None:
        rule, outcomes = min(evaluated, key=lambda item: sum(1 for _, ok in item[1] if ok is False))
        failed = [reason for reason, ok in outcomes if ok is False]
        reasons = [
            Reason(f"failed_{reason.code}", f"Condition non remplie : {reason.label}", reason.value)
            for reason in failed
        ]
        return AidResult(
            programme=programme,
            eligible=False,
            amount=ZERO,
            amount_is_maximum=False,
            schedule=[],
            reasons=reasons,
            to_check=[],
            reference=rule.reference or programme.reference,
            to_confirm=programme.to_confirm or rule.to_confirm,
            rules_version=ruleset.version,
        )
    rule, outcomes = matched
    schedule = _schedule(programme, rule, data, ruleset, today)
    amount = sum((instalment.amount for instalment in schedule), ZERO)
    reasons = [Reason(f"ok_{reason.code}", reason.label, reason.value) for reason, ok in outcomes if ok]
    to_check = [reason.label for reason, ok in outcomes if ok is None] + list(rule.checks)
    total_label = ("jusqu'à " if rule.amount_is_maximum else "") + french_money(amount)
    reasons.append(Reason("amount", f"Montant sur la durée du contrat : {total_label}.", str(amount)))
    if programme.payment == "state_monthly":
        reasons.append(
            Reason(
                "payment",
                "Versée chaque mois par l'Agence de services et de paiement (ASP) tant que la déclaration sociale "
                "nominative (DSN) confirme l'emploi.",
                str(len(schedule)),
            )
        )
    if rule.to_confirm or programme.to_confirm:
        reasons.append(Reason("to_confirm", "Montant ou conditions à confirmer auprès de l'organisme.", ""))
    return AidResult(
        programme=programme,
        eligible=True,
        amount=amount,
        amount_is_maximum=rule.amount_is_maximum,
        schedule=schedule,
        reasons=reasons,
        to_check=to_check,
        reference=rule.reference or programme.reference,
        to_confirm=programme.to_confirm or rule.to_confirm,
        rules_version=ruleset.version,
    )


def aids_simulate(*, data: AidInput, ruleset: RuleSet, today: date, beneficiary: str | None = None) -> AidsSimulation:
    """Every programme relevant to the contract's dates, eligible or not, with the non-cumulative ones resolved."""
    validate_aid_input(data)
    results = [
        aid_evaluate(programme=programme, data=data, ruleset=ruleset, today=today)
        for programme in ruleset.programmes
        if (beneficiary is None or programme.beneficiary == beneficiary) and _relevant(programme, data, today)
    ]
    groups: dict[str, list[AidResult]] = {}
    for result in results:
        if result.eligible and result.programme.exclusive_group:
            groups.setdefault(result.programme.exclusive_group, []).append(result)
    for members in groups.values():
        best = max(members, key=lambda result: result.amount)
        for result in members:
            if result is not best:
                result.eligible, result.excluded_by = False, best.programme.code
                result.reasons.append(
                    Reason(
                        "not_cumulative", f"Non cumulable avec « {best.programme.name} », plus favorable.", best.code
                    )
                )
                result.amount, result.schedule = ZERO, []
    eligible = [result for result in results if result.eligible]
    return AidsSimulation(
        aids=results,
        national_total=sum((r.amount for r in eligible if r.programme.scope == "national"), ZERO),
        regional_total=sum((r.amount for r in eligible if r.programme.scope == "regional"), ZERO),
        employer_total=sum((r.amount for r in eligible if r.programme.beneficiary == "employer"), ZERO),
        apprentice_total=sum((r.amount for r in eligible if r.programme.beneficiary == "apprentice"), ZERO),
        rules_version=ruleset.version,
    )


def employer_cost(*, salary: SalarySchedule, aids: AidsSimulation) -> EmployerCost:
    """Gross minimum pay minus the employer aids, month by month (contributions not modelled, listed)."""
    aid_by_month: dict[str, Decimal] = {}
    for result in aids.aids:
        if result.eligible and result.programme.beneficiary == "employer":
            for instalment in result.schedule:
                aid_by_month[instalment.month] = aid_by_month.get(instalment.month, ZERO) + instalment.amount
    months = []
    for month in salary.months:
        aid = aid_by_month.pop(month.month, ZERO)
        months.append(
            CostMonth(month=month.month, gross=month.minimum_gross, aid=aid, net_cost=month.minimum_gross - aid)
        )
    total_gross = sum((month.gross for month in months), ZERO)
    total_aid = sum((month.aid for month in months), ZERO)
    return EmployerCost(
        months=months,
        total_gross=total_gross,
        total_aid=total_aid,
        total_net_cost=total_gross - total_aid,
        not_modelled=list(EMPLOYER_COST_NOT_MODELLED),
        rules_version=salary.rules_version,
    )


def smic_percent(amount: Decimal, smic: Decimal) -> Decimal:
    return round_cents(amount * HUNDRED / smic)
