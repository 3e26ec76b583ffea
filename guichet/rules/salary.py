"""Legal minimum pay of an apprentice, month by month (C. trav. D6222-26 to D6222-33), and the net pay.

Rules (DOMAIN.md 4 and 8):
- rate = % of the monthly SMIC in force each month, by age column and year of execution of the contract;
  21 and over: % of the branch minimum (salaire minimum conventionnel) when it is higher than the SMIC;
- age column: the age on the start date for the first month, then the age reached on the last day of the
  previous month, i.e. a new column from the 1st day of the month after the 18th, 21st or 26th birthday
  (D6222-31), keeping the contract year;
- contract year: changes on each anniversary of the start date (D6222-26), possibly starting above 1 for a
  contract shorter than the training cycle (D6222-28-1); a 4th year is paid at the 3rd-year rate (the official
  CERFA helper's rule, to confirm);
- special cases: previous contract (D6222-29), +15 points (D6222-30), licence professionnelle (D6222-32);
- amounts rounded UP to the cent, as the official CERFA helper does (`Math.ceil(x*100)/100`), so the minimum
  is never underpaid (DOMAIN.md 4.4 and 11 #15);
- partial months (start, end, anniversary or SMIC change mid-month) are prorated by calendar days: payroll
  practice, the law gives no formula (to confirm).
"""

from __future__ import annotations

import itertools
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
    ceil_cents,
    days_in_month,
    french_date,
    french_money,
    french_percent,
    month_end,
    next_month_start,
    ordinal,
    round_cents,
)
from guichet.rules.parameters import AGE_BAND_LABELS, RuleSet, age_band_for

THIRTY_FIVE = Decimal("35")
NO_AGE_LIMIT_EXCEPTIONS = {"rqth", "business_creation", "high_level_athlete"}
AGE_35_EXCEPTIONS = {"higher_diploma_after_apprenticeship", "previous_contract_broken"}
AGE_EXCEPTIONS = NO_AGE_LIMIT_EXCEPTIONS | AGE_35_EXCEPTIONS
GRID_REFERENCE = "C. trav. D6222-26, D6222-27, D6222-31 (décret n° 2018-1347 du 28/12/2018)"
NOT_MODELLED = (
    "Cotisations de prévoyance et de complémentaire santé (mutuelle) à la charge de l'apprenti.",
    "Avantages en nature (repas, logement) déductibles du salaire (C. trav. D6222-33).",
    "Salaires plus favorables prévus par la convention collective ou le contrat, hors minimum conventionnel saisi.",
    "Prorata exact des mois incomplets : calcul en jours calendaires, règle à confirmer.",
)


@dataclass(frozen=True)
class PreviousContract:
    """The apprentice's previous apprenticeship contract (D6222-29)."""

    same_employer: bool
    led_to_diploma: bool
    last_year_rate_percent: Decimal | None = None
    last_monthly_gross: Decimal | None = None


@dataclass(frozen=True)
class SalaryInput:
    birth_date: date
    contract_start: date
    contract_end: date
    concluded_on: date | None = None
    weekly_hours: Decimal = THIRTY_FIVE
    conventional_minimum_monthly: Decimal | None = None
    previous_contract: PreviousContract | None = None
    first_contract_year: int = 1
    licence_pro: bool = False
    same_level_related_diploma: bool = False
    rqth: bool = False
    age_exception: str = ""
    finished_troisieme: bool | None = None

    @property
    def conclusion(self) -> date:
        return self.concluded_on or self.contract_start


@dataclass
class PayPiece:
    start: date
    end: date
    contract_year: int
    rate_percent: Decimal
    smic_monthly: Decimal
    basis_monthly: Decimal
    full_month_gross: Decimal


@dataclass
class MonthPay:
    month: str
    start: date
    end: date
    age: int
    age_band: str
    contract_year: int
    rate_percent: Decimal
    smic_monthly: Decimal
    basis: str  # "smic" or "salaire minimum conventionnel"
    full_month_gross: Decimal
    minimum_gross: Decimal
    smic_percent: Decimal
    prorated: bool
    exempt_threshold: Decimal
    employee_contributions: Decimal
    csg_crds: Decimal
    net: Decimal
    net_is_estimate: bool
    changes: list[Reason] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    pieces: list[PayPiece] = field(default_factory=list)

    @property
    def age_band_label(self) -> str:
        return AGE_BAND_LABELS[self.age_band]


@dataclass
class SalarySchedule:
    months: list[MonthPay]
    total_gross: Decimal
    total_net: Decimal
    total_contributions: Decimal
    reasons: list[Reason]
    references: list[str]
    not_modelled: list[str]
    rules_version: str
    rounding: str = "Montants minimaux arrondis au centime supérieur, comme l'outil officiel d'aide au CERFA."

    @property
    def min_monthly_gross(self) -> Decimal:
        return min((month.full_month_gross for month in self.months), default=ZERO)

    @property
    def max_monthly_gross(self) -> Decimal:
        return max((month.full_month_gross for month in self.months), default=ZERO)


def contract_year_on(*, contract_start: date, day: date, first_contract_year: int = 1) -> int:
    """Year of execution of the contract on `day`: +1 on each anniversary of the start date."""
    years = day.year - contract_start.year
    if add_years(contract_start, years) > day:
        years -= 1
    return first_contract_year + max(years, 0)


def age_reference_day(*, contract_start: date, month_first_day: date) -> date:
    """The day whose age sets a month's column: the start date, then the last day of the previous month."""
    if month_first_day <= contract_start:
        return contract_start
    return month_first_day - timedelta(days=1)


def validate_salary_input(data: SalaryInput, ruleset: RuleSet) -> list[Reason]:
    """Check the input; raise RulesInputError naming each wrong field; return the warnings to show."""
    problems: list[FieldProblem] = []
    warnings: list[Reason] = []
    start, end = data.contract_start, data.contract_end
    age = age_on(data.birth_date, start)
    if data.birth_date >= start:
        problems.append(FieldProblem("birth_date", "La date de naissance doit précéder le début du contrat."))
    elif age < 15:
        problems.append(
            FieldProblem(
                "birth_date",
                f"L'apprenti aurait {age} ans au début du contrat : il faut avoir au moins 16 ans "
                "(15 ans après la classe de 3e). Vérifiez la date de naissance ou le début du contrat.",
            )
        )
    elif age == 15:
        if data.finished_troisieme is False:
            problems.append(
                FieldProblem(
                    "birth_date",
                    "À 15 ans, un contrat n'est possible qu'après la classe de 3e (C. trav. L6222-1). "
                    "Indiquez si l'apprenti a terminé la 3e ou choisissez un début de contrat après ses 16 ans.",
                )
            )
        else:
            warnings.append(
                Reason("age_15", "À 15 ans, le contrat suppose d'avoir terminé la classe de 3e (L6222-1).", "15")
            )
    if data.age_exception and data.age_exception not in AGE_EXCEPTIONS:
        problems.append(FieldProblem("age_exception", "Choisissez une exception d'âge de la liste."))
    elif age >= 30:
        exception = "rqth" if data.rqth and not data.age_exception else data.age_exception
        age_at_conclusion = age_on(data.birth_date, data.conclusion)
        if exception in NO_AGE_LIMIT_EXCEPTIONS:
            warnings.append(Reason("age_exception", "Pas de limite d'âge dans ce cas (C. trav. L6222-2).", exception))
        elif exception in AGE_35_EXCEPTIONS and age_at_conclusion <= 35:
            warnings.append(
                Reason(
                    "age_exception_35",
                    "Jusqu'à 35 ans à la conclusion, dans l'année qui suit le contrat précédent (L6222-2, D6222-1).",
                    exception,
                )
            )
        elif exception in AGE_35_EXCEPTIONS:
            problems.append(
                FieldProblem(
                    "birth_date",
                    f"L'apprenti aurait {age_at_conclusion} ans à la conclusion du contrat : après un premier "
                    "contrat, la limite est de 35 ans (C. trav. D6222-1).",
                )
            )
        else:
            problems.append(
                FieldProblem(
                    "birth_date",
                    f"L'apprenti aurait {age} ans au début du contrat : la limite est de 29 ans révolus "
                    "(C. trav. L6222-1), sauf exceptions (travailleur handicapé, création ou reprise d'entreprise, "
                    "sportif de haut niveau, suite d'un contrat d'apprentissage). "
                    "Indiquez l'exception qui s'applique.",
                )
            )
    if end <= start:
        problems.append(FieldProblem("contract_end", "La fin du contrat doit être postérieure à son début."))
    else:
        max_years = 4 if data.rqth else 3
        if end >= add_years(start, max_years):
            problems.append(
                FieldProblem(
                    "contract_end",
                    f"Le contrat ne peut pas dépasser {max_years} ans"
                    + (" pour un apprenti reconnu travailleur handicapé" if data.rqth else "")
                    + " (C. trav. L6222-7-1, R6222-47). Choisissez une fin avant le "
                    + french_date(add_years(start, max_years))
                    + ".",
                )
            )
        elif end < add_months(start, 6) - timedelta(days=1):
            problems.append(
                FieldProblem(
                    "contract_end",
                    "Le contrat dure au moins 6 mois (C. trav. L6222-7-1). Choisissez une fin au plus tôt le "
                    + french_date(add_months(start, 6) - timedelta(days=1))
                    + ".",
                )
            )
    if data.weekly_hours <= 0:
        problems.append(FieldProblem("weekly_hours", "La durée hebdomadaire doit être un nombre d'heures positif."))
    elif data.weekly_hours > 48:
        problems.append(FieldProblem("weekly_hours", "La durée hebdomadaire ne peut pas dépasser 48 heures."))
    elif data.weekly_hours > THIRTY_FIVE and age < 18:
        warnings.append(
            Reason(
                "minor_hours",
                "Un apprenti mineur travaille au plus 35 heures par semaine, sauf dérogation (C. trav. L3162-1).",
                str(data.weekly_hours),
            )
        )
    if data.conventional_minimum_monthly is not None and data.conventional_minimum_monthly < 0:
        problems.append(
            FieldProblem("conventional_minimum_monthly", "Le salaire minimum conventionnel doit être positif.")
        )
    if data.concluded_on is not None and data.concluded_on > end:
        problems.append(FieldProblem("concluded_on", "La date de conclusion doit précéder la fin du contrat."))
    if not 1 <= data.first_contract_year <= 4:
        problems.append(FieldProblem("first_contract_year", "L'année du cycle de formation va de 1 à 4."))
    grid_start = min((rate.valid_from for rate in ruleset.pay_grid), default=None)
    if grid_start is None or data.conclusion < grid_start:
        problems.append(
            FieldProblem(
                "concluded_on" if data.concluded_on else "contract_start",
                "Le simulateur couvre les contrats conclus depuis le 1er janvier 2019 (grille D6222-26 actuelle).",
            )
        )
    elif ruleset.smic_on(start) is None:
        problems.append(FieldProblem("contract_start", "Aucune valeur du SMIC n'est connue à cette date."))
    previous = data.previous_contract
    if previous is not None:
        if previous.last_year_rate_percent is not None and not 0 <= previous.last_year_rate_percent <= HUNDRED:
            problems.append(
                FieldProblem("previous_contract.last_year_rate_percent", "Le taux doit être compris entre 0 et 100 %.")
            )
        if previous.last_monthly_gross is not None and previous.last_monthly_gross < 0:
            problems.append(FieldProblem("previous_contract.last_monthly_gross", "Le salaire doit être positif."))
    if problems:
        raise RulesInputError(problems)
    return warnings


def _hours_factor(weekly_hours: Decimal) -> Decimal:
    """Share of the 35-hour monthly minimum: prorated below 35 h, overtime +25 % (8 first hours) then +50 %."""
    if weekly_hours <= THIRTY_FIVE:
        return weekly_hours / THIRTY_FIVE
    overtime = weekly_hours - THIRTY_FIVE
    first, beyond = min(overtime, Decimal(8)), max(overtime - 8, ZERO)
    return (THIRTY_FIVE + first * Decimal("1.25") + beyond * Decimal("1.5")) / THIRTY_FIVE


def _rate(data: SalaryInput, ruleset: RuleSet, *, age_band: str, contract_year: int) -> tuple[Decimal, list[Reason]]:
    reasons: list[Reason] = []
    rate = ruleset.pay_rate(age_band=age_band, contract_year=contract_year, concluded_on=data.conclusion)
    if rate is None:  # validated before: the grid covers the conclusion date
        raise RulesInputError([FieldProblem("contract_start", "Aucune grille de rémunération à cette date.")])
    percent = rate.rate_percent
    if contract_year > 3:
        reasons.append(
            Reason(
                "fourth_year",
                "Une 4e année est payée au taux de la 3e année (règle de l'outil officiel, à confirmer).",
                str(contract_year),
            )
        )
    if data.licence_pro and contract_year == 1:
        second = ruleset.pay_rate(age_band=age_band, contract_year=2, concluded_on=data.conclusion)
        if second is not None and second.rate_percent > percent:
            percent = second.rate_percent
            reasons.append(
                Reason(
                    "licence_pro", "Licence professionnelle : au moins le taux de 2e année (D6222-32).", str(percent)
                )
            )
    if data.same_level_related_diploma:
        percent += Decimal(15)
        reasons.append(
            Reason(
                "plus_15_points",
                "Diplôme de même niveau en lien avec un diplôme obtenu, contrat d'un an au plus : "
                "+15 points (D6222-30).",
                "15",
            )
        )
    previous = data.previous_contract
    if (
        previous
        and previous.led_to_diploma
        and previous.last_year_rate_percent is not None
        and previous.last_year_rate_percent > percent
    ):
        percent = previous.last_year_rate_percent
        reasons.append(
            Reason(
                "previous_contract_rate",
                "Nouveau contrat après un diplôme obtenu : au moins le taux de la dernière année du contrat "
                "précédent (D6222-29).",
                str(percent),
            )
        )
    if percent > HUNDRED:
        percent = HUNDRED
        reasons.append(Reason("cap_100", "Taux limité à 100 % du SMIC (D6222-31).", "100"))
    return percent, reasons


def _month_changes(previous: MonthPay | None, current: MonthPay, data: SalaryInput, ruleset: RuleSet) -> list[Reason]:
    if previous is None:
        return [
            Reason(
                "start",
                f"Début du contrat le {french_date(data.contract_start)} : {current.age} ans, "
                f"tranche « {current.age_band_label} », {ordinal(current.contract_year)} année.",
                current.month,
            )
        ]
    changes = []
    if current.age_band != previous.age_band:
        birthday = add_years(data.birth_date, current.age)
        changes.append(
            Reason(
                "age_band_change",
                f"{current.age} ans le {french_date(birthday)} : nouvelle tranche « {current.age_band_label} » "
                f"à partir du {french_date(current.start)} (C. trav. D6222-31).",
                current.age_band,
            )
        )
    for piece in current.pieces:
        if piece.contract_year != previous.contract_year and piece.start > data.contract_start:
            changes.append(
                Reason(
                    "contract_year_change",
                    f"{ordinal(piece.contract_year)} année du contrat à partir du {french_date(piece.start)} "
                    "(date anniversaire du début du contrat).",
                    str(piece.contract_year),
                )
            )
            break
    if current.smic_monthly != previous.smic_monthly:
        smic = ruleset.smic_on(current.end)
        label = smic.reference if smic else ""
        changes.append(
            Reason(
                "smic_change",
                f"Nouveau SMIC mensuel : {french_money(current.smic_monthly)} ({label}).",
                str(current.smic_monthly),
            )
        )
    return changes


def salary_schedule(*, data: SalaryInput, ruleset: RuleSet) -> SalarySchedule:
    """The month-by-month legal minimum gross pay and the estimated net pay over the whole contract."""
    warnings = validate_salary_input(data, ruleset)
    factor = _hours_factor(data.weekly_hours)
    regime = ruleset.exemption_for(data.conclusion)
    months: list[MonthPay] = []
    references = {GRID_REFERENCE, "Montants arrondis au centime supérieur (DOMAIN.md 4.4)"}
    cursor = data.contract_start.replace(day=1)
    previous_month: MonthPay | None = None
    anniversaries = [add_years(data.contract_start, years) for years in range(1, 6)]
    rates: dict[tuple[str, int], tuple[Decimal, list[Reason]]] = {}
    while cursor <= data.contract_end:
        start, end = max(cursor, data.contract_start), min(month_end(cursor), data.contract_end)
        age = age_on(data.birth_date, age_reference_day(contract_start=data.contract_start, month_first_day=cursor))
        band = age_band_for(age)
        cuts = {start, end + timedelta(days=1)}
        cuts.update(anniversary for anniversary in anniversaries if start < anniversary <= end)
        cuts.update(ruleset.smic_changes_between(start, end))
        bounds = sorted(cuts)
        pieces: list[PayPiece] = []
        month_reasons: list[Reason] = []
        for piece_start, next_start in itertools.pairwise(bounds):
            year = contract_year_on(
                contract_start=data.contract_start, day=piece_start, first_contract_year=data.first_contract_year
            )
            smic = ruleset.smic_on(piece_start)
            assert smic is not None  # checked in validation: SMIC known from the start, rows only add later
            if (band, year) not in rates:
                rates[band, year] = _rate(data, ruleset, age_band=band, contract_year=year)
            percent, rate_reasons = rates[band, year]
            month_reasons.extend(reason for reason in rate_reasons if reason not in month_reasons)
            basis = smic.monthly
            if band in ("21_25", "26_plus") and data.conventional_minimum_monthly:
                basis = max(basis, data.conventional_minimum_monthly)
            full = ceil_cents(percent * basis * factor / HUNDRED)
            previous = data.previous_contract
            if (
                previous
                and previous.led_to_diploma
                and previous.same_employer
                and previous.last_monthly_gross
                and previous.last_monthly_gross > full
            ):
                full = previous.last_monthly_gross
                month_reasons.append(
                    Reason(
                        "previous_contract_pay",
                        "Même employeur : au moins le salaire perçu la dernière année du contrat précédent "
                        "(D6222-29).",
                        str(full),
                    )
                )
            pieces.append(
                PayPiece(
                    start=piece_start,
                    end=next_start - timedelta(days=1),
                    contract_year=year,
                    rate_percent=percent,
                    smic_monthly=smic.monthly,
                    basis_monthly=basis,
                    full_month_gross=full,
                )
            )
            references.add(smic.reference)
        dim = days_in_month(cursor)
        covered = (end - start).days + 1
        last = pieces[-1]
        if len(pieces) == 1 and covered == dim:
            minimum = last.full_month_gross
        else:
            minimum = ceil_cents(
                sum(
                    (piece.full_month_gross * ((piece.end - piece.start).days + 1) / dim for piece in pieces),
                    ZERO,
                )
            )
            month_reasons.append(
                Reason("prorated", f"Mois incomplet : {covered} jours sur {dim}, prorata calendaire.", str(covered))
            )
        if last.basis_monthly != last.smic_monthly:
            month_reasons.append(
                Reason(
                    "conventional_minimum",
                    "21 ans et plus : le pourcentage s'applique au salaire minimum conventionnel, plus élevé que le "
                    "SMIC (D6222-26).",
                    str(last.basis_monthly),
                )
            )
        hours_share = min(data.weekly_hours, THIRTY_FIVE) / THIRTY_FIVE
        threshold, social, csg, net, estimate = _net(
            minimum,
            regime=regime,
            ruleset=ruleset,
            smic=last.smic_monthly,
            day=end,
            fraction=Decimal(covered) / dim * hours_share,
        )
        month = MonthPay(
            month=f"{cursor:%Y-%m}",
            start=start,
            end=end,
            age=age,
            age_band=band,
            contract_year=last.contract_year,
            rate_percent=last.rate_percent,
            smic_monthly=last.smic_monthly,
            basis="smic" if last.basis_monthly == last.smic_monthly else "salaire minimum conventionnel",
            full_month_gross=last.full_month_gross,
            minimum_gross=minimum,
            smic_percent=round_cents(last.full_month_gross * HUNDRED / last.smic_monthly),
            prorated=not (len(pieces) == 1 and covered == dim),
            exempt_threshold=threshold,
            employee_contributions=social,
            csg_crds=csg,
            net=net,
            net_is_estimate=estimate,
            reasons=month_reasons,
            pieces=pieces,
        )
        month.changes = _month_changes(previous_month, month, data, ruleset)
        months.append(month)
        previous_month = month
        cursor = next_month_start(cursor)
    if regime is not None:
        references.add(regime.reference)
    reasons = list(warnings)
    if regime is not None:
        reasons.append(
            Reason(
                "exemption_regime",
                f"Contrat conclu le {french_date(data.conclusion)} : cotisations salariales exonérées jusqu'à "
                f"{french_percent(regime.threshold_percent_smic)} du SMIC"
                + (", CSG et CRDS dues au-delà" if regime.csg_crds_due else ", CSG et CRDS non dues")
                + (" (à confirmer)." if regime.to_confirm else "."),
                regime.code,
            )
        )
    if data.weekly_hours != THIRTY_FIVE:
        reasons.append(
            Reason(
                "weekly_hours",
                f"Durée de {data.weekly_hours} h par semaine : minimum proratisé"
                + (", heures au-delà de 35 h majorées de 25 % puis 50 % (C. trav. L3121-36)." if factor > 1 else "."),
                str(data.weekly_hours),
            )
        )
    if data.conventional_minimum_monthly is None and age_on(data.birth_date, data.contract_end) >= 21:
        reasons.append(
            Reason(
                "conventional_minimum_unknown",
                "À partir de 21 ans, le minimum se calcule sur le salaire minimum conventionnel s'il est plus élevé "
                "que le SMIC : indiquez-le pour un calcul exact.",
                "",
            )
        )
    return SalarySchedule(
        months=months,
        total_gross=sum((month.minimum_gross for month in months), ZERO),
        total_net=sum((month.net for month in months), ZERO),
        total_contributions=sum((month.employee_contributions + month.csg_crds for month in months), ZERO),
        reasons=reasons,
        references=sorted(references),
        not_modelled=list(NOT_MODELLED),
        rules_version=ruleset.version,
    )


def _net(
    gross: Decimal, *, regime, ruleset: RuleSet, smic: Decimal, day: date, fraction: Decimal
) -> tuple[Decimal, Decimal, Decimal, Decimal, bool]:
    """Exempt threshold, employee contributions, CSG/CRDS and net pay of one month (DOMAIN.md 8)."""
    if regime is None:
        return ZERO, ZERO, ZERO, gross, True
    threshold = round_cents(round_cents(regime.threshold_percent_smic * smic / HUNDRED) * fraction)
    excess = max(gross - threshold, ZERO)
    social = csg = ZERO
    if excess > 0:
        social_rate = ruleset.contribution_rate("salariales", day)
        if social_rate is not None:
            social = round_cents(excess * social_rate.rate_percent / HUNDRED)
        csg_rate = ruleset.contribution_rate("csg_crds", day)
        if regime.csg_crds_due and csg_rate is not None:
            csg = round_cents(excess * csg_rate.base_percent / HUNDRED * csg_rate.rate_percent / HUNDRED)
    return threshold, social, csg, gross - social - csg, excess > 0
