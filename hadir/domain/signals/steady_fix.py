"""Fixes that scatter far less over the days than the accuracy they claim.

A fake-GPS app that adds a little random noise to one fixed point, and reports a "plausible"
accuracy of 10-30 m, gives positions a metre or two apart day after day; a real phone that
honestly claims 20 m wanders by metres to tens of metres between days. Exactly repeated
coordinates are zero_jitter's business, so this starts above its radius.

A phone positioned by the office Wi-Fi can also be this steady, so the signal only corroborates:
alone it stays below review and it makes no monthly pattern (see the policy).
"""

from __future__ import annotations

import math
import statistics

from hadir.domain.geo import haversine_from
from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit, ids, iso_days
from hadir.domain.signals.policy import SignalPolicy

CODE = "steady_fix"
DESCRIPTION = "Fixes over many days scatter far less than their claimed accuracy allows."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    hits = []
    for employee_id, events in inp.by_employee.items():
        fixes = [
            o
            for o in events
            if o.verdict != "rejected"  # o.accepted and o.has_fix, spelt out for the batch
            and o.lat is not None
            and o.lon is not None
            and o.accuracy_m is not None
            and o.accuracy_m < policy.network_fix_accuracy_m
        ]
        if len(fixes) < policy.steady_min_fixes:
            continue
        mid_lat = statistics.median(o.lat for o in fixes)
        mid_lon = statistics.median(o.lon for o in fixes)
        distance_m = haversine_from(mid_lat, mid_lon)
        distances = {o.event_id: distance_m(o.lat, o.lon) for o in fixes}
        # Only the usual place: off-site fixes are other signals' business.
        near = [o for o in fixes if distances[o.event_id] <= policy.steady_place_m]
        days = sorted({inp.day_of(o) for o in near})
        if len(near) < policy.steady_min_fixes or len(days) < policy.steady_min_days:
            continue
        rms = math.sqrt(sum(distances[o.event_id] ** 2 for o in near) / len(near))
        accuracy = statistics.median(o.accuracy_m for o in near)
        if not (
            policy.static_radius_m < rms <= policy.steady_max_rms_m
            and rms <= policy.steady_max_ratio * accuracy
        ):
            continue
        values = {
            "fixes": len(near),
            "day_count": len(days),
            "dates": iso_days(days),
            "rms_m": round(rms, 2),
            "point": f"{mid_lat:.6f}, {mid_lon:.6f}",
            "median_accuracy_m": accuracy,
        }
        for day in days:
            today = [o for o in near if inp.day_of(o) == day]
            today_values = {**values, "day": day.isoformat(), "today": list(ids(today))}
            evidence = Evidence(CODE, ids(today + near), today_values)
            hits.append(SignalHit(CODE, employee_id, day, policy.steady_severity, evidence))
    return hits
