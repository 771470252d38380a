"""A notification's text in its reader's language.

Messages are English msgids from the catalogue (mark them with `gettext_noop` where they are
written, so makemessages finds them) and `%(name)s` values. A value may itself be a message,
`{"msgid": "...", "values": {...}}`, translated before it is put in: a job's title, a leave
kind's label.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

DEFAULT_TITLE = "Hadir"


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    link: str
    language: str


def message_value(lazy_text) -> dict:
    """A lazily translated string (a model label, a job title) as a value that each reader
    gets in their own language."""
    with translation.override(None):
        return {"msgid": str(lazy_text)}


def language_of(user) -> str:
    """The language a user reads. Until users can choose one, every user reads the regency's
    language (Indonesian); a user attribute `preferred_language`, when present, wins."""
    chosen = getattr(user, "preferred_language", "") or ""
    codes = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in codes else settings.LANGUAGE_CODE


def render_text(message: str, values: dict | None) -> str:
    """The message in the active language with its values put in."""
    text = translation.gettext(message) if message else ""
    if not values:
        return text
    return text % {name: _value(value) for name, value in values.items()}


def render(notification, language: str | None = None) -> Rendered:
    language = language or language_of(notification.recipient)
    with translation.override(language):
        return Rendered(
            title=render_text(notification.title or DEFAULT_TITLE, None),
            body=render_text(notification.message, notification.values),
            link=notification.link,
            language=language,
        )


def check_renders(message: str, values: dict | None) -> None:
    """Refuse, at the call, a message whose placeholders the values do not fill."""
    with translation.override(None):
        try:
            render_text(message, values)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"values {values!r} do not fill the message {message!r}") from exc


def _value(value):
    if isinstance(value, dict) and "msgid" in value:
        return render_text(value["msgid"], value.get("values"))
    return value
