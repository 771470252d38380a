"""Attendance from a phone that is not the employee's approved one.

An unregistered or not-yet-approved phone, or going back and forth between phones (the second
phone is in someone else's pocket). A replacement phone that was approved is the normal case:
one switch to an approved device does not fire.
"""

from __future__ import annotations

from datetime import date

from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, ids, when
from hadir.domain.signals.policy import SignalPolicy

CODE = "new_device"
DESCRIPTION = "Events from an unregistered or unapproved device, or switching back and forth."
MESSAGES = (f"{CODE}.unregistered", f"{CODE}.unapproved", f"{CODE}.switching")


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict[tuple[int, date], tuple[float, Evidence]] = {}

    def keep(o: Observation, severity: float, evidence: Evidence) -> None:
        key = (o.employee_id, inp.day_of(o))
        if key not in found or found[key][0] < severity:
            found[key] = (severity, evidence)

    for employee_id, events in inp.by_employee.items():
        # Without device facts (not supplied) nothing can be called unregistered.
        if inp.devices:
            for o in events:
                if o.accepted:
                    _registration(inp, policy, o, keep)
        _switching(inp, policy, employee_id, events, keep)
    return [SignalHit(CODE, e, d, s, ev) for (e, d), (s, ev) in found.items()]


def _registration(inp: AnalysisInput, policy: SignalPolicy, o: Observation, keep) -> None:
    facts = inp.devices.get(o.device_id) if o.device_id is not None else None
    if facts is not None and (facts.approved or facts.employee_id != o.employee_id):
        return  # the normal case; someone else's device is shared_device's business
    values = {
        "kind": o.kind,
        "event": o.event_id,
        "when": when(inp, o),
        "device_id": "-" if o.device_id is None else o.device_id,
    }
    if facts is None:
        evidence = Evidence(f"{CODE}.unregistered", (o.event_id,), values)
        keep(o, policy.unknown_device_severity, evidence)
    else:
        values["enrolled"] = f"{inp.local(o, facts.enrolled_at):%Y-%m-%d}"
        evidence = Evidence(f"{CODE}.unapproved", (o.event_id,), values)
        keep(o, policy.unapproved_device_severity, evidence)


def _switching(
    inp: AnalysisInput, policy: SignalPolicy, employee_id: int, events: list[Observation], keep
) -> None:
    used: list[int] = []
    returns: list[Observation] = []
    for o in events:
        if o.device_id is None or (used and used[-1] == o.device_id):
            continue
        if o.device_id in used:
            returns.append(o)
        used.append(o.device_id)
    if len(returns) < policy.device_switch_min_returns:
        return
    devices = sorted(set(used))
    all_approved = all(
        (f := inp.devices.get(d)) is not None and f.approved and f.employee_id == employee_id
        for d in devices
    )
    severity = policy.device_switch_severity * (0.75 if all_approved else 1.0)
    values = {"devices": devices, "switches": len(used) - 1, "returns": len(returns)}
    for o in returns:
        here = {**values, "kind": o.kind, "event": o.event_id, "when": when(inp, o)}
        keep(o, severity, Evidence(f"{CODE}.switching", ids([o, *returns]), here))
