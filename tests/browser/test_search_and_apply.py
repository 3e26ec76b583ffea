"""The double match in a browser: a young person in Amiens searches "aide-soignant" within 30 km, sees ranked
offers with their reasons and trainings, opens one and applies; the employer sees the application and the
ranked candidates and changes the status; the young person sees the new status. Plus the search form used
with the keyboard only."""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "une phrase de passe solide"


@dataclass
class MarketData:
    employer_email: str
    young_email: str
    offer_id: int
    offer_title: str
    training_title: str


def random_siret() -> str:
    from guichet.employers.validators import luhn_check_digit

    siren = "8" + "".join(random.choice("0123456789") for _ in range(7))
    siren += luhn_check_digit(siren)
    nic = "".join(random.choice("0123456789") for _ in range(4))
    return siren + nic + luhn_check_digit(siren + nic)


def create_market() -> dict[str, object]:
    """An employer near Amiens with a published J1501 offer, a CFA training with places and a session, and a young
    person living in Amiens whose profile is visible to employers. Committed at once (see conftest.py)."""
    from django.utils import timezone

    from guichet.accounts.models import Role, User
    from guichet.candidates.models import CandidateProfile
    from guichet.employers.models import Company, Establishment, EstablishmentMembership
    from guichet.jobs.models import RomeJob
    from guichet.offers.enums import OfferStatus
    from guichet.offers.models import Offer
    from guichet.territory.models import Commune
    from guichet.trainings.models import Training, TrainingCentre, TrainingSession

    tag = uuid.uuid4().hex[:8]
    today = timezone.localdate()
    amiens = Commune.objects.get(insee="80021")
    near = Commune.objects.get(insee="80489")  # Longueau, next to Amiens
    job = RomeJob.objects.get(code="J1501")
    employer = User.objects.create_user(
        f"recruteur-{tag}@exemple.fr", PASSWORD, role=Role.EMPLOYER, first_name="Sam", last_name="Recruteur"
    )
    young = User.objects.create_user(
        f"jeune-{tag}@exemple.fr", PASSWORD, role=Role.YOUNG, first_name="Léa", last_name="Essai"
    )
    siret = random_siret()
    company = Company.objects.create(siren=siret[:9], name=f"Clinique Essai {tag}")
    establishment = Establishment.objects.create(siret=siret, company=company, name=company.name, commune=near)
    EstablishmentMembership.objects.create(user=employer, establishment=establishment)
    starts_on = today + timedelta(days=75)
    title = f"Aide-soignant·e en apprentissage {tag}"
    offer = Offer.objects.create(
        establishment=establishment,
        rome_job=job,
        title=title,
        commune=near,
        target_level_id=4,
        starts_on=starts_on,
        duration_months=18,
        description="Accompagner les patients dans les gestes du quotidien, en binôme avec une infirmière.",
        status=OfferStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    centre_siret = random_siret()
    centre = TrainingCentre.objects.create(
        uai=f"{random.randint(0, 9_999_999):07d}A", siret=centre_siret, name=f"IFAS Essai {tag}", commune=amiens
    )
    training = Training.objects.create(
        centre=centre,
        title=f"Diplôme d'État d'aide-soignant {tag}",
        level_id=4,
        commune=amiens,
        total_places=20,
        remaining_places=6,
        duration_months=18,
    )
    training.rome_jobs.add(job)
    TrainingSession.objects.create(
        training=training, starts_on=starts_on + timedelta(days=10), ends_on=starts_on + timedelta(days=500)
    )
    profile = CandidateProfile.objects.create(
        user=young,
        birth_date=today.replace(year=today.year - 19),
        commune=amiens,
        mobility_radius_km=30,
        wished_level_id=4,
        visible_to_employers=True,
        visibility_consent_at=timezone.now(),
    )
    profile.wished_jobs.add(job)
    return {
        "employer": employer.email,
        "young": young.email,
        "offer": offer.pk,
        "title": title,
        "training": training.title,
        "establishment": establishment.pk,
        "company": company.pk,
        "centre": centre.pk,
    }


def delete_market(data: dict[str, object]) -> None:
    from guichet.accounts.models import User
    from guichet.contracts.models import Contract
    from guichet.employers.models import Company
    from guichet.trainings.models import TrainingCentre

    Contract.objects.filter(draft__application__offer_id=data["offer"]).delete()  # a contract signed in a journey
    User.objects.filter(email__in=[data["employer"], data["young"]]).delete()  # profiles and applications follow
    Company.objects.filter(pk=data["company"]).delete()  # establishment and offers follow
    TrainingCentre.objects.filter(pk=data["centre"]).delete()  # trainings and sessions follow


@pytest.fixture
def market(committed) -> MarketData:
    data = committed(create_market, delete_market)
    return MarketData(
        employer_email=str(data["employer"]),
        young_email=str(data["young"]),
        offer_id=int(data["offer"]),
        offer_title=str(data["title"]),
        training_title=str(data["training"]),
    )


def log_in(page, email: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url("/compte/profil/")


def choose(page, label: str, typed: str, option_text: str) -> None:
    field = page.get_by_role("combobox", name=label)
    field.fill("")
    field.press_sequentially(typed, delay=40)
    option = page.get_by_role("option").filter(has_text=option_text).first
    expect(option).to_be_visible()
    option.click()


def test_search_apply_answer_and_follow_the_status(browser, live_url, market, page, screenshot):
    log_in(page, market.young_email)
    page.goto("/recherche/")
    choose(page, "Métier", "aide-soi", "Aide-soignant")
    choose(page, "Autour de la commune", "amie", "Amiens")
    page.get_by_label("Distance maximale (en km)").fill("30")
    page.get_by_role("button", name="Rechercher").click()

    results = page.locator("#resultats")
    offer = results.get_by_role("listitem").filter(has=page.get_by_role("heading", name=market.offer_title))
    expect(offer).to_be_visible()
    expect(offer.locator("[data-reason=distance]")).to_contain_text("km")
    expect(offer.locator("[data-reason=level]")).to_have_text("niveau visé : 4")
    expect(offer.locator(".trainings")).to_contain_text(market.training_title)
    expect(offer.locator(".trainings")).to_contain_text("6 places")
    expect(page).to_have_url(re.compile(r"rome=J1501"))  # htmx pushed the query: shareable, reloadable
    screenshot("search-results-desktop")
    page.set_viewport_size(MOBILE)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    screenshot("search-results-mobile")
    page.set_viewport_size(DESKTOP)

    offer.get_by_role("link", name=market.offer_title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(market.offer_title)
    expect(page.get_by_role("heading", name=market.training_title)).to_be_visible()
    screenshot("offer-detail-desktop")
    page.set_viewport_size(MOBILE)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    screenshot("offer-detail-mobile")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Postulez à cette offre").click()
    page.get_by_label("Votre message à l'employeur").fill("Bonjour, je suis disponible dès la rentrée.")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("status")).to_contain_text("Votre candidature est envoyée")
    expect(page.locator("[data-application-status]")).to_have_text("Envoyée")
    young_application_url = page.url

    employer_context = browser.new_context(base_url=live_url, locale="fr-FR", viewport=DESKTOP)
    try:
        employer = employer_context.new_page()
        log_in(employer, market.employer_email)
        employer.goto("/entreprises/")
        card = employer.get_by_role("listitem").filter(has=employer.get_by_role("heading", name=market.offer_title))
        expect(card).to_contain_text("1 candidature")
        expect(card).to_contain_text("1 sans réponse")
        card.get_by_role("link", name="Candidatures").click()
        expect(employer.get_by_role("heading", name="Envoyée (1)")).to_be_visible()
        if screenshot_dir := __import__("os").environ.get("SCREENSHOT_DIR"):
            employer.screenshot(path=f"{screenshot_dir}/employer-board-desktop.png", full_page=True)
            employer.set_viewport_size(MOBILE)
            assert employer.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
            employer.screenshot(path=f"{screenshot_dir}/employer-board-mobile.png", full_page=True)
            employer.set_viewport_size(DESKTOP)

        employer.get_by_role("link", name="Voir les candidats proposés pour cette offre").click()
        candidate = employer.get_by_role("listitem").filter(has_text="souhaite ce métier (J1501)").first
        expect(candidate).to_contain_text("a postulé")
        expect(employer.get_by_text(market.young_email)).to_have_count(0)
        candidate.get_by_role("link", name="a postulé").click()

        expect(employer.get_by_role("heading", level=1)).to_contain_text("Léa Essai")
        employer.get_by_label("Entretien proposé").check()
        employer.get_by_label("Message au candidat").fill("Pouvez-vous venir mardi à 10 h ?")
        employer.get_by_role("button", name="Enregistrer et prévenir le candidat").click()
        expect(employer.get_by_role("status")).to_contain_text("Entretien proposé")
        expect(employer.locator("[data-application-status]")).to_have_text("Entretien proposé")
    finally:
        employer_context.close()

    page.goto(young_application_url)
    expect(page.locator("[data-application-status]")).to_have_text("Entretien proposé")
    expect(page.get_by_text("Pouvez-vous venir mardi à 10 h ?")).to_be_visible()
    page.goto("/jeunes/")
    expect(page.locator("li.audience").filter(has_text=market.offer_title)).to_contain_text("Entretien proposé")


def test_the_search_form_works_with_the_keyboard_only(market, page):
    page.goto("/recherche/")
    page.keyboard.press("Tab")  # skip link
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    job = page.get_by_role("combobox", name="Métier")
    for _ in range(30):
        page.keyboard.press("Tab")
        if job.evaluate("element => element === document.activeElement"):
            break
    expect(job).to_be_focused()
    page.keyboard.type("aide-soi", delay=40)
    expect(page.get_by_role("listbox", name="Métiers proposés")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=rome]")).to_have_value("J1501")

    page.keyboard.press("Tab")
    commune = page.get_by_role("combobox", name="Autour de la commune")
    expect(commune).to_be_focused()
    page.keyboard.type("amie", delay=40)
    expect(page.get_by_role("listbox", name="Communes proposées")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=insee]")).to_have_value("80021")

    page.keyboard.press("Tab")
    expect(page.get_by_label("Distance maximale (en km)")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    page.keyboard.press("Enter")  # submits the form
    expect(page.locator("#resultats").get_by_role("heading", name=market.offer_title)).to_be_visible()
    expect(page.locator("#resultats-statut")).to_contain_text("trouvée")


def test_the_search_works_without_javascript(browser, live_url, market):
    context = browser.new_context(base_url=live_url, locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/recherche/")
        page.get_by_label("Métier", exact=True).fill("aide-soignant")
        page.get_by_label("Autour de la commune").fill("Amiens")
        page.get_by_label("Distance maximale (en km)").fill("30")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.get_by_role("heading", name=market.offer_title)).to_be_visible()
        page.get_by_label("Distance maximale (en km)").fill("500")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.get_by_text("Le rayon doit être compris entre 1 et 200 km").first).to_be_visible()
    finally:
        context.close()
