"""Enrolments in a browser, without JavaScript: a young person declares the training they are enrolled in; the
training centre sees them (first name and initial) with the matching offer, records the signed contract, then
its break. axe-core checks each page, error state included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_search_and_apply import PASSWORD, create_market, delete_market, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def market(committed) -> dict[str, object]:
    return committed(create_market, delete_market)


@pytest.fixture
def no_script_page(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport=DESKTOP, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_young_person_declares_the_enrolment_and_the_centre_follows_the_contract(
    market, no_script_page, page, committed, unique_email
):
    # Without JavaScript: the search and the declaration are plain forms.
    plain = no_script_page
    log_in(plain, str(market["young"]))
    plain.goto("/jeunes/")
    plain.get_by_role("link", name="Je suis inscrit(e) dans une formation, je cherche un employeur").click()
    plain.get_by_label("Votre formation").fill(str(market["training"]).split()[-1])
    plain.get_by_role("button", name="Chercher la formation").click()
    expect(plain.get_by_role("heading", name=str(market["training"]))).to_be_visible()
    declare = plain.get_by_role("button", name="Je suis inscrit(e) dans cette formation, je cherche un employeur")
    declare.first.click()
    expect(plain.get_by_role("alert")).to_contain_text("Cochez la case pour que le centre de formation puisse")
    plain.get_by_label("J'accepte que ce centre de formation voie cette inscription").check()
    declare.first.click()
    expect(plain.locator("[data-enrolment-status]")).to_have_text("Cherche un employeur")
    expect(plain.get_by_text("Léa E.")).to_be_visible()
    enrolment_path = plain.url.removeprefix(plain.url.split("/jeunes/")[0])

    # axe-core on the young person's pages (axe needs JavaScript: another browser profile).
    log_in(page, str(market["young"]))
    page.goto(enrolment_path)
    expect(page.locator("[data-enrolment-status]")).to_have_text("Cherche un employeur")
    assert axe_violations(page) == []
    page.goto("/jeunes/inscriptions/declarer/?q=" + str(market["training"]).split()[-1])
    page.get_by_label("J'accepte que ce centre de formation voie cette inscription").first.check()
    page.get_by_role("button", name="Je suis inscrit(e) dans cette formation, je cherche un employeur").first.click()
    expect(page.get_by_role("alert")).to_contain_text("Vous avez déjà déclaré cette inscription")
    assert axe_violations(page) == []

    staff = unique_email("cfa")

    def make_staff() -> None:
        from guichet.accounts.models import Role, User
        from guichet.trainings.models import CentreMembership

        user = User.objects.create_user(staff, PASSWORD, role=Role.TRAINING_CENTRE)
        CentreMembership.objects.create(user=user, centre_id=market["centre"])

    committed(make_staff)
    page.context.clear_cookies()
    log_in(page, staff)
    page.goto("/formations/")
    page.get_by_role("link", name="Jeunes sans employeur et offres qui leur correspondent").click()
    young = page.get_by_role("region", name="Léa E.")
    expect(young).to_contain_text("Aide-soignant·e en apprentissage")  # the market's offer or an equivalent one
    expect(young).to_contain_text("métier recherché : J1501")
    expect(page.get_by_text("Essai", exact=True)).to_have_count(0)
    assert axe_violations(page) == []
    young.get_by_role("link", name="Mettre à jour la situation de Léa E.").click()
    page.get_by_label("Un contrat d'apprentissage est signé").check()
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.locator("[data-enrolment-status]")).to_have_text("Contrat signé")

    page.get_by_label("Le contrat a été rompu").check()
    page.get_by_label("Depuis le").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.get_by_role("alert")).to_contain_text("La date ne peut pas être dans le futur.")
    assert axe_violations(page) == []
    page.get_by_label("Le contrat a été rompu").check()
    page.get_by_label("Depuis le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.locator("[data-enrolment-status]")).to_have_text("Contrat rompu, cherche un employeur")
    page.goto("/formations/jeunes-sans-employeur/")
    expect(page.get_by_role("region", name="Léa E.")).to_contain_text("Contrat rompu, cherche un employeur")
    page.goto("/formations/inscriptions/declarer/")
    page.get_by_role("button", name="Demander la confirmation au jeune").click()
    expect(page.get_by_role("alert")).to_contain_text("Saisissez l'adresse e-mail du compte du jeune.")
    assert axe_violations(page) == []
