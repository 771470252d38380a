"""Checks on where an event was made: geofence, fix quality, office code, Wi-Fi, network."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from hadir.domain.events import EventBody
from hadir.domain.geo import FixPosition, judge_fix
from hadir.domain.office_code import (
    OfficeCodeError,
    OfficeQr,
    office_code_valid,
    office_qr_authentic,
    office_qr_fits,
    parse_office_qr,
)
from hadir.domain.reasons import Reason, make_reason, severity_for
from hadir.domain.verification_policy import TierPolicy, VerificationPolicy
from hadir.domain.verification_types import WorkplaceInfo

POSITION_RANK = {FixPosition.INSIDE: 0, FixPosition.UNCERTAIN: 1, FixPosition.OUTSIDE: 2}
POSITION_REASON = {
    FixPosition.INSIDE: "inside_geofence",
    FixPosition.UNCERTAIN: "geofence_uncertain",
    FixPosition.OUTSIDE: "outside_geofence",
}


@dataclass(frozen=True)
class Place:
    workplace: WorkplaceInfo | None  # inside, else the closest uncertain, else the nearest
    distance_m: float | None
    reasons: list[Reason]


def judge_place(
    event: EventBody, workplaces: list[WorkplaceInfo], policy: VerificationPolicy
) -> Place:
    if not workplaces:
        return Place(None, None, [make_reason("no_workplace")])
    loc = event.location
    judged = []
    for workplace in workplaces:
        credit = policy.tier(workplace.tier).accuracy_credit_m
        judgement = judge_fix(workplace.geofence, loc.lat, loc.lon, loc.accuracy_m, credit)
        judged.append(
            (POSITION_RANK[judgement.position], judgement.distance_m, workplace, judgement.position)
        )
    _, distance, workplace, position = min(judged, key=lambda item: item[:2])
    severity = None
    if position is FixPosition.OUTSIDE:
        severity = severity_for(policy.tier(workplace.tier).outside_geofence)
    reason = make_reason(
        POSITION_REASON[position],
        severity,
        workplace_id=workplace.workplace_id,
        workplace_code=workplace.code,
        workplace_name=workplace.name,
        distance_m=round(distance, 1),
        accuracy_m=loc.accuracy_m,
    )
    return Place(workplace, round(distance, 1), [reason])


def check_fix(event: EventBody, tier: TierPolicy, policy: VerificationPolicy) -> list[Reason]:
    """Fix time and event time both come from the phone, so a wrong phone clock cancels out;
    a GNSS fix carries satellite time, so a phone clock set back shows up as a fix 'from the
    future'."""
    age = event.device_time - event.location.fix_time
    age_s = round(age.total_seconds(), 3)
    if age > tier.max_fix_age:
        return [make_reason("stale_fix", age_s=age_s, limit_s=tier.max_fix_age.total_seconds())]
    if -age > policy.fix_future_tolerance:
        return [make_reason("fix_in_future", ahead_s=-age_s, provider=event.location.provider)]
    return []


def check_mock(event: EventBody, tier: TierPolicy) -> list[Reason]:
    if not event.location.mock:
        return []
    return [
        make_reason(
            "mock_location", severity_for(tier.mock_location), provider=event.location.provider
        )
    ]


@dataclass(frozen=True)
class QrProof:
    """A scanned office QR whose MAC checked out: that workplace's screen, during that step."""

    workplace: WorkplaceInfo
    qr: OfficeQr
    step_start: datetime

    @property
    def step(self) -> int:
        return self.qr.step


@dataclass(frozen=True)
class QrReading:
    proof: QrProof | None
    reasons: list[Reason]  # why a QR that was sent proves nothing


def read_office_qr(event: EventBody, workplaces: list[WorkplaceInfo]) -> QrReading | None:
    """The QR's claim, checked against the secret of the workplace it names; None if none was
    sent or the named workplace does not use office codes."""
    qr = parse_office_qr(event.office_qr)
    if qr is None:
        return None
    workplace = next((w for w in workplaces if w.code == qr.workplace_code), None)
    if workplace is not None and workplace.office_code_mode == "off":
        return None
    if workplace is None or not workplace.office_secret:
        why = "not_own_workplace" if workplace is None else "no_secret"
        return QrReading(None, [_qr_invalid(why, workplace_code=qr.workplace_code)])
    try:
        authentic = office_qr_authentic(workplace.office_secret, qr)
    except OfficeCodeError as exc:
        reason = make_reason(
            "office_code_not_configured", workplace_id=workplace.workplace_id, error=str(exc)
        )
        return QrReading(None, [reason])
    if not authentic:
        return QrReading(None, [_qr_invalid("mac", workplace_code=qr.workplace_code)])
    start = qr.step_start(workplace.office_code_step_s)
    return QrReading(QrProof(workplace, qr, start), [])


def _qr_invalid(why: str, **detail) -> Reason:
    return make_reason("office_code_invalid", via="qr", why=why, **detail)


def code_confirms_claim(
    event: EventBody, workplaces: list[WorkplaceInfo], policy: VerificationPolicy
) -> WorkplaceInfo | None:
    """The workplace whose typed code matches the phone's own claimed time, if any. Checked at
    that one time, never searched for: a six-digit code matches some step of a long window."""
    for workplace in workplaces:
        if not workplace.office_secret or workplace.office_code_mode == "off":
            continue
        try:
            if office_code_valid(
                workplace.office_secret,
                event.office_code,
                event.device_time,
                step_s=workplace.office_code_step_s,
                drift_steps=policy.offline_office_code_drift_steps,
                digits=policy.office_code_digits,
            ):
                return workplace
        except OfficeCodeError:
            continue
    return None


def check_office_code(
    event: EventBody,
    place: WorkplaceInfo | None,
    workplaces: list[WorkplaceInfo],
    at: datetime,
    drift_steps: int,
    policy: VerificationPolicy,
    qr: QrReading | None = None,
) -> list[Reason]:
    """A valid code proves presence at the workplace whose screen showed it, so the code is
    tried against the located workplace first, then the employee's other workplaces. A
    scanned QR, when sent, is the evidence; the digits beside it are not judged again."""
    if qr is not None:
        return _check_qr(qr, place, at, drift_steps, policy)
    if event.office_code is None:
        if place is not None and place.office_code_mode == "required":
            if place.office_secret:
                return [make_reason("office_code_missing", workplace_id=place.workplace_id)]
            return [make_reason("office_code_not_configured", workplace_id=place.workplace_id)]
        return []
    ordered = ([place] if place else []) + [w for w in workplaces if w is not place]
    candidates = [w for w in ordered if w.office_secret and w.office_code_mode != "off"]
    reasons, checked = [], 0
    for workplace in candidates:
        try:
            valid = office_code_valid(
                workplace.office_secret,
                event.office_code,
                at,
                step_s=workplace.office_code_step_s,
                drift_steps=drift_steps,
                digits=policy.office_code_digits,
            )
        except OfficeCodeError as exc:
            reasons.append(
                make_reason(
                    "office_code_not_configured",
                    workplace_id=workplace.workplace_id,
                    error=str(exc),
                )
            )
            continue
        checked += 1
        if valid:
            return [
                *reasons,
                make_reason(
                    "office_code_valid",
                    workplace_id=workplace.workplace_id,
                    matches_location=workplace is place,
                ),
            ]
    if checked:
        reasons.append(make_reason("office_code_invalid", checked_at=at.isoformat()))
    return reasons


def _check_qr(
    qr: QrReading,
    place: WorkplaceInfo | None,
    at: datetime,
    drift_steps: int,
    policy: VerificationPolicy,
) -> list[Reason]:
    proof = qr.proof
    if proof is None:
        return qr.reasons
    step_s = proof.workplace.office_code_step_s
    detail = {"workplace_id": proof.workplace.workplace_id, "via": "qr", "step": proof.step}
    if not office_qr_fits(proof.qr, at, step_s, policy.office_qr_max_age, drift_steps):
        return [
            _qr_invalid(
                "other_time",
                workplace_code=proof.workplace.code,
                step_start=proof.step_start.isoformat(),
                checked_at=at.isoformat(),
            )
        ]
    return [make_reason("office_code_valid", matches_location=proof.workplace is place, **detail)]


def check_wifi(event: EventBody, workplaces: list[WorkplaceInfo]) -> list[Reason]:
    seen = {w.bssid for w in event.wifi}
    reasons = []
    for workplace in workplaces:
        matches = seen & {b.lower() for b in workplace.known_bssids}
        if matches:
            reasons.append(
                make_reason(
                    "bssid_match", workplace_id=workplace.workplace_id, bssids=sorted(matches)
                )
            )
    return reasons


def check_network(
    event: EventBody, remote_addr: str, workplaces: list[WorkplaceInfo]
) -> list[Reason]:
    """Positive evidence only, and only for online events: a queued event uploaded later from
    the office network says nothing about where it was made."""
    if event.queued_offline:
        return []
    try:
        address = ipaddress.ip_address(remote_addr.strip())
    except (ValueError, AttributeError):
        return []
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return [
        make_reason("workplace_network", workplace_id=w.workplace_id, network=str(network))
        for w in workplaces
        for network in w.public_networks
        if address.version == network.version and address in network
    ]


def check_challenge(event: EventBody, open_challenge_ids: frozenset[str]) -> list[Reason]:
    if event.kind != "presence_check":
        return []
    if event.challenge_id in open_challenge_ids:
        return [make_reason("challenge_answered", challenge_id=event.challenge_id)]
    return [make_reason("challenge_unknown", challenge_id=event.challenge_id)]
