"""A database that cannot be reached answers a clean 503 (French page or JSON, Retry-After), never a 500
traceback, and the next request works again without restarting anything.

The real outage (PostgreSQL restarted under load) is exercised by `bench/faults.py postgres-restart`."""

import sqlite3
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from guichet.core.middleware import DATABASE_RETRY_AFTER_SECONDS, database_unavailable

pytestmark = pytest.mark.django_db

_failure: list[BaseException] = []


def _view(request):
    if _failure:
        raise _failure[0]
    return HttpResponse("ok")


urlpatterns = [path("page/", _view), path("api/v1/page", _view)]


def _postgres_down() -> OperationalError:
    """The error Django raises when psycopg cannot connect (it wraps the driver's error as its cause)."""
    try:
        try:
            raise psycopg.OperationalError("connection failed: Connection refused. Is the server running?")
        except psycopg.OperationalError as driver_error:
            raise OperationalError(*driver_error.args) from driver_error
    except OperationalError as error:
        return error


@pytest.fixture
def failing(settings):
    settings.ROOT_URLCONF = __name__
    _failure.clear()
    yield _failure
    _failure.clear()


def test_a_lost_database_gives_a_french_503_page_with_retry_after(client, failing):
    failing.append(_postgres_down())
    response = client.get("/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Service momentanément indisponible" in html
    assert "Traceback" not in html


def test_the_api_answers_its_json_error_shape_with_503(client, failing):
    failing.append(_postgres_down())
    response = client.get("/api/v1/page")
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["errors"] == []
    assert "base de données ne répond pas" in body["detail"]


def test_a_json_client_gets_json_outside_the_api_too(client, failing):
    failing.append(InterfaceError("connection already closed"))
    response = client.get("/page/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.json()["detail"].startswith("Le service est momentanément indisponible")


def test_the_service_answers_again_as_soon_as_the_database_is_back(client, failing):
    failing.append(_postgres_down())
    assert client.get("/page/").status_code == 503
    failing.clear()
    response = client.get("/page/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_failure_while_loading_the_session_is_a_503_too(settings, django_user_model):
    """The session and the user are read by middlewares, before any view: still a 503, not a 500."""
    settings.ROOT_URLCONF = __name__
    user = django_user_model.objects.create_user(email="jeune@example.org", password="x" * 16)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with mock.patch.object(SessionStore, "_get_session_from_db", side_effect=_postgres_down()):
        response = client.get("/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert "Service momentanément indisponible" in response.content.decode()


def test_a_programming_error_stays_a_server_error(client, failing):
    """Only unreachable databases become 503: a wrong query is a bug and must stay visible."""
    failing.append(ProgrammingError('relation "nope" does not exist'))
    with pytest.raises(ProgrammingError):
        client.get("/page/")


def test_which_errors_mean_unavailable():
    assert database_unavailable(_postgres_down())
    assert database_unavailable(InterfaceError("connection already closed"))
    assert not database_unavailable(ProgrammingError("syntax error"))
    assert not database_unavailable(ValueError("not a database error"))
    assert not database_unavailable(None)
    for message, expected in (("database is locked", True), ("no such table: offers_offer", False)):
        try:
            try:
                raise sqlite3.OperationalError(message)
            except sqlite3.OperationalError as driver_error:
                raise OperationalError(message) from driver_error
        except OperationalError as error:
            assert database_unavailable(error) is expected, message
