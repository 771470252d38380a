"""What the verification core is given (device, employee, workplaces) and what it returns."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from hadir.domain.events import EventBody
from hadir.domain.geo import Geofence
from hadir.domain.reasons import HARD, SOFT, Reason, make_reason

ACCEPTED, WARNED, REJECTED = "accepted", "accepted_with_warnings", "rejected"
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class DeviceState:
    device_id: int | str
    employee_id: int | str
    status: str  # "active", "pending" or "revoked"
    public_key_spki_b64: str
    key_id: str
    last_seq: int | None = None
    last_body_hash: str | None = None
    last_device_time: datetime | None = None
    last_monotonic_ms: int | None = None
    last_boot_count: int | None = None
    # The last online contact: server time, and the device's monotonic clock at that moment.
    last_contact_at: datetime | None = None
    last_contact_monotonic_ms: int | None = None
    last_contact_boot_count: int | None = None


@dataclass(frozen=True)
class EmployeeInfo:
    employee_id: int | str
    identifier: str  # NIP, or the local number of a non-ASN employee
    active: bool = True


@dataclass(frozen=True)
class WorkplaceInfo:
    workplace_id: int | str
    code: str
    name: str
    geofence: Geofence
    tier: str = "good"  # connectivity: "good", "poor" or "none"
    tz: str = "Asia/Jakarta"
    known_bssids: frozenset[str] = frozenset()
    public_networks: tuple[IpNetwork, ...] = ()
    office_secret: str | None = None
    office_code_mode: str = "off"  # "required", "optional" or "off"
    office_code_step_s: int = 15


class IntegrityVerifier(Protocol):
    """Checks an app-integrity token (e.g. Play Integrity); returns reasons for the verdict."""

    def check(
        self, token: str | None, *, event: EventBody, device: DeviceState, received_at: datetime
    ) -> list[Reason]: ...


class NullIntegrityVerifier:
    def check(
        self, token: str | None, *, event: EventBody, device: DeviceState, received_at: datetime
    ) -> list[Reason]:
        return [make_reason("integrity_not_checked", token_present=token is not None)]


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "accepted", "accepted_with_warnings" or "rejected"
    reasons: tuple[Reason, ...]
    http_status: int
    body_hash: str
    body: EventBody | None = None  # None unless well-formed and signed by the device's key
    time_of_record: datetime | None = None
    derived_time: datetime | None = None  # offline events: from the monotonic clock
    workplace_id: int | str | None = None  # the matched, else nearest, workplace
    workplace_tz: str | None = None
    geofence_distance_m: float | None = None  # negative inside, positive outside
    next_device_state: DeviceState | None = None  # None when rejected

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def by_severity(self, severity: str) -> list[Reason]:
        return [r for r in self.reasons if r.severity == severity]

    def to_dict(self) -> dict[str, Any]:
        """The JSON the API returns to the phone."""
        local = None
        if self.time_of_record and self.workplace_tz:
            local = self.time_of_record.astimezone(ZoneInfo(self.workplace_tz)).isoformat()
        return {
            "outcome": self.outcome,
            "event_id": self.body.event_id if self.body else None,
            "seq": self.body.seq if self.body else None,
            "body_hash": self.body_hash,
            "time_of_record": _iso(self.time_of_record),
            "time_of_record_local": local,
            "derived_time": _iso(self.derived_time),
            "workplace_id": self.workplace_id,
            "geofence_distance_m": self.geofence_distance_m,
            "reasons": [r.to_dict() for r in self.reasons],
        }


def outcome_of(reasons: list[Reason]) -> str:
    severities = {r.severity for r in reasons}
    if HARD in severities:
        return REJECTED
    return WARNED if SOFT in severities else ACCEPTED


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
