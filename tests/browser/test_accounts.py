import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "une phrase de passe solide"


def test_a_young_person_signs_up_logs_out_and_logs_in_again(page, unique_email, screenshot):
    email = unique_email("jeune")
    page.goto("/compte/inscription/")
    screenshot("signup-desktop")

    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Dupont")
    page.get_by_label("J'ai lu et j'accepte les conditions d'utilisation du guichet.").check()
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page).to_have_url("/compte/profil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    expect(page.get_by_role("status")).to_contain_text("Votre compte est créé")
    expect(page.locator("dd").filter(has_text=email)).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url("/")
    expect(page.get_by_role("status")).to_have_text("Vous êtes déconnecté.")

    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail").fill(email.upper())
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url("/compte/profil/")
    expect(page.locator("dd").filter(has_text="Léa Dupont")).to_be_visible()


def test_signup_errors_are_announced_first_and_tied_to_their_fields(page, unique_email, screenshot):
    page.goto("/compte/inscription/")
    page.get_by_label("Adresse e-mail").fill(unique_email())
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page).to_have_title("Erreur : Créer votre compte · Guichet Apprentissage · Région Hauts-de-France")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Prénom : Saisissez votre prénom.")
    first_name = page.get_by_label("Prénom")
    expect(first_name).to_have_attribute("aria-invalid", "true")
    expect(first_name).to_have_accessible_description("Saisissez votre prénom.")
    summary.get_by_role("link", name="Prénom : Saisissez votre prénom.").click()
    expect(first_name).to_be_focused()

    page.set_viewport_size(MOBILE)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    screenshot("signup-errors-mobile")


def test_a_failed_login_shows_the_french_error(page, unique_email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(unique_email())
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url("/compte/connexion/")
    expect(page.get_by_role("alert")).to_contain_text(
        "Adresse e-mail ou mot de passe incorrect. Vérifiez-les puis réessayez"
    )
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("link", name="Mon profil")).to_have_count(0)
