"""Strings of Django's admin that its own Indonesian catalogue leaves in English.

Marked here so that makemessages puts them in Hadir's catalogue, which is searched before
Django's (LOCALE_PATHS): the admin then shows our translation. Never imported.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = [
    gettext_noop("Breadcrumbs"),
    gettext_noop("Sidebar"),
    gettext_noop("Toggle navigation"),
]
