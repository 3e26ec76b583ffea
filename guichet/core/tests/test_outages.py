"""Outages answer cleanly, never with a 500 traceback: a database that cannot be reached gives a 503
(French page or JSON, Retry-After) and the next request works again without restarting anything; a full
disk on upload gives a French 507 page, and neither a row nor a half-written file is left behind.

The real outages (PostgreSQL restarted under load, a tmpfs filled up) are run by `bench/faults.py`."""

import errno
import os
import sqlite3
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from guichet.core.middleware import DATABASE_RETRY_AFTER_SECONDS, database_unavailable, storage_full
from guichet.core.storage import AtomicFileSystemStorage
from guichet.support import spam
from guichet.support.models import Attachment, SupportRequest
from guichet.support.tests.factories import team_with_advisors

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


class _DiskFullAfter:
    """A file object that accepts `room` bytes, then fails like a full disk (ENOSPC), as a tmpfs does."""

    def __init__(self, real, room: int) -> None:
        self.real, self.room = real, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.real.write(data[: self.room])
            self.real.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.real.write(data)

    def close(self) -> None:
        self.real.close()


@pytest.fixture
def disk_full_after(monkeypatch):
    def fill(room: int) -> None:
        real_fdopen = os.fdopen
        # FileSystemStorage writes through os.fdopen: the file it gets fills up after `room` bytes.
        monkeypatch.setattr(os, "fdopen", lambda fd, mode: _DiskFullAfter(real_fdopen(fd, mode), room))

    return fill


def _files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_disk_full_in_the_middle_of_a_file_leaves_no_partial_file(tmp_path, disk_full_after):
    storage = AtomicFileSystemStorage(location=tmp_path)
    disk_full_after(1000)
    with pytest.raises(OSError) as raised:
        storage.save("private/piece.pdf", ContentFile(b"%PDF-1.4\n" + b"x" * 200_000))
    assert raised.value.errno == errno.ENOSPC
    assert _files_under(tmp_path) == []


def test_the_atomic_storage_keeps_whole_files_and_never_overwrites(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("private/piece.pdf", ContentFile(b"premier"))
    second = storage.save("private/piece.pdf", ContentFile(b"second"))
    assert first != second
    for name, content in ((first, b"premier"), (second, b"second")):
        with storage.open(name) as handle:
            assert handle.read() == content
    assert sorted(path.name for path in _files_under(tmp_path)) == sorted(Path(name).name for name in (first, second))


def test_the_media_storage_is_the_atomic_one():
    assert isinstance(storages["default"], AtomicFileSystemStorage)


def test_a_full_disk_on_upload_gives_a_french_page_and_saves_nothing(client, monkeypatch, disk_full_after):
    """The support request form with a PDF attached, the disk filling up while the file is written."""
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    team_with_advisors(zone_code="3220")
    media = Path(storages["default"].location)
    before = set(_files_under(media))
    disk_full_after(4096)
    pdf = SimpleUploadedFile("fiche.pdf", b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n", "application/pdf")
    data = {
        "profile": "parent",
        "topic": "remuneration",
        "commune": "",
        "commune_label": "Saint-Quentin (02100)",
        "message": "Combien sera payé mon fils de 17 ans en première année ?",
        "name": "Claire Parent",
        "email": "claire.parent@exemple.fr",
        "contact_preference": "email",
        "phone": "",
        "site_web": "",
        "started": spam.form_token(),
        "attachments": [pdf],
    }
    response = client.post(reverse("support:ask"), data)
    assert response.status_code == 507
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "l'espace de stockage du service est plein" in html
    assert "Rien n'a été enregistré" in html
    assert not SupportRequest.objects.exists()
    assert not Attachment.objects.exists()
    assert set(_files_under(media)) == before


def test_a_full_disk_is_told_in_json_to_the_api(client, failing):
    failing.append(OSError(errno.ENOSPC, "No space left on device"))
    response = client.get("/api/v1/page")
    assert response.status_code == 507
    assert "espace de stockage" in response.json()["detail"]


def test_which_errors_mean_a_full_disk():
    assert storage_full(OSError(errno.ENOSPC, "No space left on device"))
    assert storage_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert not storage_full(OSError(errno.EACCES, "Permission denied"))
    assert not storage_full(ValueError("no"))
