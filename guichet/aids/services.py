"""Writes of the aids app: rules snapshots and recorded simulations."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.aids.models import (
    AidApplication,
    AidBudget,
    AidPayment,
    AidProgramme,
    ApplicationDocument,
    ApplicationStatus,
    AuditEvent,
    DocumentStatus,
    RulesSnapshot,
    Simulation,
    SimulationKind,
)
from guichet.core.calendar import add_working_days
from guichet.rules.aids import (
    AidInput,
    AidResult,
    AidsSimulation,
    EmployerCost,
    aid_evaluate,
    aids_simulate,
    employer_cost,
    validate_aid_input,
)
from guichet.rules.base import RulesInputError
from guichet.rules.output import aid_as_dict, aids_as_dict, salary_as_dict
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


# --- Regional aid applications --------------------------------------------------------------------------------

INSTRUCTION_WORKING_DAYS = 20  # the Region's service-level target for a decision (jours ouvrés, product choice)


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def audit(*, action: str, actor: Any, application: Any = None, budget: Any = None, **detail: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        application=application,
        budget=budget,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        detail={key: str(value) for key, value in detail.items()},
    )


def application_precheck(
    *, programme: AidProgramme, contract: Any, birth_date: date, rqth: bool, headcount: int, today: date
) -> tuple[AidResult, str]:
    """The automatic eligibility check of a programme for a contract, with the rules version used."""
    from guichet.aids.selectors import ruleset_get

    ruleset = ruleset_get()
    rule_programme = ruleset.programme(programme.code)
    if rule_programme is None:
        raise ApplicationError(
            "Cette aide n'a pas de règle datée : elle ne peut pas être demandée.", field="programme"
        )
    data = AidInput(
        birth_date=birth_date,
        contract_start=contract.starts_on,
        contract_end=contract.planned_end_on,
        concluded_on=contract.concluded_on,
        diploma_level=contract.level_id,
        headcount=headcount,
        rqth=rqth,
    )
    try:
        validate_aid_input(data)
    except RulesInputError as error:
        problem = error.problems[0]
        raise ApplicationError(problem.message, field=problem.field.split(".")[-1]) from error
    return aid_evaluate(programme=rule_programme, data=data, ruleset=ruleset, today=today), ruleset.version


@transaction.atomic
def application_submit(
    *,
    programme: AidProgramme,
    contract: Any,
    establishment: Any,
    by: Any,
    birth_date: date,
    rqth: bool,
    headcount: int,
    today: date,
) -> AidApplication:
    """An employer applies for a regional aid on one of its contracts; the pre-check is stored for both sides."""
    if not programme.accepts_applications:
        raise ApplicationError("Cette aide ne se demande pas sur le guichet.", field="programme")
    if contract.establishment_id != establishment.pk:
        raise ApplicationError("Ce contrat n'est pas celui de votre établissement.", field="contract")
    if AidApplication.objects.filter(programme=programme, contract=contract).exclude(status="refused").exists():
        raise ApplicationError("Une demande de cette aide existe déjà pour ce contrat.", field="contract")
    result, version = application_precheck(
        programme=programme, contract=contract, birth_date=birth_date, rqth=rqth, headcount=headcount, today=today
    )
    application = AidApplication.objects.create(
        programme=programme,
        contract=contract,
        establishment=establishment,
        applicant=by if getattr(by, "is_authenticated", False) else None,
        apprentice_birth_date=birth_date,
        apprentice_rqth=rqth,
        headcount=headcount,
        precheck=aid_as_dict(result),
        requested_amount=result.amount,
        rules_version=version,
        instruction_deadline=add_working_days(today, INSTRUCTION_WORKING_DAYS),
    )
    audit(action="submitted", actor=by, application=application, eligible=result.eligible, amount=result.amount)
    return application


def _instructable(application: AidApplication) -> None:
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.INSTRUCTING):
        raise ApplicationError("Cette demande a déjà reçu une décision.")


@transaction.atomic
def application_request_document(*, application: AidApplication, label: str, by: Any) -> ApplicationDocument:
    application = AidApplication.objects.select_for_update().get(pk=application.pk)
    _instructable(application)
    label = label.strip()
    if not label:
        raise ApplicationError("Indiquez la pièce à demander.", field="label")
    document = ApplicationDocument.objects.create(application=application, label=label)
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.INSTRUCTING
        application.save(update_fields=["status"])
    audit(action="document_requested", actor=by, application=application, label=label)
    return document


@transaction.atomic
def document_mark_received(*, document: ApplicationDocument, by: Any) -> ApplicationDocument:
    if document.status == DocumentStatus.RECEIVED:
        raise ApplicationError("Cette pièce est déjà reçue.")
    document.status, document.received_at = DocumentStatus.RECEIVED, timezone.now()
    document.save(update_fields=["status", "received_at"])
    audit(action="document_received", actor=by, application=document.application, label=document.label)
    return document


@transaction.atomic
def application_add_note(*, application: AidApplication, text: str, by: Any) -> AuditEvent:
    text = text.strip()
    if not text:
        raise ApplicationError("Écrivez la note avant de l'enregistrer.", field="text")
    return audit(action="note", actor=by, application=application, text=text)


def _letter(application: AidApplication, *, granted: bool, today: date) -> str:
    from guichet.rules.base import french_date, french_money

    head = (
        f"Région Hauts-de-France, le {french_date(today)}.\n\n"
        f"Objet : votre demande « {application.programme.name} » "
        f"pour le contrat {application.contract.contract_number}.\n\n"
        "Madame, Monsieur,\n\n"
    )
    if granted:
        body = (
            f"La Région vous accorde une aide de {french_money(application.granted_amount)}. Elle vous sera versée "
            f"selon l'échéancier joint ({application.payments.count()} versement(s)). "
            f"Référence : {application.programme.reference}."
        )
    else:
        body = (
            f"La Région ne peut pas accorder cette aide, pour le motif suivant : {application.refusal_reason}\n\n"
            "Vous pouvez former un recours gracieux auprès de la Région dans un délai de deux mois."
        )
    return head + body + f"\n\nVersion des règles appliquées : {application.decision_rules_version}."


@transaction.atomic
def application_grant(*, application: AidApplication, amount: Decimal, by: Any, today: date) -> AidApplication:
    """Grant an aid: commit the amount on the programme's budget of the year, under a row lock, then plan payments.

    Refused (nothing saved) when the amount exceeds the remaining budget; concurrent grants wait on the lock,
    and the budget's check constraint refuses any overspending that would slip through.
    """
    from guichet.aids.selectors import ruleset_get

    application = (
        AidApplication.objects.select_for_update(of=("self",))
        .select_related("programme", "contract")
        .get(pk=application.pk)
    )
    _instructable(application)
    if amount is None or amount <= 0:
        raise ApplicationError("Le montant accordé doit être positif.", field="amount")
    budget = AidBudget.objects.select_for_update().filter(programme=application.programme, year=today.year).first()
    if budget is None:
        raise ApplicationError(f"Aucun budget {today.year} n'est ouvert pour cette aide.", field="amount")
    if budget.committed_amount + amount > budget.amount:
        raise ApplicationError(
            f"Budget insuffisant : il reste {budget.amount - budget.committed_amount} € sur l'enveloppe {today.year}.",
            field="amount",
        )
    budget.committed_amount += amount
    budget.save(update_fields=["committed_amount"])
    ruleset = ruleset_get()
    application.status = ApplicationStatus.GRANTED
    application.granted_amount = amount
    application.budget = budget
    application.decided_at, application.decided_by = timezone.now(), by
    application.decision_rules_version = ruleset.version
    application.save()
    _plan_payments(application=application, amount=amount, today=today)
    application.letter = _letter(application, granted=True, today=today)
    application.save(update_fields=["letter"])
    audit(action="granted", actor=by, application=application, budget=budget, amount=amount)
    return application


def _plan_payments(*, application: AidApplication, amount: Decimal, today: date) -> None:
    """Instalments following the programme's schedule in the pre-check, scaled to the granted amount."""
    planned = application.precheck.get("schedule") or []
    planned_total = sum((Decimal(str(item["amount"])) for item in planned), Decimal(0))
    if not planned or planned_total <= 0:
        AidPayment.objects.create(application=application, due_on=today, amount=amount)
        return
    remaining = amount
    for index, item in enumerate(planned):
        share = (
            remaining
            if index == len(planned) - 1
            else (Decimal(str(item["amount"])) * amount / planned_total).quantize(Decimal("0.01"))
        )
        remaining -= share
        if share > 0:
            due = max(date.fromisoformat(item["due"]), today)
            AidPayment.objects.create(application=application, due_on=due, amount=share)


@transaction.atomic
def application_refuse(*, application: AidApplication, reason: str, by: Any, today: date) -> AidApplication:
    from guichet.aids.selectors import ruleset_get

    application = AidApplication.objects.select_for_update().get(pk=application.pk)
    _instructable(application)
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Indiquez le motif du refus : il figure dans le courrier.", field="reason")
    application.status = ApplicationStatus.REFUSED
    application.refusal_reason = reason
    application.decided_at, application.decided_by = timezone.now(), by
    application.decision_rules_version = ruleset_get().version
    application.letter = _letter(application, granted=False, today=today)
    application.save()
    audit(action="refused", actor=by, application=application, reason=reason)
    return application


@transaction.atomic
def payment_record(*, payment: AidPayment, by: Any, paid_on: date) -> AidPayment:
    """Record a payment as made; the budget's paid amount moves under the same lock as commitments."""
    payment = AidPayment.objects.select_for_update(of=("self",)).select_related("application").get(pk=payment.pk)
    if payment.paid_on is not None:
        raise ApplicationError("Ce versement est déjà enregistré.")
    budget = AidBudget.objects.select_for_update().get(pk=payment.application.budget_id)
    budget.paid_amount += payment.amount
    budget.save(update_fields=["paid_amount"])
    payment.paid_on, payment.recorded_by = paid_on, by
    payment.save(update_fields=["paid_on", "recorded_by"])
    audit(
        action="paid", actor=by, application=payment.application, budget=budget, amount=payment.amount, paid_on=paid_on
    )
    return payment
