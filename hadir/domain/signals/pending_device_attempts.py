"""Attempts from a phone waiting for approval, while the employee's own phone stays silent.

Someone enrols a second phone on an employee's account (a colleague's "dual app" copy) and tries
to check in with it. The server refuses it (device_pending), so the attempt never counts as
attendance, but it is evidence: on that day the account's approved phone sent nothing, and
somebody else's handset tried to be present for it. A new phone waiting for the atasan's
approval does the same for a day or so; attempts on several days, or from a handset that is
evidently another employee's (the same boot count and the same running clock as that
employee's phone, within seconds), weigh more.
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
    hhmmss,
    ids,
    iso_days,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "pending_device_attempts"
DESCRIPTION = (
    "Refused attempts from a phone not yet approved for the account, on days the account's "
    "approved phone sent nothing."
)
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    attempts: dict[tuple[int, date], list[Observation]] = defaultdict(list)
    for o in inp.observations:
        if o.verdict == "rejected" and "device_pending" in o.reason_codes:
            attempts[(o.employee_id, inp.day_of(o))].append(o)
    if not attempts:
        return []
    silent_days: dict[int, list[date]] = defaultdict(list)
    for employee_id, day in attempts:
        own = inp.by_employee_day.get((employee_id, day), [])
        if not any(o.accepted for o in own):
            silent_days[employee_id].append(day)
    others = _others_by_day(inp)
    hits = []
    for employee_id, days in silent_days.items():
        for day in days:
            tried = sorted(attempts[(employee_id, day)], key=lambda o: o.time_of_record)
            twin = _same_handset(inp, policy, tried, others.get(day, {}))
            if twin is not None:
                severity = policy.pending_twin_severity
            elif len(days) >= policy.pending_recurring_days:
                severity = policy.pending_recurring_severity
            else:
                severity = policy.pending_severity
            listing = [
                event_item(inp, o, seconds=True, message="item.event_device", device_id=o.device_id)
                for o in tried[:6]
            ]
            named = list(tried)
            values = {
                "day": day.isoformat(),
                "attempts": len(tried),
                "events": listing,
                "days": len(days),
                "dates": iso_days(days),
            }
            if twin is not None:
                mine, theirs = twin
                named.append(theirs)
                values.update(
                    handset_of=theirs.employee_id,
                    twin_event=mine.event_id,
                    boot_count=mine.boot_count,
                    their_kind=theirs.kind,
                    their_event=theirs.event_id,
                    their_at=hhmmss(inp, theirs),
                    their_device=theirs.device_id,
                )
            evidence = Evidence(CODE, ids(named), values)
            hits.append(SignalHit(CODE, employee_id, day, severity, evidence))
    return hits


def _others_by_day(inp: AnalysisInput) -> dict[date, dict[int, list[Observation]]]:
    """Day -> boot count -> the accepted events with a boot clock, in batch order: an attempt
    is compared only with the events of its own boot count (a regency's day has thousands)."""
    by_day: dict[date, dict[int, list[Observation]]] = defaultdict(lambda: defaultdict(list))
    for o in inp.observations:
        if o.accepted and o.boot_count is not None and o.monotonic_ms is not None:
            by_day[inp.day_of(o)][o.boot_count].append(o)
    return by_day


def _same_handset(inp: AnalysisInput, policy: SignalPolicy, tried, candidates):
    """An accepted event of another employee, from another device, whose boot count and
    monotonic clock continue this attempt's: the same physical phone. `candidates`: the day's
    events by boot count."""
    tolerance_ms = policy.pending_twin_clock_tolerance.total_seconds() * 1000
    for mine in tried:
        if mine.boot_count is None or mine.monotonic_ms is None:
            continue
        for theirs in candidates.get(mine.boot_count, ()):
            if theirs.employee_id == mine.employee_id or theirs.device_id == mine.device_id:
                continue
            wall_ms = (mine.device_time or mine.received_at) - (
                theirs.device_time or theirs.received_at
            )
            drift = (mine.monotonic_ms - theirs.monotonic_ms) - wall_ms.total_seconds() * 1000
            if abs(drift) <= tolerance_ms:
                return mine, theirs
    return None
