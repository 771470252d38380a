"""One event, two stories: the fix says "office", the rest of the same event says "home".

A fake location moves the GPS, not the radio around the phone nor the road its request took. An
event whose fix lies inside the workplace fence contradicts itself when
- its Wi-Fi scan holds only the employee's own recurring networks (seen by this employee on
  several days, by no colleague anywhere) and none that a colleague inside that workplace's fence
  ever saw: the phone was beside the employee's own router, not in the office; or
- its request came from an address that is not the workplace's network and is the employee's
  usual off-site address: used by nobody else in the batch, on several days, and at least once
  with a fix clearly away from the workplace (the address of the employee's home, not a carrier
  gateway, which many people share, nor the office line).

Either is strong evidence on its own; both together are stronger. Honest look-alikes and why
they do not fire: a personal hotspot carried into the office is seen beside the colleagues'
networks (so the scan is not "only own networks"); a phone on mobile data gets carrier addresses
shared by many and changing by the day; a workplace where no colleague scans at all cannot tell
home from office, so at least contradiction_min_peers colleagues must have scanned inside it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, SignalHit, hhmm
from hadir.domain.signals.policy import SignalPolicy

CODE = "contradiction"
DESCRIPTION = (
    "An event placed inside the workplace whose Wi-Fi scan or network address is the "
    "employee's own home one."
)
MESSAGES = (f"{CODE}.wifi", f"{CODE}.address", f"{CODE}.both")


def _inside(o: Observation) -> bool:
    return o.accepted and o.geofence_distance_m is not None and o.geofence_distance_m <= 0


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    facts = _Facts(inp, policy)
    found: dict[tuple[int, date], list[tuple[Observation, list[str], bool]]] = defaultdict(list)
    for o in inp.observations:
        if not _inside(o) or o.workplace_network or o.bssid_match:
            continue
        own = facts.home_scan(o)
        address = facts.home_address(o)
        if own or address:
            found[(o.employee_id, inp.day_of(o))].append((o, own, address))
    hits = []
    for (employee_id, day), items in found.items():
        wifi = any(own for _, own, _ in items)
        address = any(a for _, _, a in items)
        if wifi and address:
            message, severity = f"{CODE}.both", policy.contradiction_both_severity
        elif wifi:
            message, severity = f"{CODE}.wifi", policy.contradiction_wifi_severity
        else:
            message, severity = f"{CODE}.address", policy.contradiction_address_severity
        listing = [
            {
                "message": "item.contradiction",
                "kind": o.kind,
                "event": o.event_id,
                "at": hhmm(inp, o),
                "inside_m": round(-o.geofence_distance_m),
                "networks": own or ["–"],
                "remote_addr": o.remote_addr if address_ else "–",
            }
            for o, own, address_ in items[:6]
        ]
        values = {"day": day.isoformat(), "events": listing, "count": len(items)}
        event_ids = tuple(dict.fromkeys(o.event_id for o, _, _ in items))
        first = min(o.time_of_record for o, _, _ in items)
        missed = facts.missed_after(employee_id, first)
        if missed:
            # Asked to prove presence after the contradiction, and silent (or answering from
            # elsewhere): the contradiction was no glitch.
            severity = max(severity, policy.contradiction_escalated_severity)
            values["missed_after"] = [ch.challenge_id for ch in missed]
            event_ids += tuple(ch.challenge_id for ch in missed)
        hits.append(
            SignalHit(CODE, employee_id, day, severity, Evidence(message, event_ids, values))
        )
    return hits


class _Facts:
    """What the whole batch says about networks and addresses: who saw each BSSID (inside which
    workplace's fence), who used each address, on which days, and from how far away."""

    def __init__(self, inp: AnalysisInput, policy: SignalPolicy) -> None:
        self.policy = policy
        self.seen_by: dict[str, set[int]] = defaultdict(set)  # BSSID -> employees
        self.days_seen: dict[tuple[int, str], set[date]] = defaultdict(set)
        self.scanners: dict[int, set[int]] = defaultdict(set)  # workplace -> employees scanning
        self.address_users: dict[str, set[int]] = defaultdict(set)
        self.address_days: dict[tuple[int, str], set[date]] = defaultdict(set)
        self.address_away: set[tuple[int, str]] = set()
        self.challenges: dict[int, list] = defaultdict(list)
        for ch in inp.challenges:
            self.challenges[ch.employee_id].append(ch)
        # The batch's every event and scanned network passes here: names bound locally.
        seen_by, days_seen, scanners = self.seen_by, self.days_seen, self.scanners
        address_users, address_days = self.address_users, self.address_days
        day_of, far = inp.day_of, policy.far_outside_m
        for o in inp.observations:
            wifi, employee_id, addr = o.wifi, o.employee_id, o.remote_addr
            if wifi:
                day = day_of(o)
                for bssid, _ in wifi:
                    seen_by[bssid].add(employee_id)
                    days_seen[(employee_id, bssid)].add(day)
                if _inside(o) and o.workplace_id is not None:
                    scanners[o.workplace_id].add(employee_id)
            if addr and not o.workplace_network:
                address_users[addr].add(employee_id)
                address_days[(employee_id, addr)].add(day_of(o))
                distance = o.geofence_distance_m
                accuracy = o.accuracy_m or 0.0
                if distance is not None and distance > max(far, 3 * accuracy):
                    self.address_away.add((employee_id, addr))

    def missed_after(self, employee_id: int, moment) -> list:
        """The employee's challenges issued after `moment` on its day (within the same
        working day: 16 hours) that went unanswered or were answered outside."""
        return [
            ch
            for ch in self.challenges.get(employee_id, ())
            if moment < ch.issued_at <= moment + self.policy.contradiction_challenge_horizon
            and (ch.answered_event_id is None or ch.answer_inside is False)
        ]

    def home_scan(self, o: Observation) -> list[str]:
        """The employee's own recurring networks, when the scan holds nothing else that a
        colleague inside this workplace saw; else []."""
        if not o.wifi or o.workplace_id is None:
            return []
        scanners = self.scanners.get(o.workplace_id, ())
        colleagues = len(scanners) - (o.employee_id in scanners)
        if colleagues < self.policy.contradiction_min_peers:
            return []
        own = []
        for bssid, _ in o.wifi:
            if self.seen_by[bssid] != {o.employee_id}:
                return []  # a colleague saw it too: shared air, or a carried hotspot
            if len(self.days_seen[(o.employee_id, bssid)]) >= self.policy.contradiction_min_days:
                own.append(bssid)
        return own

    def home_address(self, o: Observation) -> bool:
        addr = o.remote_addr
        if not addr or o.workplace_network:
            return False
        key = (o.employee_id, addr)
        return (
            self.address_users.get(addr) == {o.employee_id}
            and len(self.address_days.get(key, ())) >= self.policy.contradiction_min_days
            and key in self.address_away
        )
