"""Plain JSON-ready dicts of the rule results (money as numbers with two decimals), for the API and the records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from guichet.rules.aids import AidResult, AidsSimulation, EmployerCost
from guichet.rules.parameters import AGE_BAND_LABELS
from guichet.rules.salary import SalarySchedule

ROUNDING_NOTE = (
    "Montants en euros, deux décimales. Salaires minimaux arrondis au centime supérieur (comme l'outil officiel "
    "d'aide au CERFA) ; cotisations, seuils et échéances d'aide arrondis au centime le plus proche."
)


def money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def salary_as_dict(schedule: SalarySchedule) -> dict[str, Any]:
    return {
        "months": [
            {
                "month": month.month,
                "start": month.start.isoformat(),
                "end": month.end.isoformat(),
                "age": month.age,
                "age_band": month.age_band,
                "age_band_label": AGE_BAND_LABELS[month.age_band],
                "contract_year": month.contract_year,
                "rate_percent": float(month.rate_percent),
                "smic_monthly": money(month.smic_monthly),
                "basis": month.basis,
                "full_month_gross": money(month.full_month_gross),
                "minimum_gross": money(month.minimum_gross),
                "smic_percent": float(month.smic_percent),
                "prorated": month.prorated,
                "exempt_threshold": money(month.exempt_threshold),
                "employee_contributions": money(month.employee_contributions),
                "csg_crds": money(month.csg_crds),
                "net": money(month.net),
                "net_is_estimate": month.net_is_estimate,
                "changes": [reason.as_dict() for reason in month.changes],
                "reasons": [reason.as_dict() for reason in month.reasons],
            }
            for month in schedule.months
        ],
        "totals": {
            "gross": money(schedule.total_gross),
            "net": money(schedule.total_net),
            "employee_contributions": money(schedule.total_contributions),
            "months": len(schedule.months),
        },
        "reasons": [reason.as_dict() for reason in schedule.reasons],
        "sources": schedule.references,
        "not_modelled": schedule.not_modelled,
        "rounding": ROUNDING_NOTE,
        "rules_version": schedule.rules_version,
    }


def aid_as_dict(result: AidResult) -> dict[str, Any]:
    programme = result.programme
    return {
        "programme": programme.code,
        "name": programme.name,
        "scope": programme.scope,
        "beneficiary": programme.beneficiary,
        "funder": programme.funder,
        "eligible": result.eligible,
        "status": result.status,
        "amount": money(result.amount),
        "amount_is_maximum": result.amount_is_maximum,
        "schedule": [
            {
                "due": instalment.due.isoformat(),
                "period_start": instalment.period_start.isoformat(),
                "period_end": instalment.period_end.isoformat(),
                "amount": money(instalment.amount),
            }
            for instalment in result.schedule
        ],
        "reasons": [reason.as_dict() for reason in result.reasons],
        "to_check": result.to_check,
        "reference": result.reference,
        "to_confirm": result.to_confirm,
        "rules_version": result.rules_version,
    }


def employer_cost_as_dict(cost: EmployerCost) -> dict[str, Any]:
    return {
        "months": [
            {
                "month": month.month,
                "gross": money(month.gross),
                "aid": money(month.aid),
                "net_cost": money(month.net_cost),
            }
            for month in cost.months
        ],
        "total_gross": money(cost.total_gross),
        "total_aid": money(cost.total_aid),
        "total": money(cost.total_net_cost),
        "not_modelled": cost.not_modelled,
        "reasons": [
            {
                "code": "employer_cost",
                "label": "Coût net = salaire brut minimum − aides versées à l'employeur, mois par mois.",
                "value": str(cost.total_net_cost),
            }
        ],
    }


def aids_as_dict(simulation: AidsSimulation, cost: EmployerCost | None = None) -> dict[str, Any]:
    return {
        "aids": [aid_as_dict(result) for result in simulation.aids],
        "national_total": money(simulation.national_total),
        "regional_total": money(simulation.regional_total),
        "employer_total": money(simulation.employer_total),
        "apprentice_total": money(simulation.apprentice_total),
        "employer_net_cost": employer_cost_as_dict(cost) if cost is not None else None,
        "rounding": ROUNDING_NOTE,
        "rules_version": simulation.rules_version,
    }
