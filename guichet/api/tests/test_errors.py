import pytest

from guichet.api.errors import validation_errors


def test_body_errors_name_the_field_not_the_parameter():
    raw = [{"type": "date_from_datetime_parsing", "loc": ("body", "payload", "birth_date"), "msg": "x"}]
    assert validation_errors(raw) == [{"field": "birth_date", "message": "Saisissez une date au format AAAA-MM-JJ."}]


def test_nested_body_errors_keep_their_path():
    raw = [{"type": "missing", "loc": ("body", "payload", "employer", "headcount"), "msg": "x"}]
    assert validation_errors(raw) == [{"field": "employer.headcount", "message": "Ce paramètre est obligatoire."}]


def test_query_errors_name_the_parameter_with_a_french_message():
    raw = [{"type": "greater_than_equal", "loc": ("query", "radius_km"), "msg": "x", "ctx": {"ge": 1}}]
    assert validation_errors(raw) == [
        {"field": "radius_km", "message": "La valeur doit être supérieure ou égale à 1."}
    ]


def test_an_empty_text_gets_a_plain_message():
    raw = [{"type": "string_too_short", "loc": ("query", "q"), "msg": "x", "ctx": {"min_length": 1}}]
    assert validation_errors(raw)[0]["message"] == "Ce texte ne doit pas être vide."


def test_a_malformed_json_body_gets_a_french_400(client):
    response = client.post("/api/v1/simulations/salary", data=b"\xff{", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Le corps de la requête n'est pas un JSON valide : vérifiez sa syntaxe.",
        "errors": [],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["training_start", "contract_start"])
def test_a_guide_date_far_in_the_past_is_refused_in_french_instead_of_crashing(client, field):
    """Found by the property-based tests (tests/api_fuzz): year 1 made the guide's deadlines overflow (500)."""
    response = client.get("/api/v1/guide", {"level": 3, field: "0001-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "message": "Saisissez une date entre le 1er janvier 1900 et le 31 décembre 2199."}
    ]
    assert client.get("/api/v1/guide", {"level": 3, field: "2027-09-01"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "86400", "2026-09-01T00:00:00"])
def test_a_date_is_read_only_in_the_documented_format(client, value):
    """pydantic's lax mode read "0" as 1970-01-01; the schema says AAAA-MM-JJ (found by schemathesis)."""
    response = client.get("/api/v1/aids/programmes", {"date": value})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "date", "message": "Saisissez une date au format AAAA-MM-JJ."}]
    assert client.get("/api/v1/aids/programmes", {"date": "2026-09-01"}).status_code == 200


@pytest.mark.django_db
def test_a_body_date_given_as_a_number_is_refused(client):
    body = {"birth_date": 0, "contract_start": "2026-09-01", "contract_end": "2028-08-31"}
    response = client.post("/api/v1/simulations/salary", body, content_type="application/json")
    assert response.status_code == 422
    assert {"field": "birth_date", "message": "Saisissez une date au format AAAA-MM-JJ."} in response.json()["errors"]
