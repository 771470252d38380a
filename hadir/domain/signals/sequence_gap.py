"""Ingestion saw the device's sequence numbers skip: records that were made were never sent.

A phone that drops the attempts it did not like (say, the ones made at home) leaves gaps; so
does a phone that lost its offline queue, which is why this weighs nothing in poor/none tiers.
"""

from __future__ import annotations

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    SignalHit,
    group_by_employee_day,
    ids,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "sequence_gap"
DESCRIPTION = "The device's sequence numbers skipped (records made but never sent)."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    gapped = (o for o in inp.observations if CODE in o.reason_codes)
    hits = []
    for (employee_id, day), events in group_by_employee_day(inp, gapped).items():
        listing = [
            {
                "message": "item.event_seq",
                "kind": o.kind,
                "event": o.event_id,
                "device_id": o.device_id,
                "seq": o.seq,
            }
            for o in events[:5]
        ]
        values = {"day": day.isoformat(), "count": len(events), "events": listing}
        hits.append(
            SignalHit(
                CODE,
                employee_id,
                day,
                policy.sequence_gap_severity,
                Evidence(CODE, ids(events), values),
            )
        )
    return hits
