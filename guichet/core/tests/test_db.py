"""guichet.core.db.prepared_cursor: prepared on PostgreSQL, Django's cursor elsewhere, seen by query capture."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.core.db import prepared_cursor, prepared_statements_enabled

pytestmark = pytest.mark.django_db

SQL = "SELECT %(a)s + %(b)s, %(label)s"


def test_a_prepared_statement_returns_typed_results_and_is_captured():
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute(SQL, {"a": 0.1, "b": 0.2, "label": "zone d'emploi"})
        total, label = cursor.fetchone()
    # Floats travel as floats: the database adds them as Python does (a NUMERIC literal would give exactly 0.3).
    assert total == 0.1 + 0.2 and label == "zone d'emploi"
    (query,) = queries.captured_queries
    assert query["sql"] in ("SELECT $1 + $2, $3", "SELECT 0.1 + 0.2, 'zone d''emploi'")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: prepared statements")
def test_on_postgresql_the_statement_is_prepared_once_per_connection():
    assert prepared_statements_enabled()
    for value in (1.5, 2.5):
        with prepared_cursor() as cursor:
            cursor.execute(SQL, {"a": value, "b": 1.0, "label": "x"})
            assert cursor.fetchone()[0] == value + 1.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%$1 + $2, $3%"])
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_without_prepare_threshold_the_ordinary_cursor_is_used(settings, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {})
    assert not prepared_statements_enabled()
    with prepared_cursor() as cursor:
        cursor.execute(SQL, {"a": 1.0, "b": 1.0, "label": "x"})
        assert cursor.fetchone()[0] == 2
