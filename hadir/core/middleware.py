"""Bahasa Indonesia unless the user chose English (the language cookie set by /i18n/setlang/).

Django's LocaleMiddleware follows the browser's Accept-Language; many phones and office PCs in
Indonesia run an English browser, and a regency's system should still speak Indonesian to them.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation

from hadir.core.api_input import null_in_request

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
