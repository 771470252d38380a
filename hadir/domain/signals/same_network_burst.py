"""Several employees' events from one network address within the same minute or so.

One person holding several phones (or logged in as several people) checks them in one after
another from home. Events sent from the workplace's own network are left out (colleagues do
arrive together), and so are offline events (their address is that of the later sync, not of
the moment). A mobile carrier can put colleagues behind one address, so one burst weighs
little, and an address that many employees use over the batch (a carrier gateway) is left out;
bursts of the same people on several days weigh more. How far apart their fixes were is
reported, not weighed: one carrier address can serve a whole town.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from hadir.domain.geo import haversine_m
from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    event_item,
    ids,
    iso_days,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "same_network_burst"
DESCRIPTION = "Several employees' events came from one off-site network address at one moment."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    by_addr: dict[str, list[Observation]] = defaultdict(list)
    for o in inp.observations:
        # Left out: the workplace's network, phones that saw the office Wi-Fi (they are
        # there), and offline events (their address is that of the later sync).
        if (
            o.remote_addr
            and not o.workplace_network
            and not o.queued_offline
            and o.bssid_match is not True
        ):
            by_addr[o.remote_addr].append(o)
    bursts: list[tuple[str, list[Observation]]] = []
    for addr, events in by_addr.items():
        if len(events) < policy.burst_min_employees:
            continue
        users = len({o.employee_id for o in events})
        if users < policy.burst_min_employees or users > policy.burst_max_address_employees:
            continue
        events.sort(key=lambda o: o.time_of_record)
        bursts.extend((addr, b) for b in _bursts(events, policy))
    return _hits(inp, policy, bursts)


def _bursts(events: list[Observation], policy: SignalPolicy) -> list[list[Observation]]:
    """Windows anchored at their first event; each event belongs to one window."""
    found, start = [], 0
    while start < len(events):
        end = start
        limit = events[start].time_of_record + policy.burst_window
        while end + 1 < len(events) and events[end + 1].time_of_record <= limit:
            end += 1
        window = events[start : end + 1]
        if len({o.employee_id for o in window}) >= policy.burst_min_employees:
            found.append(window)
        start = end + 1
    return found


def _spread_m(events: list[Observation]) -> float:
    fixes = [o for o in events if o.has_fix and o.accuracy_m is not None]
    worst = 0.0
    for i, a in enumerate(fixes):
        for b in fixes[i + 1 :]:
            gap = haversine_m(a.lat, a.lon, b.lat, b.lon) - a.accuracy_m - b.accuracy_m
            worst = max(worst, gap)
    return worst


def _hits(
    inp: AnalysisInput, policy: SignalPolicy, bursts: list[tuple[str, list[Observation]]]
) -> list[SignalHit]:
    # On how many days each employee was in a burst from this address.
    recurring: dict[tuple[str, int], set[date]] = defaultdict(set)
    for addr, burst in bursts:
        for o in burst:
            recurring[(addr, o.employee_id)].add(inp.day_of(o))
    found: dict[tuple[int, date], tuple[float, Evidence]] = {}
    for addr, burst in bursts:
        employees = sorted({o.employee_id for o in burst})
        spread = _spread_m(burst[:20])
        base = policy.burst_pair_severity if len(employees) == 2 else policy.burst_group_severity
        values = {
            "remote_addr": addr,
            "employees": employees,
            "employee_count": len(employees),
            "event_count": len(burst),
            "seconds": round((burst[-1].time_of_record - burst[0].time_of_record).total_seconds()),
            "events": [
                event_item(
                    inp, o, seconds=True, message="item.employee_event", employee=o.employee_id
                )
                for o in burst[:8]
            ],
            "spread_m": round(spread),
        }
        if spread >= policy.burst_spread_m:
            values["far_apart_m"] = round(spread)
        for employee_id in employees:
            own = [o for o in burst if o.employee_id == employee_id]
            rest = [o for o in burst if o.employee_id != employee_id]
            days = recurring[(addr, employee_id)]
            severity, mine = base, {**values, "days": len(days)}
            if len(days) >= policy.burst_recurring_days:
                severity = policy.burst_recurring_severity
                mine.update(employee=employee_id, recurring_dates=iso_days(days))
            key = (employee_id, inp.day_of(own[0]))
            if key not in found or found[key][0] < severity:
                found[key] = (severity, Evidence(CODE, ids(own + rest), mine))
    return [SignalHit(CODE, e, d, s, ev) for (e, d), (s, ev) in found.items()]
