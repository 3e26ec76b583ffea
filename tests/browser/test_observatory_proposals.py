"""A recommendation becomes a proposal to a training centre, in the browser: the analyst sends it from the needs
page, the centre's staff counter-propose from their space, the analyst takes the counter-proposal. Every page of the
journey, error states included, has no WCAG A/AA violation (axe-core)."""

from __future__ import annotations

import random
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AMIENS_ZONE = "3202"


def _centre_training_care_assistants(name: str):
    """A centre in Amiens with a training for care assistants (J1501), unique SIRET."""
    from guichet.employers.tests.factories import siren_for, siret_for
    from guichet.jobs.models import RomeJob
    from guichet.trainings.tests.factories import CertificationFactory, TrainingCentreFactory, TrainingFactory

    siret = siret_for(siren_for(random.randrange(5_000_000, 9_000_000)))
    centre = TrainingCentreFactory(name=name, siret=siret)
    certification = CertificationFactory(code_certifinfo=f"8{random.randrange(10**6):06d}")
    training = TrainingFactory(centre=centre, certification=certification, title=f"Aide-soignant ({name})")
    training.rome_jobs.add(RomeJob.objects.get(code="J1501"))
    return centre


def _delete_centre(centre) -> None:
    from guichet.trainings.models import Certification, Training

    trainings = Training.objects.filter(centre=centre)
    certifications = list(trainings.values_list("certification_id", flat=True))
    trainings.delete()
    centre.delete()  # its proposals and their steps go with it (cascade)
    Certification.objects.filter(pk__in=certifications).delete()


def _attach(user, centre):
    from guichet.trainings.models import CentreMembership

    return CentreMembership.objects.create(user=user, centre=centre)


def test_a_recommendation_is_sent_counter_proposed_and_accepted(browser, live_url, login_as, committed, screenshot):
    name = f"CFA Navigateur {uuid.uuid4().hex[:8]}"
    centre = committed(lambda: _centre_training_care_assistants(name), _delete_centre)

    analyst_context = browser.new_context(base_url=live_url, locale="fr-FR")
    analyst_context.set_default_timeout(15_000)
    login_as(analyst_context, "analyste")
    analyst = analyst_context.new_page()
    analyst.goto(f"/observatoire/besoins/?grid=zone&code={AMIENS_ZONE}&rome=J1501")
    analyst.get_by_role("link", name="Proposer à un centre").first.click()
    expect(analyst.get_by_role("heading", level=1)).to_have_text("Proposer des places à un centre de formation")
    expect(analyst.get_by_text("J1501", exact=False).first).to_be_visible()
    expect(analyst.get_by_label("Nombre de places")).not_to_have_value("")
    analyst.get_by_label("Centre de formation").select_option(str(centre.pk))
    analyst.get_by_label("Action proposée").select_option("augmenter")
    analyst.get_by_label("Nombre de places").fill("douze")
    analyst.get_by_role("button", name="Envoyer la proposition au centre").click()
    expect(analyst.get_by_role("alert")).to_contain_text("Indiquez un nombre entier de places, par exemple 12.")
    assert axe_violations(analyst) == []
    analyst.get_by_label("Nombre de places").fill("10")
    analyst.get_by_label("Message au centre").fill("Rentrée de septembre visée.")
    analyst.get_by_role("button", name="Envoyer la proposition au centre").click()
    expect(analyst.get_by_role("heading", level=1)).to_contain_text("Proposition n°")
    expect(analyst.get_by_text("Envoyée au centre, en attente de sa réponse").first).to_be_visible()
    proposal_url = analyst.url
    assert axe_violations(analyst) == []
    screenshot("observatory-proposal-sent")

    centre_context = browser.new_context(base_url=live_url, locale="fr-FR")
    centre_context.set_default_timeout(15_000)
    staff = login_as(centre_context, "cfa")
    committed(lambda: _attach(staff, centre))
    page = centre_context.new_page()
    page.goto("/formations/")
    page.get_by_role("link", name="Propositions de places de la Région et vos réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propositions de la Région à mes centres")
    assert axe_violations(page) == []
    page.get_by_role("row", name=name).get_by_role("link").click()
    page.get_by_role("link", name="Répondre à la proposition").click()
    page.get_by_label("Faire une contre-proposition").check()
    page.get_by_role("button", name="Envoyer ma réponse à la Région").click()
    expect(page.get_by_role("alert")).to_contain_text("Expliquez votre contre-proposition")
    assert axe_violations(page) == []
    page.get_by_label("Commentaire").fill("Six places d'abord, faute de plateau technique.")
    page.get_by_label("Nombre de places").fill("6")
    page.get_by_role("button", name="Envoyer ma réponse à la Région").click()
    expect(page.get_by_text("Contre-proposition du centre").first).to_be_visible()
    screenshot("observatory-proposal-countered")

    analyst.goto(proposal_url)
    analyst.get_by_label("Étape de suivi").select_option("accepter_contre")
    analyst.get_by_role("button", name="Enregistrer le suivi").click()
    expect(analyst.get_by_text("Acceptée par le centre").first).to_be_visible()
    expect(analyst.locator("dt:text-is('Action proposée') + dd")).to_have_text("Augmenter les places : 6 places")
    history = analyst.get_by_role("table", name="Chaque étape de la proposition, datée, avec son auteur")
    expect(history.locator("tbody tr")).to_have_count(3)
    assert axe_violations(analyst) == []
    analyst_context.close()
    centre_context.close()
