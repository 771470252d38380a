"""A check-in without an office code at a workplace where colleagues do send one.

Codes are judged "in use" from the batch itself (a share of the workplace's check-ins carry
one), so a workplace without a code screen never fires. Weightless where the network is poor.
"""

from __future__ import annotations

from collections import Counter

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit, when
from hadir.domain.signals.policy import SignalPolicy

CODE = "office_code_missing"
DESCRIPTION = "A check-in sent no office code where the workplace's check-ins normally carry one."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    in_use = _workplaces_using_codes(inp, policy)
    found: dict = {}
    for o in inp.observations:
        if (
            o.kind == "check_in"
            and o.accepted
            and o.office_code_valid is None
            and o.workplace_id in in_use
        ):
            key = (o.employee_id, inp.day_of(o))
            if key in found:
                continue
            share = in_use[o.workplace_id]
            values = {
                "event": o.event_id,
                "when": when(inp, o),
                "share_with_code": round(share, 3),
                "workplace_id": o.workplace_id,
            }
            found[key] = SignalHit(
                CODE,
                o.employee_id,
                key[1],
                policy.office_code_missing_severity,
                Evidence(CODE, (o.event_id,), values),
            )
    return list(found.values())


def _workplaces_using_codes(inp: AnalysisInput, policy: SignalPolicy) -> dict[int, float]:
    total: Counter = Counter()
    with_code: Counter = Counter()
    for o in inp.observations:
        if o.kind == "check_in" and o.workplace_id is not None:
            total[o.workplace_id] += 1
            if o.office_code_valid is not None:
                with_code[o.workplace_id] += 1
    return {
        w: with_code[w] / n
        for w, n in total.items()
        if n >= policy.code_in_use_min_checkins and with_code[w] / n >= policy.code_in_use_share
    }
