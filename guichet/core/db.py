"""Database helpers shared by the apps.

`prepared_cursor()`: a cursor for the few hot, hand-written queries whose planning costs as much as their
execution (the ranked offer search plans about 20 common table expressions in 8 ms and runs in 5 ms for a
town). On PostgreSQL it binds the parameters on the server and prepares the statement once per connection,
so later calls skip the planning (PostgreSQL keeps a custom plan for the first five executions, then a
generic plan when it is not costlier); the parameters travel with their types (a float is a float8, not a
NUMERIC literal). Elsewhere, or when `DATABASE_PREPARED_STATEMENTS` is off (a transaction-mode connection
pooler that does not support prepared statements), it is Django's ordinary cursor.

Statements go through Django's cursor wrapper all the same: query logging, `CaptureQueriesContext`, execute
wrappers and the translation of database errors see them like any other query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


def cte_hints(sql: str) -> str:
    """`sql` as the database accepts it: `AS MATERIALIZED (` is a hint of PostgreSQL 12+ and SQLite 3.35+,
    dropped for an older SQLite (only a hint: the same rows)."""
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35, 0):
        return sql.replace(" AS MATERIALIZED (", " AS (")
    return sql


def prepared_statements_enabled() -> bool:
    options = connection.settings_dict.get("OPTIONS", {})
    # psycopg prepares nothing while the connection's prepare_threshold is None (Django's default, set from
    # DATABASE_PREPARED_STATEMENTS in the settings). Django's own cursors bind on the client and never prepare.
    return connection.vendor == "postgresql" and options.get("prepare_threshold") is not None


def _prepared_cursor_class() -> type:
    from functools import lru_cache

    import psycopg
    from psycopg._queries import PostgresQuery, _query2pg_nocache

    # psycopg converts the %(name)s placeholders to $1, $2... on every call, and caches the conversion only for
    # statements under 4 KB: the ranking query (10 KB) was parsed again each time (0.5 to 0.8 ms). Its shapes
    # are few (one per combination of filters), so their conversions are kept here.
    converted = lru_cache(maxsize=64)(_query2pg_nocache)

    class CachedQuery(PostgresQuery):
        __slots__ = ()

        def convert(self, query: Any, vars: Any) -> None:
            if vars is None or not isinstance(query, str | bytes):
                return super().convert(query, vars)
            query = self._ensure_bytes(query)
            self.query, self._want_formats, self._order, self._parts = converted(query, self._tx.encoding)
            self.dump(vars)
            return None

    class PreparedCursor(psycopg.Cursor):
        """Server-side binding; every statement prepared (psycopg keeps the 100 latest per connection)."""

        _query_cls = CachedQuery

        def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None):
            return super().execute(query, params, prepare=True, binary=binary)

        def _convert_query(self, query: Any, params: Any = None) -> Any:
            # Kept for Django's last_executed_query (the query log, CaptureQueriesContext): the statement as the
            # server sees it, with $1, $2... (psycopg's execute() does not keep it).
            self._query = converted = super()._convert_query(query, params)
            return converted

    return PreparedCursor


_CURSOR_CLASS: type | None = None


@contextmanager
def prepared_cursor() -> Iterator[Any]:
    """A cursor (Django's wrapper) whose statements are prepared on the server when the database allows it."""
    if not prepared_statements_enabled():
        with connection.cursor() as cursor:
            yield cursor
        return
    global _CURSOR_CLASS
    if _CURSOR_CLASS is None:
        _CURSOR_CLASS = _prepared_cursor_class()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = _CURSOR_CLASS(connection.connection)
    with connection._prepare_cursor(raw) as cursor:  # the same wrapping as connection.cursor()
        yield cursor
