"""A presence challenge was answered from outside the workplace.

The answer's own fix is weighed against its accuracy: just outside the fence with a rough fix is
not "away" (and in poor/none tiers it does not fire at all); hundreds of metres beyond a precise
fix is.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit
from hadir.domain.signals.policy import SignalPolicy

CODE = "challenge_offsite"
DESCRIPTION = "A presence challenge was answered from outside the workplace geofence."


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict = {}
    for ch in inp.challenges:
        if ch.answer_inside is not False or ch.answered_event_id is None:
            continue
        answer = inp.by_event_id.get(ch.answered_event_id)
        if answer is None or answer.geofence_distance_m is None:
            zone = inp.zone_for(None, ch.employee_id)
            day = ch.issued_at.astimezone(zone).date()
            issued = ch.issued_at.astimezone(zone)
            summary = (
                f"Challenge {ch.challenge_id} issued {issued:%Y-%m-%d %H:%M} was answered by "
                f"event {ch.answered_event_id} from outside the workplace (the answer's fix is "
                "not available to this analysis)."
            )
            severity = policy.challenge_offsite_unknown_severity
            evidence = Evidence(summary, (ch.challenge_id, ch.answered_event_id), {})
        else:
            day = inp.day_of(answer)
            judged = _judge(inp, policy, answer)
            if judged is None:
                continue
            severity, how = judged
            issued = inp.local(answer, ch.issued_at)
            summary = (
                f"Challenge {ch.challenge_id} issued {issued:%Y-%m-%d %H:%M} was answered at "
                f"{inp.local(answer):%H:%M} by {answer.event_id} from "
                f"{answer.geofence_distance_m:.0f} m outside the workplace geofence "
                f"(fix accuracy ±{answer.accuracy_m or 0:.0f} m): {how}."
            )
            values = {
                "distance_m": round(answer.geofence_distance_m),
                "accuracy_m": answer.accuracy_m,
            }
            evidence = Evidence(summary, (answer.event_id, ch.challenge_id), values)
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
        return policy.challenge_offsite_far_severity, "far outside, beyond the fix's accuracy"
    if clear:
        return policy.challenge_offsite_severity, "clearly outside, beyond the fix's accuracy"
    if inp.event_tier(answer, policy) != "good":
        return None  # a rough fix near the fence of a remote office is not "away"
    return policy.challenge_offsite_unclear_severity, "just outside, within the fix's uncertainty"
