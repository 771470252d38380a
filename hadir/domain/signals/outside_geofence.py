"""A check-in accepted although its fix lies clearly outside the workplace geofence.

"Clearly" means beyond the fix's own accuracy; in poor/none tiers beyond a multiple of it, since
indoor fixes there are rough. Fixes just outside within their accuracy belong to
geofence_uncertain, which weighs nothing where the network is poor. A network position (accuracy
of network_fix_accuracy_m or worse) that lands outside but not far weighs less: a rough fix is as
likely as an absence.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, when
from hadir.domain.signals.policy import SignalPolicy

CODE = "outside_geofence"
DESCRIPTION = "A check-in was accepted from clearly outside the workplace geofence."
MESSAGES = (CODE, f"{CODE}.flagged")


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict = {}
    for o in inp.observations:
        if o.kind != "check_in" or not o.accepted:
            continue
        judged = _judge(inp, policy, o)
        if judged is None:
            continue
        severity, evidence = judged
        key = (o.employee_id, inp.day_of(o))
        if key not in found or found[key][0] < severity:
            found[key] = (severity, evidence)
    return [SignalHit(CODE, e, d, s, ev) for (e, d), (s, ev) in found.items()]


def clearly_outside(inp: AnalysisInput, policy: SignalPolicy, o: Observation) -> bool:
    distance = o.geofence_distance_m
    if distance is None or distance <= 0:
        return False
    accuracy = max(o.accuracy_m or 0.0, 0.0)
    if inp.event_tier(o, policy) != "good":
        accuracy *= policy.poor_tier_accuracy_multiple
    return distance > accuracy


def _judge(inp: AnalysisInput, policy: SignalPolicy, o: Observation):
    if o.geofence_distance_m is None and "outside_geofence" not in o.reason_codes:
        return None
    if o.geofence_distance_m is not None and not clearly_outside(inp, policy, o):
        return None
    values = {"event": o.event_id, "when": when(inp, o), "verdict": o.verdict}
    if o.geofence_distance_m is None:
        evidence = Evidence(f"{CODE}.flagged", (o.event_id,), values)
        return policy.outside_flagged_severity, evidence
    distance = o.geofence_distance_m
    severity = (
        policy.outside_far_severity
        if distance >= policy.far_outside_m
        else (policy.outside_severity)
    )
    coarse = (o.accuracy_m or 0.0) >= policy.network_fix_accuracy_m
    if coarse and distance < policy.far_outside_m:
        severity = min(severity, policy.outside_coarse_severity)
    values.update(distance_m=round(distance), accuracy_m=o.accuracy_m or 0)
    return severity, Evidence(CODE, (o.event_id,), values)
