"""A presence challenge was answered from outside the workplace.

The answer's own fix is weighed against its accuracy: just outside the fence with a rough fix is
not "away" (and in poor/none tiers it does not fire at all); hundreds of metres beyond a precise
fix is.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit, hhmm
from hadir.domain.signals.policy import SignalPolicy

CODE = "challenge_offsite"
DESCRIPTION = "A presence challenge was answered from outside the workplace geofence."
MESSAGES = (f"{CODE}.unknown", f"{CODE}.far", f"{CODE}.clear", f"{CODE}.unclear")


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict = {}
    for ch in inp.challenges:
        if ch.answer_inside is not False or ch.answered_event_id is None:
            continue
        answer = inp.by_event_id.get(ch.answered_event_id)
        if answer is None or answer.geofence_distance_m is None:
            zone = inp.zone_for(None, ch.employee_id)
            day = ch.issued_at.astimezone(zone).date()
            values = {
                "challenge": ch.challenge_id,
                "issued": f"{ch.issued_at.astimezone(zone):%Y-%m-%d %H:%M}",
                "answer": ch.answered_event_id,
            }
            severity = policy.challenge_offsite_unknown_severity
            evidence = Evidence(f"{CODE}.unknown", (ch.challenge_id, ch.answered_event_id), values)
        else:
            day = inp.day_of(answer)
            judged = _judge(inp, policy, answer)
            if judged is None:
                continue
            severity, how = judged
            values = {
                "challenge": ch.challenge_id,
                "issued": f"{inp.local(answer, ch.issued_at):%Y-%m-%d %H:%M}",
                "answer": answer.event_id,
                "at": hhmm(inp, answer),
                "distance_m": round(answer.geofence_distance_m),
                "accuracy_m": answer.accuracy_m or 0,
            }
            message = f"{CODE}.{how}"
            evidence = Evidence(message, (answer.event_id, ch.challenge_id), values)
        key = (ch.employee_id, day)
        if key not in found or found[key][0] < severity:
            found[key] = (severity, evidence)
    return [SignalHit(CODE, e, d, s, ev) for (e, d), (s, ev) in found.items()]


def _judge(inp: AnalysisInput, policy: SignalPolicy, answer):
    distance, accuracy = answer.geofence_distance_m, answer.accuracy_m or 0.0
    clear = distance > max(
        policy.challenge_offsite_clear_m, policy.poor_tier_accuracy_multiple * accuracy
    )
    if clear and distance >= policy.far_outside_m:
        return policy.challenge_offsite_far_severity, "far"
    if clear:
        return policy.challenge_offsite_severity, "clear"
    if inp.event_tier(answer, policy) != "good":
        return None  # a rough fix near the fence of a remote office is not "away"
    return policy.challenge_offsite_unclear_severity, "unclear"
