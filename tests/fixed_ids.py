"""Tests whose simulated outcome hangs on database ids (the presence challenges pick employees
by a keyed hash of their id) start every id sequence at the same place, so a test gives the
same result on SQLite and PostgreSQL whatever ran before it (PostgreSQL keeps its sequences
when a test's rows are rolled back). The rows they make must be rolled back at the end."""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection


def restart_id_sequences() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_sequence")
        return
    sql = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
