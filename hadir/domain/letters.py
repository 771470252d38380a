"""Letter templates with placeholders: `{nama}` in an administrator's text becomes its value.

Administrators edit letter texts in the admin; a typo in a placeholder must show up when the
template is saved, not as a broken letter in front of an employee. So `unknown_placeholders`
lists names a template uses that the letter does not offer, and `fill` leaves an unknown one
visible (`{nama_salah}`) rather than failing or dropping it. Braces are doubled (`{{`) for a
literal brace. Pure: no Django, no clock.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping

_FORMATTER = string.Formatter()


class LetterTemplateError(ValueError):
    pass


def placeholders(text: str) -> list[str]:
    """Names used in the template, in order of first use."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:  # a lone brace
        raise LetterTemplateError(str(exc)) from exc
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise LetterTemplateError(f"placeholder {{{name}}} must be a plain name")
        if name not in names:
            names.append(name)
    return names


def unknown_placeholders(text: str, known: Iterable[str]) -> list[str]:
    allowed = set(known)
    return [name for name in placeholders(text) if name not in allowed]


class _Visible(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: Mapping[str, object]) -> str:
    placeholders(text)  # refuse a malformed template with the same error as validation
    return text.format_map(_Visible({k: "" if v is None else str(v) for k, v in values.items()}))


def paragraphs(text: str) -> list[str]:
    """A letter body split at blank lines; single line breaks stay inside a paragraph."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def letter_number(pattern: str, *, seq: int, year: int, opd: str) -> str:
    """`pattern` like "800.1.6/{seq}/{opd}/{year}"; the sequence is zero-padded to 3 digits."""
    values = {"seq": f"{seq:03d}", "year": str(year), "opd": opd}
    unknown = unknown_placeholders(pattern, values)
    if unknown:
        raise LetterTemplateError(f"unknown placeholder(s) in number pattern: {unknown}")
    return pattern.format_map(values)
