"""Two fixes of one employee too far apart for the time between them.

The distance counted is what remains after both fixes' stated accuracy is given away, so rough
fixes need a larger jump. A single far-off fix is normal in a remote office and weighs little
there (see the tier table); in town a 40 km jump in five minutes is a fake location.
"""

from __future__ import annotations

import itertools
from datetime import date

from hadir.domain.geo import haversine_m
from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, hhmm, ids
from hadir.domain.signals.policy import SignalPolicy

CODE = "impossible_speed"
DESCRIPTION = "Consecutive fixes imply a speed no vehicle on the road reaches."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict[tuple[int, date], list[tuple[float, Observation, Observation, float]]] = {}
    max_mps = policy.max_speed_kmh / 3.6
    min_s = policy.speed_min_interval.total_seconds()
    for events in inp.by_employee.values():
        fixes = [o for o in events if o.has_fix]
        for a, b in itertools.pairwise(fixes):
            metres = haversine_m(a.lat, a.lon, b.lat, b.lon)
            beyond = metres - (a.accuracy_m or 0.0) - (b.accuracy_m or 0.0)
            if beyond < policy.speed_min_distance_m:
                continue
            seconds = max((b.time_of_record - a.time_of_record).total_seconds(), min_s)
            if beyond / seconds > max_mps:
                key = (b.employee_id, inp.day_of(b))
                found.setdefault(key, []).append((beyond / seconds * 3.6, a, b, metres))
    return [_hit(inp, policy, key, jumps) for key, jumps in found.items()]


def _hit(inp: AnalysisInput, policy: SignalPolicy, key, jumps) -> SignalHit:
    employee_id, day = key
    fastest = max(kmh for kmh, *_ in jumps)
    severity = (
        policy.speed_extreme_severity
        if fastest > 3 * policy.max_speed_kmh
        else policy.speed_severity
    )
    parts = []
    for kmh, a, b, metres in jumps[:4]:
        minutes = (b.time_of_record - a.time_of_record).total_seconds() / 60
        parts.append(
            {
                "message": "item.jump",
                "from_kind": a.kind,
                "from_event": a.event_id,
                "from_at": hhmm(inp, a),
                "from_point": f"{a.lat:.5f}, {a.lon:.5f}",
                "from_accuracy_m": a.accuracy_m or 0,
                "to_kind": b.kind,
                "to_event": b.event_id,
                "to_at": hhmm(inp, b),
                "to_point": f"{b.lat:.5f}, {b.lon:.5f}",
                "to_accuracy_m": b.accuracy_m or 0,
                "distance_m": round(metres),
                "minutes": round(minutes),
                "kmh": round(kmh),
            }
        )
    events = [o for _, a, b, _ in jumps for o in (a, b)]
    values = {"day": day.isoformat(), "max_kmh": round(fastest), "jumps": parts}
    return SignalHit(CODE, employee_id, day, severity, Evidence(CODE, ids(events), values))
