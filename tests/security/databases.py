"""A database of its own for a test that runs a real server: a SQLite file, or a PostgreSQL
database created beside the test database (on the server DATABASE_URL names) and dropped after."""

from __future__ import annotations

import contextlib
import os
import uuid
from urllib.parse import urlsplit, urlunsplit


def engine() -> str:
    """The database this test run is about (dev.py test runs the suite once per engine)."""
    return "postgres" if os.environ.get("HADIR_TEST_DB") == "postgres" else "sqlite"


@contextlib.contextmanager
def scratch_database(kind: str, directory):
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'server.sqlite3'}"
        return
    import psycopg

    base = os.environ["DATABASE_URL"]
    name = f"hadir_scratch_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
