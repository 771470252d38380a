"""A wrong office code: the code on the office screen was not in front of the phone.

A typo happens, and an offline event may carry a stale code, so a rejected attempt weighs
little and the tier table discounts it where the network is poor.
"""

from __future__ import annotations

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    SignalHit,
    event_item,
    group_by_employee_day,
    ids,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "office_code_invalid"
DESCRIPTION = "An event carried an office code that was not valid at that workplace and time."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    invalid = (
        o
        for o in inp.observations
        if o.office_code_valid is False or "office_code_invalid" in o.reason_codes
    )
    hits = []
    for (employee_id, day), events in group_by_employee_day(inp, invalid).items():
        accepted = [o for o in events if o.accepted]
        severity = (
            policy.office_code_invalid_severity
            if accepted
            else policy.office_code_invalid_rejected_severity
        )
        values = {
            "day": day.isoformat(),
            "invalid": len(events),
            "accepted": len(accepted),
            "events": [
                event_item(inp, o, message="item.event_verdict", verdict=o.verdict)
                for o in events[:5]
            ],
        }
        hits.append(
            SignalHit(
                CODE, employee_id, day, severity, Evidence(CODE, ids(accepted + events), values)
            )
        )
    return hits
