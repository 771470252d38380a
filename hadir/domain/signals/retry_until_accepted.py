"""Rejected, rejected, ... accepted: trying until the check-in gets through.

One or two rejections just before walking into the geofence are normal. A check-in accepted
soon after a rejection for a hard reason (mock location, a replayed record, a tampered clock,
someone else's device), or after many rejections, is someone adjusting the trick.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, hhmmss, ids
from hadir.domain.signals.policy import SignalPolicy

CODE = "retry_until_accepted"
DESCRIPTION = "A check-in accepted after rejections for fraud reasons or after many rejections."
MESSAGES = (CODE, f"{CODE}.hard")


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    hits = []
    for (employee_id, day), events in inp.by_employee_day.items():
        check_ins = [o for o in events if o.kind == "check_in"]
        if len(check_ins) < 2 or all(o.accepted for o in check_ins):
            continue
        best = None
        for accepted in (o for o in check_ins if o.accepted):
            start = accepted.time_of_record - policy.retry_window
            tries = [
                o
                for o in check_ins
                if not o.accepted and start <= o.time_of_record <= accepted.time_of_record
            ]
            judged = _judge(policy, tries)
            if judged is not None and (best is None or judged[0] > best[0]):
                best = (*judged, accepted, tries)
        if best is not None:
            hits.append(_hit(inp, employee_id, day, *best))
    return hits


def _hard(policy: SignalPolicy, o: Observation) -> set[str]:
    found = set(o.reason_codes & policy.retry_hard_reasons)
    if o.mock:
        found.add("mock_location")
    return found


def _judge(policy: SignalPolicy, tries: list[Observation]):
    if not tries:
        return None
    hard = set().union(*(_hard(policy, o) for o in tries))
    if hard:
        return policy.retry_hard_severity, sorted(hard)
    if len(tries) >= policy.retry_min_soft:
        return policy.retry_soft_severity, []
    return None


def _hit(inp, employee_id, day, severity, hard, accepted: Observation, tries) -> SignalHit:
    listing = [
        {
            "message": "item.rejected",
            "event": o.event_id,
            "at": hhmmss(inp, o),
            "reasons": sorted(o.reason_codes),
        }
        for o in tries[:6]
    ]
    values = {
        "day": day.isoformat(),
        "event": accepted.event_id,
        "at": hhmmss(inp, accepted),
        "rejected": len(tries),
        "hard_reasons": hard,
        "tries": listing,
    }
    message = f"{CODE}.hard" if hard else CODE
    evidence = Evidence(message, ids([accepted, *tries]), values)
    return SignalHit(CODE, employee_id, day, severity, evidence)
