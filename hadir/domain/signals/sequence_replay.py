"""An old record sent again: the same signed body (device, sequence number, monotonic clock)
arriving as a new event, or ingestion's own "sequence_replay" code.

A replay copies a genuine earlier check-in (made at the office) to make a new day look
attended; no network produces two events with the same counter and the same clock reading.
"""

from __future__ import annotations

from collections import defaultdict

from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, ids, when
from hadir.domain.signals.policy import SignalPolicy

CODE = "sequence_replay"
DESCRIPTION = "An earlier record was re-sent as a new event (same sequence number and clock)."
MESSAGES = (CODE, f"{CODE}.flagged")


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict = {}

    def keep(o: Observation, evidence: Evidence) -> None:
        key = (o.employee_id, inp.day_of(o))
        found.setdefault(key, evidence)

    bodies: dict[tuple, list[Observation]] = defaultdict(list)
    for o in inp.observations:
        if o.device_id is not None and o.seq is not None and o.monotonic_ms is not None:
            bodies[(o.device_id, o.boot_count, o.seq, o.monotonic_ms)].append(o)
    for (device_id, _, seq, monotonic), copies in bodies.items():
        if len(copies) < 2:
            continue
        copies.sort(key=lambda o: (o.received_at, o.event_id))
        first = copies[0]
        for o in copies[1:]:
            values = {
                "kind": o.kind,
                "event": o.event_id,
                "received": when(inp, o, o.received_at),
                "seq": seq,
                "monotonic_ms": monotonic,
                "device_id": device_id,
                "original": first.event_id,
                "original_received": when(inp, first, first.received_at),
            }
            keep(o, Evidence(CODE, (o.event_id, first.event_id), values))
    for o in inp.observations:
        if CODE in o.reason_codes:
            values = {
                "kind": o.kind,
                "event": o.event_id,
                "when": when(inp, o),
                "seq": o.seq,
                "device_id": o.device_id,
            }
            keep(o, Evidence(f"{CODE}.flagged", ids([o]), values))
    return [
        SignalHit(CODE, employee_id, day, policy.sequence_replay_severity, evidence)
        for (employee_id, day), evidence in found.items()
    ]
