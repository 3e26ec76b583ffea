"""Aids in a browser: a young person simulates their pay on a phone; an employer applies for a regional aid,
an advisor instructs and grants it, records the payment and sees the budget move."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _simulations_since(last_pk: int) -> None:
    from guichet.aids.models import Simulation

    Simulation.objects.filter(pk__gt=last_pk).delete()


def test_a_young_person_simulates_the_worked_example_on_a_phone(browser, live_url, committed):
    from guichet.aids.models import Simulation

    committed(lambda: Simulation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0, _simulations_since)
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport=MOBILE)
    page = context.new_page()
    page.goto("/aides/salaire/")
    page.get_by_label("Date de naissance de l'apprenti").fill("2007-03-15")
    page.get_by_label("Début du contrat", exact=True).fill("2024-09-01")
    page.get_by_label("Fin du contrat", exact=True).fill("2027-08-31")
    page.get_by_role("button", name="Calculer mon salaire").click()
    result = page.locator("#resultat")
    expect(result).to_contain_text("477,07")
    expect(result).to_contain_text("nouvelle tranche « 18 à 20 ans » à partir du 1er avril 2025")
    expect(result).to_contain_text("1\u202f250,91")
    _screenshot(page, "aids-salary-phone")

    page.get_by_label("Date de naissance de l'apprenti").fill("2012-01-01")
    page.get_by_role("button", name="Calculer mon salaire").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("il faut avoir au moins 16 ans")
    expect(page.get_by_label("Date de naissance de l'apprenti")).to_have_attribute("aria-invalid", "true")
    context.close()


def _screenshot(page, name: str) -> None:
    """Full-page screenshot to $SCREENSHOT_DIR for a person to look at (nothing when unset)."""
    directory = os.environ.get("SCREENSHOT_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def _make_case() -> dict:
    from guichet.aids.tests.factories import AidBudgetFactory
    from guichet.contracts.tests.factories import ContractFactory

    budget = AidBudgetFactory(year=timezone.localdate().year, amount=Decimal("1500"))
    contract = ContractFactory()
    return {"budget": budget, "programme": budget.programme, "contract": contract}


def _delete_case(case: dict) -> None:
    from guichet.aids.models import AidApplication, AidPayment, AuditEvent

    applications = AidApplication.objects.filter(programme=case["programme"])
    AuditEvent.objects.filter(application__in=applications).delete()
    AuditEvent.objects.filter(budget=case["budget"]).delete()
    AidPayment.objects.filter(application__in=applications).delete()
    applications.delete()
    contract = case["contract"]
    establishment, centre = contract.establishment, contract.training_centre
    contract.delete()
    company = establishment.company
    establishment.delete()
    company.delete()
    centre.delete()
    case["budget"].delete()
    case["programme"].rules.all().delete()
    case["programme"].delete()


def test_an_employer_applies_and_an_advisor_grants_and_pays(browser, live_url, committed, login_as):
    from guichet.accounts.models import Role

    case = committed(_make_case, _delete_case)
    employer_context = browser.new_context(base_url=live_url, locale="fr-FR")
    employer = login_as(employer_context, Role.EMPLOYER)

    def attach() -> None:
        from guichet.accounts.models import AdvisorAssignment  # noqa: F401
        from guichet.employers.models import EstablishmentMembership

        EstablishmentMembership.objects.create(user=employer, establishment=case["contract"].establishment)

    committed(attach)
    page = employer_context.new_page()
    page.goto(f"/aides/demandes/nouvelle/?contrat={case['contract'].pk}")
    page.get_by_label("Aide demandée").select_option(label=case["programme"].name)
    page.get_by_label("Date de naissance de l'apprenti").fill("2007-05-01")
    page.get_by_label("Effectif de l'entreprise (salariés)").fill("12")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.locator(".messages")).to_contain_text("Votre demande est déposée")
    expect(page.get_by_role("heading", name="Pré-contrôle automatique")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Les conditions vérifiables sont remplies.")
    employer_context.close()

    advisor_context = browser.new_context(base_url=live_url, locale="fr-FR")
    advisor = login_as(advisor_context, Role.ADVISOR)

    def assign() -> None:
        from guichet.accounts.models import AdvisorAssignment
        from guichet.territory.models import BasinGrid, BasinMembership

        basin = BasinMembership.objects.get(
            grid=BasinGrid.ZONE_EMPLOI, commune=case["contract"].workplace_commune
        ).basin
        AdvisorAssignment.objects.create(advisor=advisor, basin=basin)

    committed(assign)
    page = advisor_context.new_page()
    page.goto("/aides/instruction/")
    page.get_by_role("link", name=f"contrat {case['contract'].contract_number}").click()
    page.get_by_label("Pièce à demander").fill("Relevé d'identité bancaire")
    page.get_by_role("button", name="Demander la pièce").click()
    expect(page.locator(".messages")).to_contain_text("Pièce demandée")
    page.get_by_role("button", name="Marquer « Relevé d'identité bancaire » comme reçue").click()
    page.get_by_label("Montant accordé (€)").fill("2000")
    page.get_by_role("button", name="Accorder l'aide").click()
    expect(page.locator(".messages")).to_contain_text("Budget insuffisant")
    page.get_by_label("Montant accordé (€)").fill("1000")
    page.get_by_role("button", name="Accorder l'aide").click()
    expect(page.locator(".messages")).to_contain_text("Aide accordée")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.locator(".messages")).to_contain_text("Versement enregistré")
    expect(page.locator("main")).to_contain_text("payé le")
    _screenshot(page, "aids-application-granted")
    page.goto("/aides/budgets/")
    row = page.get_by_role("row").filter(has_text=case["programme"].name)
    expect(row).to_contain_text("1\u202f000,00")
    expect(row).to_contain_text("500,00")
    advisor_context.close()
