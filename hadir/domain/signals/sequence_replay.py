"""An old record sent again: the same signed body (device, sequence number, monotonic clock)
arriving as a new event, or ingestion's own "sequence_replay" code.

A replay copies a genuine earlier check-in (made at the office) to make a new day look
attended; no network produces two events with the same counter and the same clock reading.
"""

from __future__ import annotations

from collections import defaultdict

from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, ids
from hadir.domain.signals.policy import SignalPolicy

CODE = "sequence_replay"
DESCRIPTION = "An earlier record was re-sent as a new event (same sequence number and clock)."


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
            summary = (
                f"{o.kind} {o.event_id}, received {inp.local(o, o.received_at):%Y-%m-%d %H:%M}, "
                f"repeats the sequence number {seq} and monotonic clock {monotonic} ms of device "
                f"{device_id}'s event {first.event_id}, received "
                f"{inp.local(first, first.received_at):%Y-%m-%d %H:%M}: the same record sent again."
            )
            keep(
                o,
                Evidence(
                    summary,
                    (o.event_id, first.event_id),
                    {"device_id": device_id, "seq": seq, "original": first.event_id},
                ),
            )
    for o in inp.observations:
        if CODE in o.reason_codes:
            summary = (
                f"{o.kind} {o.event_id} at {inp.local(o):%Y-%m-%d %H:%M} was flagged by "
                f"ingestion as a replay of an earlier sequence number ({o.seq}) of device "
                f"{o.device_id}."
            )
            keep(o, Evidence(summary, ids([o]), {"device_id": o.device_id, "seq": o.seq}))
    return [
        SignalHit(CODE, employee_id, day, policy.sequence_replay_severity, evidence)
        for (employee_id, day), evidence in found.items()
    ]
