import pytest

from guichet.territory.models import BasinGrid, BasinMembership

pytestmark = pytest.mark.django_db


def _errors_by_field(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_commune_search_puts_amiens_first(client):
    response = client.get("/api/v1/communes", {"q": "amiens"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) <= 10
    amiens = body["items"][0]
    assert amiens["insee"] == "80021"
    assert amiens["postcodes"] == ["80000", "80080", "80090"]
    assert (amiens["department"], amiens["region"]) == ("80", "32")
    assert amiens["population"] > 100_000
    assert set(amiens) == {"insee", "name", "postcodes", "department", "region", "population", "latitude", "longitude"}


def test_commune_search_respects_limit(client):
    assert client.get("/api/v1/communes", {"q": "saint", "limit": 50}).json()["count"] == 50


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "amiens", "limit": 0}, "limit"),
        ({"q": "amiens", "limit": 51}, "limit"),
        ({}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "amiens", "limit": "dix"}, "limit"),
    ],
)
def test_commune_search_rejects_bad_parameters_with_422(client, params, field):
    response = client.get("/api/v1/communes", params)
    assert response.status_code == 422
    assert response.json()["detail"] == "Certaines valeurs sont invalides."
    assert field in _errors_by_field(response)


def test_commune_detail_includes_its_basins(client):
    body = client.get("/api/v1/communes/80021").json()
    assert body["zone_emploi"] == {"code": "3202", "name": "Amiens"}
    assert body["bassin_bmo"] == {"code": "3202", "name": "AMIENS"}
    paris = client.get("/api/v1/communes/75056").json()
    assert paris["zone_emploi"] is None and paris["bassin_bmo"] is None


@pytest.mark.parametrize("code", ["99999", "8002", "abc", "80021x", "%00"])
def test_unknown_or_malformed_commune_gives_a_json_404(client, code):
    response = client.get(f"/api/v1/communes/{code}")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"].startswith("Aucune commune ne porte")
    assert body["errors"] == []


def test_nearby_lists_communes_by_distance_with_one_decimal(client):
    body = client.get("/api/v1/communes/80021/nearby", {"radius_km": 10, "page_size": 100}).json()
    assert body["items"][0] == {"insee": "80021", "name": "Amiens", "distance_km": 0.0}
    distances = [item["distance_km"] for item in body["items"]]
    assert distances == sorted(distances) and max(distances) <= 10
    assert all(round(distance, 1) == distance for distance in distances)
    assert body["count"] == len(body["items"])
    assert (body["page"], body["page_size"], body["radius_km"]) == (1, 100, 10)


def test_nearby_is_paginated_with_30_km_by_default(client):
    first = client.get("/api/v1/communes/80021/nearby").json()
    second = client.get("/api/v1/communes/80021/nearby", {"page": 2}).json()
    assert first["radius_km"] == 30 and first["page_size"] == 20 and len(first["items"]) == 20
    assert first["count"] == second["count"] > 40
    assert not {item["insee"] for item in first["items"]} & {item["insee"] for item in second["items"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 201}, "radius_km"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
    ],
)
def test_nearby_rejects_out_of_range_values(client, params, field):
    response = client.get("/api/v1/communes/80021/nearby", params)
    assert response.status_code == 422
    assert field in _errors_by_field(response)


def test_nearby_of_an_unknown_commune_is_a_404(client):
    assert client.get("/api/v1/communes/99999/nearby").status_code == 404


@pytest.mark.parametrize(
    ("url", "count", "grid"),
    [("/api/v1/zones-emploi", 24, BasinGrid.ZONE_EMPLOI), ("/api/v1/basins", 28, BasinGrid.BMO)],
)
def test_grid_lists_give_every_basin_and_optionally_its_communes(client, url, count, grid):
    body = client.get(url, {"page_size": 100}).json()
    assert body["count"] == count == len(body["items"])
    assert "communes" not in body["items"][0] and "geometry" not in body["items"][0]
    body = client.get(url, {"page_size": 100, "include_communes": "true"}).json()
    codes = [code for item in body["items"] for code in item["communes"]]
    assert len(codes) == len(set(codes)) == 3_782 == BasinMembership.objects.filter(grid=grid).count()
    assert all(len(item["communes"]) == item["communes_count"] for item in body["items"])
    assert sum(item["population"] for item in body["items"]) == 5_992_194


def test_grid_lists_use_the_default_page_size(client):
    body = client.get("/api/v1/basins").json()
    assert (body["count"], len(body["items"]), body["page_size"]) == (28, 20, 20)


def test_basin_detail_with_geometry(client):
    body = client.get("/api/v1/zones-emploi/0054", {"include_geometry": "true"}).json()
    assert body["interregional"] is True
    assert body["geometry"]["type"] == "MultiPolygon"
    assert "communes" not in body
    assert client.get("/api/v1/basins/3202").json()["name"] == "AMIENS"


@pytest.mark.parametrize("url", ["/api/v1/zones-emploi/9999", "/api/v1/basins/0054", "/api/v1/basins/<x>"])
def test_unknown_basin_gives_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Aucun")


def test_bad_boolean_gives_a_422_naming_the_field(client):
    response = client.get("/api/v1/basins", {"include_communes": "peut-être"})
    assert response.status_code == 422
    assert _errors_by_field(response) == {"include_communes": "Ce paramètre doit valoir true ou false."}


def test_openapi_schema_documents_every_territory_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/communes",
        "/api/v1/communes/{insee}",
        "/api/v1/communes/{insee}/nearby",
        "/api/v1/zones-emploi",
        "/api/v1/zones-emploi/{code}",
        "/api/v1/basins",
        "/api/v1/basins/{code}",
    ]:
        operation = schema["paths"][path]["get"]
        assert "422" in operation["responses"], path
        assert all(parameter.get("schema") for parameter in operation["parameters"]), path
        if "{" in path:
            assert "404" in operation["responses"], path
