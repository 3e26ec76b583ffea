"""Reads of the aids app: the parameters in force as a `RuleSet`, and the programmes in force at a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet

from guichet.aids.models import (
    AidProgramme,
    AidRule,
    ContributionRate,
    ExemptionRegime,
    IncomeTaxCeiling,
    PayGridRate,
    PaymentRule,
    SmicRate,
)
from guichet.rules.parameters import RuleSet, ruleset_from_dict

CACHE_KEY = "aids:ruleset"
CACHE_SECONDS = 60  # a new row is also cleared from the cache by the signals of aids.signals


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Any) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def ruleset_data() -> dict[str, Any]:
    """The parameters of the database, in the shape of data/reference/aids/parametres.json."""
    rules_by_programme: dict[int, list[dict[str, Any]]] = {}
    for rule in AidRule.objects.order_by("programme_id", "priority", "concluded_from", "pk"):
        rules_by_programme.setdefault(rule.programme_id, []).append(
            {
                "priority": rule.priority,
                "date_basis": rule.date_basis,
                "concluded_from": _iso(rule.concluded_from),
                "concluded_to": _iso(rule.concluded_to),
                "start_before": _iso(rule.start_before),
                "headcount_min": rule.headcount_min,
                "headcount_max": rule.headcount_max,
                "level_min": rule.level_min,
                "level_max": rule.level_max,
                "age_min": rule.age_min,
                "age_max": rule.age_max,
                "rqth": rule.rqth,
                "employer_kind": rule.employer_kind,
                "first_year_only": rule.first_year_only,
                "requires_deposit": rule.requires_deposit,
                "max_net_smic_percent": _money(rule.max_net_smic_percent),
                "amount": _money(rule.amount),
                "amounts_by_year": [str(value) for value in rule.amounts_by_year],
                "amount_is_maximum": rule.amount_is_maximum,
                "max_months": rule.max_months,
                "checks": list(rule.checks),
                "reference": rule.reference,
                "to_confirm": rule.to_confirm,
            }
        )
    return {
        "smic": [
            {
                "territory": row.territory,
                "effective_on": _iso(row.effective_on),
                "hourly": _money(row.hourly),
                "monthly": _money(row.monthly),
                "reference": row.reference,
                "url": row.url,
                "to_confirm": row.to_confirm,
            }
            for row in SmicRate.objects.order_by("territory", "effective_on")
        ],
        "pay_grid": [
            {
                "valid_from": _iso(row.valid_from),
                "age_band": row.age_band,
                "contract_year": row.contract_year,
                "rate_percent": _money(row.rate_percent),
                "reference": row.reference,
            }
            for row in PayGridRate.objects.order_by("valid_from", "age_band", "contract_year")
        ],
        "exemptions": [
            {
                "code": row.code,
                "concluded_from": _iso(row.concluded_from),
                "concluded_to": _iso(row.concluded_to),
                "threshold_percent_smic": _money(row.threshold_percent_smic),
                "csg_crds_due": row.csg_crds_due,
                "reference": row.reference,
                "to_confirm": row.to_confirm,
            }
            for row in ExemptionRegime.objects.order_by("concluded_from")
        ],
        "contribution_rates": [
            {
                "code": row.code,
                "valid_from": _iso(row.valid_from),
                "rate_percent": _money(row.rate_percent),
                "base_percent": _money(row.base_percent),
                "label": row.label,
                "reference": row.reference,
                "to_confirm": row.to_confirm,
            }
            for row in ContributionRate.objects.order_by("code", "valid_from")
        ],
        "income_tax_ceilings": [
            {"year": row.year, "amount": _money(row.amount), "reference": row.reference, "to_confirm": row.to_confirm}
            for row in IncomeTaxCeiling.objects.order_by("year")
        ],
        "payment_rules": [
            {
                "code": row.code,
                "concluded_from": _iso(row.concluded_from),
                "reference": row.reference,
                "to_confirm": row.to_confirm,
            }
            for row in PaymentRule.objects.order_by("code", "concluded_from")
        ],
        "programmes": [
            {
                "code": programme.code,
                "name": programme.name,
                "scope": programme.scope,
                "beneficiary": programme.beneficiary,
                "funder": programme.funder,
                "exclusive_group": programme.exclusive_group,
                "payment": programme.payment,
                "reference": programme.reference,
                "source_date": _iso(programme.source_date),
                "to_confirm": programme.to_confirm,
                "description": programme.description,
                "rules": rules_by_programme.get(programme.pk, []),
            }
            for programme in AidProgramme.objects.order_by("code")
            if rules_by_programme.get(programme.pk)
        ],
    }


def ruleset_get() -> RuleSet:
    """The parameters in force in the database, cached briefly; its version is recorded as a snapshot."""
    ruleset = cache.get(CACHE_KEY)
    if ruleset is None:
        from guichet.aids.services import rules_snapshot_ensure

        data = ruleset_data()
        ruleset = ruleset_from_dict(data)
        rules_snapshot_ensure(version=ruleset.version, data=data)
        cache.set(CACHE_KEY, ruleset, CACHE_SECONDS)
    return ruleset


def programme_list_in_force(*, on: date) -> QuerySet[AidProgramme]:
    """Programmes with at least one rule whose period contains `on`."""
    in_force = Q(rules__concluded_from__lte=on) & (
        Q(rules__concluded_to__isnull=True) | Q(rules__concluded_to__gte=on)
    )
    return AidProgramme.objects.filter(in_force).distinct().order_by("scope", "beneficiary", "name")
