"""The matching through the public API (/api/v1/): offers, trainings, likely recruiters, applications."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.models import Application
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.employers.tests.factories import commune
from guichet.jobs.models import RomeJob
from guichet.offers.tests.factories import OfferFactory
from guichet.trainings.tests.factories import TrainingFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    job = RomeJob.objects.get(code="J1501")
    start = timezone.localdate() + timedelta(days=200)
    offers = [
        OfferFactory(published=True, rome_job=job, commune=commune(insee), target_level_id=4, starts_on=start)
        for insee in ("80021", "80164", "80001")  # Amiens, Camon (< 10 km), Abbeville (> 30 km)
    ]
    training = TrainingFactory(commune=commune("80021"), remaining_places=3, level_id=4)
    training.rome_jobs.add(job)
    TrainingSessionFactory(training=training, starts_on=start + timedelta(days=5), ends_on=start + timedelta(days=700))
    return {"offers": offers, "training": training}


def test_amiens_aide_soignant_within_30_km_returns_ranked_offers_with_reasons_and_trainings(client, market):
    response = client.get("/api/v1/offers", {"rome": "J1501", "insee": "80021", "radius_km": 30})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and (body["page"], body["page_size"]) == (1, 20)
    first, second = body["items"]
    assert first["id"] == market["offers"][0].pk and second["id"] == market["offers"][1].pk
    assert first["score"] >= second["score"]
    assert first["commune"] == {"insee": "80021", "name": "Amiens"}
    assert first["rome"] == "J1501" and first["distance_km"] == 0.0
    assert {"code", "label", "value"} == set(first["reasons"][0])
    assert any(reason["label"] == "à 0 km" for reason in first["reasons"])
    (training,) = first["trainings"]
    assert training["id"] == market["training"].pk and training["remaining_places"] == 3
    assert training["next_session"] is not None


def test_an_offer_detail_carries_its_compatible_trainings(client, market):
    offer = market["offers"][1]
    response = client.get(f"/api/v1/offers/{offer.pk}", {"insee": "80021"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == offer.pk and body["distance_km"] > 0
    assert [training["id"] for training in body["trainings"]] == [market["training"].pk]


def test_a_draft_offer_is_not_found(client):
    response = client.get(f"/api/v1/offers/{OfferFactory().pk}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Aucune offre")


@pytest.mark.parametrize(
    ("params", "status", "field", "words"),
    [
        ({"rome": "A9999", "insee": "80021"}, 404, "rome", "Aucun métier ne porte le code ROME « A9999 »"),
        ({"rome": "ZZ", "insee": "80021"}, 422, "rome", "n'a pas le bon format"),
        ({"rome": "J1501", "insee": "80021", "radius_km": 0}, 422, "radius_km", "entre 1 et 200 km"),
        ({"rome": "J1501", "insee": "80021", "radius_km": 201}, 422, "radius_km", "entre 1 et 200 km"),
        ({"rome": "J1501", "insee": "99999"}, 404, "insee", "Aucune commune"),
        ({"rome": "J1501", "insee": "80021", "level": 9}, 422, "level", "de 3 (CAP) à 7"),
        ({"rome": "J1501", "insee": "80021", "appellation": 1}, 404, "appellation", "Aucune appellation"),
        ({"rome": "J1501"}, 422, "insee", "obligatoire"),
        ({"insee": "80021", "radius_km": 30}, 422, "rome", "Indiquez un code ROME"),
        ({"rome": "J1501", "insee": "80021", "radius_km": "trente"}, 422, "radius_km", "nombre entier"),
    ],
)
def test_bad_search_input_gets_a_french_message_naming_the_parameter(client, params, status, field, words):
    response = client.get("/api/v1/offers", params)
    assert response.status_code == status
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert words in body["errors"][0]["message"]


def test_trainings_near_amiens_with_places(client, market):
    response = client.get("/api/v1/trainings", {"rome": "J1501", "insee": "80021", "radius_km": 30, "level": 4})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [market["training"].pk]
    assert client.get("/api/v1/trainings", {"insee": "80021", "radius_km": 201}).status_code == 422


def test_companies_likely_to_recruit_needs_a_known_rome(client):
    assert client.get("/api/v1/companies/likely-to-recruit", {"insee": "80021"}).status_code == 422
    response = client.get("/api/v1/companies/likely-to-recruit", {"rome": "A9999", "insee": "80021"})
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "rome"
    ok = client.get("/api/v1/companies/likely-to-recruit", {"rome": "J1501", "insee": "80021"})
    assert ok.status_code == 200 and ok.json()["since_year"] == timezone.localdate().year - 3


def test_applying_needs_a_signed_in_young_person(client, market):
    offer = market["offers"][0]
    response = client.post("/api/v1/applications", {"offer_id": offer.pk}, content_type="application/json")
    assert response.status_code == 401 and response.json()["detail"] == "Authentification requise."
    client.force_login(UserFactory(role=Role.EMPLOYER))
    response = client.post("/api/v1/applications", {"offer_id": offer.pk}, content_type="application/json")
    assert response.status_code == 403
    client.force_login(UserFactory(role=Role.YOUNG))
    response = client.post("/api/v1/applications", {"offer_id": offer.pk}, content_type="application/json")
    assert response.status_code == 403 and "profil" in response.json()["detail"]
    assert not Application.objects.exists()


def test_a_young_person_applies_once_and_sees_only_their_applications(client, market):
    profile = CandidateProfileFactory()
    ApplicationFactory()  # someone else's
    client.force_login(profile.user)
    offer = market["offers"][0]
    response = client.post(
        "/api/v1/applications", {"offer_id": offer.pk, "message": "Bonjour"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "sent" and response.json()["offer"]["id"] == offer.pk
    again = client.post("/api/v1/applications", {"offer_id": offer.pk}, content_type="application/json")
    assert again.status_code == 409 and "déjà une candidature" in again.json()["detail"]
    missing = client.post("/api/v1/applications", {"offer_id": 10**9}, content_type="application/json")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "offer_id"
    mine = client.get("/api/v1/me/applications").json()
    assert mine["count"] == 1 and mine["items"][0]["offer"]["id"] == offer.pk
    assert Application.objects.filter(candidate=profile).count() == 1


def test_the_search_is_rate_limited_per_ip(client, monkeypatch):
    monkeypatch.setattr("guichet.api.ratelimit.time.time", lambda: 1_800_000_000.0)  # one fixed minute window
    for _ in range(60):
        client.get("/api/v1/companies/likely-to-recruit", {"rome": "J1501", "insee": "80021"})
    response = client.get("/api/v1/companies/likely-to-recruit", {"rome": "J1501", "insee": "80021"})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_the_offer_list_rendered_without_revalidation_is_byte_for_byte_its_validated_schema(client, market):
    """The list skips django-ninja's response validation: its bytes must be those of OfferListOut's dump."""
    from guichet.api.v1 import api
    from guichet.api.v1.offers import OfferListOut
    from guichet.jobs.models import Appellation

    job = RomeJob.objects.get(code="J1501")
    appellation = Appellation.objects.filter(job=job).first()
    OfferFactory(
        published=True,
        rome_job=job,
        commune=commune("80021"),
        target_level_id=3,
        appellation=appellation,
        starts_on=timezone.localdate() + timedelta(days=210),
    )
    TrainingSessionFactory(
        training=market["training"],
        starts_on=timezone.localdate() + timedelta(days=180),
        ends_on=timezone.localdate() + timedelta(days=900),
    )
    response = client.get("/api/v1/offers", {"rome": "J1501", "insee": "80021", "radius_km": 30})
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert len(body["items"]) == 3 and any(item["appellation"] for item in body["items"])
    assert any(len(training["session_starts"]) == 2 for item in body["items"] for training in item["trainings"])
    dumped = OfferListOut.model_validate(body).model_dump()
    assert response.content.decode() == api.renderer.render(response.wsgi_request, dumped, response_status=200)
