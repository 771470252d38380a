"""Coordinates that do not move: real GPS fixes always differ by centimetres or more.

Two shapes: several separate fixes with exactly the same coordinates, and a large share of the
employee's fixes, over several days, within half a metre of one point (a location that never
varies between days). Network positions (cell tower, Wi-Fi), which
legitimately repeat, are left out by their poor accuracy; a phone re-serving one cached fix is
recognised by the fix time it repeats.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date

from hadir.domain.geo import haversine_from
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

CODE = "zero_jitter"
DESCRIPTION = "Separate fixes on different occasions report identical or static coordinates."
MESSAGES = (f"{CODE}.identical", f"{CODE}.static")


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    hits = []
    for employee_id, events in inp.by_employee.items():
        fixes = [o for o in events if _usable(o, policy)]
        if len(fixes) < policy.zero_jitter_min_repeats:
            continue
        groups = _identical_groups(fixes, policy) + _static_cluster(inp, fixes, policy)
        hits.extend(_hits(inp, policy, employee_id, groups))
    return hits


def _usable(o: Observation, policy: SignalPolicy) -> bool:
    return (
        o.lat is not None  # o.has_fix, spelt out: this runs for every event of the batch
        and o.lon is not None
        and o.accuracy_m is not None
        and o.accuracy_m < policy.network_fix_accuracy_m
    )


def _moments(events: list[Observation]) -> int:
    """Separate fixes: a phone that serves one cached fix twice repeats its fix time."""
    return len({o.fix_time or o.time_of_record for o in events})


def _identical_groups(fixes: list[Observation], policy: SignalPolicy) -> list[tuple]:
    groups: dict[tuple[float, float], list[Observation]] = defaultdict(list)
    scale = 10**policy.coordinate_decimals
    for o in fixes:
        groups[(round(o.lat * scale), round(o.lon * scale))].append(o)
    found = []
    for group in groups.values():
        if _moments(group) >= policy.zero_jitter_min_repeats:
            lat, lon = group[0].lat, group[0].lon
            found.append(("identical", {"point": f"{lat:.7f}, {lon:.7f}"}, group))
    return found


def _static_cluster(
    inp: AnalysisInput, fixes: list[Observation], policy: SignalPolicy
) -> list[tuple]:
    if len(fixes) < policy.static_min_fixes:
        return []
    mid_lat = statistics.median(o.lat for o in fixes)
    mid_lon = statistics.median(o.lon for o in fixes)
    distance_m, radius = haversine_from(mid_lat, mid_lon), policy.static_radius_m
    near = [o for o in fixes if distance_m(o.lat, o.lon) <= radius]
    days = {inp.day_of(o) for o in near}
    if (
        _moments(near) < policy.static_min_fixes
        or len(days) < policy.static_min_days
        or len(near) < policy.static_min_share * len(fixes)
    ):
        return []
    where = {"radius_m": policy.static_radius_m, "point": f"{mid_lat:.7f}, {mid_lon:.7f}"}
    return [("static", where, near)]


def _hits(
    inp: AnalysisInput, policy: SignalPolicy, employee_id: int, groups: list[tuple]
) -> list[SignalHit]:
    per_day: dict[date, tuple[float, Evidence]] = {}
    for variant, where, group in groups:
        days = sorted({inp.day_of(o) for o in group})
        accuracies = sorted(o.accuracy_m for o in group)
        severity = clamp(
            policy.zero_jitter_severity + 0.05 * (len(group) - policy.zero_jitter_min_repeats),
            0.0,
            policy.zero_jitter_max_severity,
        )
        values = {
            **where,
            "fixes": len(group),
            "day_count": len(days),
            "dates": iso_days(days),
            "accuracy_low_m": accuracies[0],
            "accuracy_high_m": accuracies[-1],
            "lat": group[0].lat,
            "lon": group[0].lon,
        }
        for day in days:
            first = [o for o in group if inp.day_of(o) == day]
            rest = [o for o in group if inp.day_of(o) != day]
            evidence = Evidence(f"{CODE}.{variant}", ids(first + rest), values)
            if day not in per_day or per_day[day][0] < severity:
                per_day[day] = (severity, evidence)
    return [
        SignalHit(CODE, employee_id, day, severity, evidence)
        for day, (severity, evidence) in sorted(per_day.items())
    ]
