"""Phones that travel together: one hand holding several colleagues' phones at the office.

A colleague who carries absent colleagues' phones to the office checks each of them in with real
office Wi-Fi, the office network and valid office codes: every event on its own is clean, and the
office's address says nothing (everyone there shares it). What one hand holding N phones cannot
hide is that the phones are in one place at one moment, every time:

- their events come seconds apart (within `cotravel_window`), on many days, at *both* ends of
  the day (the carrier arrives and leaves with all of them);
- their fixes are a few metres apart (`cotravel_fix_m`): phones in one hand share the spot and
  its multipath, where two people side by side carry independent errors of 5-25 m each;
- their Wi-Fi scans see the same access points within a few dB (`cotravel_rssi_db`): a phone
  in another pocket or at the next desk sees each access point 5-15 dB differently;
- usually in one order (the carrier takes the phones out the same way), the carrier first;
- asked at the same moment (a group presence challenge), the phones answer seconds apart from
  one spot, or some of them not at all.

**Honest carpools** are the look-alike: colleagues who ride in together check in seconds apart,
often in the same order, sometimes standing together at the door. What separates them:
they leave on their own on most days (so "arrived together" days far outnumber "both ends"
days: `cotravel_min_share`); their fixes and scans are those of two bodies, not one hand (close
on a minority of events: `cotravel_close_share`); and asked at the same moment, each answers
from their own desk at their own time, which exonerates the pair (more answers apart than
together: no hit). Colleagues who merely keep the same hours rarely match at both ends on
many days, and never in a stable order with close fixes; timing and order alone
(`cotravel_timing_severity`) weigh little, enough to ask the group at the same moment.

The groups are sets, not pairs: pairs that qualify are joined into connected sets (a careful
carrier spacing four phones a minute apart links them in a chain). The member whose events
come first most often is the set's leader (the carrier, or an honest colleague with a reason:
a reviewer asks); every other member is flagged on each day they travelled with the set, with
the links (seconds, metres, dB) and any group challenge answers as evidence.

Near-linear: events are bucketed by workplace, day and kind, swept in time order, and only
events within the window are compared; distances and scans are compared only for links.
Offline events are left out (their time is derived, their place anyone's guess).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from hadir.domain.geo import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LON_EQUATOR
from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
    hhmmss,
    ids,
    iso_days,
    when,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "travelling_together"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_NONE = np.empty(0, np.int64)
DESCRIPTION = (
    "Several employees' phones checked in and out seconds apart, at both ends of the day on "
    "many days, from one spot (fixes metres apart, Wi-Fi scans alike): one hand holding them."
)
TIMING = f"{CODE}.timing"
MESSAGES = (CODE, TIMING)
KINDS = ("check_in", "check_out", "presence_check")

Pair = tuple[int, int]  # employee ids, smaller first


@dataclass(frozen=True)
class Link:
    """Two employees' events of one kind, at one workplace, seconds apart."""

    first: Observation
    second: Observation
    seconds: float
    distance_m: float | None  # between the fixes; None without two usable fixes
    rssi_db: float | None  # mean |RSSI difference| over common access points; None: too few
    close: bool  # fixes or scans as one hand gives them


@dataclass
class PairDay:
    """What two employees did together on one day."""

    links: dict[str, Link] = field(default_factory=dict)  # kind -> the closest link
    both_checked_out: bool = False
    # The chance that two colleagues of this workplace met at both ends of this day anyway:
    # the share of its pairs linked at check-in times the share linked at check-out.
    chance: float = 0.0

    @property
    def arrived_together(self) -> bool:
        return "check_in" in self.links

    @property
    def together(self) -> bool:
        """Both ends of the day together."""
        return "check_in" in self.links and "check_out" in self.links


@dataclass(frozen=True)
class GroupAnswer:
    """Two members' answers to one group challenge (issued to a set at the same moment)."""

    group_id: str
    day: date
    first: Observation
    second: Observation
    seconds: float
    distance_m: float | None
    rssi_db: float | None
    together: bool  # seconds apart, from one spot
    apart: bool  # minutes apart, or from places metres apart


@dataclass
class PairSummary:
    pair: Pair
    together_days: list[date]
    arrived_days: int  # days arrived together (left observable: both checked out)
    links: int  # linked events on the together days
    close_links: int
    order_share: float  # of those links, the share in which the usual first came first
    expected_days: float  # days at both ends together expected by chance at their workplace
    chance: float  # the chance of at least as many such days
    answers_together: list[GroupAnswer]
    answers_apart: list[GroupAnswer]
    severity: float  # 0: does not qualify
    why_not: str = ""  # "", "few_days", "left_apart", "unsteady_order", "answered_apart"
    by_day: dict[date, PairDay] = field(default_factory=dict, repr=False)

    @property
    def together_links(self) -> list[Link]:
        return [link for day in self.together_days for link in self.by_day[day].links.values()]

    @property
    def close_share(self) -> float:
        return self.close_links / self.links if self.links else 0.0


# --- links between events --------------------------------------------------------------------


def usable(o: Observation) -> bool:
    return (
        o.kind in KINDS
        and o.accepted
        and not o.queued_offline
        and o.workplace_id is not None
        and not o.mock
    )


@dataclass
class Index:
    """Usable events bucketed by (workplace, day, kind) in time order, and by (employee, day)."""

    buckets: dict[tuple[int, date, str], list[Observation]] = field(default_factory=dict)
    by_employee: dict[int, dict[date, list[Observation]]] = field(default_factory=dict)
    # (workplace, day, kind) -> the share of its pairs of employees linked (together_pairs)
    density: dict[tuple[int, date, str], float] = field(default_factory=dict)

    def add(self, observations: Iterable[Observation], day_of) -> Index:
        touched = set()
        for o in observations:
            if not usable(o):
                continue
            day = day_of(o)
            key = (o.workplace_id, day, o.kind)
            self.buckets.setdefault(key, []).append(o)
            self.by_employee.setdefault(o.employee_id, {}).setdefault(day, []).append(o)
            touched.add(key)
        for key in touched:
            self.buckets[key].sort(key=_order)
        return self

    def days(self) -> set[date]:
        return {day for _, day, _ in self.buckets}


def _order(o: Observation):
    return (o.time_of_record, o.event_id)


def build_index(observations: Iterable[Observation], day_of) -> Index:
    return Index().add(observations, day_of)


def together_pairs(index: Index, policy, days: Iterable[date] | None = None) -> dict[date, set]:
    """Per day, the pairs with a check-in and a check-out each within the window of the
    other's: both ends of the day together. The only sweep over every event: it pairs each
    event with the ones that follow it within the window (vectorised: a busy office's morning
    holds millions of such pairs in a month), and computes nothing else."""
    window_us = policy.cotravel_window // _MICROSECOND
    wanted = set(days) if days is not None else None
    linked: dict[tuple[date, str], list[np.ndarray]] = defaultdict(list)
    for key, events in index.buckets.items():
        _, day, kind = key
        if kind == "presence_check" or len(events) < 2:
            continue
        if wanted is not None and day not in wanted:
            continue
        n = len(events)
        times = np.fromiter(
            ((o.time_of_record - _EPOCH) // _MICROSECOND for o in events), np.int64, n
        )
        people = np.fromiter((o.employee_id for o in events), np.int64, n)
        # Event i is followed within the window by events i+1 .. ends[i]-1.
        ends = np.searchsorted(times, times + window_us, side="right")
        follow = ends - np.arange(1, n + 1)
        first = np.repeat(np.arange(n), follow)
        starts = np.cumsum(follow) - follow
        second = first + 1 + np.arange(first.size) - np.repeat(starts, follow)
        a, b = people[first], people[second]
        apart = a != b
        a, b = a[apart], b[apart]
        count = int(a.size)
        linked[(day, kind)].append(np.minimum(a, b) << 32 | np.maximum(a, b))
        # A small office's few pairs say little about its habits: the estimate starts from
        # the policy's prior, worth cotravel_density_prior_pairs pairs.
        m = _sorted_unique(people).size
        prior, weight = policy.cotravel_density_prior, policy.cotravel_density_prior_pairs
        index.density[key] = (count + prior * weight) / (m * (m - 1) / 2 + weight)
    result = {}
    for (day, kind), codes in linked.items():
        if kind != "check_in":
            continue
        out = linked.get((day, "check_out"), [])
        ins, outs = (
            _sorted_unique(np.concatenate(codes)),
            _sorted_unique(np.concatenate(out or [_NONE])),
        )
        at = np.minimum(np.searchsorted(outs, ins), max(outs.size - 1, 0))
        both = ins[outs[at] == ins] if outs.size else _NONE
        result[day] = {(int(c >> 32), int(c & 0xFFFFFFFF)) for c in both}
    return result


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    # np.unique's hashing path is many times slower than a sort on millions of int64 codes.
    values = np.sort(values)
    if values.size < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def pair_days(index: Index, pair: Pair, policy) -> dict[date, PairDay]:
    """Everything two employees did together, day by day: the closest link of each kind (with
    the fixes' distance and the scans' difference), and whether both checked out."""
    a, b = pair
    window = policy.cotravel_window.total_seconds()
    result: dict[date, PairDay] = {}
    their_days = index.by_employee.get(b, {})
    for day, mine in index.by_employee.get(a, {}).items():
        theirs = their_days.get(day)
        if not theirs:
            continue
        entry = PairDay(
            both_checked_out=any(o.kind == "check_out" for o in mine)
            and any(o.kind == "check_out" for o in theirs),
            chance=_chance(index, day, mine, theirs),
        )
        for x in mine:
            for y in theirs:
                if x.kind != y.kind or x.workplace_id != y.workplace_id:
                    continue
                gap = abs((y.time_of_record - x.time_of_record).total_seconds())
                if gap > window:
                    continue
                old = entry.links.get(x.kind)
                if old is None or gap < old.seconds:
                    first, second = (x, y) if _order(x) <= _order(y) else (y, x)
                    entry.links[x.kind] = _link(first, second, gap, policy)
        if entry.links or entry.chance:
            result[day] = entry
    return result


def _chance(index: Index, day: date, mine, theirs) -> float:
    """How likely two colleagues here were to meet at both ends of this day by chance."""
    chance = 1.0
    for kind in ("check_in", "check_out"):
        places = {o.workplace_id for o in mine if o.kind == kind}
        places &= {o.workplace_id for o in theirs if o.kind == kind}
        if not places:
            return 0.0
        chance *= max(index.density.get((place, day, kind), 0.0) for place in places)
    return chance


def chance_of_at_least(days: int, expected: float) -> float:
    """P(X >= days) for X ~ Poisson(expected): meeting on so many days by chance."""
    if days <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    term = math.exp(-expected) * expected**days / math.factorial(days)
    total, i = 0.0, days
    while term > 1e-18 and i < days + 200:
        total += term
        i += 1
        term *= expected / i
    return min(1.0, total)


def _link(a: Observation, b: Observation, gap: float, policy) -> Link:
    distance = fix_distance_m(a, b, policy)
    rssi = rssi_difference_db(a.wifi, b.wifi, policy.cotravel_min_common_bssids)
    close = (distance is not None and distance <= policy.cotravel_fix_m) or (
        rssi is not None and rssi <= policy.cotravel_rssi_db
    )
    return Link(a, b, round(gap, 1), distance, rssi, close)


def fix_distance_m(a: Observation, b: Observation, policy) -> float | None:
    """Metres between two fixes, when both are real positions (not a network's rough one)."""
    if not (a.has_fix and b.has_fix):
        return None
    limit = policy.network_fix_accuracy_m
    if (a.accuracy_m or limit) >= limit or (b.accuracy_m or limit) >= limit:
        return None
    north = (a.lat - b.lat) * METRES_PER_DEGREE_LAT
    east = (a.lon - b.lon) * METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(a.lat))
    return round(math.hypot(north, east), 1)


def rssi_difference_db(wifi_a, wifi_b, min_common: int) -> float | None:
    """Mean absolute RSSI difference over the access points both scans saw."""
    if not wifi_a or not wifi_b:
        return None
    theirs = {bssid.lower(): rssi for bssid, rssi in wifi_b}
    diffs = [abs(rssi - theirs[b]) for bssid, rssi in wifi_a if (b := bssid.lower()) in theirs]
    if len(diffs) < max(1, min_common):
        return None
    return round(sum(diffs) / len(diffs), 1)


# --- group challenges ------------------------------------------------------------------------


def group_answers(inp: AnalysisInput, policy) -> dict[tuple[Pair, date], list[GroupAnswer]]:
    """Pairs of answers to the same group challenge, per pair and day."""
    members: dict[str, list[Observation]] = defaultdict(list)
    by_id = inp.by_event_id
    for ch in inp.challenges:
        group = ch.group_id
        if group and ch.answered_event_id:
            answer = by_id.get(ch.answered_event_id)
            if answer is not None and answer.accepted:
                members[group].append(answer)
    result: dict[tuple[Pair, date], list[GroupAnswer]] = defaultdict(list)
    for group, answers in members.items():
        answers.sort(key=lambda o: (o.time_of_record, o.event_id))
        for i, a in enumerate(answers):
            for b in answers[i + 1 :]:
                if a.employee_id == b.employee_id:
                    continue
                answer = judge_answers(group, inp.day_of(a), a, b, policy)
                pair = tuple(sorted((a.employee_id, b.employee_id)))
                result[(pair, answer.day)].append(answer)
    return result


def judge_answers(group: str, day: date, a: Observation, b: Observation, policy) -> GroupAnswer:
    gap = abs((b.time_of_record - a.time_of_record).total_seconds())
    distance = fix_distance_m(a, b, policy)
    rssi = rssi_difference_db(a.wifi, b.wifi, policy.cotravel_min_common_bssids)
    close = (distance is not None and distance <= policy.cotravel_fix_m) or (
        rssi is not None and rssi <= policy.cotravel_rssi_db
    )
    far = (distance is not None and distance > policy.cotravel_apart_m) or (
        rssi is not None and rssi > policy.cotravel_rssi_apart_db
    )
    together = gap <= policy.cotravel_answer_window.total_seconds() and close and not far
    # Apart is a matter of place: one hand answering phone after phone in a hurry can take
    # minutes over four of them, and two people may well answer a push at the same moment.
    apart = far
    return GroupAnswer(group, day, a, b, round(gap, 1), distance, rssi, together, apart)


# --- pairs, sets ----------------------------------------------------------------------------


def summarise(
    index: Index,
    pairs: Iterable[Pair],
    answers: dict[tuple[Pair, date], list[GroupAnswer]],
    policy,
) -> dict[Pair, PairSummary]:
    """Each pair's days together and what they weigh (severity 0: the pair does not qualify)."""
    answered: dict[Pair, list[GroupAnswer]] = defaultdict(list)
    for (pair, _), items in answers.items():
        answered[pair].extend(items)
    result = {}
    for pair in pairs:
        days = pair_days(index, pair, policy)
        result[pair] = _summary(pair, days, answered.get(pair, []), policy)
    return result


def _summary(pair: Pair, by_day, answers: list[GroupAnswer], policy) -> PairSummary:
    entries = sorted(by_day.items())
    together = sorted(day for day, e in entries if e.together)
    arrived = sum(
        1 for _, e in entries if e.together or (e.arrived_together and e.both_checked_out)
    )
    links = [link for _, e in entries if e.together for link in e.links.values()]
    close = sum(link.close for link in links)
    firsts = defaultdict(int)
    for link in links:
        firsts[link.first.employee_id] += 1
    order = max(firsts.values(), default=0) / len(links) if links else 0.0
    expected = sum(e.chance for _, e in entries)
    chance = chance_of_at_least(len(together), expected)
    # Answers count on the days the two arrived together: on a day one of them came alone,
    # answering apart says nothing about the days their phones travel together.
    days = {day for day, e in entries if e.arrived_together}
    with_answers = [a for a in answers if a.day in days]
    answered_together = [a for a in with_answers if a.together]
    answered_apart = [a for a in with_answers if a.apart]
    summary = PairSummary(
        pair,
        together,
        arrived,
        len(links),
        close,
        round(order, 3),
        round(expected, 2),
        chance,
        answered_together,
        answered_apart,
        0.0,
        by_day=by_day,
    )
    if len(together) < policy.cotravel_min_days:
        summary.why_not = "few_days"
    elif len(together) < policy.cotravel_min_share * arrived:
        summary.why_not = "left_apart"
    elif len(answered_apart) > len(answered_together):
        summary.why_not = "answered_apart"
    elif answered_together:
        summary.severity = policy.cotravel_answered_severity
    elif summary.close_share >= policy.cotravel_close_share:
        if chance <= policy.cotravel_max_chance:
            summary.severity = policy.cotravel_close_severity
        else:
            summary.why_not = "by_chance"
    elif order < policy.cotravel_min_order_share:
        summary.why_not = "unsteady_order"
    elif chance <= policy.cotravel_max_chance_timing:
        summary.severity = policy.cotravel_timing_severity
    else:
        summary.why_not = "by_chance"
    return summary


@dataclass(frozen=True)
class TravellingSet:
    members: tuple[int, ...]
    leader: int
    pairs: tuple[PairSummary, ...]  # the qualifying pairs that join it


def suspected_sets(summaries: dict[Pair, PairSummary]) -> list[TravellingSet]:
    """Qualifying pairs joined into sets (connected components), each with its leader."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    qualifying = [s for s in summaries.values() if s.severity > 0]
    for s in qualifying:
        a, b = root(s.pair[0]), root(s.pair[1])
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[PairSummary]] = defaultdict(list)
    for s in qualifying:
        groups[root(s.pair[0])].append(s)
    result = []
    for pairs in groups.values():
        members = tuple(sorted({e for s in pairs for e in s.pair}))
        result.append(TravellingSet(members, _leader(pairs), tuple(pairs)))
    result.sort(key=lambda s: s.members)
    return result


def _leader(pairs: list[PairSummary]) -> int:
    """The member who came first most often (each pair's usual first, weighed by its links)."""
    score: dict[int, float] = defaultdict(float)
    for s in pairs:
        a, b = s.pair
        score[a] += 0.0
        score[b] += 0.0
    for s in pairs:
        for link in _together_links(s):
            score[link.first.employee_id] += 1
            score[link.second.employee_id] -= 1
    return max(sorted(score), key=lambda e: score[e])


def _together_links(s: PairSummary) -> list[Link]:
    return s.together_links


# --- the signal ------------------------------------------------------------------------------


def analyse(inp: AnalysisInput, policy) -> tuple[Index, dict[Pair, PairSummary], list]:
    index = build_index(inp.observations, inp.day_of)
    summaries = summarise(index, candidates(index, policy), group_answers(inp, policy), policy)
    return index, summaries, suspected_sets(summaries)


def candidates(index: Index, policy, counts: dict[Pair, int] | None = None) -> list[Pair]:
    """Pairs together at both ends of the day on enough days to be worth a closer look."""
    counts = defaultdict(int) if counts is None else counts
    for pairs in together_pairs(index, policy).values():
        for pair in pairs:
            counts[pair] += 1
    return sorted(p for p, n in counts.items() if n >= policy.cotravel_min_days)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    _, _, sets = analyse(inp, policy)
    hits = []
    for group in sets:
        hits.extend(_hits_for(inp, policy, group))
    return hits


def _hits_for(inp, policy, group: TravellingSet) -> list[SignalHit]:
    hits = []
    for member in group.members:
        if member == group.leader:
            continue
        mine = [s for s in group.pairs if member in s.pair]
        if not mine:
            continue
        severity = max(s.severity for s in mine)
        together = sorted({d for s in mine for d in s.together_days})
        links = sum(s.links for s in mine)
        close = sum(s.close_links for s in mine)
        weighted_order = sum(s.order_share * s.links for s in mine)
        answered = [a for s in mine for a in s.answers_together]
        by_closeness = close >= policy.cotravel_close_share * links
        for day in together:
            todays = [s for s in mine if day in s.together_days]
            day_links = [link for s in todays for link in s.by_day[day].links.values()]
            day_links.sort(key=lambda link: (_order(link.first), link.second.event_id))
            if any(
                link.first.employee_id == member and link.second.employee_id == group.leader
                for link in day_links
            ):
                continue  # ahead of the one who usually comes first: not the habit's day
            # Each day stands on its own evidence: close fixes or scans that day, or answers
            # from one spot that day. Without them a day of a set known by its closeness is
            # not counted (colleagues who came in person meet now and then), and a day of a
            # set known by its timing weighs what timing weighs.
            close_today = any(link.close for link in day_links)
            if close_today or any(a.day == day for a in answered):
                day_severity = max(s.severity for s in todays)
            elif by_closeness:
                continue
            else:
                day_severity = min(severity, policy.cotravel_timing_severity)
            message = CODE if by_closeness else TIMING
            values = {
                "follower": member,
                "leader": group.leader,
                "members": list(group.members),
                "days": len(together),
                "dates": iso_days(together),
                "arrived_days": max(s.arrived_days for s in mine),
                "close_share": round(close / links, 2) if links else 0.0,
                "order_share": round(weighted_order / links, 2) if links else 0.0,
                "expected_days": max(s.expected_days for s in mine),
                "day": day.isoformat(),
                "links": [_link_item(inp, link) for link in day_links[:8]],
            }
            events = [o for link in day_links for o in (link.second, link.first)]
            shown = _group_shown(answered, day)
            if shown:
                values.update(_group_values(inp, shown))
                events += [o for a in shown for o in (a.first, a.second)]
            evidence = Evidence(message, ids(events), values)
            hits.append(SignalHit(CODE, member, day, day_severity, evidence))
    return hits


def _link_item(inp: AnalysisInput, link: Link) -> dict:
    item = {
        "kind": link.second.kind,
        "employee": link.second.employee_id,
        "event": link.second.event_id,
        "at": hhmmss(inp, link.second),
        "other": link.first.employee_id,
        "other_event": link.first.event_id,
        "seconds": round(link.seconds),
    }
    if link.distance_m is not None and link.rssi_db is not None:
        return {
            "message": "item.cotravel",
            **item,
            "distance_m": link.distance_m,
            "rssi_db": link.rssi_db,
        }
    if link.distance_m is not None:
        return {"message": "item.cotravel_fix", **item, "distance_m": link.distance_m}
    if link.rssi_db is not None:
        return {"message": "item.cotravel_scan", **item, "rssi_db": link.rssi_db}
    return {"message": "item.cotravel_time", **item}


def _group_shown(answered: list[GroupAnswer], day: date) -> list[GroupAnswer]:
    """The group challenge to show: the one of that day, else the first answered together."""
    if not answered:
        return []
    today = [a for a in answered if a.day == day]
    if today:
        chosen = today[0].group_id
    else:
        chosen = min(answered, key=lambda a: (a.day, a.group_id)).group_id
    return [a for a in answered if a.group_id == chosen]


def _group_values(inp: AnalysisInput, answers: list[GroupAnswer]) -> dict:
    events: dict[str, Observation] = {}
    for a in answers:
        events.setdefault(a.first.event_id, a.first)
        events.setdefault(a.second.event_id, a.second)
    ordered = sorted(events.values(), key=lambda o: (o.time_of_record, o.event_id))
    first = ordered[0]
    items = []
    for o in ordered:
        item = {
            "message": "item.group_answer",
            "employee": o.employee_id,
            "event": o.event_id,
            "at": hhmmss(inp, o),
            "seconds": round((o.time_of_record - first.time_of_record).total_seconds()),
        }
        items.append(item)
    spread_m = max((a.distance_m for a in answers if a.distance_m is not None), default=None)
    values = {
        "group_at": when(inp, first),
        "group_answers": items,
        "group_spread_s": items[-1]["seconds"],
    }
    if spread_m is not None:
        values["group_spread_m"] = spread_m
    return values


# --- explain --------------------------------------------------------------------------------


def describe(inp: AnalysisInput, policy, employee_id: int, day: date) -> tuple[str, dict]:
    """Why the signal did not fire for this employee-day: the colleague whose events came
    nearest that day (most days together first), and which rule the pair fell short of."""
    index, summaries, sets = analyse(inp, policy)
    window = policy.cotravel_window.total_seconds()
    mine = index.by_employee.get(employee_id, {}).get(day, [])
    near = set()
    for o in mine:
        for other in index.buckets.get((o.workplace_id, day, o.kind), ()):
            gap = abs((other.time_of_record - o.time_of_record).total_seconds())
            if other.employee_id != employee_id and gap <= window:
                near.add(other.employee_id)
    if not near:
        return "explain.travelling_together_alone", {"window_s": round(window)}
    answers = group_answers(inp, policy)
    found = []
    for other in sorted(near):
        pair = (min(employee_id, other), max(employee_id, other))
        s = summaries.get(pair) or summarise(index, [pair], answers, policy)[pair]
        found.append(s)
    s = max(found, key=lambda s: (s.severity > 0, len(s.together_days), s.arrived_days))
    other = s.pair[0] if s.pair[1] == employee_id else s.pair[1]
    values = {
        "partner": other,
        "arrived_days": s.arrived_days,
        "days": len(s.together_days),
        "min_days": policy.cotravel_min_days,
        "min_share": policy.cotravel_min_share,
        "close_share": round(s.close_share, 2),
        "order_share": s.order_share,
        "answered_apart": len(s.answers_apart),
        "answered_together": len(s.answers_together),
        "expected_days": s.expected_days,
    }
    reason = s.why_not or "not_today"
    if not s.why_not and any(g.leader == employee_id for g in sets if employee_id in g.members):
        reason = "leader"
    return f"explain.travelling_together_{reason}", values


EXPLAIN_MESSAGES = tuple(
    f"explain.travelling_together_{reason}"
    for reason in (
        "alone",
        "few_days",
        "left_apart",
        "unsteady_order",
        "answered_apart",
        "not_today",
        "leader",
        "by_chance",
    )
)
