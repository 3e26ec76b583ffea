"""Regional aid applications: pre-check, instruction, decision, payments, budget, audit trail, concurrency."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from guichet.aids.models import AidApplication, AidBudget, AidPayment, AuditEvent
from guichet.aids.services import (
    ApplicationError,
    application_grant,
    application_refuse,
    application_request_document,
    application_submit,
    document_mark_received,
    payment_record,
)
from guichet.aids.tests.factories import AidBudgetFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.employers.tests.factories import EmployerFactory

TODAY = date(2026, 11, 25)


def submit(budget, **changes):
    contract = ContractFactory(
        concluded_on=date(2026, 8, 20), starts_on=date(2026, 9, 1), planned_end_on=date(2028, 8, 31)
    )
    values = {
        "programme": budget.programme,
        "contract": contract,
        "establishment": contract.establishment,
        "by": EmployerFactory(),
        "birth_date": date(2007, 5, 1),
        "rqth": False,
        "headcount": 12,
        "today": TODAY,
    } | changes
    return application_submit(**values)


@pytest.mark.django_db
def test_submitted_application_stores_the_precheck_its_rules_version_and_a_working_day_deadline():
    application = submit(AidBudgetFactory())
    assert application.precheck["eligible"] is True and application.requested_amount == Decimal("1000")
    assert application.rules_version
    assert application.instruction_deadline == date(2026, 12, 23)  # 20 jours ouvrés, no public holiday in between
    assert AuditEvent.objects.get(application=application).action == "submitted"


@pytest.mark.django_db
def test_precheck_shows_a_failed_condition_without_refusing_the_application():
    application = submit(AidBudgetFactory(), headcount=300)
    assert application.precheck["eligible"] is False
    assert application.precheck["reasons"][0]["code"] == "failed_headcount"


@pytest.mark.django_db
def test_instruction_then_grant_commits_the_budget_plans_payments_and_writes_a_letter():
    budget = AidBudgetFactory()
    application = submit(budget)
    document = application_request_document(application=application, label="RIB de l'entreprise", by=None)
    document_mark_received(document=document, by=None)
    application = application_grant(application=application, amount=Decimal("1000"), by=None, today=TODAY)
    budget.refresh_from_db()
    assert (application.status, budget.committed_amount) == ("granted", Decimal("1000"))
    assert "1\u202f000,00\xa0€" in application.letter and application.decision_rules_version
    payment = AidPayment.objects.get(application=application)
    payment_record(payment=payment, by=None, paid_on=TODAY)
    budget.refresh_from_db()
    assert budget.paid_amount == Decimal("1000")
    actions = list(AuditEvent.objects.filter(application=application).values_list("action", flat=True))
    assert actions == ["submitted", "document_requested", "document_received", "granted", "paid"]
    with pytest.raises(ApplicationError):
        payment_record(payment=payment, by=None, paid_on=TODAY)


@pytest.mark.django_db
def test_a_grant_above_the_remaining_budget_is_refused_and_nothing_moves():
    budget = AidBudgetFactory(amount=Decimal("1500"))
    first, second = submit(budget), submit(budget)
    application_grant(application=first, amount=Decimal("1000"), by=None, today=TODAY)
    with pytest.raises(ApplicationError, match="Budget insuffisant"):
        application_grant(application=second, amount=Decimal("1000"), by=None, today=TODAY)
    second.refresh_from_db()
    budget.refresh_from_db()
    assert second.status == "submitted" and budget.committed_amount == Decimal("1000")
    assert not AidPayment.objects.filter(application=second).exists()


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_ends_the_instruction():
    application = submit(AidBudgetFactory())
    with pytest.raises(ApplicationError):
        application_refuse(application=application, reason=" ", by=None, today=TODAY)
    application = application_refuse(application=application, reason="Contrat hors région.", by=None, today=TODAY)
    assert "Contrat hors région." in application.letter
    with pytest.raises(ApplicationError):
        application_grant(application=application, amount=Decimal("10"), by=None, today=TODAY)


@pytest.mark.django_db
def test_the_same_aid_cannot_be_asked_twice_for_a_contract():
    budget = AidBudgetFactory()
    application = submit(budget)
    with pytest.raises(ApplicationError, match="existe déjà"):
        submit(budget, contract=application.contract, establishment=application.establishment)


def _in_own_thread(function):
    """Run ORM code in a fresh thread: its own connection, autocommit, closed afterwards."""
    result: list = []

    def run() -> None:
        try:
            result.append(function())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0] if result else None


@pytest.mark.django_db
def test_concurrent_grants_cannot_overspend_the_budget():
    """Real concurrent transactions: each grant runs in its own thread and connection, all released together.

    The rows are created committed from another thread (a transactional test would flush the reference data
    of the session) and deleted at the end.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers and has no SELECT ... FOR UPDATE: the race needs PostgreSQL.")

    def setup():
        budget = AidBudgetFactory(amount=Decimal("5000"))
        return budget, [submit(budget) for _ in range(12)]

    budget, applications = _in_own_thread(setup)
    barrier = threading.Barrier(len(applications))
    outcomes: list[str] = []

    def grant(application: AidApplication) -> None:
        try:
            barrier.wait()
            application_grant(application=application, amount=Decimal("1000"), by=None, today=TODAY)
            outcomes.append("granted")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=grant, args=(application,)) for application in applications]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        committed = _in_own_thread(lambda: AidBudget.objects.get(pk=budget.pk).committed_amount)
        granted = _in_own_thread(lambda: AidApplication.objects.filter(budget=budget, status="granted").count())
        assert outcomes.count("granted") == 5 and outcomes.count("refused") == 7
        assert committed == Decimal("5000") and granted == 5
    finally:
        _in_own_thread(lambda: _delete(budget, applications))


def _delete(budget, applications) -> None:
    ids = [application.pk for application in applications]
    AuditEvent.objects.filter(application_id__in=ids).delete()
    AuditEvent.objects.filter(budget=budget).delete()
    AidPayment.objects.filter(application_id__in=ids).delete()
    AidApplication.objects.filter(pk__in=ids).delete()
    for application in applications:
        contract, establishment = application.contract, application.establishment
        centre = contract.training_centre
        contract.delete()
        company = establishment.company
        establishment.delete()
        company.delete()
        if centre is not None:
            centre.delete()
        if application.applicant_id:
            application.applicant.delete()
    programme = budget.programme
    budget.delete()
    programme.rules.all().delete()
    programme.delete()


@pytest.mark.django_db
def test_the_database_refuses_a_commitment_above_the_envelope():
    from django.db import IntegrityError, transaction

    budget = AidBudgetFactory(amount=Decimal("100"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AidBudget.objects.filter(pk=budget.pk).update(committed_amount=Decimal("101"))
