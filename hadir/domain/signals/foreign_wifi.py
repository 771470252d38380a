"""An employee whose Wi-Fi scans "at the office" never share a network with the colleagues'.

A fake location moves the GPS, not the radio around the phone. Phones that are really in one
office see overlapping networks (the office's own, the neighbours', a colleague's hotspot),
whether or not the workplace registered any of them. A phone that reports a position inside the
fence while its scan holds only networks no colleague inside that fence ever saw is somewhere
else; when one of those networks comes back day after day it is a fixed private network, most
likely the employee's home router (a personal hotspot carried into the office shows up next
to the colleagues' networks some day, and is not counted as one).

Cross-employee batch logic: the workplace's crowd of networks is every BSSID seen by anyone in a
scan placed inside its fence. A scanned day is "foreign" when none of the employee's scans that
day shares a BSSID with a colleague's; days without a scan say nothing (Wi-Fi off is ordinary).
A far room can hide the shared networks now and then, so an employee is judged against the
peers' own rate of foreign days (leave-one-out, never below a floor) with a binomial tail, as
no_office_evidence does; a fixed private network on several foreign days lets a looser tail
stand. Each foreign day of a flagged employee is a hit naming that day's
scanned events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date

from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, hhmm, ids
from hadir.domain.signals.no_office_evidence import against_peers
from hadir.domain.signals.policy import SignalPolicy

CODE = "foreign_wifi"
DESCRIPTION = (
    "Wi-Fi scans placed inside the workplace fence that share no network with any colleague's "
    "scans there, on far more days than the colleagues'."
)
MESSAGES = (CODE,)


def _scanned_inside(o: Observation) -> bool:
    return (
        bool(o.wifi)
        and o.accepted
        and o.workplace_id is not None
        and o.geofence_distance_m is not None
        and o.geofence_distance_m <= 0
    )


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    # workplace -> BSSID -> employees who saw it inside the fence
    crowd: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    # (employee, workplace) -> day -> scanned events
    days: dict[tuple[int, int], dict[date, list[Observation]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for o in inp.observations:
        if not _scanned_inside(o):
            continue
        seen = crowd[o.workplace_id]
        for bssid, _ in o.wifi:
            seen[bssid].add(o.employee_id)
        days[(o.employee_id, o.workplace_id)][inp.day_of(o)].append(o)

    def shared(o: Observation) -> bool:
        seen = crowd[o.workplace_id]
        return any(len(seen[b]) > 1 for b, _ in o.wifi)  # someone besides this employee

    # (employee, workplace) -> foreign days; workplace -> [scanned days, foreign days, people]
    foreign: dict[tuple[int, int], list[date]] = {}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, per_day in days.items():
        foreign[key] = sorted(d for d, events in per_day.items() if not any(map(shared, events)))
        total = totals[key[1]]
        total[0] += len(per_day)
        total[1] += len(foreign[key])
        total[2] += 1

    hits: list[SignalHit] = []
    for (employee_id, workplace_id), without in foreign.items():
        k, n = len(without), len(days[(employee_id, workplace_id)])
        if k < policy.foreign_wifi_min_days:
            continue
        scanned, foreign_days, people = totals[workplace_id]
        peers, peer_days, peer_foreign = people - 1, scanned - n, foreign_days - k
        if peers < policy.foreign_wifi_min_peers or peer_days < policy.foreign_wifi_min_peer_days:
            continue
        rate, p_value = against_peers(n, k, peer_days, peer_foreign, policy.foreign_wifi_min_rate)
        if p_value > policy.foreign_wifi_private_p_value:
            continue
        per_day = days[(employee_id, workplace_id)]
        private = _private_networks(per_day, without, shared, policy)
        if p_value > policy.foreign_wifi_p_value and not private:
            continue
        severity = policy.foreign_wifi_private_severity if private else policy.foreign_wifi_severity
        values = {
            "days": n,
            "foreign_days": k,
            "peers": peers,
            "peer_rate": round(rate, 3),
            "p_value": p_value,
            "workplace_id": workplace_id,
            "private_networks": [b for b, _, _ in private],
        }
        if private:
            values["private"] = [
                {"message": "item.network_days", "bssid": b, "days": d, "rssi": r}
                for b, d, r in private[:3]
            ]
        for day in without:
            events = per_day[day]
            listing = [
                {
                    "message": "item.event_scan",
                    "kind": o.kind,
                    "event": o.event_id,
                    "at": hhmm(inp, o),
                    "networks": [
                        {"message": "item.network", "bssid": b, "rssi": r} for b, r in o.wifi[:4]
                    ],
                }
                for o in events
            ]
            today = {**values, "day": day.isoformat(), "events": listing}
            hits.append(
                SignalHit(CODE, employee_id, day, severity, Evidence(CODE, ids(events), today))
            )
    return hits


def _private_networks(
    per_day: dict[date, list[Observation]],
    foreign_days: list[date],
    shared: Callable[[Observation], bool],
    policy: SignalPolicy,
) -> list[tuple[str, int, int]]:
    """(BSSID, days, strongest RSSI) of the networks seen on at least
    foreign_wifi_private_min_days of the foreign days and never in a scan that also saw a
    colleague's network (a personal hotspot carried into the office would be), most days
    first."""
    with_crowd = {b for events in per_day.values() for o in events if shared(o) for b, _ in o.wifi}
    on_days: Counter[str] = Counter()
    strongest: dict[str, int] = {}
    for day in foreign_days:
        for bssid in {b for o in per_day[day] for b, _ in o.wifi}:
            on_days[bssid] += 1
        for o in per_day[day]:
            for bssid, rssi in o.wifi:
                strongest[bssid] = max(strongest.get(bssid, -200), rssi)
    return [
        (bssid, count, strongest[bssid])
        for bssid, count in on_days.most_common()
        if count >= policy.foreign_wifi_private_min_days and bssid not in with_crowd
    ]
