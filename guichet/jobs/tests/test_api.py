import pytest


@pytest.mark.django_db
def test_search_returns_the_bakery_job_first(client):
    response = client.get("/api/v1/jobs", {"q": "boulanger"})
    assert response.status_code == 200
    body = response.json()
    assert body["items"][0] == {
        "rome": "D1102",
        "title": "Boulanger / Boulangère",
        "domain": {"code": "D11", "name": "Commerce alimentaire et métiers de bouche"},
        "is_future": False,
        "future_family": None,
        "matched_appellation": "Boulanger / Boulangère",
    }
    assert body["count"] == len(body["items"]) == 5  # D1102 and 4 jobs with a "boulangerie" appellation


@pytest.mark.django_db
def test_search_returns_ten_jobs_by_default_and_counts_them_all(client):
    body = client.get("/api/v1/jobs", {"q": "vendeur"}).json()
    assert len(body["items"]) == 10
    assert body["count"] > 10
    assert len(client.get("/api/v1/jobs", {"q": "vendeur", "limit": 50}).json()["items"]) == body["count"]


@pytest.mark.django_db
def test_search_flags_jobs_of_the_future(client):
    item = client.get("/api/v1/jobs", {"q": "aide soignant", "limit": 1}).json()["items"][0]
    assert (item["rome"], item["is_future"], item["future_family"]) == ("J1501", True, "sante")


@pytest.mark.django_db
def test_search_by_rome_code(client):
    body = client.get("/api/v1/jobs", {"q": "d1102", "limit": 1}).json()
    assert body["items"][0]["rome"] == "D1102"
    assert body["items"][0]["matched_appellation"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "boulanger", "limit": 0}, "limit", "La valeur doit être supérieure ou égale à 1."),
        ({"q": "boulanger", "limit": 51}, "limit", "La valeur doit être inférieure ou égale à 50."),
        ({"q": "boulanger", "limit": "dix"}, "limit", "Ce paramètre doit être un nombre entier."),
        ({"q": "b"}, "q", "Ce texte doit compter au moins 2 caractères."),
        ({}, "q", "Ce paramètre est obligatoire."),
    ],
)
def test_invalid_search_parameters_give_422_naming_the_field(client, params, field, message):
    response = client.get("/api/v1/jobs", params)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Certaines valeurs sont invalides.",
        "errors": [{"field": field, "message": message}],
    }


@pytest.mark.django_db
def test_job_detail_lists_its_appellations(client):
    body = client.get("/api/v1/jobs/d1102").json()
    assert (body["rome"], body["regulated"], body["is_future"]) == ("D1102", False, False)
    assert {"ogr": 11573, "title": "Boulanger / Boulangère"} in body["appellations"]
    assert len(body["appellations"]) == 8


@pytest.mark.django_db
def test_unknown_job_gives_a_french_404(client):
    response = client.get("/api/v1/jobs/N9999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucun métier ne correspond au code ROME « N9999 ».", "errors": []}


@pytest.mark.django_db
def test_malformed_rome_code_gives_422(client):
    response = client.get("/api/v1/jobs/boulanger")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "rome", "message": "Ce paramètre n'a pas le format attendu."}]


@pytest.mark.django_db
def test_diploma_levels(client):
    body = client.get("/api/v1/diploma-levels").json()
    assert [item["level"] for item in body["items"]] == [3, 4, 5, 6, 7, 8]
    assert body["items"][0] == {
        "level": 3,
        "label": "CAP, BEP",
        "old_name": "V",
        "examples": "CAP, BEP, titre professionnel de niveau 3",
    }
    assert body["count"] == 6
    assert "2019-14" in body["reference"]


def test_schema_declares_parameters_and_error_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    search = schema["paths"]["/api/v1/jobs"]["get"]
    assert {parameter["name"] for parameter in search["parameters"]} == {"q", "limit"}
    # 401: a wrong, expired or revoked partner key is refused on every operation, public ones included.
    assert set(search["responses"]) == {"200", "401", "422"}
    detail = schema["paths"]["/api/v1/jobs/{rome}"]["get"]
    assert set(detail["responses"]) == {"200", "401", "404", "422"}
    assert detail["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert "/api/v1/diploma-levels" in schema["paths"]
