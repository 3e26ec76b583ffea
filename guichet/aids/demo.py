"""Demo rows of the aids app: a fictitious regional employer aid with yearly budgets, and applications on
synthetic contracts at every stage (submitted, in instruction, granted with payments, refused).

The Region has had no employer aid of its own since 2019 (DOMAIN.md 7.1), so the demo programme is labelled
"programme fictif de démonstration"; every row is `is_synthetic`. Registered as a demo step (order 60).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q

from guichet.aids.models import AidApplication, AidBudget, AidPayment, AidProgramme, AidRule, AuditEvent
from guichet.aids.services import (
    ApplicationError,
    application_grant,
    application_refuse,
    application_request_document,
    application_submit,
    payment_record,
)
from guichet.contracts.demo.extensions import DemoContext

DEMO_CODE = "hdf_demo_embauche"


def generate_demo_aids(context: DemoContext) -> dict[str, int]:
    rng = context.rng("aids")
    today = context.today
    programme = AidProgramme.objects.create(
        code=DEMO_CODE,
        name="Aide régionale à l'embauche d'un apprenti (programme fictif de démonstration)",
        scope="regional",
        beneficiary="employer",
        funder="Région Hauts-de-France (données fictives)",
        payment="once",
        reference="Programme fictif : aucune délibération (données fictives de démonstration)",
        description="1 000 € pour une entreprise de moins de 250 salariés qui embauche un apprenti. Données fictives.",
        accepts_applications=True,
        is_synthetic=True,
    )
    AidRule.objects.create(
        programme=programme,
        concluded_from=date(2019, 1, 1),
        headcount_max=249,
        amount=Decimal("1000"),
        reference="Programme fictif de démonstration",
    )
    budgets = [
        AidBudget.objects.create(programme=programme, year=year, amount=Decimal(amount), is_synthetic=True)
        for year, amount in ((today.year - 1, "150000"), (today.year, "200000"))
    ]
    contracts = list(_contracts().filter(starts_on__lte=today).order_by("pk")[: context.size(400, minimum=12)])
    created = granted = paid = 0
    for contract in contracts:
        birth = date(contract.birth_year, rng.randint(1, 12), rng.randint(1, 28))
        headcount = rng.choice([3, 8, 15, 40, 120, 300])
        try:
            application = application_submit(
                programme=programme,
                contract=contract,
                establishment=contract.establishment,
                by=None,
                birth_date=birth,
                rqth=rng.random() < 0.03,
                headcount=headcount,
                today=today,
            )
        except ApplicationError:
            continue
        application.is_synthetic = True
        application.save(update_fields=["is_synthetic"])
        created += 1
        stage = rng.random()
        if stage < 0.25:
            continue
        application_request_document(application=application, label="Relevé d'identité bancaire", by=None)
        if stage < 0.45:
            continue
        if not application.precheck.get("eligible") or stage > 0.92:
            application_refuse(
                application=application,
                reason="Les conditions de l'aide ne sont pas remplies (données fictives).",
                by=None,
                today=today,
            )
            continue
        try:
            application_grant(application=application, amount=Decimal("1000"), by=None, today=today)
        except ApplicationError:
            continue
        granted += 1
        if stage < 0.8:
            for payment in application.payments.all():
                payment_record(payment=payment, by=None, paid_on=today)
                paid += 1
    return {
        "programme d'aide régionale fictif": 1,
        "budgets": len(budgets),
        "demandes d'aide": created,
        "aides accordées": granted,
        "versements payés": paid,
    }


def _contracts():
    from guichet.contracts.models import Contract

    return Contract.objects.filter(is_synthetic=True, establishment__isnull=False)


def delete_demo_aids() -> dict[str, int]:
    applications = AidApplication.objects.filter(Q(is_synthetic=True) | Q(programme__is_synthetic=True))
    count = applications.count()
    AuditEvent.objects.filter(Q(application__in=applications) | Q(budget__is_synthetic=True)).delete()
    AidPayment.objects.filter(application__in=applications).delete()
    applications.delete()
    budgets = AidBudget.objects.filter(is_synthetic=True)
    budget_count = budgets.count()
    budgets.delete()
    AidRule.objects.filter(programme__is_synthetic=True).delete()
    programmes = AidProgramme.objects.filter(is_synthetic=True)
    programme_count = programmes.count()
    programmes.delete()
    return {"demandes d'aide": count, "budgets": budget_count, "programmes fictifs": programme_count}
