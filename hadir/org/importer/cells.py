"""One cell's raw value (CSV text, or an XLSX number, date, text, formula) to a checked value.

Each parser returns the value, None for an empty cell, or raises CellError with a message a
person can act on.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re

from django.utils.translation import gettext as _

from hadir.domain import geo
from hadir.domain.tpp import parse_rupiah
from hadir.org.importer.columns import ColType, Column, normalize_header
from hadir.org.importer.readers import ExcelError, Formula
from hadir.org.messages import geofence_error_text

# "-" is how Indonesian spreadsheets write "none"; treat it as an empty cell.
EMPTY_MARKS = {"", "-", "\u2013", "\u2014"}
# What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@")

CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
SCIENTIFIC_RE = re.compile(r"\d(?:[.,]\d+)?[eE]\+?\d+")
NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
BSSID_RE = re.compile(r"[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5}")
ISO_DATE_RE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00(?::00)?)?")
DMY_DATE_RE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
NAMED_MONTH_DATE_RE = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})")
MONTHS = {  # Indonesian and English names, as dates are written on SK letters: "1 Maret 2019"
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "peb"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "ags", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov", "nop"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_EXCEL_SERIAL = 2_958_465  # 9999-12-31


class CellError(ValueError):
    pass


def parse_cell(column: Column, raw, choices: dict[str, dict[str, str]]):
    if isinstance(raw, Formula):
        raise CellError(
            _("formula not allowed ({formula}): type the value itself").format(
                formula=_shorten(raw.text)
            )
        )
    if isinstance(raw, ExcelError):
        raise CellError(_("the cell holds the Excel error {error}").format(error=raw.text))
    if isinstance(raw, str):
        raw = raw.strip()
        if raw in EMPTY_MARKS:
            return None
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CellError(_("expected {type}, not TRUE/FALSE").format(type=column.type))
    if column.type == ColType.CHOICE:
        return _choice(column, raw, choices[column.name])
    return PARSERS[column.type](column, raw)


def _shorten(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "\u2026"


def _as_text(raw) -> str:
    if isinstance(raw, dt.date | dt.time):
        raise CellError(_("expected text, not a date or time"))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split())  # also folds non-breaking spaces and line breaks


def _check_length(column: Column, text: str) -> str:
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("too long: {length} characters, at most {limit}").format(
                length=len(text), limit=column.max_length
            )
        )
    return text


def _refuse_formula(text: str) -> None:
    if text.startswith(FORMULA_STARTS):
        raise CellError(
            _("formula not allowed: text may not start with {char} ('{text}')").format(
                char=text[0], text=_shorten(text)
            )
        )


def _text(column: Column, raw) -> str:
    text = _as_text(raw)
    _refuse_formula(text)
    if CONTROL_RE.search(text):
        raise CellError(_("the text contains control characters"))
    return _check_length(column, text)


def _code(column: Column, raw) -> str:
    text = _as_text(raw)
    _refuse_formula(text)
    if not CODE_RE.fullmatch(text):
        raise CellError(
            _("'{text}' is not a valid code: use letters, digits and . _ / - only").format(
                text=_shorten(text)
            )
        )
    return _check_length(column, text)


def parse_identifier(raw, max_length: int = 30) -> str:
    if isinstance(raw, float):
        if not raw.is_integer() or abs(raw) >= 1e15:
            raise CellError(
                _(
                    "the number {number:.0f} was stored by Excel as a number and lost its last "
                    "digits: format the column as Text and type the NIP again"
                ).format(number=raw)
            )
        raw = int(raw)
    text = _as_text(raw).replace(" ", "")
    if SCIENTIFIC_RE.fullmatch(text):
        raise CellError(
            _(
                "'{text}' is a number in scientific notation: Excel rounded it; format the column "
                "as Text and type the NIP again"
            ).format(text=text)
        )
    _refuse_formula(text)
    if not ID_RE.fullmatch(text):
        raise CellError(
            _(
                "'{text}' is not a valid NIP or employee number: use digits, letters and - only"
            ).format(text=_shorten(text))
        )
    if len(text) > max_length:
        raise CellError(
            _("too long: {length} characters, at most {limit}").format(
                length=len(text), limit=max_length
            )
        )
    return text


def _identifier(column: Column, raw) -> str:
    return parse_identifier(raw, column.max_length or 30)


def _choice(column: Column, raw, table: dict[str, str]) -> str:
    text = _as_text(raw)
    value = table.get(normalize_header(text))
    if value is None:
        allowed = ", ".join(sorted(set(table.values())))
        raise CellError(
            _("'{text}' is not one of: {allowed}").format(text=_shorten(text), allowed=allowed)
        )
    return value


def _number(column: Column, raw) -> float:
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = _as_text(raw).replace(" ", "").replace("\u2212", "-")  # typographic minus
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")  # Indonesian decimal comma: -2,5375
        if not NUMBER_RE.fullmatch(text):
            raise CellError(_("'{text}' is not a number").format(text=_shorten(text)))
        value = float(text)
    if not math.isfinite(value):
        raise CellError(_("must be a finite number, not NaN or infinity"))
    return value


def _rupiah(column: Column, raw) -> int:
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or raw < 0 or not float(raw).is_integer():
            raise CellError(_("{number} is not an amount in whole rupiah").format(number=raw))
        return int(raw)
    text = _as_text(raw)
    try:
        return parse_rupiah(text)
    except ValueError as exc:
        raise CellError(
            _(
                "'{text}' is not an amount in whole rupiah: write e.g. 3500000 or Rp 3.500.000"
            ).format(text=_shorten(text))
        ) from exc


def _date(column: Column, raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float):
        if not 1 <= raw <= MAX_EXCEL_SERIAL:
            raise CellError(_("{number} is not a date").format(number=raw))
        return EXCEL_EPOCH + dt.timedelta(days=int(raw))
    text = _as_text(raw)
    if match := ISO_DATE_RE.fullmatch(text):
        year, month, day = match.groups()
    elif match := DMY_DATE_RE.fullmatch(text):
        day, month, year = match.groups()
    elif (match := NAMED_MONTH_DATE_RE.fullmatch(text)) and match[2].lower() in MONTHS:
        day, month, year = match[1], MONTHS[match[2].lower()], match[3]
    else:
        raise CellError(
            _("'{text}' is not a date: write YYYY-MM-DD or DD/MM/YYYY").format(text=_shorten(text))
        )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise CellError(_("'{text}' is not a real date").format(text=text)) from exc


def _list(column: Column, raw) -> tuple[str, ...] | None:
    items = [item.strip() for item in re.split(r"[;,]", _as_text(raw))]
    parse_item = LIST_ITEMS[column.name]
    values = tuple(dict.fromkeys(parse_item(item) for item in items if item not in EMPTY_MARKS))
    return values or None


def _workplace_code(item: str) -> str:
    _refuse_formula(item)
    if not CODE_RE.fullmatch(item) or len(item) > 30:
        raise CellError(_("'{text}' is not a valid workplace code").format(text=_shorten(item)))
    return item


def _bssid(item: str) -> str:
    if not BSSID_RE.fullmatch(item):
        raise CellError(
            _("'{text}' is not a Wi-Fi BSSID (six pairs of hex digits: a4:2b:b0:12:34:56)").format(
                text=_shorten(item)
            )
        )
    return item.lower().replace("-", ":")


def _network(item: str) -> str:
    try:
        return str(ipaddress.ip_network(item, strict=True))
    except ValueError as exc:
        raise CellError(
            _(
                "'{text}' is not an IP address or network ({error}); write e.g. 203.0.113.0/28"
            ).format(text=_shorten(item), error=exc)
        ) from exc


def _polygon(column: Column, raw) -> dict:
    if not isinstance(raw, str):
        raise CellError(_("a polygon must be text: WKT or 'lat,lon; lat,lon; ...'"))
    try:
        return geo.parse_polygon_text(raw).to_dict()
    except geo.GeofenceError as exc:
        raise CellError(geofence_error_text(exc)) from exc


PARSERS = {
    ColType.TEXT: _text,
    ColType.CODE: _code,
    ColType.ID: _identifier,
    ColType.NUMBER: _number,
    ColType.RUPIAH: _rupiah,
    ColType.DATE: _date,
    ColType.LIST: _list,
    ColType.POLYGON: _polygon,
}

LIST_ITEMS = {
    "workplace_codes": _workplace_code,
    "known_bssids": _bssid,
    "public_networks": _network,
}
