import json
from pathlib import Path

import pytest
from django.conf import settings
from openapi_spec_validator import validate

COMMITTED_SCHEMA = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from guichet.api.v1 import api

    return api.get_openapi_schema(path_prefix="/api/v1")


def test_openapi_schema_is_a_valid_openapi_3_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_committed_schema_matches_the_code(schema):
    """docs/api/openapi.json is the published contract: regenerate it with `manage.py export_openapi`."""
    assert COMMITTED_SCHEMA.exists(), "docs/api/openapi.json manque : lancez manage.py export_openapi."
    committed = json.loads(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(schema)), "Le schéma a changé : lancez manage.py export_openapi."


def test_every_operation_with_parameters_documents_its_error_responses(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not operation.get("parameters") and "requestBody" not in operation:
                continue  # nothing a client can get wrong
            codes = {str(code) for code in operation["responses"]}
            assert codes & {"404", "422"}, f"{method.upper()} {path} ne documente aucune erreur"


def test_docs_page_uses_only_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html
    assert "/static/ninja/" in html


@pytest.mark.django_db
def test_unknown_api_route_answers_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Ressource introuvable")


@pytest.mark.django_db
def test_a_wrong_method_answers_json_405_with_the_allowed_methods(client):
    response = client.delete("/api/v1/communes?q=amiens")
    assert response.status_code == 405
    assert response.json() == {"detail": "Méthode HTTP non autorisée pour cette adresse.", "errors": []}
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert not response.get("Content-Type", "").startswith("application/json")


def test_no_two_api_schemas_share_a_name_with_different_shapes():
    """OpenAPI components are keyed by class name: two different schemas with the same name would make the
    published contract describe one of them wrongly."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import guichet.api.v1 as package

    seen: dict[str, tuple[str, dict]] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"guichet.api.v1.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, Schema) or cls.__module__ != module.__name__ or name.endswith("Query"):
                continue  # query schemas are flattened into parameters, not published as components
            shape = cls.model_json_schema()
            shape.pop("title", None)
            if name in seen and seen[name][1] != shape:
                raise AssertionError(f"{name} is defined differently in {seen[name][0]} and {module.__name__}")
            seen.setdefault(name, (module.__name__, shape))
