"""Reasons a verdict carries: a stable code, a severity, and a message.

"hard" rejects the event, "soft" accepts it with a warning a person should look at, "info"
records positive (or neutral) evidence. The catalogue is data: the HTTP status a hard reason
suggests and the default severity live here, not in the checks.

Messages are catalogue entries (English msgids, Indonesian in hadir/locale): the domain stays
free of Django, so the Django side installs its gettext with `use_translator` when the apps are
ready (hadir.core.apps), and a message is rendered in the user's language when a reason is made
or a spec's message is read. Codes never change with the language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

HARD, SOFT, INFO = "hard", "soft", "info"
MESSAGE_ID_PREFIX = "verify."


def gettext_noop(text: str) -> str:
    """Marks a catalogue entry for makemessages; the translation happens in `translate`."""
    return text


_translator: Callable[[str], str] = str


def use_translator(translator: Callable[[str], str]) -> None:
    """The gettext that renders messages (Django's, once the apps are ready)."""
    global _translator  # one translator for the process, set at start-up
    _translator = translator


def translate(text: str) -> str:
    return str(_translator(text))


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str
    message_id: str
    message: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message_id": self.message_id,
            "message": self.message,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ReasonSpec:
    severity: str
    text: str  # the catalogue entry (English msgid)
    http_status: int = 422  # used only when the reason is hard

    @property
    def message(self) -> str:
        """The text in the current language."""
        return translate(self.text)


CATALOGUE: dict[str, ReasonSpec] = {
    # Transport and authentication
    "body_too_large": ReasonSpec(HARD, gettext_noop("The event data is larger than allowed"), 413),
    "body_invalid": ReasonSpec(HARD, gettext_noop("The event data is not valid"), 400),
    "key_missing": ReasonSpec(HARD, gettext_noop("The device key identifier was not sent"), 401),
    "signature_missing": ReasonSpec(HARD, gettext_noop("The signature was not sent"), 401),
    "device_unknown": ReasonSpec(HARD, gettext_noop("Unknown device"), 401),
    "device_key_unusable": ReasonSpec(
        HARD, gettext_noop("The device's public key cannot be used"), 401
    ),
    "signature_invalid": ReasonSpec(HARD, gettext_noop("The signature is not valid"), 401),
    # Device and employee
    "device_pending": ReasonSpec(HARD, gettext_noop("The device is not approved yet"), 403),
    "device_revoked": ReasonSpec(HARD, gettext_noop("The device has been revoked"), 403),
    "device_employee_mismatch": ReasonSpec(
        HARD, gettext_noop("The device is registered to another employee"), 403
    ),
    "employee_unknown": ReasonSpec(HARD, gettext_noop("Unknown employee"), 403),
    "employee_inactive": ReasonSpec(HARD, gettext_noop("The employee is not active"), 403),
    "integrity_failed": ReasonSpec(SOFT, gettext_noop("The app failed the integrity check")),
    "integrity_not_checked": ReasonSpec(INFO, gettext_noop("The app's integrity was not checked")),
    # Sequence and chain
    "sequence_replay": ReasonSpec(
        HARD, gettext_noop("This event sequence number was already received (a resend)"), 409
    ),
    "sequence_gap": ReasonSpec(SOFT, gettext_noop("An earlier event was never received")),
    "chain_mismatch": ReasonSpec(
        SOFT, gettext_noop("The event chain does not match the previous event")
    ),
    # Clocks and time
    "clock_tampering": ReasonSpec(
        SOFT, gettext_noop("The device clock appears to have been changed")
    ),
    "device_clock_skew": ReasonSpec(
        SOFT, gettext_noop("The device clock is far from the server clock")
    ),
    "offline_time_unverifiable": ReasonSpec(
        SOFT, gettext_noop("The time of the offline event cannot be verified")
    ),
    "offline_time_from_office_qr": ReasonSpec(
        INFO, gettext_noop("The time of the offline event comes from the scanned office QR code")
    ),
    "offline_time_confirmed_by_office_code": ReasonSpec(
        INFO, gettext_noop("The time of the offline event is confirmed by the office code")
    ),
    "office_qr_time_mismatch": ReasonSpec(
        SOFT,
        gettext_noop("The office QR code's time differs from the device clock's"),
    ),
    "offline_late": ReasonSpec(SOFT, gettext_noop("The offline event was sent late")),
    "offline_too_late": ReasonSpec(
        HARD, gettext_noop("The offline event was sent after the deadline")
    ),
    "event_in_future": ReasonSpec(HARD, gettext_noop("The event time is in the future")),
    # Location
    "inside_geofence": ReasonSpec(INFO, gettext_noop("Location inside the office area")),
    "geofence_uncertain": ReasonSpec(
        SOFT, gettext_noop("Location at the edge of the office area, within the accuracy")
    ),
    "outside_geofence": ReasonSpec(SOFT, gettext_noop("Location outside the office area")),
    "no_workplace": ReasonSpec(SOFT, gettext_noop("The employee has no workplace yet")),
    "stale_fix": ReasonSpec(SOFT, gettext_noop("The location data is out of date")),
    "fix_in_future": ReasonSpec(
        SOFT, gettext_noop("The location data is newer than the device clock")
    ),
    "mock_location": ReasonSpec(SOFT, gettext_noop("A fake (mock) location was detected")),
    # Presence evidence
    "office_code_missing": ReasonSpec(SOFT, gettext_noop("The office code was not entered")),
    "office_code_invalid": ReasonSpec(SOFT, gettext_noop("The office code is wrong or expired")),
    "office_code_valid": ReasonSpec(INFO, gettext_noop("Valid office code")),
    "office_code_not_configured": ReasonSpec(
        INFO, gettext_noop("The office code is not set up correctly")
    ),
    "bssid_match": ReasonSpec(INFO, gettext_noop("Office Wi-Fi detected")),
    "workplace_network": ReasonSpec(
        INFO, gettext_noop("Sent from the office's internet connection")
    ),
    "challenge_unknown": ReasonSpec(SOFT, gettext_noop("Unknown or already closed presence check")),
    "challenge_answered": ReasonSpec(INFO, gettext_noop("Answered a presence check")),
}


def make_reason(code: str, severity: str | None = None, **detail: Any) -> Reason:
    spec = CATALOGUE[code]
    return Reason(
        code=code,
        severity=severity or spec.severity,
        message_id=MESSAGE_ID_PREFIX + code,
        message=spec.message,  # in the language of the request that made the reason
        detail=detail,
    )


def severity_for(action: str) -> str:
    """Policy actions are written "warn" or "reject"."""
    return HARD if action == "reject" else SOFT


def http_status_for(reasons: list[Reason] | tuple[Reason, ...]) -> int:
    """The most fundamental hard failure decides: size, then authentication, then syntax, then
    authorisation, then replay, then everything else."""
    hard = {CATALOGUE[r.code].http_status for r in reasons if r.severity == HARD}
    for status in (413, 401, 400, 403, 409, 422):
        if status in hard:
            return status
    return 201
