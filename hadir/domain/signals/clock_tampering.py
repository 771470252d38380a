"""The phone's clock disagrees with the server's time, the way a clock set back does.

Online events are compared with the moment the server received them; offline events with the
time the server derived from the phone's monotonic clock. A skew of whole hours is a wrong time
zone setting (WIB/WITA/WIT), not tampering, and is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    hhmm,
    hhmmss,
    ids,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "clock_tampering"
DESCRIPTION = "The device clock was set away from the real time (often back, to look on time)."
MESSAGES = (CODE,)

HOUR = timedelta(hours=1)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    found: dict[tuple[int, date], list[tuple[float, Observation, str]]] = {}
    for o in inp.observations:
        judged = _judge(inp, policy, o)
        if judged is not None:
            found.setdefault((o.employee_id, inp.day_of(o)), []).append(judged)
    hits = []
    for (employee_id, day), items in found.items():
        items.sort(key=lambda item: -item[0])
        severity = items[0][0]
        values = {
            "day": day.isoformat(),
            "count": len(items),
            "items": [item for _, _, item in items[:4]],
        }
        evidence = Evidence(CODE, ids(o for _, o, _ in items), values)
        hits.append(SignalHit(CODE, employee_id, day, severity, evidence))
    return hits


def _judge(inp: AnalysisInput, policy: SignalPolicy, o: Observation):
    """(severity, observation, listing item) or None."""
    flagged = "clock_tampering" in o.reason_codes
    if o.device_time is None:
        if flagged:
            item = {
                "message": "item.clock_flagged",
                "kind": o.kind,
                "event": o.event_id,
                "at": hhmm(inp, o),
            }
            return policy.clock_flagged_severity, o, item
        return None
    reference = o.time_of_record if o.queued_offline else o.received_at
    skew = o.device_time - reference
    if flagged:
        severity, note = policy.clock_flagged_severity, "flagged"
    elif abs(skew) <= policy.clock_skew_max or _time_zone_mistake(skew, policy):
        return None
    elif o.queued_offline and skew < timedelta(0):
        severity, note = policy.clock_backdated_severity, "set_back"
    else:
        severity, note = policy.clock_skew_severity, "skew"
    against = "derived" if o.queued_offline else "receipt"
    item = {
        "message": f"item.clock_{against}_{note}",
        "kind": o.kind,
        "event": o.event_id,
        "phone_clock": f"{inp.local(o, o.device_time):%Y-%m-%d %H:%M:%S}",
        "reference": hhmmss(inp, o, reference),
        "skew_minutes": round(skew.total_seconds() / 60, 1),
    }
    return severity, o, item


def _time_zone_mistake(skew: timedelta, policy: SignalPolicy) -> bool:
    hours = round(skew / HOUR)
    return 0 < abs(hours) <= 3 and abs(skew - hours * HOUR) <= policy.clock_whole_hour_tolerance
