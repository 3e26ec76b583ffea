"""Objects for the authorisation matrix (tests/security): aid applications of another employer's contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.aids.models import AidApplication
from guichet.aids.services import application_refuse, application_submit
from guichet.aids.tests.factories import AidBudgetFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.core.access import OwnerSample
from guichet.employers.tests.factories import EstablishmentMembershipFactory


def _submitted() -> tuple[AidApplication, object, object]:
    today = timezone.localdate()
    budget = AidBudgetFactory(year=today.year, amount=Decimal("1500"))
    contract = ContractFactory(
        concluded_on=date(2026, 8, 20), starts_on=date(2026, 9, 1), planned_end_on=date(2028, 8, 31)
    )
    owner = EstablishmentMembershipFactory(establishment=contract.establishment).user
    other = EstablishmentMembershipFactory().user
    application = application_submit(
        programme=budget.programme,
        contract=contract,
        establishment=contract.establishment,
        by=owner,
        birth_date=date(2007, 5, 1),
        rqth=False,
        headcount=12,
        today=today,
    )
    return application, owner, other


def application_of_another_employer() -> OwnerSample:
    application, owner, other = _submitted()
    return OwnerSample(owner=owner, other=other, kwargs={"pk": application.pk})


def decided_application_of_another_employer() -> OwnerSample:
    application, owner, other = _submitted()
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    application_refuse(
        application=application, reason="Contrat hors du périmètre de l'aide.", by=admin, today=timezone.localdate()
    )
    return OwnerSample(owner=owner, other=other, kwargs={"pk": application.pk})
