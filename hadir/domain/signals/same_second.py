"""Check-ins at the very same second of the day, day after day: a script, not a person.

People arrive over minutes; the chance that an honest employee's check-ins fall on the same
second (give or take the tolerance) on five days of a month is negligible.
"""

from __future__ import annotations

from collections import Counter

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    clamp,
    hhmmss,
    ids,
    iso_days,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "same_second"
DESCRIPTION = "Check-ins on many days fall on the same second of the day."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    hits = []
    for employee_id, events in inp.by_employee.items():
        check_ins = [o for o in events if o.kind == "check_in" and o.accepted]
        if len(check_ins) < policy.same_second_min_days:
            continue
        seconds = {o.event_id: _second_of_day(inp, o) for o in check_ins}
        counts = Counter(seconds.values())
        tol = policy.same_second_tolerance_s
        best = max(counts, key=lambda s: sum(counts.get(s + d, 0) for d in range(-tol, tol + 1)))
        same = [o for o in check_ins if abs(seconds[o.event_id] - best) <= tol]
        days = sorted({inp.day_of(o) for o in same})
        if len(days) < policy.same_second_min_days:
            continue
        hits.extend(_hits(inp, policy, employee_id, best, same, days))
    return hits


def _second_of_day(inp: AnalysisInput, o: Observation) -> int:
    t = inp.local(o)
    return t.hour * 3600 + t.minute * 60 + t.second


def _hits(inp, policy: SignalPolicy, employee_id: int, best: int, same, days) -> list[SignalHit]:
    severity = clamp(
        policy.same_second_severity + 0.05 * (len(days) - policy.same_second_min_days),
        0.0,
        policy.same_second_max_severity,
    )
    clock = f"{best // 3600:02d}:{best % 3600 // 60:02d}:{best % 60:02d}"
    values = {
        "second": clock,
        "tolerance_s": policy.same_second_tolerance_s,
        "day_count": len(days),
        "dates": iso_days(days),
    }
    hits = []
    for day in days:
        today = [o for o in same if inp.day_of(o) == day]
        listing = [
            {"message": "item.event_at", "event": o.event_id, "at": hhmmss(inp, o)} for o in today
        ]
        mine = {**values, "day": day.isoformat(), "events": listing}
        hits.append(
            SignalHit(CODE, employee_id, day, severity, Evidence(CODE, ids(today + same), mine))
        )
    return hits
