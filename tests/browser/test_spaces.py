"""The spaces in a browser: an employer publishes an offer after a refused past date; a training centre updates
its places; both sides of an accepted application prepare the contract draft."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_search_and_apply import PASSWORD, create_market, delete_market, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def market(committed) -> dict[str, object]:
    return committed(create_market, delete_market)


def test_an_employer_publishes_an_offer_after_correcting_a_past_date(market, page):
    log_in(page, str(market["employer"]))
    page.goto("/entreprises/offres/nouvelle/")
    field = page.get_by_role("combobox", name="Métier")
    field.press_sequentially("aide-soi", delay=40)
    page.get_by_role("option").filter(has_text="Aide-soignant").first.click()
    title = f"Offre navigateur {uuid.uuid4().hex[:6]}"
    page.get_by_label("Intitulé du poste").fill(title)
    page.get_by_label("Niveau du diplôme préparé").select_option("4")
    page.get_by_label("Date de début du contrat").fill("2020-09-01")
    page.get_by_label("Durée du contrat (en mois)").fill("18")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("est déjà passée")
    expect(page.get_by_label("Date de début du contrat")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Date de début du contrat").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("enregistrée en brouillon")
    page.get_by_role("button", name="Publier l'offre").click()
    expect(page.locator(".messages")).to_contain_text("est publiée")
    page.goto("/entreprises/")
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()


def test_a_training_centre_updates_its_places(market, page, committed, unique_email):
    email = unique_email("cfa")

    def make_staff() -> None:
        from guichet.accounts.models import Role, User
        from guichet.trainings.models import CentreMembership

        user = User.objects.create_user(email, PASSWORD, role=Role.TRAINING_CENTRE)
        CentreMembership.objects.create(user=user, centre_id=market["centre"])

    committed(make_staff)
    log_in(page, email)
    page.goto("/formations/")
    page.get_by_role("link", name=f"Modifier les places et les rentrées de {market['training']}").click()
    page.get_by_label("Places encore libres").fill("25")
    page.get_by_role("button", name="Enregistrer les places").click()
    expect(page.get_by_role("alert")).to_contain_text("Les places restantes vont de 0 au nombre de places (20).")
    page.get_by_label("Places encore libres").fill("4")
    page.get_by_role("button", name="Enregistrer les places").click()
    expect(page.locator(".messages")).to_contain_text("Les places de la formation sont enregistrées.")
    expect(page.get_by_text("4 places libres")).to_be_visible()


def test_both_sides_prepare_the_contract_draft(browser, live_url, market, page, committed):
    def accept() -> int:
        from guichet.accounts.models import User
        from guichet.candidates.services import application_accept, application_create
        from guichet.offers.models import Offer

        young = User.objects.get(email=market["young"])
        employer = User.objects.get(email=market["employer"])
        application = application_create(
            candidate=young.candidate_profile, offer=Offer.objects.get(pk=market["offer"])
        )
        return application_accept(application=application, by=employer).pk

    application_id = committed(accept)
    log_in(page, str(market["employer"]))
    page.goto(f"/entreprises/candidatures/{application_id}/")
    page.get_by_role("link", name="préparez le contrat d'apprentissage").click()
    page.get_by_label("Formation suivie par l'apprenti").select_option(index=1)
    page.get_by_role("button", name="Préparer le projet de contrat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projet de contrat d'apprentissage")
    page.get_by_role("button", name="Enregistrer ma partie").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("Renseignez ce champ : nom du maître d'apprentissage.")
    page.get_by_label("Nom du maître d'apprentissage", exact=True).fill("Durand")
    page.get_by_label("Prénom du maître d'apprentissage").fill("Alex")
    page.get_by_label("Date de naissance du maître d'apprentissage").fill("1980-03-04")
    page.get_by_label("Emploi occupé par le maître d'apprentissage").fill("Infirmier coordinateur")
    page.get_by_label("Adresse de l'établissement").fill("1 rue des Essais")
    page.get_by_label("Date de conclusion").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer ma partie").click()
    expect(page.locator(".messages")).to_contain_text("Votre partie du contrat est enregistrée.")
    page.get_by_role("button", name="Valider le projet").click()
    expect(page.locator(".messages")).to_contain_text("Vous avez validé le projet de contrat.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le projet en PDF").click()
    assert download.value.suggested_filename.startswith("projet-contrat-apprentissage-")

    young_context = browser.new_context(base_url=live_url, locale="fr-FR")
    try:
        young = young_context.new_page()
        log_in(young, str(market["young"]))
        young.goto(f"/jeunes/candidatures/{application_id}/")
        young.get_by_role("link", name="Préparez le contrat d'apprentissage").click()
        expect(young.get_by_text("numéro de sécurité sociale (NIR)")).to_be_visible()
        young.get_by_label("Sexe de l'apprenti").select_option("F")
        young.get_by_label("Adresse de l'apprenti").fill("2 place Gambetta")
        young.get_by_role("button", name="Enregistrer ma partie").click()
        young.get_by_role("button", name="Valider le projet").click()
        expect(young.locator(".messages")).to_contain_text("Vous avez validé le projet de contrat.")
    finally:
        young_context.close()
    page.reload()  # the young person's changes cleared the employer's validation: validate the last version
    expect(page.get_by_text("N'a pas encore validé")).to_have_count(1)
    page.get_by_role("button", name="Valider le projet").click()
    page.get_by_role("button", name="Déclarer le contrat signé").click()
    expect(page.locator(".messages")).to_contain_text("Le contrat est déclaré signé.")
    expect(page.get_by_text("Contrat déclaré signé le")).to_be_visible()
