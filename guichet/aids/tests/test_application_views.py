"""The application journey through HTTP: an employer applies, an advisor instructs and grants, payments move
the budget; strangers see nothing."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.testing import login_with_second_factor
from guichet.accounts.tests.factories import UserFactory
from guichet.aids.models import AidApplication, AidPayment
from guichet.aids.tests.factories import AidBudgetFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.territory.models import BasinGrid, BasinMembership

pytestmark = pytest.mark.django_db


def login(client, user):
    if user.role == Role.ADVISOR:
        login_with_second_factor(client, user)  # staff pages require a confirmed second factor
    else:
        client.force_login(user)


def advisor_for(commune):
    advisor = UserFactory(role=Role.ADVISOR)
    basin = BasinMembership.objects.get(grid=BasinGrid.ZONE_EMPLOI, commune=commune).basin
    AdvisorAssignment.objects.create(advisor=advisor, basin=basin)
    return advisor


@pytest.fixture
def setting(django_user_model):
    from django.utils import timezone

    budget = AidBudgetFactory(year=timezone.localdate().year, amount=Decimal("1500"))
    contract = ContractFactory(
        concluded_on=date(2026, 8, 20), starts_on=date(2026, 9, 1), planned_end_on=date(2028, 8, 31)
    )
    employer = UserFactory(employer=True)
    EstablishmentMembershipFactory(user=employer, establishment=contract.establishment)
    return budget, contract, employer, advisor_for(contract.workplace_commune)


def apply(client, budget, contract, **changes):
    body = {"programme": budget.programme.pk, "contract": contract.pk, "birth_date": "2007-05-01", "headcount": "12"}
    return client.post("/aides/demandes/nouvelle/", body | changes)


def test_employer_applies_advisor_grants_payment_is_recorded_and_the_budget_moves(client, setting):
    budget, contract, employer, advisor = setting
    login(client, employer)
    response = apply(client, budget, contract)
    application = AidApplication.objects.get()
    assert response.status_code == 302 and response.url == f"/aides/demandes/{application.pk}/"
    page = client.get(response.url).content.decode()
    assert "Les conditions vérifiables sont remplies." in page and "Accorder l&#x27;aide" not in page

    client.logout()
    login(client, advisor)
    assert f"/aides/demandes/{application.pk}/" in client.get("/aides/instruction/").content.decode()
    client.post(f"/aides/demandes/{application.pk}/piece/", {"label": "RIB"})
    client.post(f"/aides/demandes/{application.pk}/accorder/", {"amount": "1000"})
    application.refresh_from_db()
    budget.refresh_from_db()
    assert application.status == "granted" and budget.committed_amount == Decimal("1000")
    payment = AidPayment.objects.get(application=application)
    client.post(f"/aides/versements/{payment.pk}/payer/")
    budget.refresh_from_db()
    assert budget.paid_amount == Decimal("1000")
    dashboard = client.get("/aides/budgets/").content.decode()
    assert "1\u202f000,00\xa0€" in dashboard and "500,00\xa0€" in dashboard
    export = client.get("/aides/versements.csv").content.decode("utf-8-sig")
    assert contract.contract_number in export and "1000.00" in export
    assert (
        "La Région vous accorde une aide de 1\u202f000,00\xa0€"
        in client.get(f"/aides/demandes/{application.pk}/courrier/").content.decode()
    )


def test_a_grant_over_the_remaining_budget_is_refused_with_a_message(client, setting):
    budget, contract, employer, advisor = setting
    login(client, employer)
    apply(client, budget, contract)
    application = AidApplication.objects.get()
    client.logout()
    login(client, advisor)
    response = client.post(f"/aides/demandes/{application.pk}/accorder/", {"amount": "2000"}, follow=True)
    assert "Budget insuffisant" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_bad_application_input_names_the_field_and_saves_nothing(client, setting):
    budget, contract, employer, _ = setting
    login(client, employer)
    response = apply(client, budget, contract, headcount="-4", birth_date="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "L&#x27;effectif ne peut pas être négatif." in html and "Indiquez la date" in html
    assert not AidApplication.objects.exists()


def test_other_employers_and_anonymous_visitors_cannot_see_or_instruct(client, setting):
    budget, contract, employer, _advisor = setting
    login(client, employer)
    apply(client, budget, contract)
    application = AidApplication.objects.get()
    client.logout()
    assert client.get(f"/aides/demandes/{application.pk}/").status_code == 302  # to the login page
    login(client, UserFactory(employer=True))
    assert client.get(f"/aides/demandes/{application.pk}/").status_code == 404
    assert client.post(f"/aides/demandes/{application.pk}/accorder/", {"amount": "10"}).status_code == 403
    assert client.get("/aides/budgets/").status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"
