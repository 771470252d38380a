"""The data every fraud signal reads and the one type every signal returns.

Signals are pure functions `detect(inp, policy) -> list[SignalHit]`: the analysis input and
the policy are passed in; nothing here reads the clock, the database or the environment.
Groupings that several signals need (events per employee, per employee-day, local dates,
workplace tiers) are computed once per input and cached on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from hadir.domain.signals.policy import SignalPolicy

KINDS = ("check_in", "check_out", "presence_check")
VERDICTS = ("accepted", "accepted_with_warnings", "rejected")
TIERS = ("good", "poor", "none")
# Higher is more lenient: when one hit touches places of several tiers, the most lenient wins,
# so a bad network anywhere in the story is given the benefit of the doubt.
TIER_LENIENCY = {"good": 0, "poor": 1, "none": 2}


@dataclass(frozen=True)
class Observation:
    """One stored attendance event, as the analysis sees it."""

    event_id: str
    employee_id: int
    device_id: int | None
    kind: str  # "check_in" | "check_out" | "presence_check"
    time_of_record: datetime  # aware; server receive time (online) or derived time (offline)
    received_at: datetime  # aware; when the server got it
    device_time: datetime | None
    monotonic_ms: int | None
    boot_count: int | None
    seq: int | None
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    mock: bool
    fix_time: datetime | None
    queued_offline: bool
    office_code_valid: bool | None  # None: no code sent
    bssid_match: bool | None  # None: no Wi-Fi scan, or workplace has no known BSSIDs
    workplace_network: bool  # request came from the workplace's own public IP range
    remote_addr: str
    workplace_id: int | None  # matched or nearest workplace
    geofence_distance_m: float | None  # signed: negative inside
    verdict: str  # "accepted" | "accepted_with_warnings" | "rejected"
    reason_codes: frozenset[str]  # codes from the ingestion pipeline
    challenge_id: str | None
    # The phone's Wi-Fi scan from the signed body: (BSSID, RSSI dBm), empty without a scan.
    wifi: tuple[tuple[str, int], ...] = ()

    @property
    def accepted(self) -> bool:
        """The employee was recorded as present (or out) by this event."""
        return self.verdict != "rejected"

    @property
    def has_fix(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class WorkplaceFacts:
    workplace_id: int
    tier: str  # "good" | "poor" | "none": the mobile network at this workplace
    lat: float
    lon: float
    tz: str


@dataclass(frozen=True)
class ChallengeFacts:
    challenge_id: str
    employee_id: int
    issued_at: datetime
    deadline: datetime
    answered_event_id: str | None
    answer_inside: bool | None
    # A group challenge: issued to a suspected set of phones at the same moment
    # (hadir.domain.signals.travelling_together); None for an employee's own challenge.
    group_id: str | None = None


@dataclass(frozen=True)
class DeviceFacts:
    device_id: int
    employee_id: int
    enrolled_at: datetime
    approved: bool


@dataclass(frozen=True)
class Evidence:
    """What a hit rests on, without a sentence: a message id and the values it names, rendered
    in the reader's language at the edge (hadir.fraud.evidence_text), and the events behind it.

    Values are plain data: numbers, neutral strings (ISO dates, local "HH:MM" times, event ids,
    codes), lists of those, and lists of items ({"message": id, ...values}) for listings."""

    message: str  # message id: "<signal code>" or "<signal code>.<variant>"
    event_ids: tuple[str, ...]  # events (or challenges) behind it: never empty
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SignalHit:
    code: str
    employee_id: int
    day: date  # local date of the event in the workplace's time zone
    severity: float  # 0..1, before tier weighting
    evidence: Evidence

    def __post_init__(self) -> None:
        if not self.evidence.event_ids:
            raise ValueError(f"{self.code}: a hit must name at least one event or challenge")
        if not 0.0 <= self.severity <= 1.0:
            raise ValueError(f"{self.code}: severity {self.severity} is outside 0..1")


@dataclass(frozen=True)
class AnalysisInput:
    observations: Sequence[Observation]
    workplaces: Mapping[int, WorkplaceFacts] = field(default_factory=dict)
    challenges: Sequence[ChallengeFacts] = ()
    devices: Mapping[int, DeviceFacts] = field(default_factory=dict)  # by device_id
    employee_home_workplace: Mapping[int, int | None] = field(default_factory=dict)
    tz_default: str = "Asia/Jakarta"
    # What each employee-day was due to be (hadir.domain.signals.context.DayContext), for the
    # days that differ from a counted working day without absence; empty: no context known.
    day_context: Mapping[tuple[int, date], object] = field(default_factory=dict)

    # --- cached groupings (cached_property writes the instance __dict__, which a frozen
    # dataclass allows; they are computed at most once per input) ---

    @cached_property
    def by_event_id(self) -> dict[str, Observation]:
        return {o.event_id: o for o in self.observations}

    @cached_property
    def by_employee(self) -> dict[int, list[Observation]]:
        """Each employee's events in time order."""
        groups: dict[int, list[Observation]] = defaultdict(list)
        for o in self.observations:
            groups[o.employee_id].append(o)
        for events in groups.values():
            events.sort(key=_time_key)
        return dict(groups)

    @cached_property
    def by_employee_day(self) -> dict[tuple[int, date], list[Observation]]:
        """Each employee-day's events in time order."""
        groups: dict[tuple[int, date], list[Observation]] = defaultdict(list)
        days = self._days  # day_of's table, read directly: one lookup per event
        for employee_id, events in self.by_employee.items():
            for o in events:
                groups[(employee_id, days[o.event_id])].append(o)
        return dict(groups)

    @cached_property
    def _zones(self) -> dict[str, ZoneInfo]:
        names = {w.tz for w in self.workplaces.values()} | {self.tz_default}
        return {name: ZoneInfo(name) for name in names}

    @cached_property
    def _zone_by_workplace(self) -> dict[int, ZoneInfo]:
        zones = self._zones
        return {key: zones[place.tz] for key, place in self.workplaces.items()}

    @cached_property
    def _days(self) -> dict[str, date]:
        zone_of = self.zone_of
        return {
            o.event_id: o.time_of_record.astimezone(zone_of(o)).date() for o in self.observations
        }

    def zone_for(self, workplace_id: int | None, employee_id: int | None = None) -> ZoneInfo:
        place = self.workplaces.get(workplace_id) if workplace_id is not None else None
        if place is None and employee_id is not None:
            home = self.employee_home_workplace.get(employee_id)
            place = self.workplaces.get(home) if home is not None else None
        return self._zones[place.tz if place else self.tz_default]

    def zone_of(self, o: Observation) -> ZoneInfo:
        zone = self._zone_by_workplace.get(o.workplace_id)
        return zone if zone is not None else self.zone_for(None, o.employee_id)

    def warm_up(self) -> None:
        """Build every cached grouping now (before forking workers that all need them)."""
        for name, value in vars(type(self)).items():
            if isinstance(value, cached_property):
                getattr(self, name)

    def day_of(self, o: Observation) -> date:
        """The local date of an event, in its workplace's time zone."""
        day = self._days.get(o.event_id)
        if day is None:  # not one of this input's observations
            day = o.time_of_record.astimezone(self.zone_of(o)).date()
        return day

    def local(self, o: Observation, moment: datetime | None = None) -> datetime:
        return (moment or o.time_of_record).astimezone(self.zone_of(o))

    @cached_property
    def _tier_by_workplace(self) -> dict[int, str]:
        return {key: place.tier for key, place in self.workplaces.items()}

    def home_tier(self, employee_id: int) -> str | None:
        return self._tier_by_workplace.get(self.employee_home_workplace.get(employee_id))

    def workplace_tier(self, workplace_id: int | None) -> str | None:
        return self._tier_by_workplace.get(workplace_id)

    def lenient_tier(self, employee_id: int, event_ids: Iterable[str], default: str) -> str:
        """The most lenient tier among the employee's home workplace and the workplaces of
        the employee's own events among those given; `default` when none of them is known.
        (Other employees' events named as evidence do not lend their tier.)"""
        best = self.home_tier(employee_id)
        by_id = self.by_event_id
        for event_id in event_ids:
            o = by_id.get(event_id)
            if o is not None and o.employee_id == employee_id:
                best = _more_lenient(best, self.workplace_tier(o.workplace_id))
        return best if best is not None else default

    def event_tier(self, o: Observation, policy: SignalPolicy) -> str:
        """The tier an event is judged in: the more lenient of its workplace and the
        employee's home workplace."""
        best = _more_lenient(self.home_tier(o.employee_id), self.workplace_tier(o.workplace_id))
        return best if best is not None else policy.unknown_tier


def _more_lenient(a: str | None, b: str | None) -> str | None:
    if a not in TIER_LENIENCY:
        return b if b in TIER_LENIENCY else None
    if b not in TIER_LENIENCY:
        return a
    return a if TIER_LENIENCY[a] >= TIER_LENIENCY[b] else b


def _time_key(o: Observation) -> tuple[datetime, str]:
    return (o.time_of_record, o.event_id)


# --- small helpers shared by the signal modules ---


def group_by_employee_day(
    inp: AnalysisInput, events: Iterable[Observation]
) -> dict[tuple[int, date], list[Observation]]:
    groups: dict[tuple[int, date], list[Observation]] = defaultdict(list)
    for o in events:
        groups[(o.employee_id, inp.day_of(o))].append(o)
    return groups


def ids(events: Iterable[Observation], limit: int = 50) -> tuple[str, ...]:
    """Event ids, in order, without repeats, capped so one hit stays readable."""
    seen: dict[str, None] = {}
    for o in events:
        seen.setdefault(o.event_id, None)
        if len(seen) >= limit:
            break
    return tuple(seen)


def hhmm(inp: AnalysisInput, o: Observation, moment: datetime | None = None) -> str:
    return inp.local(o, moment).strftime("%H:%M")


def hhmmss(inp: AnalysisInput, o: Observation, moment: datetime | None = None) -> str:
    return inp.local(o, moment).strftime("%H:%M:%S")


def when(inp: AnalysisInput, o: Observation, moment: datetime | None = None) -> str:
    """A local date and time, "YYYY-MM-DD HH:MM"."""
    return inp.local(o, moment).strftime("%Y-%m-%d %H:%M")


def event_item(inp: AnalysisInput, o: Observation, *, seconds: bool = False, **more) -> dict:
    """One event in a listing: its kind, id and local time (and any further values)."""
    at = hhmmss(inp, o) if seconds else hhmm(inp, o)
    return {"message": "item.event", "kind": o.kind, "event": o.event_id, "at": at, **more}


def event_items(inp: AnalysisInput, events: Iterable[Observation], limit: int = 6, **kw) -> list:
    return [event_item(inp, o, **kw) for o in list(events)[:limit]]


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def iso_days(days: Iterable[date]) -> list[str]:
    """Dates, sorted, without repeats, as ISO strings (the edge shortens long lists)."""
    return [d.isoformat() for d in sorted(set(days))]


def minutes_between(a: datetime, b: datetime) -> int:
    return round((b - a).total_seconds() / 60)
