"""Bahasa Indonesia unless the user chose English (the language cookie set by /i18n/setlang/).

Django's LocaleMiddleware follows the browser's Accept-Language; many phones and office PCs in
Indonesia run an English browser, and a regency's system should still speak Indonesian to them.
"""

from django.conf import settings
from django.utils import translation

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
