"""The signed event body a phone sends: strict parsing into typed values.

The signature covers the exact bytes, so this module only reads them; nothing is re-serialized.
Every problem is collected (not just the first) as a (dotted field path, message) pair, in
English, for the developer of the client app.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

BODY_VERSION = 1
KINDS = ("check_in", "check_out", "presence_check")
PROVIDERS = ("gps", "network", "fused", "passive", "unknown")
EVENT_ID_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
HASH_RE = re.compile(r"[0-9a-f]{64}")
BSSID_RE = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
OFFICE_CODE_RE = re.compile(r"[0-9]{4,10}")
OFFICE_QR_RE = re.compile(r"hadir:oq1:[^:\s]{1,40}:[0-9]{1,12}:[0-9a-f]{24}")
MAX_WIFI = 50
RSSI_RANGE = (-127, 0)
MAX_ACCURACY_M = 100_000.0
MAX_INT64 = 2**63 - 1  # the stores' BIGINT
YEARS = (1970, 2200)
MAX_TEXT = {"employee": 64, "app_version": 64, "challenge_id": 64, "integrity_token": 8192}


class EventBodyError(ValueError):
    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors))
        self.errors = errors


@dataclass(frozen=True)
class WifiObservation:
    bssid: str  # lower case, colon separated
    rssi: int


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    accuracy_m: float
    provider: str
    fix_time: datetime
    mock: bool
    altitude_m: float | None = None
    speed_mps: float | None = None
    bearing_deg: float | None = None


@dataclass(frozen=True)
class EventBody:
    v: int
    event_id: str
    kind: str
    employee: str
    device_time: datetime
    monotonic_ms: int
    boot_count: int | None
    seq: int
    prev_hash: str | None
    location: Location
    wifi: tuple[WifiObservation, ...]
    office_code: str | None
    office_qr: str | None  # the office screen's QR text, as scanned
    queued_offline: bool
    app_version: str
    integrity_token: str | None
    challenge_id: str | None
    raw: dict = field(default_factory=dict, compare=False, repr=False)


def parse_event_body(body: bytes) -> EventBody:
    data = _load_json_object(body)
    reader = _Reader(data)
    location = reader.nested("location", _read_location)
    wifi = reader.nested("wifi", _read_wifi, optional=True)
    parsed = {
        name: reader.get(name, convert, nullable=nullable) for name, convert, nullable in _TOP
    }
    parsed["location"], parsed["wifi"] = location, wifi
    _check_cross_fields(reader, parsed)
    if reader.errors:
        raise EventBodyError(reader.errors)
    return EventBody(**parsed, raw=data)


def _check_cross_fields(reader: _Reader, parsed: dict) -> None:
    seq, prev_hash = parsed["seq"], parsed["prev_hash"]
    if seq == 1 and prev_hash is not None:
        reader.errors.append(("prev_hash", "must be null when seq is 1"))
    if isinstance(seq, int) and seq > 1 and prev_hash is None and "prev_hash" not in reader.failed:
        reader.errors.append(("prev_hash", "required when seq is greater than 1"))
    needs_challenge = parsed["kind"] == "presence_check" and "challenge_id" not in reader.failed
    if needs_challenge and parsed["challenge_id"] is None:
        reader.errors.append(("challenge_id", "required when kind is presence_check"))


def _load_json_object(body: bytes) -> dict:
    if not isinstance(body, bytes | bytearray):
        raise EventBodyError([("body", "must be bytes")])
    try:
        text = bytes(body).decode("utf-8")
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError:
        raise EventBodyError([("body", "is not valid UTF-8")]) from None
    except _DuplicateKeyError as exc:
        raise EventBodyError([("body", f"duplicate key {exc.args[0]!r}")]) from None
    except (ValueError, RecursionError) as exc:
        raise EventBodyError([("body", f"is not valid JSON: {exc}")]) from None
    if not isinstance(data, dict):
        raise EventBodyError([("body", "must be a JSON object")])
    return data


class _DuplicateKeyError(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number in JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    # Two parsers reading {"seq":1,"seq":9} differently is a classic signed-data ambiguity.
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


class _Invalid(Exception):
    """One field's value is wrong; the reader records it and carries on."""


class _Reader:
    """Reads fields of one JSON object, collecting errors under a dotted path prefix."""

    def __init__(self, data: dict, prefix: str = "", errors: list | None = None):
        self.data, self.prefix = data, prefix
        self.errors: list[tuple[str, str]] = [] if errors is None else errors
        self.failed: set[str] = set()

    def get(self, name: str, convert, *, nullable: bool = False) -> Any:
        """Nullable fields may be omitted or null; the others are required."""
        value = self.data.get(name)
        if value is None:
            if nullable:
                return None
            return self.fail(name, "is required" if name not in self.data else "may not be null")
        try:
            return convert(value)
        except _Invalid as exc:
            return self.fail(name, str(exc))

    def nested(self, name: str, read, *, optional: bool = False) -> Any:
        value = self.data.get(name)
        if value is None:
            return () if optional else self.fail(name, "is required")
        return read(value, self)

    def child(self, data: dict, path: str) -> _Reader:
        return _Reader(data, path + ".", self.errors)

    def fail(self, name: str, message: str) -> None:
        self.failed.add(name)
        self.errors.append((self.prefix + name, message))


def _read_location(value: Any, parent: _Reader) -> Location | None:
    if not isinstance(value, dict):
        return parent.fail("location", "must be an object")
    r = parent.child(value, "location")
    values = {
        name: r.get(name, convert, nullable=nullable) for name, convert, nullable in _LOCATION
    }
    if r.failed:
        return None
    return Location(**values)


def _read_wifi(value: Any, parent: _Reader) -> tuple | None:
    if not isinstance(value, list):
        return parent.fail("wifi", "must be a list")
    if len(value) > MAX_WIFI:
        return parent.fail("wifi", f"at most {MAX_WIFI} entries")
    seen = []
    for index, item in enumerate(value):
        path = f"wifi.{index}"
        if not isinstance(item, dict):
            parent.errors.append((path, "must be an object"))
            continue
        r = parent.child(item, path)
        bssid = r.get("bssid", _bssid)
        rssi = r.get("rssi", _RSSI)
        if not r.failed:
            seen.append(WifiObservation(bssid, rssi))
    return tuple(seen)


def _version(value: Any) -> int:
    if _NON_NEGATIVE(value) != BODY_VERSION:
        raise _Invalid(f"unsupported version; this server reads v={BODY_VERSION}")
    return value


def _integer(minimum: int | None = None, maximum: int | None = None):
    def convert(value: Any) -> int:
        if type(value) is not int:  # bool is an int subclass: refuse it
            raise _Invalid("must be an integer")
        if minimum is not None and value < minimum:
            raise _Invalid(f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise _Invalid(f"must be at most {maximum}")
        return value

    return convert


def _number(low: float, high: float, *, open_low: bool = False, open_high: bool = False):
    def convert(value: Any) -> float:
        if type(value) not in (int, float):
            raise _Invalid("must be a number")
        if not math.isfinite(value):  # 1e400 parses to infinity
            raise _Invalid("must be a finite number")
        too_low = value <= low if open_low else value < low
        too_high = value >= high if open_high else value > high
        if too_low or too_high:
            raise _Invalid(f"must be within {_interval(low, high, open_low, open_high)}")
        return float(value)

    return convert


def _interval(low: float, high: float, open_low: bool, open_high: bool) -> str:
    return f"{'(' if open_low else '['}{low:g}, {high:g}{')' if open_high else ']'}"


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false")
    return value


def _text(name: str):
    def convert(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _Invalid("must be a non-empty string")
        if "\x00" in value:  # no database keeps a NUL character in text
            raise _Invalid("must not contain NUL characters")
        if len(value) > MAX_TEXT[name]:
            raise _Invalid(f"at most {MAX_TEXT[name]} characters")
        return value

    return convert


def _choice(options: tuple[str, ...]):
    def convert(value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            raise _Invalid(f"must be one of {', '.join(options)}")
        return value

    return convert


def _matching(pattern: re.Pattern, description: str):
    def convert(value: Any) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise _Invalid(f"must be {description}")
        return value

    return convert


def _hex_hash(value: Any) -> str:
    if not isinstance(value, str) or not HASH_RE.fullmatch(value.lower()):
        raise _Invalid("must be 64 hex digits (SHA-256) or null")
    return value.lower()


def _bssid(value: Any) -> str:
    if not isinstance(value, str) or not BSSID_RE.fullmatch(value.lower()):
        raise _Invalid("must look like aa:bb:cc:dd:ee:ff")
    return value.lower()


def _timestamp(value: Any) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise _Invalid("must be an ISO 8601 string with a UTC offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid("must be an ISO 8601 string with a UTC offset") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise _Invalid("needs a UTC offset (e.g. +07:00 or Z)")
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise _Invalid(f"must be within the years {YEARS[0]} to {YEARS[1]}")
    return parsed


# The fields, in the order errors are reported: (name, converter, nullable).
_TOP = (
    ("v", _version, False),
    ("event_id", _matching(EVENT_ID_RE, "8 to 64 of A-Z a-z 0-9 _ -"), False),
    ("kind", _choice(KINDS), False),
    ("employee", _text("employee"), False),
    ("device_time", _timestamp, False),
    ("monotonic_ms", _integer(minimum=0, maximum=MAX_INT64), False),
    ("boot_count", _integer(minimum=0, maximum=MAX_INT64), True),
    ("seq", _integer(minimum=1, maximum=MAX_INT64), False),
    ("prev_hash", _hex_hash, True),
    ("office_code", _matching(OFFICE_CODE_RE, "4-10 digits"), True),
    ("office_qr", _matching(OFFICE_QR_RE, "an office screen's QR text, hadir:oq1:..."), True),
    ("queued_offline", _boolean, False),
    ("app_version", _text("app_version"), False),
    ("integrity_token", _text("integrity_token"), True),
    ("challenge_id", _text("challenge_id"), True),
)
_LOCATION = (
    ("lat", _number(-90.0, 90.0), False),
    ("lon", _number(-180.0, 180.0), False),
    ("accuracy_m", _number(0.0, MAX_ACCURACY_M, open_low=True, open_high=True), False),
    ("provider", _choice(PROVIDERS), False),
    ("fix_time", _timestamp, False),
    ("mock", _boolean, False),
    ("altitude_m", _number(-1_000.0, 10_000.0), True),
    ("speed_mps", _number(0.0, 1_000.0), True),
    ("bearing_deg", _number(0.0, 360.0), True),
)
_RSSI = _integer(*RSSI_RANGE)
_NON_NEGATIVE = _integer(minimum=0)
