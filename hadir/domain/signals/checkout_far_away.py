"""Checked in, then checked out from far away: the "check in and go home" pattern.

The check-out fix must be well beyond its own accuracy. A forgotten check-out done on the way
home also looks like this, so one day weighs little; it counts with other signs, or when it is a
habit (checkout_far_recurring_days in the batch).
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit, hhmm, iso_days
from hadir.domain.signals.policy import SignalPolicy

CODE = "checkout_far_away"
DESCRIPTION = "A check-out sent from far outside the workplace on a day checked in."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found = []
    for (employee_id, day), events in inp.by_employee_day.items():
        check_in = next((o for o in events if o.kind == "check_in" and o.accepted), None)
        if check_in is None:
            continue
        far = [o for o in events if o.kind == "check_out" and _far(o, policy)]
        if far:
            found.append(
                (employee_id, day, check_in, max(far, key=lambda o: o.geofence_distance_m))
            )
    days_per_employee: dict[int, list] = {}
    for employee_id, day, _, _ in found:
        days_per_employee.setdefault(employee_id, []).append(day)
    hits = []
    for employee_id, day, check_in, worst in found:
        distance = worst.geofence_distance_m
        severity = (
            policy.checkout_very_far_severity
            if distance >= policy.checkout_very_far_m
            else policy.checkout_far_severity
        )
        days = days_per_employee[employee_id]
        values = {
            "day": day.isoformat(),
            "check_in": check_in.event_id,
            "check_in_at": hhmm(inp, check_in),
            "event": worst.event_id,
            "at": hhmm(inp, worst),
            "verdict": worst.verdict,
            "distance_m": round(distance),
            "accuracy_m": worst.accuracy_m or 0,
            "days": len(days),
        }
        if len(days) >= policy.checkout_far_recurring_days:
            # A habit, not a forgotten check-out done once on the way home.
            severity = max(severity, policy.checkout_far_recurring_severity)
            values["recurring_dates"] = iso_days(days)
        evidence = Evidence(CODE, (worst.event_id, check_in.event_id), values)
        hits.append(SignalHit(CODE, employee_id, day, severity, evidence))
    return hits


def _far(o, policy: SignalPolicy) -> bool:
    if o.geofence_distance_m is None:
        return False
    accuracy = o.accuracy_m or 0.0
    return o.geofence_distance_m > max(
        policy.checkout_far_m, policy.checkout_accuracy_multiple * accuracy
    )
