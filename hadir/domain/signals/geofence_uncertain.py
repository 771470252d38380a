"""A check-in accepted with its fix just outside the geofence, within the fix's accuracy.

Everyday indoors, and weightless where the network is poor; in town a habit of it is worth a
look as a monthly pattern.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit, when
from hadir.domain.signals.outside_geofence import clearly_outside
from hadir.domain.signals.policy import SignalPolicy

CODE = "geofence_uncertain"
DESCRIPTION = "A check-in's fix lay just outside the geofence, within its stated accuracy."
MESSAGES = (CODE, f"{CODE}.flagged")


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict = {}
    for o in inp.observations:
        if o.kind != "check_in" or not o.accepted:
            continue
        distance = o.geofence_distance_m
        flagged = "geofence_uncertain" in o.reason_codes
        near = distance is not None and distance > 0 and not clearly_outside(inp, policy, o)
        if not (flagged or near):
            continue
        key = (o.employee_id, inp.day_of(o))
        if key in found:
            continue
        values = {"event": o.event_id, "when": when(inp, o), "accuracy_m": o.accuracy_m or 0}
        message = CODE
        if distance is not None and distance > 0:
            values["distance_m"] = round(distance)
        else:
            message = f"{CODE}.flagged"
        found[key] = SignalHit(
            CODE,
            o.employee_id,
            key[1],
            policy.geofence_uncertain_severity,
            Evidence(message, (o.event_id,), values),
        )
    return list(found.values())
