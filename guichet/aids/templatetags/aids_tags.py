"""Template helpers of the aids app: French money and percentages, and the offer pay summary.

    {% load aids_tags %}
    {% offer_pay_summary offer %}

renders the apprentice's minimum pay range (by age at the start, 1st year -> last year) and the employer's
net cost over the contract for an offer, with the rules version and sources. Offer pages include it: aids is
below offers in the dependency order, so offers never imports aids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import template

from guichet.rules.aids import AidInput, aids_simulate, employer_cost
from guichet.rules.base import RulesInputError, add_months, add_years, french_money, french_percent
from guichet.rules.parameters import AGE_BAND_LABELS
from guichet.rules.salary import SalaryInput, salary_schedule

register = template.Library()

HEADCOUNT_UPPER = {"0": 0, "1-5": 5, "6-9": 9, "10-19": 19, "20-49": 49, "50-99": 99, "100-199": 199, "500+": 500}
AGES = ((16, "under_18"), (18, "18_20"), (21, "21_25"), (26, "26_plus"))


@register.filter
def euros(value: Any) -> str:
    if value in (None, ""):
        return ""
    return french_money(Decimal(str(value)))


@register.filter
def percent(value: Any) -> str:
    if value in (None, ""):
        return ""
    return french_percent(Decimal(str(value)))


@dataclass
class PayRow:
    age: int
    label: str
    first: Decimal
    last: Decimal
    aid: Decimal
    net_cost: Decimal


@register.inclusion_tag("aids/partials/_offer_pay_summary.html")
def offer_pay_summary(offer: Any, *, today: date | None = None) -> dict[str, Any]:
    """Minimum pay range and the employer's net cost for an offer, by the apprentice's age at the start."""
    from django.utils import timezone

    from guichet.aids.selectors import ruleset_get

    today = today or timezone.localdate()
    ruleset = ruleset_get()
    start = offer.starts_on
    end = add_months(start, offer.duration_months) - timedelta(days=1)
    band = getattr(offer.establishment.company, "headcount_band", "") or offer.establishment.headcount_band
    headcount = HEADCOUNT_UPPER.get(band)
    rows: list[PayRow] = []
    for age, key in AGES:
        birth = add_years(start, -age) - timedelta(days=1)  # just turned `age` the day before the start
        try:
            salary = salary_schedule(
                data=SalaryInput(
                    birth_date=birth,
                    contract_start=start,
                    contract_end=end,
                    weekly_hours=Decimal(str(offer.weekly_hours)),
                ),
                ruleset=ruleset,
            )
            aids = aids_simulate(
                data=AidInput(
                    birth_date=birth,
                    contract_start=start,
                    contract_end=end,
                    diploma_level=offer.target_level_id,
                    headcount=headcount,
                ),
                ruleset=ruleset,
                today=today,
                beneficiary="employer",
            )
        except RulesInputError:
            continue
        cost = employer_cost(salary=salary, aids=aids)
        rows.append(
            PayRow(
                age,
                AGE_BAND_LABELS[key],
                salary.months[0].full_month_gross,
                salary.months[-1].full_month_gross,
                cost.total_aid,
                cost.total_net_cost,
            )
        )
    return {
        "offer": offer,
        "rows": rows,
        "headcount_known": headcount is not None,
        "rules_version": ruleset.version,
        "checked_on": ruleset.checked_on,
    }
