"""Simulator pages (young person, employer) and the list of aids in force. Thin: the rules do the work."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.aids.forms import EmployerForm, SalaryForm, aged, shifted_start
from guichet.aids.selectors import programme_list_in_force, ruleset_get
from guichet.aids.services import employer_simulate, salary_simulate
from guichet.rules.aids import AidInput, aids_simulate
from guichet.rules.base import RulesInputError, add_months, age_on
from guichet.rules.salary import MonthPay, SalaryInput, SalarySchedule

HEADCOUNT_UPPER = {"0": 0, "1-5": 5, "6-9": 9, "10-19": 19, "20-49": 49, "50-99": 99, "100-199": 199, "500+": 500}


@dataclass
class Period:
    """Consecutive months with the same pay, as in DOMAIN.md's worked example."""

    first: MonthPay
    last: MonthPay
    changes: list[Any]

    @property
    def months(self) -> int:
        return (self.last.start.year - self.first.start.year) * 12 + self.last.start.month - self.first.start.month + 1


def periods(schedule: SalarySchedule) -> list[Period]:
    result: list[Period] = []
    for month in schedule.months:
        key = (month.age_band, month.contract_year, month.rate_percent, month.smic_monthly, month.minimum_gross)
        if result and not month.prorated and not result[-1].last.prorated:
            last = result[-1].last
            if (last.age_band, last.contract_year, last.rate_percent, last.smic_monthly, last.minimum_gross) == key:
                result[-1].last = month
                continue
        result.append(Period(first=month, last=month, changes=month.changes))
    return result


def _prefill(request: HttpRequest) -> tuple[dict[str, Any], str]:
    """Initial values from ?offre=<id> or ?contrat=<id> (a contract draft the user works on)."""
    initial: dict[str, Any] = {}
    source = ""
    offer_id, draft_id = request.GET.get("offre", ""), request.GET.get("contrat", "")
    if offer_id.isdigit():
        from guichet.offers.models import Offer

        offer = (
            Offer.objects.visible_to(request.user).select_related("establishment__company").filter(pk=offer_id).first()
        )
        if offer is not None:
            initial = {
                "contract_start": offer.starts_on,
                "contract_end": add_months(offer.starts_on, offer.duration_months) - timedelta(days=1),
                "weekly_hours": offer.weekly_hours,
                "diploma_level": offer.target_level_id,
            }
            band = offer.establishment.company.headcount_band or offer.establishment.headcount_band
            if band in HEADCOUNT_UPPER:
                initial["headcount"] = HEADCOUNT_UPPER[band]
            source = f"l'offre « {offer.title} »"
    elif draft_id.isdigit():
        from guichet.contracts.models import ContractDraft
        from guichet.contracts.services import draft_sides_for

        draft = ContractDraft.objects.select_related("application__offer").filter(pk=draft_id).first()
        if draft is not None and draft_sides_for(application=draft.application, user=request.user):
            initial = {
                "birth_date": draft.apprentice_birth_date,
                "contract_start": draft.starts_on,
                "contract_end": draft.ends_on,
                "concluded_on": draft.concluded_on,
                "weekly_hours": draft.weekly_hours,
                "rqth": draft.apprentice_rqth,
                "diploma_level": draft.diploma_level,
                "headcount": draft.employer_headcount,
            }
            initial = {key: value for key, value in initial.items() if value not in (None, "")}
            source = "votre projet de contrat"
    return initial, source


def _bound_form(form_class: type[SalaryForm], request: HttpRequest) -> tuple[SalaryForm, str]:
    initial, source = _prefill(request)
    if "birth_date" in request.GET or "contract_start" in request.GET:
        return form_class(request.GET), source
    return form_class(initial=initial), source


@dataclass
class Comparison:
    label: str
    gross: Decimal
    net: Decimal
    aid: Decimal | None
    net_cost: Decimal | None


def _compare(form: SalaryForm, base: SalaryInput, *, employer: bool, today: date) -> list[Comparison]:
    """The same simulation for another start date or another age, without recording them."""
    variants: list[tuple[str, SalaryInput]] = []
    start = form.cleaned_data.get("compare_start")
    if start and start != base.contract_start:
        variants.append((f"Si le contrat commence le {start:%d/%m/%Y}", shifted_start(base, start)))
    age = form.cleaned_data.get("compare_age")
    if age is not None and age != age_on(base.birth_date, base.contract_start):
        variants.append((f"Si l'apprenti a {age} ans au début du contrat", aged(base, age)))
    results = []
    for label, data in variants:
        try:
            if employer:
                aid = replace(
                    form.aid_input(),  # type: ignore[attr-defined]
                    birth_date=data.birth_date,
                    contract_start=data.contract_start,
                    contract_end=data.contract_end,
                    concluded_on=data.concluded_on,
                )
                result = employer_simulate(salary_input=data, aid_input=aid, today=today, inputs={}, record=False)
                results.append(
                    Comparison(
                        label,
                        result.salary.total_gross,
                        result.salary.total_net,
                        result.cost.total_aid,
                        result.cost.total_net_cost,
                    )
                )
            else:
                schedule = salary_simulate(data=data, inputs={}, record=False)
                results.append(Comparison(label, schedule.total_gross, schedule.total_net, None, None))
        except RulesInputError as error:
            form.add_error(None, f"{label} : {error.problems[0].message}")
    return results


def salary_simulator(request: HttpRequest) -> HttpResponse:
    """The young person's simulator: pay month by month, net pay, aids for the apprentice."""
    form, source = _bound_form(SalaryForm, request)
    context: dict[str, Any] = {"form": form, "prefilled_from": source, "ruleset": ruleset_get()}
    if form.is_bound and form.is_valid():
        data = form.salary_input()
        today = timezone.localdate()
        try:
            with transaction.atomic():
                schedule = salary_simulate(data=data, inputs=form.inputs(), user=request.user)
            aids = aids_simulate(
                data=AidInput(
                    birth_date=data.birth_date,
                    contract_start=data.contract_start,
                    contract_end=data.contract_end,
                    concluded_on=data.concluded_on,
                    rqth=data.rqth,
                    monthly_net=schedule.months[0].net,
                ),
                ruleset=context["ruleset"],
                today=today,
                beneficiary="apprentice",
            )
        except RulesInputError as error:
            form.add_rules_errors(error)
        else:
            base = Comparison("Votre simulation", schedule.total_gross, schedule.total_net, None, None)
            context |= {
                "schedule": schedule,
                "periods": periods(schedule),
                "aids": aids,
                "comparisons": [base, *_compare(form, data, employer=False, today=today)],
            }
    return render(request, "aids/salary_simulator.html", context)


def employer_simulator(request: HttpRequest) -> HttpResponse:
    """The employer's simulator: minimum pay, aids eligible or not, net cost month by month."""
    form, source = _bound_form(EmployerForm, request)
    context: dict[str, Any] = {"form": form, "prefilled_from": source, "ruleset": ruleset_get()}
    if form.is_bound and form.is_valid():
        data = form.salary_input()
        today = timezone.localdate()
        try:
            with transaction.atomic():
                result = employer_simulate(
                    salary_input=data, aid_input=form.aid_input(), today=today, inputs=form.inputs(), user=request.user
                )
        except RulesInputError as error:
            form.add_rules_errors(error)
        else:
            base = Comparison(
                "Votre simulation",
                result.salary.total_gross,
                result.salary.total_net,
                result.cost.total_aid,
                result.cost.total_net_cost,
            )
            context |= {
                "schedule": result.salary,
                "periods": periods(result.salary),
                "aids": result.aids,
                "cost": result.cost,
                "comparisons": [base, *_compare(form, data, employer=True, today=today)],
            }
    return render(request, "aids/employer_simulator.html", context)


def programme_list(request: HttpRequest) -> HttpResponse:
    """Aids in force today (or at ?date=), national and regional, with their sources."""
    today = timezone.localdate()
    try:
        on = date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else today
    except ValueError:
        on = today
    ruleset = ruleset_get()
    codes = list(programme_list_in_force(on=on).values_list("code", flat=True))
    programmes = [ruleset.programme(code) for code in codes]
    return render(
        request,
        "aids/programme_list.html",
        {"programmes": [p for p in programmes if p is not None], "on": on, "ruleset": ruleset},
    )


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "aids/index.html", {"ruleset": ruleset_get()})
