"""HTTP tests of the matching pages: the young people's search, the offer page with its trainings, the ranked
candidates of an offer (employers), and the offers for a training centre's apprentices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.candidates.models import CandidateProfile
from guichet.candidates.tests.factories import CandidateProfileFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.employers.models import Establishment
from guichet.employers.tests.factories import EmployerFactory, EstablishmentFactory, EstablishmentMembershipFactory
from guichet.jobs.models import RomeJob
from guichet.offers.models import Offer
from guichet.offers.tests.factories import OfferFactory
from guichet.trainings.models import Training
from guichet.trainings.tests.factories import (
    CentreMembershipFactory,
    TrainingFactory,
    TrainingSessionFactory,
)

SEARCH_URL = reverse("matching:search")


@dataclass
class Market:
    employer: object
    establishment: Establishment
    offer: Offer
    training: Training
    young: object
    profile: CandidateProfile


def build_market(*, insee: str = "80021", synthetic: bool = False) -> Market:
    """An employer in Amiens with a published aide-soignant offer (J1501, level 4), a CFA training with places
    and a session near the start, and a visible young person in Amiens who wishes the job."""
    from guichet.employers.tests.factories import commune

    today = timezone.localdate()
    job = RomeJob.objects.get(code="J1501")
    establishment = EstablishmentFactory(commune=commune(insee), name="Clinique des Essais", is_synthetic=synthetic)
    employer = EstablishmentMembershipFactory(establishment=establishment).user
    starts_on = today + timedelta(days=60)
    offer = OfferFactory(
        establishment=establishment,
        rome_job=job,
        title="Aide-soignant en apprentissage",
        target_level_id=4,
        starts_on=starts_on,
        published=True,
        is_synthetic=synthetic,
    )
    training = TrainingFactory(title="DEAS aide-soignant par l'apprentissage", level_id=4, remaining_places=3)
    training.rome_jobs.add(job)
    TrainingSessionFactory(
        training=training, starts_on=starts_on + timedelta(days=7), ends_on=starts_on + timedelta(days=400)
    )
    profile = CandidateProfileFactory(visible=True, mobility_radius_km=30, wished_level_id=4)
    profile.wished_jobs.add(job)
    return Market(employer, establishment, offer, training, profile.user, profile)


def search_params(**overrides: object) -> dict[str, object]:
    params: dict[str, object] = {
        "rome": "",
        "rome_label": "aide-soignant",
        "insee": "",
        "insee_label": "Amiens",
        "radius_km": 30,
    }
    params.update(overrides)
    return params


pytestmark = pytest.mark.django_db


def test_the_search_page_opens_with_an_empty_form(client):
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert 'name="rome_label"' in html and 'name="insee_label"' in html
    assert "result" not in response.context or not response.context["result"]


def test_a_young_person_in_amiens_finds_aide_soignant_offers_with_reasons_and_trainings(client):
    market = build_market()
    response = client.get(SEARCH_URL, search_params())
    assert response.status_code == 200
    result = response.context["result"]
    assert [item.offer_id for item in result.items] == [market.offer.pk]
    html = response.content.decode()
    assert "Aide-soignant en apprentissage" in html
    assert "à 0 km" in html
    assert "niveau visé : 4" in html
    assert "DEAS aide-soignant par l&#x27;apprentissage" in html
    assert "3 places" in html
    assert reverse("offers:detail", args=[market.offer.pk]) in html


def test_the_search_accepts_the_codes_the_autocomplete_fills_in(client):
    market = build_market()
    response = client.get(
        SEARCH_URL,
        search_params(
            rome="J1501",
            rome_label="Aide-soignant / Aide-soignante (J1501)",
            insee="80021",
            insee_label="Amiens (80000)",
        ),
    )
    assert [item.offer_id for item in response.context["result"].items] == [market.offer.pk]


def test_synthetic_offers_are_labelled_as_such(client):
    build_market(synthetic=True)
    html = client.get(SEARCH_URL, search_params()).content.decode()
    assert "données fictives" in html


def test_an_offer_beyond_the_radius_is_not_shown(client):
    build_market(insee="59350")  # Lille, about 100 km from Amiens
    response = client.get(SEARCH_URL, search_params(radius_km=30))
    assert response.context["result"].items == []
    assert "Aucune offre ne correspond" in response.content.decode()


def test_htmx_refreshes_only_the_results(client):
    build_market()
    response = client.get(SEARCH_URL, search_params(), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Aide-soignant en apprentissage" in html
    assert 'id="formulaire-recherche" hx-swap-oob="true"' in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"rome": "Z9999", "rome_label": ""}, "rome", "Le code ROME « Z9999 » n'existe pas"),
        ({"rome_label": "zzzzqqq"}, "rome", "Aucun métier ne correspond"),
        ({"radius_km": 0}, "radius_km", "Le rayon doit être compris entre 1 et 200 km"),
        ({"radius_km": 250}, "radius_km", "Le rayon doit être compris entre 1 et 200 km"),
        ({"radius_km": "loin"}, "radius_km", "Saisissez un nombre entier de kilomètres"),
        ({"insee_label": "Xyzville"}, "insee", "Aucune commune ne correspond"),
        ({"start_before": "2020-01-01"}, "start_before", "Cette date est déjà passée"),
    ],
)
def test_bad_search_input_gets_a_french_message_next_to_the_field(client, params, field, message):
    response = client.get(SEARCH_URL, search_params(**params))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message.replace("«\u00a0", "« ").replace("\u00a0»", " »") in e.replace("\u00a0", " ") for e in errors)
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Le formulaire contient une erreur" in html
    assert "result" not in response.context or response.context.get("result") is None


def test_the_offer_page_shows_its_trainings_and_the_apply_button(client):
    market = build_market()
    response = client.get(reverse("offers:detail", args=[market.offer.pk]), {"depuis": "80021", "rayon": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "DEAS aide-soignant par l&#x27;apprentissage" in html
    assert "Places libres" in html
    assert reverse("candidates:apply", args=[market.offer.pk]) in html
    assert "Vous devrez vous connecter" in html


def test_a_draft_offer_page_is_not_found_for_anonymous_people(client):
    offer = OfferFactory()
    assert client.get(reverse("offers:detail", args=[offer.pk])).status_code == 404
    assert client.get(reverse("offers:detail", args=[999_999_999])).status_code == 404


def test_the_employer_sees_ranked_visible_candidates_and_trainings_to_propose(client):
    market = build_market()
    hidden = CandidateProfileFactory(mobility_radius_km=30)  # not visible to employers
    hidden.wished_jobs.add(market.offer.rome_job)
    client.force_login(market.employer)
    response = client.get(reverse("employers:offer_candidates", args=[market.offer.pk]))
    assert response.status_code == 200
    ids = [item.profile_id for item in response.context["result"].items]
    assert ids == [market.profile.pk]
    html = response.content.decode()
    assert "souhaite ce métier (J1501)" in html
    assert "DEAS aide-soignant" in html
    assert market.young.email not in html  # no contact details before the young person applies


def test_another_employer_cannot_see_the_candidates_of_an_offer(client):
    market = build_market()
    client.force_login(EstablishmentMembershipFactory().user)
    assert client.get(reverse("employers:offer_candidates", args=[market.offer.pk])).status_code == 404


def test_the_candidates_page_needs_an_employer_account(client):
    market = build_market()
    url = reverse("employers:offer_candidates", args=[market.offer.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    client.force_login(market.young)
    assert client.get(url).status_code == 403


def test_a_training_centre_sees_offers_for_its_apprentices_whose_contract_was_broken(client):
    market = build_market()
    centre = market.training.centre
    staff = CentreMembershipFactory(centre=centre).user
    today = timezone.localdate()
    ContractFactory(
        training_centre=centre,
        rome_job=market.offer.rome_job,
        training_commune=centre.commune,
        starts_on=today - timedelta(days=200),
        concluded_on=today - timedelta(days=210),
        planned_end_on=today + timedelta(days=500),
        break_on=today - timedelta(days=30),
    )
    client.force_login(staff)
    response = client.get(reverse("trainings:young_without_employer"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 contrat rompu" in html
    assert "Aide-soignant en apprentissage" in html


def test_the_centre_page_is_closed_to_employers(client):
    client.force_login(EmployerFactory())
    assert client.get(reverse("trainings:young_without_employer")).status_code == 403


def test_a_training_centre_sees_its_enrolled_young_people_without_employer_with_matching_offers(client):
    from guichet.accounts.tests.factories import UserFactory
    from guichet.candidates.enums import EnrolmentStatus
    from guichet.candidates.tests.factories import EnrolmentFactory

    market = build_market()
    staff = CentreMembershipFactory(centre=market.training.centre).user
    user = market.young
    user.first_name, user.last_name = "Camille", "Durand"
    user.save()
    EnrolmentFactory(candidate=market.profile, training=market.training)
    # A young person of another centre, one whose declaration is not confirmed, one under contract.
    EnrolmentFactory(training=TrainingFactory(), candidate=CandidateProfileFactory(user=UserFactory(first_name="Zoé")))
    EnrolmentFactory(
        training=market.training,
        consent_at=None,
        source="centre",
        candidate=CandidateProfileFactory(user=UserFactory(first_name="Yanis")),
    )
    EnrolmentFactory(
        training=market.training,
        status=EnrolmentStatus.CONTRACT_SIGNED,
        candidate=CandidateProfileFactory(user=UserFactory(first_name="Inès", last_name="Martin")),
    )
    client.force_login(staff)
    response = client.get(reverse("trainings:young_without_employer"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Camille D." in html and "Durand" not in html
    section = html.split("Camille D.")[1].split("</section>")[0]
    assert "Aide-soignant en apprentissage" in section and "Clinique des Essais" in section
    assert "Zoé" not in html and "Yanis" not in html
    assert "1 déclaration en attente de confirmation" in html
    assert "Inès M." in html and "Signaler une rupture" in html
    assert market.young.email not in html


def test_enrolled_young_people_get_no_offer_outside_their_training_s_jobs(client):
    from guichet.candidates.tests.factories import EnrolmentFactory

    market = build_market()
    staff = CentreMembershipFactory(centre=market.training.centre).user
    other_training = TrainingFactory(centre=market.training.centre, title="CAP Cuisine", level_id=3)
    other_training.rome_jobs.add(RomeJob.objects.get(code="G1602"))
    EnrolmentFactory(candidate=market.profile, training=other_training)
    client.force_login(staff)
    html = client.get(reverse("trainings:young_without_employer")).content.decode()
    assert "Aucune offre publiée ne correspond pour l'instant." in html
    assert "Aide-soignant en apprentissage" not in html
