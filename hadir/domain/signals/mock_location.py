"""The phone itself said the location was mocked (Android's mock-location flag)."""

from __future__ import annotations

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    SignalHit,
    event_items,
    group_by_employee_day,
    ids,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "mock_location"
DESCRIPTION = "A fix carried the phone's mock-location flag (a fake-GPS app was active)."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    flagged = (o for o in inp.observations if o.mock or CODE in o.reason_codes)
    hits = []
    for (employee_id, day), events in group_by_employee_day(inp, flagged).items():
        accepted = [o for o in events if o.accepted]
        severity = policy.mock_accepted_severity if accepted else policy.mock_rejected_severity
        total = len(inp.by_employee_day.get((employee_id, day), events))
        hits.append(
            SignalHit(
                CODE,
                employee_id,
                day,
                severity,
                Evidence(
                    CODE,
                    ids(events),
                    {
                        "day": day.isoformat(),
                        "flagged": len(events),
                        "accepted": len(accepted),
                        "events_that_day": total,
                        "events": event_items(inp, events, 5),
                    },
                ),
            )
        )
    return hits
