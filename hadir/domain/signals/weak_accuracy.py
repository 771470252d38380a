"""A check-in accepted with a very rough fix (accuracy worse than the policy's limit).

Normal indoors in a remote office (weightless there); in town a rough fix is how a fix that
cannot be checked slips through.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit
from hadir.domain.signals.policy import SignalPolicy

CODE = "weak_accuracy"
DESCRIPTION = "A check-in was accepted with a fix accuracy worse than the policy's limit."


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
        summary = (
            f"check-in {o.event_id} at {inp.local(o):%Y-%m-%d %H:%M} was accepted with a fix "
            f"accuracy of ±{o.accuracy_m:.0f} m (limit {policy.weak_accuracy_m:.0f} m)."
        )
        found[key] = SignalHit(
            CODE,
            o.employee_id,
            key[1],
            policy.weak_accuracy_severity,
            Evidence(summary, (o.event_id,), {"accuracy_m": o.accuracy_m}),
        )
    return list(found.values())
