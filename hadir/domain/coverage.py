"""Coverage: whether an employee's day counts for attendance at all, and if not, why.

A regency switches Hadir on at a date, OPDs join later, employees start, leave and move between
OPDs, and the system is sometimes down. On a day before any of these, or a day for which the
system has no data through no fault of the employee, there is nothing to judge: the day has no
status, and counts toward no deduction, sanction or consecutive-days rule.

A day counts for an employee when all of these hold:
- it is inside the employee's service period (`service_from` .. `service_to`, inclusive);
- it is on or after the regency's go-live date (none set: no limit);
- the OPD the employee belonged to *that day* had joined (its joining date; none: no limit);
- no declared outage covers the day for the employee: regency-wide, for that day's OPD, or for
  one of the employee's workplaces (one is enough: an employee with two offices usually has one
  where they actually work).

Reasons, in the order they are reported when several apply: outside service, before go-live,
OPD not joined, outage. The first three say "Hadir did not apply to this person yet (or any
more)", the most lasting fact; an outage is named only when nothing else explains the day.

Transfers: the OPD of a day comes from the employee's transfer history (`opd_spells`); the day a
transfer takes effect belongs to the new OPD. Outages are whole days (a partial-day outage is
declared for the day, or handled with a correction of the day's status).

Nothing here builds a sentence: a `DayCoverage` carries a reason code and the values an edge
needs to say it (hadir.attendance.messages renders them through the catalogue).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class NotCounted(StrEnum):
    OUTSIDE_SERVICE = "outside_service"
    BEFORE_GO_LIVE = "before_go_live"
    OPD_NOT_JOINED = "opd_not_joined"
    OUTAGE = "outage"


@dataclass(frozen=True)
class OpdSpell:
    """The employee belonged to `opd_id` from `first` to `last` (None: still)."""

    opd_id: int
    first: date
    last: date | None = None

    def covers(self, day: date) -> bool:
        return self.first <= day and (self.last is None or day <= self.last)


@dataclass(frozen=True)
class Transfer:
    """A move between OPDs that takes effect on `effective_on` (that day is the new OPD's)."""

    effective_on: date
    from_opd_id: int
    to_opd_id: int


@dataclass(frozen=True)
class Outage:
    """A declared period without data: regency-wide, or for one OPD or one workplace."""

    first: date
    last: date
    reason: str = ""
    opd_id: int | None = None
    workplace_id: int | None = None
    outage_id: int | None = None

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"outage ends ({self.last}) before it starts ({self.first})")
        if self.opd_id is not None and self.workplace_id is not None:
            raise ValueError("an outage is for an OPD or a workplace, not both")

    def covers(self, day: date, opd_id: int | None, workplace_ids: Iterable[int]) -> bool:
        if not self.first <= day <= self.last:
            return False
        if self.workplace_id is not None:
            return self.workplace_id in workplace_ids
        return self.opd_id is None or self.opd_id == opd_id


@dataclass(frozen=True)
class RegencyCoverage:
    """What is the same for every employee: go-live, OPDs' joining dates, declared outages."""

    go_live: date | None = None
    opd_joined: Mapping[int, date] = field(default_factory=dict)
    outages: tuple[Outage, ...] = ()


@dataclass(frozen=True)
class EmployeeCoverage:
    service_from: date
    service_to: date | None
    spells: tuple[OpdSpell, ...]
    workplace_ids: frozenset[int] = frozenset()

    def opd_on(self, day: date) -> int | None:
        return next((spell.opd_id for spell in self.spells if spell.covers(day)), None)

    def in_service(self, day: date) -> bool:
        return self.service_from <= day and (self.service_to is None or day <= self.service_to)


@dataclass(frozen=True)
class DayCoverage:
    day: date
    opd_id: int | None  # the OPD the employee belonged to that day
    reason: NotCounted | None = None
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        return self.reason is None


def opd_spells(current_opd_id: int, transfers: Iterable[Transfer]) -> tuple[OpdSpell, ...]:
    """The OPD periods of an employee from their transfers (any order) and their current OPD.

    Before the first transfer the employee was in its `from` OPD; each transfer opens a spell in
    its `to` OPD. Without transfers: one open spell in the current OPD. Several transfers on one
    day (a mistaken move corrected the same day) make one move: from the first's `from` to the
    last's `to`.
    """
    ordered = sorted(transfers, key=lambda t: t.effective_on)  # stable: same-day order kept
    if not ordered:
        return (OpdSpell(current_opd_id, date.min),)
    starts: list[tuple[int, date]] = [(ordered[0].from_opd_id, date.min)]
    for move in ordered:
        if starts[-1][1] == move.effective_on:
            starts[-1] = (move.to_opd_id, move.effective_on)
        else:
            starts.append((move.to_opd_id, move.effective_on))
    ends = [start - timedelta(days=1) for _, start in starts[1:]] + [None]
    return tuple(
        OpdSpell(opd_id, first, last) for (opd_id, first), last in zip(starts, ends, strict=True)
    )


def day_coverage(regency: RegencyCoverage, employee: EmployeeCoverage, day: date) -> DayCoverage:
    opd_id = employee.opd_on(day)
    if not employee.in_service(day):
        values = {"since": employee.service_from, "until": employee.service_to}
        return DayCoverage(day, opd_id, NotCounted.OUTSIDE_SERVICE, values)
    if regency.go_live is not None and day < regency.go_live:
        return DayCoverage(day, opd_id, NotCounted.BEFORE_GO_LIVE, {"since": regency.go_live})
    joined = regency.opd_joined.get(opd_id) if opd_id is not None else None
    if joined is not None and day < joined:
        return DayCoverage(day, opd_id, NotCounted.OPD_NOT_JOINED, {"since": joined})
    for outage in regency.outages:
        if outage.covers(day, opd_id, employee.workplace_ids):
            values = {"reason": outage.reason, "first": outage.first, "last": outage.last}
            return DayCoverage(day, opd_id, NotCounted.OUTAGE, values)
    return DayCoverage(day, opd_id)


def coverage_between(
    regency: RegencyCoverage, employee: EmployeeCoverage, first: date, last: date
) -> list[DayCoverage]:
    """Every date from first to last, inclusive, with its coverage."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day_coverage(regency, employee, day) for day in days]


def counted_days(
    regency: RegencyCoverage, employee: EmployeeCoverage, first: date, last: date
) -> list[date]:
    return [item.day for item in coverage_between(regency, employee, first, last) if item.counts]
