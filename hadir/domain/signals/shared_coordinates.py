"""The same coordinates, to the centimetre, reported by several employees.

Fake-GPS apps come with a saved spot that gets passed around an office; honest phones never
agree to the centimetre. Network positions, which do give everyone near one cell tower the same
point, are left out by their poor accuracy.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    clamp,
    ids,
    iso_days,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "shared_coordinates"
DESCRIPTION = "Several employees reported exactly the same coordinates."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    scale = 10**policy.coordinate_decimals
    points: dict[tuple[float, float], list[Observation]] = defaultdict(list)
    for o in inp.observations:
        if o.has_fix and o.accuracy_m is not None and o.accuracy_m < policy.network_fix_accuracy_m:
            points[(round(o.lat * scale), round(o.lon * scale))].append(o)
    hits = []
    for events in points.values():
        if len(events) < policy.shared_coords_min_events:
            continue
        lat, lon = events[0].lat, events[0].lon
        employees = sorted({o.employee_id for o in events})
        if len(employees) < policy.shared_coords_min_employees:
            continue
        hits.extend(_hits(inp, policy, lat, lon, events, employees))
    return hits


def _hits(
    inp: AnalysisInput,
    policy: SignalPolicy,
    lat: float,
    lon: float,
    events: list[Observation],
    employees: list[int],
) -> list[SignalHit]:
    severity = clamp(
        policy.shared_coords_severity + 0.1 * (len(employees) - policy.shared_coords_min_employees),
        0.0,
        policy.shared_coords_max_severity,
    )
    all_days = [inp.day_of(o) for o in events]
    values = {
        "lat": lat,
        "lon": lon,
        "point": f"{lat:.7f}, {lon:.7f}",
        "employees": employees[:50],
        "employee_count": len(employees),
        "event_count": len(events),
        "day_count": len(set(all_days)),
        "dates": iso_days(all_days),
    }
    mine: dict[tuple[int, date], list[Observation]] = defaultdict(list)
    for o, day in zip(events, all_days, strict=True):
        mine[(o.employee_id, day)].append(o)
    first_by_employee: dict[int, Observation] = {}
    for o in events:
        first_by_employee.setdefault(o.employee_id, o)
    sample = list(first_by_employee.values())[:30]
    hits = []
    for (employee_id, day), own in mine.items():
        evidence = Evidence(
            CODE,
            ids(own + [o for o in sample if o.employee_id != employee_id], 30),
            {**values, "day": day.isoformat(), "own": len(own)},
        )
        hits.append(SignalHit(CODE, employee_id, day, severity, evidence))
    return hits
