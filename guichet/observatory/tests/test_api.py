"""The observatory API: analysts only (401/403 in JSON), KPIs from the summaries, gaps, scenarios, exports."""

from datetime import date

import pytest

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.observatory.services import kpis_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client):
    client.force_login(UserFactory(role=Role.ANALYST))


def test_an_anonymous_call_gets_a_401_in_json(client):
    response = client.get("/api/v1/observatory/kpis")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentification requise."


def test_an_employer_gets_a_403_in_json(client):
    client.force_login(UserFactory(role=Role.EMPLOYER))
    response = client.get("/api/v1/observatory/targets")
    assert response.status_code == 403
    assert "réservé aux analystes" in response.json()["detail"]


def test_kpis_of_a_month_come_from_the_summaries_with_their_reasons(client, analyst):
    ContractFactory(starts_on=date(2025, 9, 1), planned_end_on=date(2027, 8, 31))
    ContractFactory(starts_on=date(2025, 9, 2), planned_end_on=date(2027, 8, 31))
    kpis_recompute(trigger="test", as_of=date(2026, 3, 31), months=12)
    body = client.get("/api/v1/observatory/kpis", {"date": "2025-12-15"}).json()
    assert body["period"] == "2025-11-01"  # last complete month on 15 December
    stock = [item for item in body["items"] if item["indicator"] == "apprentis_stock"]
    assert stock == [
        {"indicator": "apprentis_stock", "label": "Apprentis en contrat (lieu de travail)", "unit": "nombre",
         "category": "ensemble", "value": 2.0}
    ]  # fmt: skip
    assert {reason["code"] for reason in body["reasons"]} >= {"source", "scope"}
    too_early = client.get("/api/v1/observatory/kpis", {"date": "2020-01-01"})
    assert too_early.status_code == 422 and too_early.json()["errors"][0]["field"] == "date"


def test_targets_list_the_2016_plan(client, analyst):
    body = client.get("/api/v1/observatory/targets").json()
    assert body["count"] == 3
    national = next(item for item in body["items"] if item["indicator"] == "part_nationale")
    assert national["value"] == pytest.approx(6.82, abs=0.01)  # 65 000 / 953 600, SIFA 2022
    assert national["on_track"] is False


def test_gaps_take_the_grid_and_refuse_an_unknown_area(client, analyst):
    body = client.get("/api/v1/observatory/gaps", {"grid": "basin", "rome": "J1501", "limit": 5}).json()
    assert body["count"] == 28 and len(body["items"]) == 5
    assert all(item["rome"] == "J1501" and item["future_family"] == "sante" for item in body["items"])
    assert body["items"][0]["gap"] >= body["items"][-1]["gap"]
    bad = client.get("/api/v1/observatory/gaps", {"grid": "zone", "code": "9999"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    assert client.get("/api/v1/observatory/gaps", {"grid": "canton"}).status_code == 422


def test_a_scenario_allocates_every_place_with_its_reasons(client, analyst):
    payload = {"places": 40, "grid": "zone", "constraints": {"department_minimum": 3, "future_share": 0.5}}
    body = client.post("/api/v1/observatory/scenarios", payload, content_type="application/json").json()
    assert body["allocated"] == 40
    departments = {item["department"] for item in body["items"]}
    assert departments == {"02", "59", "60", "62", "80"}
    assert all(item["reasons"] for item in body["items"])
    impossible = {"places": 4, "constraints": {"department_minimum": 1}}
    refused = client.post("/api/v1/observatory/scenarios", impossible, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "department_minimum"


def test_an_export_is_csv_with_its_filters_in_the_name(client, analyst):
    response = client.get("/api/v1/observatory/exports/besoins.csv", {"grid": "basin", "code": "3202"})
    assert response.status_code == 200
    assert "grid-basin" in response["Content-Disposition"] and "code-3202" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").startswith("# Tableau;besoins")
    assert client.get("/api/v1/observatory/exports/inconnu.csv").status_code == 404
