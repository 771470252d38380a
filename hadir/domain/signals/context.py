"""Context before suspicion: what the employee was due to do on a day, judged before any sign.

Being away from the office is only a sign when the employee was due there. An employee on
approved leave (cuti, izin, sakit, tugas belajar), on approved dinas luar (DL), on a day off or a
holiday, or on a day that does not count at all (before the regency's go-live, the OPD's joining
date or the employee's start; a declared outage) was not; the signs of being away that day are
*excused*: kept aside with the reason, shown by `hadir analyze --explain`, never scored.

- A DL with a destination (a point and a radius) is judged against that destination: the signs
  are excused when every located event behind them lies at the destination (or inside the
  workplace); an event somewhere else keeps its signs. A DL without a destination cannot be
  judged by place, so its day is excused like leave.
- A half-day absence (morning / afternoon) excuses only the signs whose events fall in its half
  of the planned day.
- A *pending* request (not yet decided) holds the day's away-signs back ("held"): they are not
  scored until someone decides, and the next analysis (the batch is idempotent) scores them if
  the request was rejected or cancelled, or excuses them if it was approved. Holding back rather
  than flagging keeps the reviewer's queue free of days that an approval will explain; the
  pending request itself is visible to the supervisor who must decide it.
- Signs no absence explains (a fake-GPS flag, a tampered clock, a replayed record, one phone for
  two people: policy.context_kept_codes) stand on every counted day.
- A day that does not count is not judged at all: every sign of it is excused.

Pure: the context arrives as data (DayContext per employee-day); nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from hadir.domain.geo import haversine_m
from hadir.domain.signals.base import AnalysisInput, SignalHit
from hadir.domain.signals.policy import SignalPolicy

APPROVED, PENDING = "approved", "pending"
DUTY_AWAY = "DL"  # dinas luar: judged against its destination
FULL, MORNING, AFTERNOON = "full", "morning", "afternoon"

# Why a hit is not scored (message ids: "context.<reason>").
NOT_COUNTED = "not_counted"
NOT_WORKING_DAY = "not_working_day"
APPROVED_ABSENCE = "approved_absence"
APPROVED_DUTY = "approved_duty"
AT_DUTY_DESTINATION = "at_duty_destination"
PENDING_ABSENCE = "pending_absence"
REASONS = (
    NOT_COUNTED,
    NOT_WORKING_DAY,
    APPROVED_ABSENCE,
    APPROVED_DUTY,
    AT_DUTY_DESTINATION,
    PENDING_ABSENCE,
)


@dataclass(frozen=True)
class Destination:
    """Where a dinas luar takes the employee: a point and how far around it counts as there."""

    lat: float
    lon: float
    radius_m: float

    def holds(self, lat: float, lon: float, accuracy_m: float | None, slack_cap_m: float) -> bool:
        slack = min(accuracy_m or 0.0, slack_cap_m)
        return haversine_m(self.lat, self.lon, lat, lon) <= self.radius_m + slack


@dataclass(frozen=True)
class Absence:
    """An approved or pending leave / duty request covering the day."""

    kind: str  # leave code: "CT", "I", "S", "DL", "TB", ...
    status: str  # APPROVED | PENDING
    portion: str = FULL  # FULL | MORNING | AFTERNOON
    destination: Destination | None = None  # DL only
    reference: str = ""  # "leave#12": where a reviewer finds it

    @property
    def approved(self) -> bool:
        return self.status == APPROVED


@dataclass(frozen=True)
class DayContext:
    """One employee-day as the schedule, the calendar and the leave book see it.

    The default is the old assumption: a counted working day with no absence."""

    counts: bool = True
    not_counted_reason: str = ""  # hadir.domain.coverage.NotCounted value
    working: bool = True  # a planned working day (False: day off, holiday, no shift)
    start: datetime | None = None  # planned hours, when known
    end: datetime | None = None
    absences: tuple[Absence, ...] = ()

    def due_at(self, moment: datetime) -> str | None:
        """None when the employee is due at work at `moment`, else the reason they are not
        (pending absences included: nobody is asked to prove presence while a request that
        would excuse them waits for a decision)."""
        if not self.counts:
            return NOT_COUNTED
        if not self.working:
            return NOT_WORKING_DAY
        hours_known = self.start is not None and self.end is not None
        if hours_known and not self.start <= moment <= self.end:
            return NOT_WORKING_DAY
        for absence in self.absences:
            if self.portion_holds(absence.portion, [moment]):
                if not absence.approved:
                    return PENDING_ABSENCE
                return APPROVED_DUTY if absence.kind == DUTY_AWAY else APPROVED_ABSENCE
        return None

    def portion_holds(self, portion: str, moments: Iterable[datetime]) -> bool:
        """Whether every moment falls in this portion of the day (the whole day for FULL, or
        without planned hours to split)."""
        if portion == FULL or self.start is None or self.end is None:
            return True
        middle = self.start + (self.end - self.start) / 2
        if portion == MORNING:
            return all(m <= middle for m in moments)
        return all(m >= middle for m in moments)


NO_CONTEXT = DayContext()


@dataclass(frozen=True)
class Excused:
    """A hit kept out of the score, and why (message id "context.<reason>" with values)."""

    hit: SignalHit
    reason: str
    reference: str = ""  # the leave request that explains it, if any

    @property
    def held(self) -> bool:
        return self.reason == PENDING_ABSENCE


def apply(
    hits: Iterable[SignalHit],
    inp: AnalysisInput,
    contexts: Mapping[tuple[int, date], DayContext],
    policy: SignalPolicy,
) -> tuple[list[SignalHit], list[Excused]]:
    """The hits to score, and the hits the day's context excuses or holds back."""
    kept: list[SignalHit] = []
    excused: list[Excused] = []
    if not contexts:
        return list(hits), excused
    for hit in hits:
        ctx = contexts.get((hit.employee_id, hit.day))
        why = excuse(hit, inp, ctx, policy) if ctx is not None else None
        if why is None:
            kept.append(hit)
        else:
            excused.append(Excused(hit, *why))
    return kept, excused


def excuse(
    hit: SignalHit, inp: AnalysisInput, ctx: DayContext, policy: SignalPolicy
) -> tuple[str, str] | None:
    """(reason, reference) when the day's context explains this hit, else None."""
    if not ctx.counts:
        return NOT_COUNTED, ctx.not_counted_reason
    if hit.code in policy.context_kept_codes:
        return None
    if not ctx.working:
        return NOT_WORKING_DAY, ""
    moments, places = _own_events(hit, inp)
    pending = None
    for absence in ctx.absences:
        if not ctx.portion_holds(absence.portion, moments):
            continue
        if not absence.approved:
            pending = pending or (PENDING_ABSENCE, absence.reference)
            continue
        if absence.kind != DUTY_AWAY:
            return APPROVED_ABSENCE, absence.reference
        if absence.destination is None:
            return APPROVED_DUTY, absence.reference
        if all(_at(absence.destination, place, policy) for place in places):
            return AT_DUTY_DESTINATION, absence.reference
    return pending


def _own_events(hit: SignalHit, inp: AnalysisInput):
    """The moments and the places (lat, lon, accuracy, inside workplace) of the hit's own
    events and challenges. Other employees' events named as evidence say nothing of this one."""
    moments: list[datetime] = []
    places: list[tuple[float, float, float | None, bool]] = []
    by_id = inp.by_event_id
    challenges = _challenges_by_id(inp)
    for event_id in hit.evidence.event_ids:
        o = by_id.get(event_id)
        if o is not None:
            if o.employee_id != hit.employee_id:
                continue
            moments.append(o.time_of_record)
            inside = o.geofence_distance_m is not None and o.geofence_distance_m <= 0
            if o.has_fix or inside:
                places.append((o.lat, o.lon, o.accuracy_m, inside))
            continue
        ch = challenges.get(event_id)
        if ch is not None:
            moments.append(ch.issued_at)
    return moments, places


def _challenges_by_id(inp: AnalysisInput):
    cached = inp.__dict__.get("_challenges_by_id")
    if cached is None:
        cached = {ch.challenge_id: ch for ch in inp.challenges}
        inp.__dict__["_challenges_by_id"] = cached
    return cached


def _at(destination: Destination, place, policy: SignalPolicy) -> bool:
    lat, lon, accuracy, inside = place
    if inside:
        return True
    if lat is None or lon is None:
        return False
    return destination.holds(lat, lon, accuracy, policy.duty_destination_accuracy_cap_m)
