"""An employee whose days "at the office" carry no sign of the office, while colleagues' do.

A fake location moves the GPS, not the rest of the phone's surroundings. A phone that is really
in the office now and then sees the office Wi-Fi, sends from the office network, or carries a
valid office code from the screen. Any one day without such a sign is ordinary (Wi-Fi off, the
code not scanned); what is telling is an employee who goes without it far more often than the
colleagues at the same workplace. The comparison is made against the peers' own rate
(leave-one-out, smoothed), with a binomial tail: the chance that someone with the peers' habits
would go without office evidence on so many of their days. Only good-tier workplaces are judged
(where the network is poor nobody's phone shows much), and only online events lend evidence of
the network (an offline event's address is that of the later sync).
Each day without evidence of a flagged employee is a hit naming that day's events.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    event_items,
    ids,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "no_office_evidence"
DESCRIPTION = (
    "Days at a town office without office Wi-Fi, office network or a valid office code, far "
    "more often than the colleagues at the same workplace."
)
MESSAGES = (CODE,)


def office_evidence(o: Observation) -> bool:
    """The event shows the phone at the office by something other than its GPS fix."""
    if not o.accepted:
        return False
    if o.office_code_valid is True:
        return True
    if o.queued_offline:
        return False
    return o.bssid_match is True or o.workplace_network


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    # (employee, workplace) -> day -> (events of the day, evidence seen)
    days: dict[tuple[int, int], dict[date, list[Observation]]] = defaultdict(dict)
    for (employee_id, day), events in inp.by_employee_day.items():
        check_in = next((o for o in events if o.kind == "check_in" and o.accepted), None)
        if check_in is None or check_in.workplace_id is None:
            continue
        if inp.event_tier(check_in, policy) != "good":
            continue
        if check_in.geofence_distance_m is None or check_in.geofence_distance_m > 0:
            continue  # judged only on days the fix put the phone in the office
        days[(employee_id, check_in.workplace_id)][day] = [o for o in events if o.accepted]
    # The workplace's totals: days, and days without evidence.
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # days, without, people
    missing: dict[tuple[int, int], list[date]] = {}
    for (employee_id, workplace_id), per_day in days.items():
        without = [d for d, events in per_day.items() if not any(map(office_evidence, events))]
        missing[(employee_id, workplace_id)] = without
        totals[workplace_id][0] += len(per_day)
        totals[workplace_id][1] += len(without)
        totals[workplace_id][2] += 1
    hits: list[SignalHit] = []
    for (employee_id, workplace_id), without in missing.items():
        n = len(days[(employee_id, workplace_id)])
        k = len(without)
        if k < policy.no_evidence_min_days:
            continue
        scanned, without_total, people = totals[workplace_id]
        peers, peer_days, peer_without = people - 1, scanned - n, without_total - k
        if peers < policy.no_evidence_min_peers or peer_days < policy.no_evidence_min_peer_days:
            continue
        rate, p_value = against_peers(n, k, peer_days, peer_without, policy.no_evidence_min_rate)
        if p_value > policy.no_evidence_p_value:
            continue
        severity = (
            policy.no_evidence_strong_severity
            if p_value <= policy.no_evidence_strong_p_value
            else policy.no_evidence_severity
        )
        values = {
            "days": n,
            "days_without": k,
            "peers": peers,
            "peer_rate": round(rate, 3),
            "p_value": p_value,
            "workplace_id": workplace_id,
        }
        for day in sorted(without):
            events = days[(employee_id, workplace_id)][day]
            today = {**values, "day": day.isoformat(), "events": event_items(inp, events)}
            evidence = Evidence(CODE, ids(events), today)
            hits.append(SignalHit(CODE, employee_id, day, severity, evidence))
    return hits


def against_peers(
    n: int, k: int, peer_days: int, peer_k: int, min_rate: float
) -> tuple[float, float]:
    """(the colleagues' rate, how unlikely k of an employee's n days are at that rate). The
    rate is smoothed so a handful of colleague-days cannot make it zero, and never below
    min_rate."""
    rate = max(min_rate, (peer_k + 1) / (peer_days + 2))
    return rate, binomial_tail(n, k, rate)


def binomial_tail(n: int, k: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    return min(1.0, sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))
