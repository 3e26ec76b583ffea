"""The aids API through HTTP: answers, French errors naming the field, nothing saved on bad input."""

import pytest

from guichet.aids.models import RulesSnapshot, Simulation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_earlier_simulations():
    """Browser journeys on a reused database may have committed simulations: start each test from none."""
    Simulation.objects.all().delete()


WORKED_EXAMPLE = {"birth_date": "2007-03-15", "contract_start": "2024-09-01", "contract_end": "2027-08-31"}


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def test_salary_simulation_answers_domain_worked_example_and_records_its_rules_version(client):
    response = post(client, "/simulations/salary", WORKED_EXAMPLE)
    assert response.status_code == 200, response.content
    body = response.json()
    by_month = {month["month"]: month for month in body["months"]}
    assert by_month["2024-09"]["minimum_gross"] == 477.07
    assert by_month["2025-04"]["minimum_gross"] == 774.78
    assert by_month["2027-08"]["minimum_gross"] == 1250.91
    assert by_month["2025-04"]["changes"][0]["code"] == "age_band_change"
    simulation = Simulation.objects.get()
    assert simulation.rules_version == body["rules_version"]
    assert RulesSnapshot.objects.filter(version=body["rules_version"]).exists()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"birth_date": "2012-01-10"}, "birth_date", "14 ans"),
        ({"birth_date": "1995-01-10"}, "birth_date", "29 ans révolus"),
        ({"birth_date": "1990-01-10", "age_exception": "previous_contract_broken"}, "birth_date", "35 ans"),
        ({"contract_end": "2026-08-31"}, "contract_end", "postérieure"),
        ({"contract_end": "2030-09-01"}, "contract_end", "3 ans"),
        ({"contract_end": "2031-09-01", "rqth": True}, "contract_end", "4 ans"),
        ({"weekly_hours": -5}, "weekly_hours", "positif"),
        ({"birth_date": "pas une date"}, "birth_date", ""),
    ],
)
def test_bad_salary_input_gets_a_french_message_naming_the_field_and_saves_nothing(client, body, field, words):
    payload = {"birth_date": "2008-05-02", "contract_start": "2026-09-01", "contract_end": "2028-08-31"} | body
    response = post(client, "/simulations/salary", payload)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert len(errors) == 1
    assert errors[0]["field"].removeprefix("payload.") == field  # pydantic errors carry the body parameter's name
    assert words in errors[0]["message"]
    assert not Simulation.objects.exists()


def test_age_exceptions_allow_an_apprentice_of_31(client):
    payload = {"birth_date": "1995-01-10", "contract_start": "2026-09-01", "contract_end": "2028-08-31"}
    assert post(client, "/simulations/salary", payload | {"rqth": True}).status_code == 200
    assert post(client, "/simulations/salary", payload | {"age_exception": "business_creation"}).status_code == 200
    previous = payload | {"age_exception": "higher_diploma_after_apprenticeship"}
    assert post(client, "/simulations/salary", previous).status_code == 200


def test_aids_simulation_lists_eligible_and_refused_aids_with_the_failed_condition(client):
    body = {
        "employer": {"headcount": 12, "public": False},
        "apprentice": {"birth_date": "2008-05-02", "rqth": False},
        "contract": {"start": "2026-09-01", "end": "2028-08-31", "diploma_level": 4, "concluded_on": "2026-03-07"},
    }
    response = post(client, "/simulations/aids", body)
    assert response.status_code == 200, response.content
    result = response.json()
    aids = {aid["programme"]: aid for aid in result["aids"]}
    assert aids["aide_unique_2026_debut"]["eligible"] is True
    assert aids["aide_unique_2026_debut"]["amount"] == 5000.0
    assert len(aids["aide_unique_2026_debut"]["schedule"]) == 12
    assert aids["aide_2026"]["eligible"] is False
    assert aids["aide_2026"]["reasons"][0]["code"] == "failed_date_window"
    cost = result["employer_net_cost"]
    assert cost["total"] == round(cost["total_gross"] - cost["total_aid"], 2)
    assert cost["not_modelled"]
    assert Simulation.objects.get().kind == "employer"


def test_aids_simulation_names_nested_fields_in_errors(client):
    body = {
        "employer": {"headcount": -3},
        "apprentice": {"birth_date": "2008-05-02"},
        "contract": {"start": "2026-09-01", "end": "2026-08-01"},
    }
    response = post(client, "/simulations/aids", body)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"contract.end", "employer.headcount"} <= fields
    assert not Simulation.objects.exists()


def test_programmes_in_force_depend_on_the_date(client):
    before = client.get("/api/v1/aids/programmes", {"date": "2026-03-07", "scope": "national", "page_size": 100})
    after = client.get("/api/v1/aids/programmes", {"date": "2026-03-08", "scope": "national", "page_size": 100})
    codes_before = {item["programme"] for item in before.json()["items"]}
    codes_after = {item["programme"] for item in after.json()["items"]}
    assert "aide_unique_2026_debut" in codes_before and "aide_2026" not in codes_before
    assert "aide_2026" in codes_after and "aide_unique_2026_debut" not in codes_after
    assert client.get("/api/v1/aids/programmes", {"date": "hier"}).status_code == 422
