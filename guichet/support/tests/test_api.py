import pytest
from django.core.cache import cache

from guichet.support import spam
from guichet.support.models import SupportRequest
from guichet.support.tests.factories import team_with_advisors


@pytest.fixture(autouse=True)
def no_fill_delay(monkeypatch):
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    cache.clear()
    yield
    cache.clear()


def payload(client, **overrides):
    token = client.get("/api/v1/requests/form-token").json()["token"]
    body = {
        "topic": "remuneration",
        "profile": "parent",
        "insee": "02691",
        "name": "Claire Parent",
        "email": "claire.parent@exemple.fr",
        "message": "Combien sera payé mon fils ?",
        "form_token": token,
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_anonymous_post_creates_a_routed_request_and_only_its_owner_reads_it(client):
    team, _ = team_with_advisors(zone_code="3220")
    response = client.post("/api/v1/requests", payload(client), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"] == team.name
    assert body["zone_emploi"] == "3220"
    reference, token = body["reference"], body["token"]
    assert client.get(f"/api/v1/requests/{reference}?token={token}").json()["status"] == "assigned"
    assert client.get(f"/api/v1/requests/{reference}?token=faux").status_code == 404
    assert client.get(f"/api/v1/requests/{reference}").status_code == 404


@pytest.mark.django_db
def test_honeypot_bad_token_unknown_commune_and_empty_message_are_refused_in_french(client):
    assert (
        client.post("/api/v1/requests", payload(client, website="x"), content_type="application/json").status_code
        == 400
    )
    assert (
        client.post("/api/v1/requests", payload(client, form_token="abc"), content_type="application/json").status_code
        == 400
    )
    unknown = client.post("/api/v1/requests", payload(client, insee="99999"), content_type="application/json")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "insee"
    empty = client.post("/api/v1/requests", payload(client, message="   "), content_type="application/json")
    assert empty.status_code == 422
    assert "vide" in empty.json()["errors"][0]["message"]
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_requests_per_ip_are_limited(client, monkeypatch):
    monkeypatch.setattr(spam, "PER_IP_PER_HOUR", 1)
    assert client.post("/api/v1/requests", payload(client), content_type="application/json").status_code == 201
    assert client.post("/api/v1/requests", payload(client), content_type="application/json").status_code == 429


@pytest.mark.django_db
def test_guide_endpoint_returns_dated_steps_with_reasons(client):
    team, _ = team_with_advisors(zone_code="3220")
    body = client.get("/api/v1/guide?age=17&situation=a-tout&contract_start=2026-05-11&insee=02691").json()
    opco = next(step for step in body["steps"] if step["code"] == "opco")
    assert opco["due"] == "2026-05-18"
    assert opco["reference"] == "C. trav. D6224-1"
    assert body["team"] == team.name
    assert client.get("/api/v1/guide?insee=00000").status_code == 422


@pytest.mark.django_db
def test_knowledge_endpoint_searches_with_synonyms_and_paginates(client):
    body = client.get("/api/v1/knowledge?q=patron&audience=jeunes").json()
    assert any(item["slug"] == "trouver-un-employeur" for item in body["items"])
    listing = client.get("/api/v1/knowledge?page_size=2").json()
    assert listing["page_size"] == 2 and len(listing["items"]) == 2 and listing["count"] >= 10
    assert client.get("/api/v1/knowledge?audience=martiens").status_code == 422
