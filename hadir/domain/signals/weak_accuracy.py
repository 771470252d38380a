"""A check-in accepted with a very rough fix (accuracy worse than the policy's limit).

Normal indoors in a remote office (weightless there); in town a rough fix is how a fix that
cannot be checked slips through.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit, when
from hadir.domain.signals.policy import SignalPolicy

CODE = "weak_accuracy"
DESCRIPTION = "A check-in was accepted with a fix accuracy worse than the policy's limit."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict = {}
    for o in inp.observations:
        if o.kind != "check_in" or not o.accepted or o.accuracy_m is None:
            continue
        if o.accuracy_m <= policy.weak_accuracy_m:
            continue
        key = (o.employee_id, inp.day_of(o))
        if key in found:
            continue
        values = {
            "event": o.event_id,
            "when": when(inp, o),
            "accuracy_m": o.accuracy_m,
            "limit_m": policy.weak_accuracy_m,
        }
        found[key] = SignalHit(
            CODE,
            o.employee_id,
            key[1],
            policy.weak_accuracy_severity,
            Evidence(CODE, (o.event_id,), values),
        )
    return list(found.values())
