"""Checks on who sent an event and when: signature, device binding, sequence, clocks, time.

Each check takes plain data and returns a list of reasons (empty when it has nothing to say).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hadir.domain.events import EventBody
from hadir.domain.reasons import HARD, Reason, make_reason
from hadir.domain.signing import SigningError, load_public_key, verify_signature
from hadir.domain.verification_policy import TierPolicy, VerificationPolicy
from hadir.domain.verification_types import DeviceState, EmployeeInfo

DEVICE_STATUS_REASONS = {"pending": "device_pending", "revoked": "device_revoked"}


def check_authenticity(
    body: bytes, key_id: str | None, signature_b64: str | None, device: DeviceState | None
) -> list[Reason]:
    if not key_id:
        return [make_reason("key_missing")]
    if device is None or device.key_id != key_id:
        return [make_reason("device_unknown", key_id=key_id[:64])]
    if not signature_b64:
        return [make_reason("signature_missing")]
    try:
        key = load_public_key(device.public_key_spki_b64)
    except SigningError as exc:
        return [make_reason("device_key_unusable", error=str(exc))]
    if not verify_signature(key, body, signature_b64):
        return [make_reason("signature_invalid", key_id=key_id)]
    return []


def check_device_binding(
    device: DeviceState, employee: EmployeeInfo | None, event: EventBody
) -> list[Reason]:
    reasons = []
    if device.status != "active":
        code = DEVICE_STATUS_REASONS.get(device.status, "device_revoked")
        reasons.append(make_reason(code, status=device.status))
    if employee is None:
        return [*reasons, make_reason("employee_unknown")]
    if device.employee_id != employee.employee_id:
        reasons.append(make_reason("device_employee_mismatch", bound_to="another_employee"))
    elif _normal_id(event.employee) != _normal_id(employee.identifier):
        reasons.append(make_reason("device_employee_mismatch", claimed=event.employee))
    if not employee.active:
        reasons.append(make_reason("employee_inactive"))
    return reasons


def _normal_id(identifier: str) -> str:
    return identifier.replace(" ", "").strip()


def check_sequence(device: DeviceState, event: EventBody, digest: str) -> list[Reason]:
    last = device.last_seq
    if last is not None and event.seq <= last:
        # duplicate: the exact body already accepted (a retry whose response was lost).
        duplicate = digest == device.last_body_hash
        return [make_reason("sequence_replay", seq=event.seq, last_seq=last, duplicate=duplicate)]
    expected = 1 if last is None else last + 1
    if event.seq > expected:
        return [
            make_reason(
                "sequence_gap", seq=event.seq, expected_seq=expected, missing=event.seq - expected
            )
        ]
    if device.last_body_hash is not None and event.prev_hash != device.last_body_hash:
        return [
            make_reason("chain_mismatch", prev_hash=event.prev_hash, expected=device.last_body_hash)
        ]
    return []


def same_boot(a: int | None, b: int | None) -> bool:
    """Monotonic readings are comparable only within one boot, and only when it is known."""
    return a is not None and a == b


def check_clocks(
    device: DeviceState, event: EventBody, received_at: datetime, policy: VerificationPolicy
) -> list[Reason]:
    reasons = []
    both_known = device.last_boot_count is not None and event.boot_count is not None
    if both_known and event.boot_count < device.last_boot_count:
        reasons.append(
            _tampering(
                "boot_count_backwards",
                boot_count=event.boot_count,
                last_boot_count=device.last_boot_count,
            )
        )
    if same_boot(event.boot_count, device.last_boot_count) and device.last_monotonic_ms is not None:
        reasons += _wall_vs_monotonic(device, event, policy)
    if not event.queued_offline:
        reasons += _monotonic_vs_server(device, event, received_at, policy)
    return reasons


def _wall_vs_monotonic(
    device: DeviceState, event: EventBody, policy: VerificationPolicy
) -> list[Reason]:
    mono_s = (event.monotonic_ms - device.last_monotonic_ms) / 1000
    if mono_s < 0:
        return [
            _tampering(
                "monotonic_backwards",
                monotonic_ms=event.monotonic_ms,
                last_monotonic_ms=device.last_monotonic_ms,
            )
        ]
    if device.last_device_time is None:
        return []
    wall_s = (event.device_time - device.last_device_time).total_seconds()
    if abs(wall_s - mono_s) > policy.clock_tolerance_s(policy.clock_jump_tolerance, mono_s):
        return [
            _tampering(
                "wall_clock_jump", wall_delta_s=round(wall_s, 3), monotonic_delta_s=round(mono_s, 3)
            )
        ]
    return []


def _monotonic_vs_server(
    device: DeviceState, event: EventBody, received_at: datetime, policy: VerificationPolicy
) -> list[Reason]:
    if device.last_contact_at is None or device.last_contact_monotonic_ms is None:
        return []
    if not same_boot(event.boot_count, device.last_contact_boot_count):
        return []
    mono_s = (event.monotonic_ms - device.last_contact_monotonic_ms) / 1000
    server_s = (received_at - device.last_contact_at).total_seconds()
    if mono_s >= 0 and abs(server_s - mono_s) > policy.clock_tolerance_s(
        policy.anchor_tolerance, server_s
    ):
        return [
            _tampering(
                "monotonic_vs_server",
                server_delta_s=round(server_s, 3),
                monotonic_delta_s=round(mono_s, 3),
            )
        ]
    return []


def _tampering(kind: str, **detail) -> Reason:
    return make_reason("clock_tampering", kind=kind, **detail)


@dataclass(frozen=True)
class Timing:
    time_of_record: datetime
    derived_time: datetime | None
    reasons: list[Reason]


MAX_OFFLINE_MS = 400 * 86_400_000  # no phone queues an event for longer without rebooting


def derive_offline_time(device: DeviceState, event: EventBody) -> tuple[datetime | None, str]:
    """Server time of an offline event: the last online contact plus the monotonic time that
    passed since, if the phone has not rebooted in between. Returns (time, why_not)."""
    if event.boot_count is None:
        return None, "no_boot_count"  # a web app: no boot clock to compare across events
    if device.last_contact_at is None or device.last_contact_monotonic_ms is None:
        return None, "no_previous_contact"
    if not same_boot(event.boot_count, device.last_contact_boot_count):
        return None, "rebooted_since_last_contact"
    elapsed_ms = event.monotonic_ms - device.last_contact_monotonic_ms
    if elapsed_ms < 0:
        return None, "monotonic_before_last_contact"
    if elapsed_ms > MAX_OFFLINE_MS:  # also keeps the sum within what a datetime can hold
        return None, "monotonic_too_far_from_last_contact"
    return device.last_contact_at + timedelta(milliseconds=elapsed_ms), ""


def judge_time(
    device: DeviceState,
    event: EventBody,
    received_at: datetime,
    tier: TierPolicy,
    policy: VerificationPolicy,
    proofs: TimeProofs | None = None,
) -> Timing:
    """The time of record. Online: the receipt. Offline, in order of strength: the monotonic
    clock since the last online contact; the start of the step of a scanned office QR (a web
    app has no boot clock); the phone's claimed time, if a typed office code confirms it; the
    claimed time alone, with a warning."""
    if not event.queued_offline:
        skew = event.device_time - received_at
        reasons = _skew(skew, tier, against="server")
        return Timing(received_at, None, reasons)
    proofs = proofs or TimeProofs()
    derived, why_not = derive_offline_time(device, event)
    if derived is not None:
        reasons = _skew(event.device_time - derived, tier, against="derived")
        if proofs.qr_step_start is not None:
            reasons += _qr_disagrees(proofs, derived, tier)
        basis = derived
    elif proofs.qr_step_start is not None:
        basis = proofs.qr_step_start
        reasons = [
            make_reason(
                "offline_time_from_office_qr",
                workplace_id=proofs.qr_workplace_id,
                step_start=basis.isoformat(),
                why_no_monotonic=why_not,
            ),
            *_skew(event.device_time - basis, tier, against="office_qr"),
        ]
    elif proofs.code_workplace_id is not None:
        basis = event.device_time
        reasons = [
            make_reason(
                "offline_time_confirmed_by_office_code",
                workplace_id=proofs.code_workplace_id,
                why_no_monotonic=why_not,
            )
        ]
    else:
        reasons = [make_reason("offline_time_unverifiable", why=why_not)]
        basis = event.device_time
    reasons += _offline_delay(received_at - basis, tier, policy)
    return Timing(min(basis, received_at), derived, reasons)


@dataclass(frozen=True)
class TimeProofs:
    """Office evidence that can date an offline event: the step of an authentic scanned QR,
    and the workplace whose typed code matches the phone's claimed time."""

    qr_step_start: datetime | None = None
    qr_workplace_id: int | str | None = None
    code_workplace_id: int | str | None = None


def _qr_disagrees(proofs: TimeProofs, derived: datetime, tier: TierPolicy) -> list[Reason]:
    apart = derived - proofs.qr_step_start
    if abs(apart) <= tier.max_clock_skew:
        return []
    return [
        make_reason(
            "office_qr_time_mismatch",
            workplace_id=proofs.qr_workplace_id,
            step_start=proofs.qr_step_start.isoformat(),
            derived_time=derived.isoformat(),
            apart_s=round(apart.total_seconds(), 3),
            limit_s=tier.max_clock_skew.total_seconds(),
        )
    ]


def _skew(skew: timedelta, tier: TierPolicy, against: str) -> list[Reason]:
    if abs(skew) <= tier.max_clock_skew:
        return []
    return [
        make_reason("device_clock_skew", skew_s=round(skew.total_seconds(), 3), against=against)
    ]


def _offline_delay(delay: timedelta, tier: TierPolicy, policy: VerificationPolicy) -> list:
    delay_s = round(delay.total_seconds(), 3)
    if -delay > policy.max_future:
        return [make_reason("event_in_future", ahead_s=-delay_s)]
    if delay > tier.max_offline_delay:
        limit = tier.max_offline_delay.total_seconds()
        return [make_reason("offline_too_late", delay_s=delay_s, limit_s=limit)]
    if delay > tier.offline_flag_after:
        limit = tier.offline_flag_after.total_seconds()
        return [make_reason("offline_late", delay_s=delay_s, flag_after_s=limit)]
    return []


def is_hard(reasons: list[Reason]) -> bool:
    return any(r.severity == HARD for r in reasons)
