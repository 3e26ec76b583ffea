"""Aids and pay API: legal minimum salary schedule, aids with eligibility reasons, programmes in force."""

from datetime import date
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from guichet.aids.selectors import programme_list_in_force, ruleset_get
from guichet.aids.services import employer_simulate, salary_simulate
from guichet.api.errors import ApiError, ErrorOut
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.types import IsoDate
from guichet.rules.aids import AidInput
from guichet.rules.base import RulesInputError
from guichet.rules.output import ROUNDING_NOTE, aids_as_dict, salary_as_dict
from guichet.rules.salary import AGE_EXCEPTIONS, PreviousContract, SalaryInput

router = Router(tags=["Aides et rémunération"])

LIMITS = {"per_client": 60, "per_ip": 120}
MONEY = "Euros, nombre à deux décimales. " + ROUNDING_NOTE


class AidReasonOut(Schema):
    code: str
    label: str = Field(description="Explication en français.")
    value: str


class PreviousContractIn(Schema):
    same_employer: bool = Field(description="Le contrat précédent était chez le même employeur.")
    led_to_diploma: bool = Field(description="Le contrat précédent a conduit au diplôme ou au titre (D6222-29).")
    last_year_rate_percent: float | None = Field(
        None, description="Taux (% du SMIC) de la dernière année du contrat précédent."
    )
    last_monthly_gross: float | None = Field(
        None, description="Même employeur : salaire brut mensuel perçu la dernière année (€)."
    )


class SalaryIn(Schema):
    birth_date: IsoDate = Field(description="Date de naissance de l'apprenti (AAAA-MM-JJ).")
    contract_start: IsoDate = Field(description="Début d'exécution du contrat.")
    contract_end: IsoDate = Field(description="Fin du contrat.")
    concluded_on: IsoDate | None = Field(
        None,
        description="Date de conclusion (signature) ; par défaut le début du contrat. Elle fixe le régime "
        "d'exonération et des aides.",
    )
    weekly_hours: float = Field(35, description="Durée hebdomadaire de travail, en heures (35 par défaut).")
    conventional_minimum_monthly: float | None = Field(
        None, description="Salaire minimum conventionnel mensuel de l'emploi (€), pris en compte à partir de 21 ans."
    )
    previous_contract: PreviousContractIn | None = None
    first_contract_year: int = Field(
        1, description="Année du cycle de formation au début du contrat (contrat plus court que le cycle, D6222-28-1)."
    )
    licence_pro: bool = Field(False, description="Licence professionnelle (D6222-32).")
    same_level_related_diploma: bool = Field(
        False, description="Diplôme de même niveau en lien avec un diplôme obtenu, contrat d'un an au plus (D6222-30)."
    )
    rqth: bool = Field(False, description="Apprenti reconnu travailleur handicapé (RQTH).")
    age_exception: str = Field(
        "", description="Exception à la limite d'âge : " + ", ".join(f"`{name}`" for name in sorted(AGE_EXCEPTIONS))
    )
    finished_troisieme: bool | None = Field(None, description="À 15 ans : l'apprenti a terminé la classe de 3e.")


class MonthOut(Schema):
    month: str = Field(description="Mois, AAAA-MM.")
    start: date
    end: date
    age: int
    age_band: str = Field(description="Tranche d'âge : `under_18`, `18_20`, `21_25`, `26_plus`.")
    age_band_label: str
    contract_year: int
    rate_percent: float = Field(description="Taux de la grille appliqué (% du SMIC ou du minimum conventionnel).")
    smic_monthly: float = Field(description="SMIC mensuel brut en vigueur. " + MONEY)
    basis: str
    full_month_gross: float = Field(description="Minimum brut pour un mois complet. " + MONEY)
    minimum_gross: float = Field(description="Minimum brut du mois (proratisé si le mois est incomplet). " + MONEY)
    smic_percent: float
    prorated: bool
    exempt_threshold: float
    employee_contributions: float
    csg_crds: float
    net: float = Field(description="Net estimé. " + MONEY)
    net_is_estimate: bool
    changes: list[AidReasonOut] = Field(description="Ce qui a changé ce mois-ci, et pourquoi.")
    reasons: list[AidReasonOut]


class SalaryTotalsOut(Schema):
    gross: float
    net: float
    employee_contributions: float
    months: int


class SalaryOut(Schema):
    months: list[MonthOut]
    totals: SalaryTotalsOut
    reasons: list[AidReasonOut]
    sources: list[str] = Field(description="Textes et sources utilisés.")
    not_modelled: list[str] = Field(description="Éléments non modélisés (le résultat ne les devine pas).")
    rounding: str
    rules_version: str = Field(description="Version des paramètres utilisés (date + empreinte).")


class EmployerIn(Schema):
    headcount: int | None = Field(None, description="Effectif de l'entreprise (tous établissements).")
    public: bool = Field(False, description="Employeur public.")


class ApprenticeIn(Schema):
    birth_date: IsoDate
    rqth: bool = False


class ContractIn(Schema):
    start: IsoDate
    end: IsoDate
    diploma_level: int | None = Field(None, description="Niveau du diplôme préparé, 3 (CAP) à 8.")
    concluded_on: IsoDate | None = None
    deposited_within_6_months: bool | None = Field(
        None, description="Contrat transmis à l'OPCO dans les 6 mois (inconnu : à vérifier)."
    )
    weekly_hours: float = 35
    conventional_minimum_monthly: float | None = None


class AidsIn(Schema):
    employer: EmployerIn
    apprentice: ApprenticeIn
    contract: ContractIn
    beneficiary: Literal["employer", "apprentice"] | None = Field(
        None, description="Limiter aux aides de l'employeur ou de l'apprenti."
    )


class InstalmentOut(Schema):
    due: date
    period_start: date
    period_end: date
    amount: float


class AidOut(Schema):
    programme: str
    name: str
    scope: Literal["national", "regional"]
    beneficiary: Literal["employer", "apprentice"]
    funder: str
    eligible: bool
    status: Literal["eligible", "to_check", "not_eligible"]
    amount: float = Field(description=MONEY)
    amount_is_maximum: bool
    schedule: list[InstalmentOut]
    reasons: list[AidReasonOut] = Field(
        description="Conditions remplies ou, si non éligible, la condition non remplie."
    )
    to_check: list[str] = Field(description="Conditions que le guichet ne peut pas vérifier : à vérifier.")
    reference: str
    to_confirm: bool
    rules_version: str


class CostMonthOut(Schema):
    month: str
    gross: float
    aid: float
    net_cost: float


class EmployerCostOut(Schema):
    months: list[CostMonthOut]
    total_gross: float
    total_aid: float
    total: float = Field(description="Coût net total pour l'employeur (brut minimum − aides). " + MONEY)
    not_modelled: list[str]
    reasons: list[AidReasonOut]


class AidsOut(Schema):
    aids: list[AidOut]
    national_total: float
    regional_total: float
    employer_total: float
    apprentice_total: float
    employer_net_cost: EmployerCostOut | None
    rounding: str
    rules_version: str


class RuleOut(Schema):
    concluded_from: date
    concluded_to: date | None
    conditions: dict[str, Any]
    amount: float | None
    amounts_by_year: list[float]
    reference: str
    to_confirm: bool


class ProgrammeOut(Schema):
    programme: str
    name: str
    scope: str
    beneficiary: str
    funder: str
    description: str
    reference: str
    source_date: date | None
    to_confirm: bool
    rules: list[RuleOut] = Field(description="Règles datées en vigueur à la date demandée.")


class ProgrammeQuery(Schema):
    date: IsoDate | None = Field(None, description="Date, AAAA-MM-JJ ; aujourd'hui par défaut.")
    scope: Literal["national", "regional"] | None = Field(None, description="Portée.")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class ProgrammeListOut(Schema):
    items: list[ProgrammeOut]
    count: int
    page: int
    page_size: int
    rules_version: str


FIELD_MAP = {
    "birth_date": "apprentice.birth_date",
    "contract_start": "contract.start",
    "contract_end": "contract.end",
    "concluded_on": "contract.concluded_on",
    "weekly_hours": "contract.weekly_hours",
    "conventional_minimum_monthly": "contract.conventional_minimum_monthly",
}


def _invalid(error: RulesInputError, *, field_map: dict[str, str] | None = None) -> ApiError:
    errors, seen = [], set()
    for problem in error.as_list():
        field = (field_map or {}).get(problem["field"], problem["field"])
        if field not in seen:
            seen.add(field)
            errors.append({"field": field, "message": problem["message"]})
    return ApiError(422, "Certaines valeurs sont invalides.", errors)


def _decimal(value: float | None) -> Any:
    from decimal import Decimal

    return None if value is None else Decimal(str(value))


def salary_input_from(payload: SalaryIn) -> SalaryInput:
    previous = payload.previous_contract
    return SalaryInput(
        birth_date=payload.birth_date,
        contract_start=payload.contract_start,
        contract_end=payload.contract_end,
        concluded_on=payload.concluded_on,
        weekly_hours=_decimal(payload.weekly_hours),
        conventional_minimum_monthly=_decimal(payload.conventional_minimum_monthly),
        previous_contract=None
        if previous is None
        else PreviousContract(
            same_employer=previous.same_employer,
            led_to_diploma=previous.led_to_diploma,
            last_year_rate_percent=_decimal(previous.last_year_rate_percent),
            last_monthly_gross=_decimal(previous.last_monthly_gross),
        ),
        first_contract_year=payload.first_contract_year,
        licence_pro=payload.licence_pro,
        same_level_related_diploma=payload.same_level_related_diploma,
        rqth=payload.rqth,
        age_exception=payload.age_exception,
        finished_troisieme=payload.finished_troisieme,
    )


@router.post(
    "/simulations/salary",
    response={200: SalaryOut, 422: ErrorOut, 429: ErrorOut},
    summary="Simuler le salaire minimum d'un apprenti, mois par mois",
    description=(
        "Salaire brut minimum légal (C. trav. D6222-26 à D6222-33) de chaque mois du contrat, avec la tranche "
        "d'âge, l'année du contrat, le SMIC en vigueur et la raison de chaque changement, puis le net estimé "
        "(exonérations selon la date de conclusion). Entrées invalides : 422 avec un message par champ, rien "
        "n'est enregistré. Chaque simulation valide est enregistrée avec la version des règles. "
        + ROUNDING_NOTE
        + " "
        + limits_text(**LIMITS)
    ),
)
@rate_limit("aids.salary", **LIMITS)
def simulate_salary(request: HttpRequest, payload: SalaryIn) -> dict[str, Any]:
    try:
        with transaction.atomic():
            schedule = salary_simulate(
                data=salary_input_from(payload),
                inputs=payload.model_dump(mode="json"),
                user=request.user,
                channel="api",
            )
    except RulesInputError as error:
        raise _invalid(error) from error
    return salary_as_dict(schedule)


@router.post(
    "/simulations/aids",
    response={200: AidsOut, 422: ErrorOut, 429: ErrorOut},
    summary="Simuler les aides d'un contrat et le coût net pour l'employeur",
    description=(
        "Toutes les aides nationales et régionales en vigueur aux dates du contrat (et celles qui finissent ou "
        "commencent dans l'année), chacune éligible ou non avec la condition non remplie et sa référence, le "
        "calendrier de versement, et le coût net mensuel pour l'employeur (salaire brut minimum − aides ; "
        "cotisations patronales non modélisées, listées). " + ROUNDING_NOTE + " " + limits_text(**LIMITS)
    ),
)
@rate_limit("aids.simulate", **LIMITS)
def simulate_aids(request: HttpRequest, payload: AidsIn) -> dict[str, Any]:
    contract = payload.contract
    salary_payload = SalaryIn(
        birth_date=payload.apprentice.birth_date,
        contract_start=contract.start,
        contract_end=contract.end,
        concluded_on=contract.concluded_on,
        weekly_hours=contract.weekly_hours,
        conventional_minimum_monthly=contract.conventional_minimum_monthly,
        rqth=payload.apprentice.rqth,
    )
    aid_input = AidInput(
        birth_date=payload.apprentice.birth_date,
        contract_start=contract.start,
        contract_end=contract.end,
        concluded_on=contract.concluded_on,
        diploma_level=contract.diploma_level,
        headcount=payload.employer.headcount,
        public_employer=payload.employer.public,
        rqth=payload.apprentice.rqth,
        deposited_within_6_months=contract.deposited_within_6_months,
    )
    try:
        with transaction.atomic():
            result = employer_simulate(
                salary_input=salary_input_from(salary_payload),
                aid_input=aid_input,
                today=timezone.localdate(),
                inputs=payload.model_dump(mode="json"),
                user=request.user,
                channel="api",
                beneficiary=payload.beneficiary,
            )
    except RulesInputError as error:
        raise _invalid(error, field_map=FIELD_MAP) from error
    return aids_as_dict(result.aids, result.cost)


@router.get(
    "/aids/programmes",
    response={200: ProgrammeListOut, 422: ErrorOut, 429: ErrorOut},
    summary="Programmes d'aide en vigueur à une date",
    description="Aides nationales et régionales dont une règle datée couvre la date (aujourd'hui par défaut). "
    + limits_text(**LIMITS),
)
@rate_limit("aids.programmes", **LIMITS)
def programmes(request: HttpRequest, params: Query[ProgrammeQuery]) -> dict[str, Any]:
    date_, scope, page, page_size = params.date, params.scope, params.page, params.page_size
    on = date_ or timezone.localdate()
    ruleset = ruleset_get()
    codes = list(programme_list_in_force(on=on).values_list("code", flat=True))
    items = [ruleset.programme(code) for code in codes]
    items = [item for item in items if item is not None and (scope is None or item.scope == scope)]
    count = len(items)
    chunk = items[(page - 1) * page_size : page * page_size]
    return {
        "items": [
            {
                "programme": item.code,
                "name": item.name,
                "scope": item.scope,
                "beneficiary": item.beneficiary,
                "funder": item.funder,
                "description": item.description,
                "reference": item.reference,
                "source_date": item.source_date,
                "to_confirm": item.to_confirm,
                "rules": [
                    {
                        "concluded_from": rule.concluded_from,
                        "concluded_to": rule.concluded_to,
                        "conditions": {
                            key: value
                            for key, value in {
                                "date_basis": rule.date_basis,
                                "start_before": rule.start_before.isoformat() if rule.start_before else None,
                                "headcount_min": rule.headcount_min,
                                "headcount_max": rule.headcount_max,
                                "level_min": rule.level_min,
                                "level_max": rule.level_max,
                                "age_min": rule.age_min,
                                "age_max": rule.age_max,
                                "rqth": None if rule.rqth == "any" else rule.rqth,
                                "employer_kind": None if rule.employer_kind == "any" else rule.employer_kind,
                                "first_year_only": rule.first_year_only or None,
                                "requires_deposit": rule.requires_deposit or None,
                                "checks": list(rule.checks) or None,
                            }.items()
                            if value is not None
                        },
                        "amount": None if rule.amount is None else float(rule.amount),
                        "amounts_by_year": [float(value) for value in rule.amounts_by_year],
                        "reference": rule.reference,
                        "to_confirm": rule.to_confirm,
                    }
                    for rule in item.rules
                    if rule.in_window(on)
                ],
            }
            for item in chunk
        ],
        "count": count,
        "page": page,
        "page_size": page_size,
        "rules_version": ruleset.version,
    }
