"""An analyst's journey in the observatory: log in, read the targets, open the map, reach a zone by keyboard."""

import uuid

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "une phrase de passe solide"


def _make_analyst(email: str):
    from guichet.accounts.models import Role, User

    return User.objects.create_user(email=email, password=PASSWORD, role=Role.ANALYST)


def _delete(user) -> None:
    user.delete()


def test_an_analyst_reads_the_targets_opens_the_map_and_reaches_a_zone_by_keyboard(page, committed, screenshot):
    email = f"analyste-{uuid.uuid4().hex[:12]}@exemple.fr"
    committed(lambda: _make_analyst(email), _delete)
    page.goto("/observatoire/")
    expect(page).to_have_url("/compte/connexion/?next=/observatoire/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Observatoire de l'apprentissage")
    expect(page.get_by_role("heading", name="Passer de 33 000 à 50 000 apprentis en 5 ans")).to_be_visible()
    screenshot("observatory-dashboard")

    page.get_by_role("link", name="Carte", exact=True).click()
    expect(page.locator("svg.map")).to_be_visible()
    amiens = page.locator("svg.map a[aria-label^='Amiens (3202)']")
    amiens.focus()
    expect(amiens).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zone d'emploi : Amiens (3202)")
    screenshot("observatory-zone")

    page.get_by_role("link", name="D'où vient ce chiffre ?").first.click()
    expect(page.get_by_role("heading", name="Apprentis en contrat (lieu de travail)")).to_be_visible()
