"""Partner keys through HTTP: the 401/403 shape, scopes, audit of privileged uses, rate limits per key."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from guichet.accounts.tests.factories import UserFactory
from guichet.api.keys import partner_key_revoke
from guichet.api.models import PartnerScope
from guichet.api.ratelimit import PARTNER_FACTOR, RateLimited, check_rate_limit
from guichet.api.tests.factories import partner_key
from guichet.core.models import AuditEvent

pytestmark = pytest.mark.django_db
KPIS = "/api/v1/observatory/kpis"
EXPORT = "/api/v1/observatory/exports/indicateurs.csv"
NOW = 1_800_000_000.0


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_without_credentials_a_scoped_operation_answers_401_in_french(client):
    response = client.get(KPIS)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentification requise.", "errors": []}


def test_a_key_without_the_scope_gets_403_naming_the_scope(client):
    _, raw = partner_key(scopes=(PartnerScope.PUBLIC_READ, PartnerScope.OBSERVATORY_EXPORT))
    response = client.get(KPIS, **bearer(raw))
    assert response.status_code == 403
    assert response.json()["detail"] == "Cette clé d'API n'a pas la portée « observatory.read » que demande cet appel."
    assert not AuditEvent.objects.filter(action="api.key_used").exists()


def test_a_key_with_the_scope_reads_the_indicators_and_each_use_is_audited(client):
    key, raw = partner_key(scopes=(PartnerScope.OBSERVATORY_READ,))
    for _ in range(2):
        assert client.get(KPIS, {"level": "region"}, **bearer(raw)).status_code == 200
    events = AuditEvent.objects.filter(action="api.key_used")
    assert events.count() == 2
    event = events.first()
    assert event.actor_id is None and event.object_id == str(key.pk) and event.ip == "127.0.0.1"
    assert event.details == {"prefix": key.prefix, "scope": "observatory.read", "operation": f"GET {KPIS}"}


def test_the_x_api_key_header_works_like_the_bearer_header(client):
    _, raw = partner_key(scopes=(PartnerScope.OBSERVATORY_READ,))
    assert client.get(KPIS, HTTP_X_API_KEY=raw).status_code == 200


def test_the_export_scope_is_separate_from_the_read_scope(client):
    _, reader = partner_key(scopes=(PartnerScope.OBSERVATORY_READ,))
    _, exporter = partner_key(scopes=(PartnerScope.OBSERVATORY_EXPORT,))
    assert client.get(EXPORT, **bearer(reader)).status_code == 403
    response = client.get(EXPORT, **bearer(exporter))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.get(action="api.key_used").details["scope"] == "observatory.export"


def test_a_revoked_key_is_refused_even_on_public_operations_with_www_authenticate(client):
    key, raw = partner_key()
    assert client.get("/api/v1/diploma-levels", **bearer(raw)).status_code == 200
    partner_key_revoke(key=key)
    response = client.get("/api/v1/diploma-levels", **bearer(raw))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "révoquée" in response.json()["detail"]


def test_public_operations_stay_open_without_a_key(client):
    assert client.get("/api/v1/diploma-levels").status_code == 200


def test_a_key_never_opens_a_young_persons_applications(client):
    _, raw = partner_key(scopes=tuple(PartnerScope.values))
    assert client.get("/api/v1/me/applications", **bearer(raw)).status_code == 401


def test_a_key_does_not_replace_the_role_check_of_a_signed_in_person(client):
    client.force_login(UserFactory(role="jeune"))
    assert client.get(KPIS).status_code == 403


def _request(key=None, ip: str = "203.0.113.5"):
    request = RequestFactory().get("/api/v1/x", REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    request.partner_key = key
    return request


def test_a_key_with_public_read_is_limited_per_key_at_a_higher_rate_and_not_by_its_address():
    key, _ = partner_key(scopes=(PartnerScope.PUBLIC_READ,))
    for index in range(3 * PARTNER_FACTOR):
        check_rate_limit(_request(key, ip=f"192.0.2.{index % 2}"), "t", per_client=3, per_ip=2, now=NOW)
    with pytest.raises(RateLimited):
        check_rate_limit(_request(key), "t", per_client=3, per_ip=2, now=NOW)
    check_rate_limit(_request(None, ip="192.0.2.0"), "t", per_client=3, per_ip=2, now=NOW)  # the IP counter is apart


def test_a_key_without_public_read_has_the_limit_of_a_person_and_each_key_its_own_counter():
    key, _ = partner_key(scopes=(PartnerScope.OBSERVATORY_READ,))
    other, _ = partner_key(scopes=(PartnerScope.OBSERVATORY_READ,))
    for _ in range(3):
        check_rate_limit(_request(key), "t", per_client=3, per_ip=100, now=NOW)
    with pytest.raises(RateLimited):
        check_rate_limit(_request(key), "t", per_client=3, per_ip=100, now=NOW)
    check_rate_limit(_request(other), "t", per_client=3, per_ip=100, now=NOW)


def test_over_its_limit_a_key_gets_429_with_retry_after_through_http(client, settings, monkeypatch):
    # One fixed minute window: 61 requests on a slow machine could straddle two windows (the count starts again).
    monkeypatch.setattr("guichet.api.ratelimit.time.time", lambda: 1_800_000_000.0)
    _, raw = partner_key(scopes=(PartnerScope.OBSERVATORY_READ,))
    statuses = [client.get(KPIS, **bearer(raw)).status_code for _ in range(61)]  # 60 a minute per key
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


def test_the_schema_documents_both_headers_and_the_scope_of_each_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["PartnerKeyBearer"]["scheme"] == "bearer"
    assert schemes["PartnerKeyHeader"] == {**schemes["PartnerKeyHeader"], "in": "header", "name": "X-Api-Key"}
    kpis = schema["paths"][KPIS]["get"]
    assert {"PartnerKeyBearer": ["observatory.read"]} in kpis["security"]
    assert {"401", "403", "429"} <= set(kpis["responses"])
    public = schema["paths"]["/api/v1/diploma-levels"]["get"]
    assert {} in public["security"] and "401" in public["responses"]
