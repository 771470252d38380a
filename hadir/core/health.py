"""Is this server able to do its job? GET /api/v1/health answers 200 only when the database
accepts a write within a short timeout, else 503 with Retry-After.

A check that only reads (or only answers /time) passes while every check-in fails: a read-only
SQLite file, a PostgreSQL that refuses writes, or a lock held for long all leave reads working.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from ninja import Router, Schema

from hadir.core.api_errors import ApiError
from hadir.core.models import HealthProbe

router = Router(tags=["meta"])
log = logging.getLogger(__name__)
WRITE_TIMEOUT_MS = 1000
RETRY_AFTER_S = 5


class HealthOut(Schema):
    status: str
    database: str


class ErrorOut(Schema):
    error: str
    message: str


def database_accepts_write(timeout_ms: int = WRITE_TIMEOUT_MS) -> bool:
    """Rewrite the probe row, waiting at most timeout_ms for a lock. A failure closes the
    connection, so that the next request opens a fresh one (the database may be back)."""
    try:
        if connection.vendor == "sqlite":  # before BEGIN IMMEDIATE, which waits for the lock
            _short_lock_wait(timeout_ms)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _short_lock_wait(timeout_ms)
            HealthProbe.objects.update_or_create(pk=1, defaults={"at": timezone.now()})
        return True
    except DatabaseError as exc:
        log.warning("health check: the database refused a write: %s", exc)
        connection.close()
        return False
    finally:
        _restore_lock_wait()


def _short_lock_wait(timeout_ms: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL lock_timeout = {int(timeout_ms)}")
            cursor.execute(f"SET LOCAL statement_timeout = {int(timeout_ms) * 2}")


def _restore_lock_wait() -> None:
    if connection.vendor != "sqlite" or connection.connection is None:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 5000")  # settings.py's init_command
    except DatabaseError:
        connection.close()


@router.get(
    "/health",
    auth=None,
    response={200: HealthOut, 503: ErrorOut},
    summary="Health: 200 when the database accepts a write, else 503 with Retry-After",
    description="For a load balancer or monitor. Writes one row (waiting at most a second for "
    "a lock); answers 503 `unavailable` with `Retry-After` when that fails. Not redirected to "
    "HTTPS in production mode, so it can be probed on the server's own port.",
)
def health(request):
    if not database_accepts_write():
        raise unavailable()
    return {"status": "ok", "database": connection.vendor}


def unavailable() -> ApiError:
    return ApiError(503, headers={"Retry-After": str(RETRY_AFTER_S)})
