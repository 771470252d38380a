"""Rotating office codes: a TOTP (RFC 6238) shown on a screen at the workplace.

A code typed or scanned at check-in shows the phone was in front of that screen within a few
seconds. Times are always passed in (never read from the clock here) and must be aware.
"""

from __future__ import annotations

import binascii
import hmac
from datetime import datetime

import pyotp

DEFAULT_STEP_S = 15
DEFAULT_DIGITS = 6
DEFAULT_DRIFT_STEPS = 1
ISSUER = "Hadir"


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
