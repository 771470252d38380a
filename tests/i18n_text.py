"""What a person reads on a page, an export or an API error, and the signs that it is English.

Three checks, used by tests/test_i18n.py:
- visible_text(html): the text nodes a browser shows (not scripts, styles or comments), plus the
  attributes people read (title, placeholder, alt, aria-label, the value of buttons). Left out:
  <pre> and <code>, data shown as data (the signed JSON of an event, HTTP headers, the column
  names a file must have), and <textarea>, the data a person typed or will type;
- untranslated_msgids(text, catalogue): msgids of the catalogue, with a different translation,
  that appear as they are (a string marked for translation but rendered without it);
- english_words(text): common English words (function words and the words of a web UI) that
  appear as whole words, which betrays a string nobody marked for translation. The list holds
  only words that are not also Indonesian (no "data", "status", "unit", "total", "filter",
  "admin", "media", "format", "normal", "model", "program", "sistem"); raw enum values
  (`check_in`, `NON_ASN`) are caught by their underscore.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Function words first: they occur in any English sentence and in no Indonesian one.
ENGLISH_FUNCTION_WORDS = {
    "the", "and", "of", "to", "is", "are", "was", "were", "be", "been", "being", "with",
    "for", "this", "that", "these", "those", "from", "by", "not", "or", "on", "at", "it",
    "its", "an", "as", "has", "have", "had", "will", "would", "can", "could", "may", "might",
    "must", "should", "shall", "there", "their", "which", "who", "whom", "what", "when",
    "where", "why", "how", "than", "then", "into", "onto", "your", "you", "our", "we",
    "they", "he", "she", "his", "her", "them", "if", "else", "but", "also", "only", "any",
    "each", "every", "some", "such", "does", "did", "done", "yet", "still", "already",
    "because", "while", "until", "after", "before", "between", "without", "within",
    "about", "above", "below", "under", "over",
}  # fmt: skip
# Words of a web UI and of Hadir's own field, as they would appear untranslated.
ENGLISH_UI_WORDS = {
    "add", "change", "delete", "save", "search", "select", "view", "edit", "history", "home",
    "login", "logout", "log", "password", "username", "yes", "all", "none", "unknown", "user",
    "users", "group", "groups", "action", "actions", "date", "time", "today", "yesterday",
    "name", "active", "inactive", "pending", "approved", "rejected", "revoked", "good",
    "poor", "required", "optional", "off", "employee", "employees", "workplace",
    "workplaces", "device", "devices", "code", "codes", "kind", "type", "level", "score",
    "tier", "day", "days", "month", "months", "year", "week", "reason", "reasons", "evidence",
    "flag", "flags", "review", "reviews", "strong", "created", "updated", "deleted", "items",
    "results", "show", "hide", "more", "less", "next", "previous", "page", "first", "last",
    "accepted", "warnings", "warning", "outcome", "received", "enrolled", "decided",
    "decision", "reviewer", "supervisor", "head", "number", "valid", "invalid", "expired",
    "used", "issued", "replaced", "state", "account", "accounts", "activation", "office",
    "screen", "secret", "rotate", "provision", "provisioned", "leave", "sick", "late",
    "early", "absent", "present", "schedule", "schedules", "holiday", "calendar",
    "correction", "corrections", "recommendation", "closed", "closure", "analysed",
    "analysis", "challenge", "challenges", "answered", "deadline", "started",
    "finished", "import", "imported", "file", "files", "row", "rows", "column", "columns",
    "problem", "problems", "error", "errors", "field", "fields", "value", "values", "enter",
    "please", "wrong", "correct", "missing", "not_found", "forbidden", "unauthorized",
    "allowed", "denied", "expires", "try", "again", "later", "attempts", "request", "method",
    "whole", "empty", "attendance", "checkin", "fraud", "breadcrumbs", "sidebar", "toggle",
}  # fmt: skip
# "Administrasi Django" is Django's default header: a page that left out Hadir's admin context.
ENGLISH_WORDS = ENGLISH_FUNCTION_WORDS | ENGLISH_UI_WORDS | {"django"}

# Proper nouns, codes and loanwords that are right in Indonesian text. Every entry says why.
ALLOWED = {
    "hadir",  # the product's name (and the Indonesian word for "present")
    "no",  # "No." is Indonesian for "Nomor" (No. SK, No. urut)
    "id",  # the language code, and "ID" in Indonesian UIs
    "email",  # Indonesian loanword (KBBI: "surel", but "email" is usual)
    "online", "offline",  # usual in Indonesian UIs (KBBI: daring/luring; both appear)
    "log",  # "log audit": the usual Indonesian term
    "login", "logout", "password", "username",  # kept only if the catalogue says so: see below
}  # fmt: skip
# Of ALLOWED, these are still refused: Hadir's catalogue translates them (masuk, keluar, kata
# sandi, nama pengguna), so seeing them means an untranslated string.
REFUSED_ANYWAY = {"login", "logout", "password", "username"}

# A word: letters (with inner ' and -), not part of a longer token of letters and digits (an id).
WORD = re.compile(r"(?<![A-Za-z0-9_])(?:[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z])(?![A-Za-z0-9_])")
# An identifier shown as it is stored (check_in, NON_ASN); ids with digits (ch_3f2a…) are data.
RAW_VALUE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[A-Z]+_[A-Z_]+\b")
SKIPPED_TAGS = {"script", "style", "template", "noscript", "pre", "code", "textarea"}
READ_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}
# Django's admin shows booleans as icons whose alt text is Python's True/False/None: Django's own
# untranslatable text, not ours.
BOOLEAN_ICON = re.compile(r"admin/img/icon-(?:yes|no|unknown)\.svg")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        if self.skipping:
            return
        values = dict(attrs)
        read = READ_ATTRIBUTES
        if tag == "img" and BOOLEAN_ICON.search(values.get("src") or ""):
            read = READ_ATTRIBUTES - {"alt"}
        for name in read & values.keys():
            self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(" ".join(part.split()) for part in parser.parts if part.strip())


# Who did something, as the audit log and reviews record it ("user:budi", "cli:import-master"):
# an identifier, not a sentence.
ACTOR = re.compile(r"\b(?:user|cli|job|system|test):[\w.@+-]+")


def english_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """English words in the text, in order of first appearance (each once)."""
    found: dict[str, None] = {}
    text = ACTOR.sub(" ", text)
    for match in WORD.finditer(text):
        word = match.group().lower().strip("'’-")
        english = word in ENGLISH_WORDS and (word not in ALLOWED or word in REFUSED_ANYWAY)
        if english and word not in allowed and not _is_code(match.group()):
            found.setdefault(word)
    for match in RAW_VALUE.finditer(text):
        if match.group().lower() not in allowed:
            found.setdefault(match.group())
    return list(found)


def _is_code(token: str) -> bool:
    """ALL-CAPS tokens are codes (TK, PSW, NON, OPD), not words."""
    return len(token) > 1 and token.isupper()


class Catalogue:
    """The catalogue's msgids that differ from their translation, ready to be looked for."""

    PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sdif]|\{\w*\}")

    def __init__(self, entries: list[dict]) -> None:
        self.patterns: list[tuple[str, set[str], re.Pattern]] = []
        for entry in entries:
            msgid = entry["msgid"]
            translated = [v for k, v in entry.items() if k.startswith("msgstr")]
            if not translated or all(t == msgid for t in translated):
                continue
            pieces = self.PLACEHOLDER.split(msgid)
            literal = max(pieces, key=len).strip()
            words = {w.lower() for w in WORD.findall(literal)}
            # One word alone is the business of english_words(); here: phrases.
            if len(words) < 2 or len(literal) < 8:
                continue
            regex = r".{0,80}?".join(re.escape(" ".join(p.split())) for p in pieces)
            self.patterns.append((msgid, words, re.compile(regex)))

    def untranslated(self, text: str) -> list[str]:
        """Looked for line by line (a text node, a cell): joining lines would make phrases."""
        lines = [" ".join(line.split()) for line in text.splitlines()]
        present = {w.lower() for w in WORD.findall(text)}
        return [
            msgid
            for msgid, words, regex in self.patterns
            if words <= present and any(regex.search(line) for line in lines)
        ]
