"""The employer sign-up in a browser, with the commune autocomplete (needs the territory reference data)."""

import random

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "une phrase de passe solide"


def random_siret() -> str:
    from guichet.employers.validators import luhn_check_digit

    partial = "".join(random.choice("0123456789") for _ in range(13))
    return partial + luhn_check_digit(partial)


@pytest.fixture
def naf_code(committed) -> str:
    """A NAF sub-class to pick (the employers dataset may not be loaded); removed afterwards if created here."""

    def make():
        from guichet.employers.enums import NafLevel
        from guichet.employers.models import NafActivity

        activity, created = NafActivity.objects.get_or_create(
            code="56.10A", defaults={"label": "Restauration traditionnelle", "level": NafLevel.SUBCLASS}
        )
        return activity, created

    def delete(result):
        activity, created = result
        if created:
            activity.establishments.all().delete()
            activity.delete()

    activity, _ = committed(make, delete)
    return activity.code


def commune_field(page):
    return page.get_by_role("combobox", name="Commune de l'établissement")


def test_the_commune_autocomplete_works_with_the_keyboard(page, screenshot):
    page.goto("/entreprises/inscription/")
    field = commune_field(page)
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).to_have_attribute("aria-controls", "id_commune_listbox")

    field.press_sequentially("amie", delay=50)
    listbox = page.get_by_role("listbox", name="Communes proposées")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_contain_text("Amiens")
    expect(page.locator("[data-combobox-status]")).to_contain_text("proposée")
    screenshot("employer-signup-autocomplete-desktop")

    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", "commune-option-80021")
    expect(page.locator("#commune-option-80021")).to_have_attribute("aria-selected", "true")
    field.press("Enter")

    expect(page).to_have_url("/entreprises/inscription/")  # Enter chose the commune, it did not submit
    expect(page.locator("input[name=commune]")).to_have_value("80021")
    expect(field).to_have_value("Amiens (80000)")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(field).not_to_have_attribute("aria-activedescendant", "commune-option-80021")

    field.press("Backspace")  # typing again forgets the chosen code
    expect(page.locator("input[name=commune]")).to_have_value("")


def test_escape_closes_the_suggestions_then_clears_the_field(page):
    page.goto("/entreprises/inscription/")
    field = commune_field(page)
    field.press_sequentially("abbev", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()

    field.press("Escape")
    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).to_have_value("abbev")

    field.press("Escape")
    expect(field).to_have_value("")


def test_no_match_is_announced(page):
    page.goto("/entreprises/inscription/")
    commune_field(page).press_sequentially("zzqx", delay=30)
    expect(page.locator("[data-combobox-status]")).to_have_text("Aucune commune ne correspond.")


def _delete_establishment(siret: str) -> None:
    from guichet.employers.models import Company, Establishment

    Establishment.objects.filter(siret=siret).delete()
    Company.objects.filter(siren=siret[:9], establishments__isnull=True).delete()


def test_an_employer_signs_up_with_a_commune_chosen_in_the_list(page, naf_code, committed, unique_email, screenshot):
    siret = committed(random_siret, _delete_establishment)
    email = unique_email("employeur")
    page.goto("/entreprises/inscription/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_label("Prénom").fill("Aïcha")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Numéro SIRET de l'établissement").fill(f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")
    page.get_by_label("Nom de l'entreprise").fill("Boulangerie du Beffroi")
    page.get_by_label("Code d'activité principale (NAF ou APE)").fill(naf_code.replace(".", ""))
    page.get_by_label("Nombre de salariés de l'établissement").select_option(label="1 à 5 salariés")
    field = commune_field(page)
    field.press_sequentially("amie", delay=50)
    expect(page.locator("#commune-option-80021")).to_be_visible()
    page.locator("#commune-option-80021").click()
    expect(field).to_have_value("Amiens (80000)")
    page.get_by_label("J'ai lu et j'accepte les conditions d'utilisation du guichet.").check()
    page.set_viewport_size(MOBILE)
    screenshot("employer-signup-mobile")
    page.get_by_role("button", name="Créer mon compte et inscrire l'établissement").click()

    expect(page).to_have_url("/compte/profil/")
    expect(page.get_by_role("status")).to_contain_text("l'établissement Boulangerie du Beffroi est inscrit")
    expect(page.get_by_text("Employeur", exact=True)).to_be_visible()


def test_without_javascript_the_commune_is_a_plain_field_resolved_by_the_server(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/entreprises/inscription/")
        field = page.get_by_label("Commune de l'établissement")
        expect(field).not_to_have_attribute("role", "combobox")
        field.fill("Saint-Michel")
        page.get_by_role("button", name="Créer mon compte et inscrire l'établissement").click()

        expect(page.locator("#id_commune_error")).to_contain_text(
            "Plusieurs communes correspondent à «\u00a0Saint-Michel\u00a0»"
        )
        expect(page.locator("#id_commune_error")).to_contain_text("précisez le code postal")
        expect(page.get_by_label("Commune de l'établissement")).to_have_value("Saint-Michel")
    finally:
        context.close()
