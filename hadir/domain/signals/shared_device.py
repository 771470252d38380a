"""One phone, several employees: the colleague who checks in for an absent one.

Two shapes: a device that sent events for two or more employees on the same day, and an event
from a device enrolled to somebody else (after that enrolment). A phone handed on to a colleague
with an approved enrolment is not sharing: events before the new enrolment belong to the old
owner's time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    event_item,
    ids,
    when,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "shared_device"
DESCRIPTION = "One device sent events for several employees, or for someone it is not enrolled to."
MESSAGES = (
    f"{CODE}.enrolled_elsewhere",
    f"{CODE}.enrolled_to_another",
    f"{CODE}.same_day",
    f"{CODE}.same_day_no_owner",
)

Found = dict[tuple[int, date], tuple[float, Evidence]]


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: Found = {}
    by_device_day: dict[tuple[int, date], list[Observation]] = defaultdict(list)
    for o in inp.observations:
        if o.device_id is not None:
            by_device_day[(o.device_id, inp.day_of(o))].append(o)
        if _enrolled_to_someone_else(inp, o):
            _mismatch(inp, policy, o, found)
    for (device_id, day), events in by_device_day.items():
        if len({o.employee_id for o in events}) > 1:
            _same_day(inp, policy, device_id, day, events, found)
    return [
        SignalHit(CODE, employee_id, day, severity, evidence)
        for (employee_id, day), (severity, evidence) in found.items()
    ]


def _keep(found: Found, key: tuple[int, date], severity: float, evidence: Evidence) -> None:
    if key not in found or found[key][0] < severity:
        found[key] = (severity, evidence)


def _enrolled_to_someone_else(inp: AnalysisInput, o: Observation) -> bool:
    if "device_employee_mismatch" in o.reason_codes:
        return True
    facts = inp.devices.get(o.device_id) if o.device_id is not None else None
    return (
        facts is not None
        and facts.employee_id != o.employee_id
        and o.time_of_record >= facts.enrolled_at
    )


def _mismatch(inp: AnalysisInput, policy: SignalPolicy, o: Observation, found: Found) -> None:
    facts = inp.devices.get(o.device_id) if o.device_id is not None else None
    values = {
        "kind": o.kind,
        "event": o.event_id,
        "when": when(inp, o),
        "device_id": o.device_id,
        "owner": facts.employee_id if facts else None,
    }
    _keep(
        found,
        (o.employee_id, inp.day_of(o)),
        policy.device_mismatch_severity,
        Evidence(
            f"{CODE}.enrolled_elsewhere" if facts else f"{CODE}.enrolled_to_another",
            (o.event_id,),
            values,
        ),
    )


def _same_day(
    inp: AnalysisInput,
    policy: SignalPolicy,
    device_id: int,
    day: date,
    events: list[Observation],
    found: Found,
) -> None:
    facts = inp.devices.get(device_id)
    owner = facts.employee_id if facts else None
    employees = sorted({o.employee_id for o in events})
    events = sorted(events, key=lambda o: o.time_of_record)
    listing = [
        event_item(inp, o, seconds=True, message="item.employee_event", employee=o.employee_id)
        for o in events[:8]
    ]
    message = f"{CODE}.same_day" if owner is not None else f"{CODE}.same_day_no_owner"
    values = {
        "day": day.isoformat(),
        "device_id": device_id,
        "owner": owner,
        "employees": employees,
        "employee_count": len(employees),
        "events": listing,
    }
    if facts is not None:
        # The day the phone was handed on: the earlier user's events precede the enrolment.
        borrowers = {
            o.employee_id
            for o in events
            if o.employee_id != owner and o.time_of_record >= facts.enrolled_at
        }
        if not borrowers:
            return
        employees = sorted(borrowers | ({owner} & {o.employee_id for o in events}))
    for employee_id in employees:
        if owner is None:
            severity = policy.shared_device_unknown_owner_severity
        elif employee_id == owner:
            severity = policy.shared_device_owner_severity
        else:
            severity = policy.shared_device_severity
        own = [o for o in events if o.employee_id == employee_id]
        others = [o for o in events if o.employee_id != employee_id]
        evidence = Evidence(message, ids(own + others), values)
        _keep(found, (employee_id, day), severity, evidence)
