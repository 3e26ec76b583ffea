"""The benchmarks' PostgreSQL database: created when missing, so that each benchmark runs with one command on a
fresh machine (the server answers, the database named in DATABASE_URL does not exist yet)."""

from __future__ import annotations

import os
import urllib.parse


def ensure_database(database_url: str | None = None, *, reset: bool = False) -> bool:
    """Create the PostgreSQL database of `database_url` (default: DATABASE_URL) when it does not exist, through
    the server's `postgres` maintenance database; `reset` drops it first. True when it was created. Does nothing
    for a URL that is not PostgreSQL (SQLite files are created on first connection)."""
    url = database_url if database_url is not None else os.environ.get("DATABASE_URL", "")
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        return False
    import psycopg

    name = urllib.parse.unquote(parsed.path.lstrip("/"))
    if not name:
        raise SystemExit(f"DATABASE_URL sans nom de base : {url}")
    admin = parsed._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if exists:
            return False
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"Base PostgreSQL « {name} » créée.", flush=True)
    return True
