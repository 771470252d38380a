"""A presence challenge went unanswered on a day the employee was recorded present.

Checking in and leaving shows up as silence when the office asks, mid-morning, "are you still
here?". Days without an accepted check-in, and challenges issued after the employee checked out,
do not count. Where the network is poor a challenge may not arrive at all: the tier table gives
it little or no weight there.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from hadir.domain.signals.base import AnalysisInput, ChallengeFacts, Evidence, SignalHit, hhmm
from hadir.domain.signals.policy import SignalPolicy

CODE = "challenge_missed"
DESCRIPTION = "A presence challenge was not answered (or answered late) on a day checked in."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    per_day: dict[tuple[int, date], list[tuple[ChallengeFacts, str]]] = defaultdict(list)
    for ch in inp.challenges:
        zone = inp.zone_for(None, ch.employee_id)
        day = ch.issued_at.astimezone(zone).date()
        status = _status(inp, ch)
        if status is not None:
            per_day[(ch.employee_id, day)].append((ch, status))
    hits = []
    for (employee_id, day), items in per_day.items():
        hit = _hit(inp, policy, employee_id, day, items)
        if hit is not None:
            hits.append(hit)
    return hits


def _status(inp: AnalysisInput, ch: ChallengeFacts) -> str | None:
    if ch.answered_event_id is None:
        return "missed"
    answer = inp.by_event_id.get(ch.answered_event_id)
    if answer is not None and answer.time_of_record > ch.deadline:
        return "late"
    return None


def _hit(inp: AnalysisInput, policy: SignalPolicy, employee_id: int, day: date, items):
    events = inp.by_employee_day.get((employee_id, day), [])
    check_in = next((o for o in events if o.kind == "check_in" and o.accepted), None)
    if check_in is None:
        return None  # not recorded present that day: nothing to contradict
    check_out = next((o for o in events if o.kind == "check_out" and o.accepted), None)
    if check_out is not None:
        items = [(ch, s) for ch, s in items if ch.issued_at < check_out.time_of_record]
    if not items:
        return None
    missed = [ch for ch, s in items if s == "missed"]
    if len(missed) >= 2:
        severity = policy.challenge_missed_many_severity
    elif missed:
        severity = policy.challenge_missed_severity
    else:
        severity = policy.challenge_late_severity
    zone = inp.zone_of(check_in)
    listing = [
        {
            "message": "item.challenge_missed" if s == "missed" else "item.challenge_late",
            "challenge": ch.challenge_id,
            "issued": f"{ch.issued_at.astimezone(zone):%H:%M}",
            "deadline": f"{ch.deadline.astimezone(zone):%H:%M}",
            "answer": ch.answered_event_id or "",
        }
        for ch, s in items
    ]
    event_ids = (check_in.event_id, *[ch.challenge_id for ch, _ in items])
    values = {
        "day": day.isoformat(),
        "check_in": check_in.event_id,
        "check_in_at": hhmm(inp, check_in),
        "missed": len(missed),
        "late": len(items) - len(missed),
        "challenges": len(items),
        "items": listing,
    }
    return SignalHit(CODE, employee_id, day, severity, Evidence(CODE, event_ids, values))
