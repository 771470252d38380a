"""Bahasa Indonesia unless the user chose English (the language cookie set by /i18n/setlang/).

Django's LocaleMiddleware follows the browser's Accept-Language; many phones and office PCs in
Indonesia run an English browser, and a regency's system should still speak Indonesian to them.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.utils import translation

from hadir.core.api_input import null_in_request

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class DefaultLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ApiErrorMiddleware:
    """The API's 404 and 405 as JSON in the user's language, like its other errors.

    Django's URL resolver (an unknown path) and django-ninja (a known path, another method)
    answer these before any of our API code runs, in English HTML or plain text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and (field := null_in_request(request)):
            from hadir.core.api_errors import STATUS_ERRORS

            message = str(STATUS_ERRORS[422][1])
            return JsonResponse(
                {
                    "error": "invalid_input",
                    "message": message,
                    "fields": [{"field": field, "message": message}],
                },
                status=422,
            )
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            from hadir.core.api_errors import STATUS_ERRORS

            code, message = STATUS_ERRORS[response.status_code]
            answer = JsonResponse(
                {"error": code, "message": str(message)}, status=response.status_code
            )
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response


class DatabaseUnavailableMiddleware:
    """A database that is down, read-only or locked beyond its timeout gets 503 with
    Retry-After (never a 2xx for something not stored), and the connection is closed so that
    the next request opens a fresh one: the server recovers by itself when the database does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.warning("database unavailable on %s: %s", request.path, exception)
        close_connection()
        from hadir.core.api_errors import STATUS_ERRORS

        code, message = STATUS_ERRORS[503]
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": code, "message": str(message)}, status=503)
        else:
            response = HttpResponse(str(message), status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response


def close_connection(**_kwargs) -> None:
    try:
        connection.close()
    except Exception:  # a broken connection may fail to close; it is dropped anyway
        log.debug("closing a broken database connection failed", exc_info=True)
