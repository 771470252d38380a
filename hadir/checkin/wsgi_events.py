"""POST /api/v1/events straight from the WSGI server to the ingestion pipeline.

Every employee sends this request twice a day, most of them within the same quarter of an
hour, and it needs nothing Django's middleware stack offers: no session, cookie, CSRF token
(the body is signed), locale or HTML. Going through the stack and the URL resolver costs about
a third as much CPU as verifying and storing the event, so the server's WSGI application
answers this one path itself. The django-ninja route of the same path stays: it documents the
endpoint in the OpenAPI schema and answers identically, because both call `ingest`.
Every other request, including other methods on this path, goes to Django.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from django.conf import settings
from django.core import signals
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from hadir.checkin.ingest import ingest

EVENTS_PATH = "/api/v1/events"
HEADER_NAMES = {"CONTENT_TYPE": "content-type", "CONTENT_LENGTH": "content-length"}
logger = logging.getLogger("hadir.checkin")


def with_events_fast_path(django_app):
    def application(environ, start_response):
        if environ.get("PATH_INFO") == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            return events(environ, start_response)
        return django_app(environ, start_response)

    return application


def events(environ, start_response):
    # The signals Django's own handler sends: they recycle stale database connections.
    signals.request_started.send(sender=__name__, environ=environ)
    extra = ()
    try:
        status, payload, extra = _answer(environ)
    except Exception as error:
        if _database_unavailable(error):
            # As DatabaseUnavailableMiddleware answers Django's requests: never a 2xx for an
            # event not stored, and a fresh connection for the next request.
            from hadir.core.api_errors import STATUS_ERRORS
            from hadir.core.middleware import RETRY_AFTER_S, close_connection

            logger.warning("database unavailable for a check-in: %s", error)
            if not connection.in_atomic_block:  # an outer transaction's owner decides
                close_connection()
            code, message = STATUS_ERRORS[503]
            status, payload = 503, json.dumps({"error": code, "message": str(message)}).encode()
            extra = (("Retry-After", str(RETRY_AFTER_S)),)
        else:
            logger.exception("check-in failed")
            status, payload = 500, json.dumps({"error": "internal_error"}).encode()
    finally:
        signals.request_finished.send(sender=__name__)
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("X-Content-Type-Options", "nosniff"),
            *extra,
        ],
    )
    return [payload]


def _answer(environ) -> tuple[int, bytes, tuple]:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, "content-length", "not a number")
    if length > limit:
        return _error(413, "body", f"larger than {limit} bytes")
    stream = environ["wsgi.input"]
    body = stream.read(length) if length else stream.read(limit + 1)
    if len(body) > limit:
        return _error(413, "body", f"larger than {limit} bytes")
    remote_addr = environ.get("REMOTE_ADDR", "")
    result = ingest(body, request_headers(environ), remote_addr, timezone.now(), front_door=True)
    return result.status, result.json_bytes(), result.headers


def _database_unavailable(error: Exception) -> bool:
    """Down, cut off, read-only or locked beyond the timeout: Django's wrapped errors, and the
    driver's own from the hot path's plain cursor (hadir.checkin.store)."""
    driver = connection.Database
    kinds = (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)
    return isinstance(error, kinds)


def request_headers(environ) -> dict:
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = value
        elif key in HEADER_NAMES and value:
            headers[HEADER_NAMES[key]] = value
    return headers


def _error(status: int, field: str, message: str) -> tuple[int, bytes, tuple]:
    body = {"error": "invalid_request", "fields": [{"field": field, "message": message}]}
    return status, json.dumps(body).encode(), ()
