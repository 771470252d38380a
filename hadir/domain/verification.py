"""The event verification pipeline, shared by the HTTP endpoint and the replay command.

A check-in must mean: this employee, on their own registered phone, was inside this workplace at
this time. verify_event() weighs one signed event against that claim and returns a Verdict with
every reason found. It is pure: the server time, the policy and all state come in as arguments.

Once the signature fails nothing else in the body is examined: unauthenticated content is not
evidence, and telling an anonymous caller how far it is from an office would help an attacker.
After a hard failure of an authenticated event (a revoked device, a replay) the remaining checks
still run, so a reviewer sees the whole picture.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hadir.domain.events import EventBody, EventBodyError, parse_event_body
from hadir.domain.reasons import Reason, http_status_for, make_reason
from hadir.domain.signing import body_hash
from hadir.domain.verification_checks import (
    TimeProofs,
    Timing,
    check_authenticity,
    check_clocks,
    check_device_binding,
    check_sequence,
    derive_offline_time,
    is_hard,
    judge_time,
)
from hadir.domain.verification_evidence import (
    Place,
    QrReading,
    check_challenge,
    check_fix,
    check_mock,
    check_network,
    check_office_code,
    check_wifi,
    code_confirms_claim,
    judge_place,
    read_office_qr,
)
from hadir.domain.verification_policy import TierPolicy, VerificationPolicy
from hadir.domain.verification_types import (
    DeviceState,
    EmployeeInfo,
    IntegrityVerifier,
    NullIntegrityVerifier,
    Verdict,
    WorkplaceInfo,
    outcome_of,
)

__all__ = [
    "DeviceState",
    "EmployeeInfo",
    "IntegrityVerifier",
    "NullIntegrityVerifier",
    "Reason",
    "TierPolicy",
    "Verdict",
    "VerificationPolicy",
    "WorkplaceInfo",
    "derive_offline_time",
    "verify_event",
]

NULL_INTEGRITY = NullIntegrityVerifier()


def verify_event(
    *,
    body: bytes,
    key_id: str | None,
    signature_b64: str | None,
    device: DeviceState | None,
    employee: EmployeeInfo | None,
    workplaces: list[WorkplaceInfo],
    policy: VerificationPolicy,
    received_at: datetime,
    remote_addr: str,
    open_challenge_ids: frozenset[str],
    integrity_verifier: IntegrityVerifier = NULL_INTEGRITY,
) -> Verdict:
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    digest = body_hash(body)
    if len(body) > policy.max_body_bytes:
        reason = make_reason("body_too_large", size=len(body), limit=policy.max_body_bytes)
        return _verdict([reason], digest)
    reasons = check_authenticity(body, key_id, signature_b64, device)
    event, parse_reasons = _parse(body)
    reasons += parse_reasons
    if event is None or reasons:
        return _verdict(reasons, digest)

    reasons += check_device_binding(device, employee, event)
    reasons += check_sequence(device, event, digest)
    reasons += check_clocks(device, event, received_at, policy)
    place = judge_place(event, workplaces, policy)
    reasons += place.reasons
    tier = policy.tier(place.workplace.tier if place.workplace else None)
    qr = read_office_qr(event, workplaces)
    proofs = _time_proofs(event, workplaces, policy, qr)
    timing = judge_time(device, event, received_at, tier, policy, proofs)
    reasons += timing.reasons
    reasons += check_fix(event, tier, policy)
    reasons += check_mock(event, tier)
    drift = (
        policy.offline_office_code_drift_steps
        if event.queued_offline
        else policy.office_code_drift_steps
    )
    reasons += check_office_code(
        event, place.workplace, workplaces, timing.time_of_record, drift, policy, qr
    )
    reasons += check_wifi(event, workplaces)
    reasons += check_network(event, remote_addr, workplaces)
    reasons += check_challenge(event, open_challenge_ids)
    reasons += integrity_verifier.check(
        event.integrity_token, event=event, device=device, received_at=received_at
    )
    return _verdict(reasons, digest, event, timing, place, device, received_at)


def _time_proofs(
    event: EventBody,
    workplaces: list[WorkplaceInfo],
    policy: VerificationPolicy,
    qr: QrReading | None,
) -> TimeProofs | None:
    if not event.queued_offline:
        return None
    if qr is not None and qr.proof is not None:
        proof = qr.proof
        return TimeProofs(proof.step_start, proof.workplace.workplace_id)
    if qr is None and event.office_code is not None:
        confirmed = code_confirms_claim(event, workplaces, policy)
        return TimeProofs(code_workplace_id=confirmed.workplace_id if confirmed else None)
    return None


def _parse(body: bytes) -> tuple[EventBody | None, list[Reason]]:
    try:
        return parse_event_body(body), []
    except EventBodyError as exc:
        return None, [make_reason("body_invalid", field=f, error=m) for f, m in exc.errors]


def _verdict(
    reasons: list[Reason],
    digest: str,
    event: EventBody | None = None,
    timing: Timing | None = None,
    place: Place | None = None,
    device: DeviceState | None = None,
    received_at: datetime | None = None,
) -> Verdict:
    outcome = outcome_of(reasons)
    workplace = place.workplace if place else None
    next_state = None
    if event is not None and device is not None and not is_hard(reasons):
        next_state = advance(device, event, digest, received_at)
    return Verdict(
        outcome=outcome,
        reasons=tuple(reasons),
        http_status=http_status_for(reasons),
        body_hash=digest,
        body=event,
        time_of_record=timing.time_of_record if timing else None,
        derived_time=timing.derived_time if timing else None,
        workplace_id=workplace.workplace_id if workplace else None,
        workplace_tz=workplace.tz if workplace else None,
        geofence_distance_m=place.distance_m if place else None,
        next_device_state=next_state,
    )


def advance(
    device: DeviceState, event: EventBody, digest: str, received_at: datetime
) -> DeviceState:
    """The device's state after accepting `event`. Only an online event is a new anchor for
    deriving the time of later offline events: its monotonic reading was taken moments before
    the server received it."""
    online = not event.queued_offline
    return replace(
        device,
        last_seq=event.seq,
        last_body_hash=digest,
        last_device_time=event.device_time,
        last_monotonic_ms=event.monotonic_ms,
        last_boot_count=event.boot_count,
        last_contact_at=received_at if online else device.last_contact_at,
        last_contact_monotonic_ms=event.monotonic_ms
        if online
        else device.last_contact_monotonic_ms,
        last_contact_boot_count=event.boot_count if online else device.last_contact_boot_count,
    )
