"""Inside the office at one moment, at the same off-site place at another, day after day.

A duty trip goes somewhere different each time; a home does not. Only days that also have a fix
inside the geofence count, and only precise off-site fixes (far beyond their own accuracy), so
that the occasional wild fix of a remote office does not make a place.
"""

from __future__ import annotations

from hadir.domain.geo import haversine_m
from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    event_items,
    ids,
    iso_days,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "location_flipping"
DESCRIPTION = "On several days the phone was both inside the office and at one recurring place."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    hits = []
    for employee_id, events in inp.by_employee.items():
        inside_days = {
            inp.day_of(o)
            for o in events
            if o.accepted and o.geofence_distance_m is not None and o.geofence_distance_m <= 0
        }
        if len(inside_days) < policy.flip_min_days:
            continue
        offsite = [o for o in events if _offsite(o, policy) and inp.day_of(o) in inside_days]
        for centre, members in _clusters(offsite, policy.flip_cluster_m):
            hits.extend(_hits(inp, policy, employee_id, centre, members))
    return hits


def _offsite(o: Observation, policy: SignalPolicy) -> bool:
    return (
        o.has_fix
        and o.geofence_distance_m is not None
        and o.accuracy_m is not None
        and o.accuracy_m <= policy.offsite_max_accuracy_m
        and o.geofence_distance_m
        > max(policy.offsite_min_m, policy.poor_tier_accuracy_multiple * o.accuracy_m)
    )


def _clusters(fixes: list[Observation], radius_m: float):
    """Greedy: each fix joins the first cluster whose first fix is within radius_m."""
    clusters: list[tuple[Observation, list[Observation]]] = []
    for o in fixes:
        for centre, members in clusters:
            if haversine_m(centre.lat, centre.lon, o.lat, o.lon) <= radius_m:
                members.append(o)
                break
        else:
            clusters.append((o, [o]))
    return clusters


def _hits(
    inp: AnalysisInput,
    policy: SignalPolicy,
    employee_id: int,
    centre: Observation,
    members: list[Observation],
) -> list[SignalHit]:
    days = sorted({inp.day_of(o) for o in members})
    if len(days) < policy.flip_min_days:
        return []
    far = min(o.geofence_distance_m for o in members)
    values = {
        "place": [centre.lat, centre.lon],
        "point": f"{centre.lat:.5f}, {centre.lon:.5f}",
        "day_count": len(days),
        "dates": iso_days(days),
        "distance_m": round(far),
    }
    hits = []
    for day in days:
        own = inp.by_employee_day[(employee_id, day)]
        offsite_today = [o for o in members if inp.day_of(o) == day]
        today = {**values, "day": day.isoformat(), "events": event_items(inp, offsite_today)}
        event_ids = ids(offsite_today + own)  # ids() drops the repeats
        evidence = Evidence(CODE, event_ids, today)
        hits.append(SignalHit(CODE, employee_id, day, policy.flip_severity, evidence))
    return hits
