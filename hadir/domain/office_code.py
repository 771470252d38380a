"""Rotating office codes: a TOTP (RFC 6238) shown on a screen at the workplace.

A code typed or scanned at check-in shows the phone was in front of that screen within a few
seconds. Times are always passed in (never read from the clock here) and must be aware.

The screen's QR code carries more than the six digits: the workplace code, the TOTP step and a
96-bit MAC over both, keyed by the workplace's secret (`office_qr_text`). Six digits are a
guess in a million and match some step of any long enough window, so a typed code can only
confirm a time somebody claims; the QR's MAC cannot be guessed, so it proves its step by itself:
the phone saw that screen no earlier than the step began.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp

DEFAULT_STEP_S = 15
DEFAULT_DIGITS = 6
DEFAULT_DRIFT_STEPS = 1
ISSUER = "Hadir"
QR_PREFIX = "hadir:oq1:"
QR_MAC_BYTES = 12  # 96 bits: never guessed, and still a small QR code
QR_KEY_LABEL = b"hadir office qr v1"  # the MAC key is derived, apart from the TOTP's use
QR_RE = re.compile(r"hadir:oq1:([^:\s]{1,40}):([0-9]{1,12}):([0-9a-f]{24})")


class OfficeCodeError(ValueError):
    """A secret or parameter that cannot make codes (a configuration mistake)."""


def new_office_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, the RFC 4226 recommendation


def office_code_at(
    secret: str, at: datetime, step_s: int = DEFAULT_STEP_S, digits: int = DEFAULT_DIGITS
) -> str:
    return _totp(secret, step_s, digits).at(_timestamp(at))


def office_code_valid(
    secret: str,
    code: str | None,
    at: datetime,
    step_s: int = DEFAULT_STEP_S,
    drift_steps: int = DEFAULT_DRIFT_STEPS,
    digits: int = DEFAULT_DIGITS,
) -> bool:
    """Accept the code of the step containing `at`, or of up to `drift_steps` steps either side
    (clock difference between phone and screen, and the seconds spent scanning or typing)."""
    totp = _totp(secret, step_s, digits)
    if not isinstance(code, str) or len(code) != digits or not code.isascii() or not code.isdigit():
        return False
    timestamp = _timestamp(at)
    matches = [
        hmac.compare_digest(totp.at(timestamp, counter_offset=offset), code)
        for offset in range(-drift_steps, drift_steps + 1)
        if totp.timecode(timestamp) + offset >= 0
    ]
    return any(matches)


def seconds_remaining(at: datetime, step_s: int = DEFAULT_STEP_S) -> float:
    """How long the code shown at `at` stays current (for the office screen's countdown)."""
    return step_s - _timestamp(at) % step_s


def provisioning_uri(
    secret: str,
    workplace_name: str,
    issuer: str = ISSUER,
    step_s: int = DEFAULT_STEP_S,
    digits: int = DEFAULT_DIGITS,
) -> str:
    return _totp(secret, step_s, digits).provisioning_uri(name=workplace_name, issuer_name=issuer)


def _totp(secret: str, step_s: int, digits: int) -> pyotp.TOTP:
    if not isinstance(secret, str) or not secret:
        raise OfficeCodeError("office secret is empty")
    try:
        totp = pyotp.TOTP(secret, digits=digits, interval=step_s)
        totp.byte_secret()
    except (binascii.Error, ValueError, TypeError) as exc:
        raise OfficeCodeError(f"office secret or parameters unusable: {exc}") from exc
    return totp


def _timestamp(at: datetime) -> float:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("time must be timezone-aware")
    return at.timestamp()


@dataclass(frozen=True)
class OfficeQr:
    """What an office screen's QR code says: this workplace's screen, during this step."""

    workplace_code: str
    step: int
    mac: str  # hex

    def step_start(self, step_s: int) -> datetime:
        return datetime.fromtimestamp(self.step * step_s, UTC)


def office_step(at: datetime, step_s: int = DEFAULT_STEP_S) -> int:
    return int(_timestamp(at) // step_s)


def office_qr_mac(secret: str, workplace_code: str, step: int) -> str:
    key = hmac.new(_secret_bytes(secret), QR_KEY_LABEL, hashlib.sha256).digest()
    message = f"{workplace_code}:{step}".encode()
    return hmac.new(key, message, hashlib.sha256).digest()[:QR_MAC_BYTES].hex()


def office_qr_text(
    secret: str, workplace_code: str, at: datetime, step_s: int = DEFAULT_STEP_S
) -> str:
    """The text of the QR code the screen shows at `at` (office_screen.js makes the same)."""
    step = office_step(at, step_s)
    return f"{QR_PREFIX}{workplace_code}:{step}:{office_qr_mac(secret, workplace_code, step)}"


def parse_office_qr(text: str | None) -> OfficeQr | None:
    match = QR_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    return OfficeQr(match[1], int(match[2]), match[3])


def office_qr_authentic(secret: str, qr: OfficeQr) -> bool:
    expected = office_qr_mac(secret, qr.workplace_code, qr.step)
    return hmac.compare_digest(expected, qr.mac)


def office_qr_fits(
    qr: OfficeQr, at: datetime, step_s: int, max_age: timedelta, ahead_steps: int
) -> bool:
    """Could an event at `at` have been made after scanning this QR? The scan can only come
    after its step began (up to `ahead_steps` for clocks apart), and an event made long after
    the scan no longer shows where the phone was."""
    start = qr.step_start(step_s)
    step = timedelta(seconds=step_s)
    return start - ahead_steps * step <= at <= start + step + max_age


def _secret_bytes(secret: str) -> bytes:
    try:
        return _totp(secret, DEFAULT_STEP_S, DEFAULT_DIGITS).byte_secret()
    except (binascii.Error, ValueError, TypeError) as exc:
        raise OfficeCodeError(f"office secret unusable: {exc}") from exc
