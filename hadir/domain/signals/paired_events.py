"""Two employees whose check-ins and check-outs arrive together, one always just after the other.

The colleague who carries an absent employee's phone checks in on their own phone, then on the
other one, seconds later, from the same network address; at the end of the day the same again.
Colleagues do arrive together now and then, and so do couples who ride in together, but then
the order varies and each phone keeps its own network; one account following another from the
same address within seconds, at both ends of the day, on many days and nearly always in the
same order, is the mark of one hand holding two phones. The follower is flagged on each such
day; the leader's events are named as evidence (the leader may be the helper, or a colleague
with a good reason: a reviewer asks).
Offline events are left out: their address is that of the later sync. So are events from the
workplace's own network: everyone at the office shares its address, so there one address says
nothing (a carpool that rides home together would look like one hand); phones that travel
together at the office are judged by their fixes and scans (travelling_together).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    hhmmss,
    ids,
    iso_days,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "paired_events"
DESCRIPTION = (
    "An employee's check-ins and check-outs came seconds after the same colleague's, from the "
    "same address, on many days and in the same order."
)
MESSAGES = (CODE,)
KINDS = ("check_in", "check_out")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    groups: dict[tuple[str, date, str], list[Observation]] = defaultdict(list)
    for o in inp.observations:
        if (
            o.kind in KINDS
            and o.accepted
            and not o.queued_offline
            and o.remote_addr
            and not o.workplace_network
        ):
            groups[(o.remote_addr, inp.day_of(o), o.kind)].append(o)
    # (pair, day) -> kind -> (leader, follower, leader's event, follower's event)
    close: dict[tuple[tuple[int, int], date], dict[str, tuple]] = {}
    window = policy.paired_window // MICROSECOND
    for (_, day, kind), events in groups.items():
        if len(events) < 2:
            continue
        events.sort(key=lambda o: o.time_of_record)
        # Exact whole microseconds: a town office's address gathers hundreds of check-ins, and
        # comparing integers is what keeps the pairs within the window cheap.
        moments = [(o.time_of_record - EPOCH) // MICROSECOND for o in events]
        count = len(events)
        for i, a in enumerate(events):
            latest = moments[i] + window
            first = a.employee_id
            for j in range(i + 1, count):
                if moments[j] > latest:
                    break
                b = events[j]
                second = b.employee_id
                if first == second:
                    continue
                key = ((first, second) if first < second else (second, first), day)
                found = close.get(key)
                if found is None:
                    close[key] = {kind: (first, second, a, b)}
                elif kind not in found:
                    found[kind] = (first, second, a, b)
    checked_out = _checked_out(inp)
    # (leader, follower) -> days; pair -> days together in any order
    ordered: dict[tuple[int, int], list[tuple[date, list[tuple]]]] = defaultdict(list)
    together: dict[tuple[int, int], int] = defaultdict(int)
    for (pair, day), kinds in close.items():
        if "check_in" not in kinds:
            continue
        if "check_out" not in kinds and checked_out(pair[0], day) and checked_out(pair[1], day):
            continue  # arrived together, left apart: an ordinary day
        together[pair] += 1
        leaders = {kinds[k][0] for k in kinds}
        if len(leaders) != 1:
            continue
        leader = leaders.pop()
        follower = pair[0] if pair[1] == leader else pair[1]
        ordered[(leader, follower)].append((day, [kinds[k] for k in KINDS if k in kinds]))
    hits: list[SignalHit] = []
    for (leader, follower), days in ordered.items():
        pair = tuple(sorted((leader, follower)))
        if len(days) < policy.paired_min_days:
            continue
        if len(days) < policy.paired_min_order_share * together[pair]:
            continue
        all_days = [d for d, _ in days]
        for day, matches in sorted(days, key=lambda item: item[0]):
            listing = [
                {
                    "message": "item.pair",
                    "kind": a.kind,
                    "leader": leader,
                    "leader_at": hhmmss(inp, a),
                    "leader_event": a.event_id,
                    "follower": follower,
                    "follower_at": hhmmss(inp, b),
                    "follower_event": b.event_id,
                    "remote_addr": b.remote_addr,
                }
                for _, _, a, b in matches
            ]
            events = [b for *_, b in matches] + [a for _, _, a, _ in matches]
            values = {
                "leader": leader,
                "follower": follower,
                "days": len(days),
                "dates": iso_days(all_days),
                "together_days": together[pair],
                "day": day.isoformat(),
                "pairs": listing,
            }
            evidence = Evidence(CODE, ids(events), values)
            hits.append(SignalHit(CODE, follower, day, policy.paired_severity, evidence))
    return hits


def _checked_out(inp: AnalysisInput):
    """(employee, day) -> whether an accepted check-out is among the day's events; each
    employee-day looked at once, only those asked about."""
    days = inp.by_employee_day
    known: dict[tuple[int, date], bool] = {}

    def checked_out(employee_id: int, day: date) -> bool:
        key = (employee_id, day)
        found = known.get(key)
        if found is None:
            events = days.get(key, ())
            found = known[key] = any(o.kind == "check_out" and o.accepted for o in events)
        return found

    return checked_out
