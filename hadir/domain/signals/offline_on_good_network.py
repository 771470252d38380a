"""An "offline" event, synced late, from a workplace where the network is good.

Queuing a check-in offline and sending it later is how a back-dated record is made. In a
remote office it is the normal way of working, so the signal looks only at "good" tier
workplaces (and an employee whose home workplace is remote keeps the benefit of the doubt).
Heaviest: the phone sent another event online while this one stayed queued.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    hhmm,
    ids,
    when,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "offline_on_good_network"
DESCRIPTION = "An offline, late-synced event where the network is good (possible back-dating)."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    online: dict[int, list[tuple[datetime, str]]] = {}
    found: dict[tuple[int, date], tuple[float, Evidence]] = {}
    for o in inp.observations:
        if not (o.queued_offline or "offline_late" in o.reason_codes):
            continue
        lag = o.received_at - o.time_of_record
        if lag < policy.offline_lag_min and "offline_late" not in o.reason_codes:
            continue
        if inp.event_tier(o, policy) != "good":
            continue
        if o.employee_id not in online:
            online[o.employee_id] = sorted(
                (e.received_at, e.event_id)
                for e in inp.by_employee[o.employee_id]
                if not e.queued_offline
            )
        held = _sent_meanwhile(online[o.employee_id], o, policy)
        severity, evidence = _judge(inp, policy, o, held)
        key = (o.employee_id, inp.day_of(o))
        if key not in found or found[key][0] < severity:
            found[key] = (severity, evidence)
    return [SignalHit(CODE, e, d, s, ev) for (e, d), (s, ev) in found.items()]


def _sent_meanwhile(
    online: list[tuple[datetime, str]], o: Observation, policy: SignalPolicy
) -> tuple[datetime, str] | None:
    start = o.time_of_record + policy.offline_held_back_margin
    end = o.received_at - policy.offline_held_back_margin
    i = bisect.bisect_right(online, (start, "\uffff"))
    if i < len(online) and online[i][0] < end:
        return online[i]
    return None


def _judge(inp: AnalysisInput, policy: SignalPolicy, o: Observation, held):
    lag = o.received_at - o.time_of_record
    values = {
        "kind": o.kind,
        "event": o.event_id,
        "when": when(inp, o),
        "received": when(inp, o, o.received_at),
        "lag_minutes": round(lag.total_seconds() / 60),
    }
    event_ids: tuple[str, ...] = (o.event_id,)
    if held is not None:
        values.update(sent_meanwhile=held[1], sent_at=hhmm(inp, o, held[0]))
        event_ids = ids([o, inp.by_event_id[held[1]]])
        return policy.offline_held_back_severity, Evidence(CODE, event_ids, values)
    steps = policy.offline_lag_severity
    severity = next((s for at_least, s in steps if lag >= at_least), steps[-1][1])
    return severity, Evidence(CODE, event_ids, values)
