"""Reads: rules in force, calendars, schedules and the bulk inputs of a status computation.

Everything the computation needs for a chunk of employees is loaded with one query per table
(`load_chunk`), never one per employee-day: a month of a 10,000-employee regency is a few
dozen queries.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Q

from hadir.attendance import rules
from hadir.attendance.models import (
    CalendarOverride,
    DailyStatus,
    LeaveRequest,
    LeaveStatus,
    MonthClosure,
    OpdTransfer,
    Outage,
    RuleSet,
    ScheduleAssignment,
    ScheduleKind,
    ShiftRosterEntry,
    StatusCorrection,
    WorkSchedule,
    split_codes,
)
from hadir.checkin.models import EvidenceRecord
from hadir.checkin.store import aware_utc
from hadir.domain import calendar as cal
from hadir.domain import coverage as cov
from hadir.domain.schedules import (
    EmployeeSchedule,
    PlannedDay,
    Shift,
    ShiftRoster,
    planned_workday,
)
from hadir.domain.status import AttendanceEvent, DayStatus, LeaveDay, apply_correction, status_at
from hadir.domain.status import Correction as PureCorrection
from hadir.org.models import Employee, Opd, Workplace

PRESENCE = ("accepted", "accepted_with_warnings")
EVENT_KINDS = ("check_in", "check_out")
EVENT_FIELDS = ("employee", "id", "kind", "time_of_record", "outcome")
CHUNK = 900  # employees per bulk load; keeps every IN (...) under SQLite's 999 parameters


def event_name(record_id: int) -> str:
    return f"#{record_id}"  # as in hadir.fraud: evidence is named by its row


# Months ---------------------------------------------------------------------------------------


def parse_month(text: str) -> tuple[date, date]:
    """The first and last day of a month written YYYY-MM; ValueError saying so otherwise."""
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except (AttributeError, TypeError, ValueError) as exc:
        raise ValueError(f"month must be YYYY-MM, not {text!r}") from exc
    if len(text) != 7:
        raise ValueError(f"month must be YYYY-MM, not {text!r}")
    return first, month_end(first)


def month_end(first: date) -> date:
    if first.month == 12:  # December 9999 too: no date follows it
        return first.replace(day=31)
    return first.replace(month=first.month + 1, day=1) - timedelta(days=1)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def months_between(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = month_end(current) + timedelta(days=1)
    return months


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, month_end(date(year, month, 1)).day))


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


# Rules ----------------------------------------------------------------------------------------


def current_rules() -> rules.Rules:
    return rules.Rules.from_rows(dict(RuleSet.objects.values_list("key", "value")))


# Calendars ------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _package_holidays(years: tuple[int, ...]) -> tuple[cal.HolidayInfo, ...]:
    return tuple(cal.package_holidays(years, include_cuti_bersama=True))


def _pure_override(row: CalendarOverride) -> cal.CalendarOverride:
    return cal.CalendarOverride(
        row.date,
        cal.OverrideAction(row.action),
        row.name,
        cal.HolidayKind(row.kind),
        row.reference,
        row.works_like_weekday,
    )


class CalendarBook:
    """The work calendars of a set of years: the regency's, and each OPD's or workplace's where
    their own overrides exist. Built once per computation, shared by every employee."""

    def __init__(self, years: Iterable[int]) -> None:
        self.years = tuple(sorted(set(years)))
        self.base = _package_holidays(self.years)
        rows = CalendarOverride.objects.filter(date__year__in=self.years).order_by("date", "id")
        self.regency: list[cal.CalendarOverride] = []
        self.by_opd: dict[int, list[cal.CalendarOverride]] = defaultdict(list)
        self.by_workplace: dict[int, list[cal.CalendarOverride]] = defaultdict(list)
        for row in rows:
            target = (
                self.by_workplace[row.workplace_id]
                if row.workplace_id
                else self.by_opd[row.opd_id]
                if row.opd_id
                else self.regency
            )
            target.append(_pure_override(row))
        self._built: dict[tuple, cal.WorkCalendar] = {}

    def key_for(self, opd_id: int | None, workplace_ids: Iterable[int] = ()) -> tuple:
        opd = opd_id if opd_id in self.by_opd else None
        return opd, tuple(sorted(w for w in workplace_ids if w in self.by_workplace))

    def calendar(self, key: tuple) -> cal.WorkCalendar:
        if key not in self._built:
            opd, workplaces = key
            overrides = [
                *self.regency,
                *self.by_opd.get(opd, ()),
                *(o for w in workplaces for o in self.by_workplace[w]),
            ]
            self._built[key] = cal.WorkCalendar.from_entries(self.years, self.base, overrides)
        return self._built[key]


def calendar_years(first: date, last: date) -> range:
    return range(first.year, last.year + 1)


# Schedules ------------------------------------------------------------------------------------

DEFAULT_SCHEDULE_ID = 0  # the built-in 5-day week, when no schedule is marked default


@dataclass
class ScheduleBook:
    """Every schedule as a pure EmployeeSchedule, keyed by id; 0 is the built-in default."""

    by_id: dict[int, EmployeeSchedule]
    roster_ids: frozenset[int]
    follows_holidays: dict[int, bool]
    default_id: int

    @classmethod
    def load(cls) -> ScheduleBook:
        rows = list(WorkSchedule.objects.prefetch_related("ramadan_periods"))
        by_id = {DEFAULT_SCHEDULE_ID: EmployeeSchedule()}
        by_id.update({row.pk: row.to_domain(list(row.ramadan_periods.all())) for row in rows})
        default = next((row.pk for row in rows if row.is_default), DEFAULT_SCHEDULE_ID)
        return cls(
            by_id,
            frozenset(row.pk for row in rows if row.kind == ScheduleKind.ROSTER),
            {row.pk: row.roster_follows_holidays for row in rows},
            default,
        )


# When attendance counts ---------------------------------------------------------------------


def regency_coverage(first: date, last: date, in_force: rules.Rules | None = None):
    """Go-live (the `regency` rule), OPDs' joining dates, and the outages declared between first
    and last: a RegencyCoverage."""
    go_live = (in_force or current_rules()).regency.go_live
    joined = dict(
        Opd.objects.filter(attendance_from__isnull=False).values_list("pk", "attendance_from")
    )
    outages = tuple(
        cov.Outage(row.first_day, row.last_day, row.reason, row.opd_id, row.workplace_id, row.pk)
        for row in Outage.objects.filter(first_day__lte=last, last_day__gte=first).order_by(
            "first_day", "id"
        )
    )
    return cov.RegencyCoverage(go_live, joined, outages)


def transfers_of(ids: list[int]) -> dict[int, list[cov.Transfer]]:
    result: dict[int, list[cov.Transfer]] = defaultdict(list)
    rows = (
        OpdTransfer.objects.filter(employee_id__in=ids)
        .order_by("effective_on", "id")
        .values_list("employee_id", "effective_on", "from_opd_id", "to_opd_id")
    )
    for pk, effective_on, from_opd, to_opd in rows:
        result[pk].append(cov.Transfer(effective_on, from_opd, to_opd))
    return result


def employee_coverages(ids: list[int]) -> dict[int, cov.EmployeeCoverage]:
    """Service period, OPD spells and workplaces of these employees, in bulk."""
    places = zones_of(ids)
    transfers = transfers_of(ids)
    return {
        pk: cov.EmployeeCoverage(
            start, end, cov.opd_spells(opd_id, transfers.get(pk, ())), frozenset(places[pk][1])
        )
        for pk, opd_id, start, end in Employee.objects.filter(pk__in=ids).values_list(
            "pk", "opd_id", "active_from", "active_to"
        )
    }


def day_coverages(
    employees, first: date, last: date, regency: cov.RegencyCoverage | None = None
) -> dict[int, list[cov.DayCoverage]]:
    """employee id -> the coverage of every date from first to last (counted or not, and why,
    and the OPD the employee belonged to that day)."""
    ids = employee_ids(employees)
    regency = regency or regency_coverage(first, last)
    result = {}
    for start in range(0, len(ids), CHUNK):
        for pk, facts in employee_coverages(ids[start : start + CHUNK]).items():
            result[pk] = cov.coverage_between(regency, facts, first, last)
    return result


def counted_days(employees, first: date, last: date) -> dict[int, list[date]]:
    """Which (employee, day) count for attendance from first to last, for other apps.

    `employees`: a queryset of Employee, instances or ids. Returns employee id -> the dates that
    count, ascending: inside the employee's service period, on or after the regency's go-live
    date and their OPD's joining date (the OPD they belonged to that day, after transfers), and
    not covered by a declared outage. A day that does not count has no status and must not be
    judged (no deduction, no sanction, no fraud flag): the system had no duty or no way to
    record the employee. Whether a counted day is a working day is another question (schedules
    and calendars: a counted Sunday is simply L). Uncounted reasons: `day_coverages`.
    """
    return {
        pk: [item.day for item in days if item.counts]
        for pk, days in day_coverages(employees, first, last).items()
    }


# Per-employee inputs --------------------------------------------------------------------------


@dataclass
class Correction:
    id: int
    codes: tuple[str, ...]
    reason: str
    author: str
    late_minutes: int | None
    early_minutes: int | None


@dataclass
class EmployeeInputs:
    id: int
    opd_id: int
    active_from: date
    active_to: date | None
    zone: str
    workplace_ids: tuple[int, ...] = ()
    assignments: list[tuple[date, date | None, int]] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    leave: dict[date, list[LeaveDay]] = field(default_factory=lambda: defaultdict(list))
    events: list[AttendanceEvent] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # what identifies each event in the hash
    corrections: dict[date, Correction] = field(default_factory=dict)
    stored: dict[date, tuple[str, int | None]] = field(default_factory=dict)  # hash, correction
    coverage: cov.EmployeeCoverage | None = None

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)

    def schedule_on(self, day: date, default_id: int) -> int:
        for first, last, schedule_id in self.assignments:
            if first <= day and (last is None or day <= last):
                return schedule_id
        return default_id

    def events_between(self, first: datetime, last: datetime) -> slice:
        """The slice of `events` (and `keys`) recorded from first to last, inclusive."""
        return slice(bisect.bisect_left(self.times, first), bisect.bisect_right(self.times, last))


def employee_ids(employees) -> list[int]:
    """Ids from a queryset of employees, model instances or ids, sorted."""
    if hasattr(employees, "values_list"):
        return sorted(employees.values_list("pk", flat=True))
    return sorted({getattr(item, "pk", item) for item in employees})


def zones_of(ids: list[int]) -> dict[int, tuple[str, tuple[int, ...]]]:
    """employee id -> (time zone of the first workplace, all workplace ids)."""
    zones = dict(Workplace.objects.values_list("pk", "time_zone"))
    through = Employee.workplaces.through
    links: dict[int, list[int]] = defaultdict(list)
    for employee_id, workplace_id in (
        through.objects.filter(employee_id__in=ids)
        .order_by("workplace_id")
        .values_list("employee_id", "workplace_id")
    ):
        links[employee_id].append(workplace_id)
    return {
        pk: ((zones[links[pk][0]] if links[pk] else "") or settings.TIME_ZONE, tuple(links[pk]))
        for pk in ids
    }


def load_chunk(ids: list[int], first: date, last: date) -> dict[int, EmployeeInputs]:
    """Everything that decides these employees' days from first to last, in bulk."""
    places = zones_of(ids)
    people = {
        pk: EmployeeInputs(pk, opd_id, start, end, places[pk][0], places[pk][1])
        for pk, opd_id, start, end in Employee.objects.filter(pk__in=ids).values_list(
            "pk", "opd_id", "active_from", "active_to"
        )
    }
    transfers = transfers_of(ids)
    for pk, person in people.items():
        person.coverage = cov.EmployeeCoverage(
            person.active_from,
            person.active_to,
            cov.opd_spells(person.opd_id, transfers.get(pk, ())),
            frozenset(person.workplace_ids),
        )
    _load_assignments(people, ids, first, last)
    _load_shifts(people, ids, first, last)
    _load_leave(people, ids, first, last)
    _load_events(people, ids, first, last)
    _load_corrections(people, ids, first, last)
    for pk, day, digest, correction_id in DailyStatus.objects.filter(
        employee_id__in=ids, date__gte=first, date__lte=last
    ).values_list("employee_id", "date", "inputs_hash", "correction_id"):
        people[pk].stored[day] = (digest, correction_id)
    return people


def _load_assignments(people, ids, first, last) -> None:
    rows = (
        ScheduleAssignment.objects.filter(employee_id__in=ids, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("valid_from", "id")
        .values_list("employee_id", "valid_from", "valid_to", "schedule_id")
    )
    for pk, start, end, schedule_id in rows:
        people[pk].assignments.append((start, end, schedule_id))


def _load_shifts(people, ids, first, last) -> None:
    rows = ShiftRosterEntry.objects.filter(
        employee_id__in=ids, date__gte=first - timedelta(days=1), date__lte=last
    ).values_list("employee_id", "code", "start", "end")
    for pk, code, start, end in rows:
        people[pk].shifts.append(Shift(code, start, end))


def _load_leave(people, ids, first, last) -> None:
    rows = LeaveRequest.objects.filter(
        employee_id__in=ids,
        status=LeaveStatus.APPROVED,
        first_day__lte=last,
        last_day__gte=first,
    ).values_list("employee_id", "pk", "kind", "portion", "first_day", "last_day")
    for pk, leave_id, kind, portion, start, end in rows:
        item = LeaveDay(kind, portion, f"leave#{leave_id}")
        for day in days_between(max(start, first), min(end, last)):
            people[pk].leave[day].append(item)


def _load_events(people, ids, first, last) -> None:
    # A night shift's check-out falls on the next day; a check-in may open the evening before.
    tz = ZoneInfo(settings.TIME_ZONE)
    since = datetime.combine(first - timedelta(days=1), time.min, tz)
    until = datetime.combine(last + timedelta(days=2), time.min, tz)
    zones = {pk: ZoneInfo(person.zone) for pk, person in people.items()}
    for pk, record_id, kind, at, outcome in _event_rows(ids, since, until):
        # In the employee's own zone, like the planned day: comparing datetimes of one tzinfo
        # is twenty times faster than across zones, and the rules compare a lot.
        at = at.astimezone(zones[pk])
        person = people[pk]
        accepted = outcome in PRESENCE
        person.events.append(AttendanceEvent(event_name(record_id), kind, at, accepted))
        person.times.append(at)
        person.keys.append(str(record_id))  # evidence is append-only: its id is its content


def _event_rows(ids: list[int], since: datetime, until: datetime):
    """(employee id, row id, kind, aware time of record, outcome), by employee and time.

    Plain SQL, as in hadir.checkin.store: for the ~440,000 rows of a regency's month the ORM's
    per-value converters cost more than the rules themselves.
    """
    ops = connection.ops
    fields = [EvidenceRecord._meta.get_field(name).column for name in EVENT_FIELDS]
    columns = ", ".join(ops.quote_name(column) for column in fields)
    table = ops.quote_name(EvidenceRecord._meta.db_table)
    employee, kind, when = (ops.quote_name(c) for c in (fields[0], fields[2], fields[3]))
    sql = (
        f"SELECT {columns} FROM {table} WHERE {employee} IN ({', '.join(['%s'] * len(ids))}) "
        f"AND {when} >= %s AND {when} < %s AND {kind} IN (%s, %s) "
        # The order of the (employee, time_of_record) index: no sort step.
        f"ORDER BY {employee}, {when}, {ops.quote_name(fields[1])}"
    )
    params = [*ids, ops.adapt_datetimefield_value(since), ops.adapt_datetimefield_value(until)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *EVENT_KINDS])
        while rows := cursor.fetchmany(10000):
            for pk, record_id, kind_value, at, outcome in rows:
                yield pk, record_id, kind_value, aware_utc(at), outcome


def _load_corrections(people, ids, first, last) -> None:
    rows = (
        StatusCorrection.objects.filter(employee_id__in=ids, date__gte=first, date__lte=last)
        .order_by("created_at", "id")  # the latest wins
        .values_list(
            "employee_id",
            "date",
            "pk",
            "codes",
            "reason",
            "author_name",
            "late_minutes",
            "early_minutes",
        )
    )
    for pk, day, correction_id, codes, reason, author, late, early in rows:
        people[pk].corrections[day] = Correction(
            correction_id, split_codes(codes), reason, author, late, early
        )


def closed_months(first: date, last: date) -> set[tuple[int | None, date]]:
    """(opd id or None for the regency, first day of month) of every closure in the range."""
    return set(
        MonthClosure.objects.filter(month__gte=first.replace(day=1), month__lte=last).values_list(
            "opd_id", "month"
        )
    )


def closed_month_of(opd_id: int, days: Iterable[date]) -> date | None:
    months = {day.replace(day=1) for day in days}
    return (
        MonthClosure.objects.filter(month__in=months)
        .filter(Q(opd__isnull=True) | Q(opd_id=opd_id))
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )


# The live state of a day -------------------------------------------------------------------


@dataclass(frozen=True)
class LiveDay:
    """An employee's day as it stands at `now` (see `live_states`)."""

    employee_id: int
    day: date
    coverage: cov.DayCoverage
    planned: PlannedDay | None = None
    status: DayStatus | None = None  # None: the day does not count
    check_in: datetime | None = None  # the check-in that counts, if any yet
    check_out: datetime | None = None  # the latest valid check-out so far

    @property
    def counts(self) -> bool:
        return self.coverage.counts


def live_states(employees, day: date | None = None, now: datetime | None = None):
    """The live state of a set of employees for one day at `now` (default: today, the clock):
    employee id -> LiveDay. For the supervisors' board and the admin's Status harian.

    Computed from the inputs at the time of asking, nothing stored: before the planned start
    (plus the late grace) without a check-in the status has no code and phase NOT_YET ("belum
    presensi"); after it, the late band of the minutes waited so far (RUNNING_LATE); after a
    check-in, its band (AT_WORK); never TK before the day's windows close (then the final
    status). A day that does not count (coverage) has no status. A correction of the day wins.
    Cost: a handful of queries per 900 employees, for one day.
    """
    from django.utils import timezone

    now = now or timezone.now()
    day = day or timezone.localtime(now).date()
    ids = employee_ids(employees)
    in_force = current_rules()
    regency = regency_coverage(day, day, in_force)
    calendars, schedules = CalendarBook(calendar_years(day, day)), ScheduleBook.load()
    result: dict[int, LiveDay] = {}
    for start in range(0, len(ids), CHUNK):
        for person in load_chunk(ids[start : start + CHUNK], day, day).values():
            result[person.id] = _live_day(person, day, now, in_force, regency, calendars, schedules)
    return result


def _live_day(person, day, now, in_force, regency, calendars, schedules) -> LiveDay:
    covered = cov.day_coverage(regency, person.coverage, day)
    if not covered.counts:
        return LiveDay(person.id, day, covered)
    opd_id = covered.opd_id or person.opd_id
    calendar = calendars.calendar(calendars.key_for(opd_id, person.workplace_ids))
    schedule_id = person.schedule_on(day, schedules.default_id)
    schedule = with_roster(schedules, schedule_id, person.shifts)
    planned = planned_workday(schedule, calendar, day, ZoneInfo(person.zone))
    events: list[AttendanceEvent] = []
    if planned is not None:
        since = min(planned.check_in_window[0], planned.check_out_window[0])
        until = max(planned.check_in_window[1], planned.check_out_window[1])
        events = person.events[person.events_between(since, until)]
    status = status_at(planned, person.leave.get(day, []), events, in_force.policy, now)
    correction = person.corrections.get(day)
    if correction is not None:
        status = apply_correction(
            status,
            PureCorrection(
                correction.codes,
                correction.reason,
                correction.author,
                correction.late_minutes,
                correction.early_minutes,
            ),
        )
    decisive = set(status.decided_by)
    check_in = next((e.at for e in events if e.kind == "check_in" and e.event_id in decisive), None)
    check_out = next(
        (e.at for e in events if e.kind == "check_out" and e.event_id in decisive), None
    )
    return LiveDay(person.id, day, covered, planned, status, check_in, check_out)


# One employee's planned days (leave balance, validation) -----------------------------------


def planned_days(employee: Employee, first: date, last: date) -> dict[date, PlannedDay | None]:
    """The employee's planned working day for each date: what leave consumes."""
    people = _planning_inputs([employee], first, last)
    book, schedules = CalendarBook(calendar_years(first, last)), ScheduleBook.load()
    return _planned(people[employee.pk], book, schedules, first, last)


def leave_working_days(leaves: list[LeaveRequest]) -> dict[int, float]:
    """Request id -> the working days it covers (a half day counts 0.5), as `planned_days`
    counts them, for a page of requests in a handful of queries rather than a few per row.
    The requests' employees must be loaded (select_related)."""
    if not leaves:
        return {}
    first, last = min(r.first_day for r in leaves), max(r.last_day for r in leaves)
    people = _planning_inputs([r.employee for r in leaves], first, last)
    book, schedules = CalendarBook(calendar_years(first, last)), ScheduleBook.load()
    counted = {}
    for leave in leaves:
        planned = _planned(people[leave.employee_id], book, schedules, leave.first_day,
                           leave.last_day)  # fmt: skip
        weight = 1.0 if leave.portion == "full" else 0.5
        counted[leave.pk] = weight * sum(1 for plan in planned.values() if plan is not None)
    return counted


def _planning_inputs(employees, first: date, last: date) -> dict[int, EmployeeInputs]:
    unique = {employee.pk: employee for employee in employees}
    ids = sorted(unique)
    places = zones_of(ids)
    people = {
        pk: EmployeeInputs(pk, e.opd_id, e.active_from, e.active_to, *places[pk])
        for pk, e in unique.items()
    }
    _load_assignments(people, ids, first, last)
    _load_shifts(people, ids, first, last)
    return people


def _planned(inputs: EmployeeInputs, book: CalendarBook, schedules: ScheduleBook, first: date,
             last: date) -> dict[date, PlannedDay | None]:  # fmt: skip
    calendar = book.calendar(book.key_for(inputs.opd_id, inputs.workplace_ids))
    built: dict[int, EmployeeSchedule] = {}
    result = {}
    for day in days_between(first, last):
        schedule_id = inputs.schedule_on(day, schedules.default_id)
        if schedule_id not in built:
            built[schedule_id] = with_roster(schedules, schedule_id, inputs.shifts)
        result[day] = planned_workday(built[schedule_id], calendar, day, ZoneInfo(inputs.zone))
    return result


def with_roster(schedules: ScheduleBook, schedule_id: int, shifts: list[Shift]) -> EmployeeSchedule:
    base = schedules.by_id[schedule_id]
    if schedule_id not in schedules.roster_ids:
        return base
    roster = ShiftRoster(tuple(shifts), follows_holidays=schedules.follows_holidays[schedule_id])
    return EmployeeSchedule(base.weekly, base.ramadan, roster, base.windows)


def annual_leave_used(employee: Employee, year: int, exclude_id: int | None = None) -> float:
    """Working days of CT approved or pending in a year (a half day counts 0.5)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = LeaveRequest.objects.filter(
        employee=employee,
        kind="CT",
        status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED),
        first_day__lte=last,
        last_day__gte=first,
    ).exclude(pk=exclude_id)
    if not rows:
        return 0.0
    planned = planned_days(employee, first, last)
    used = 0.0
    for row in rows:
        weight = 1.0 if row.portion == "full" else 0.5
        used += weight * sum(
            1
            for day in days_between(max(row.first_day, first), min(row.last_day, last))
            if planned[day] is not None
        )
    return used


@dataclass(frozen=True)
class LeaveBalance:
    year: int
    entitlement: int
    carried_over: float
    used: float

    @property
    def remaining(self) -> float:
        return self.entitlement + self.carried_over - self.used


def annual_leave_balance(
    employee: Employee, year: int, policy: rules.LeavePolicy, exclude_id: int | None = None
) -> LeaveBalance:
    served_on = add_months(employee.active_from, policy.service_months)

    def entitled(year: int) -> int:
        return policy.annual_days if served_on <= date(year, 12, 31) else 0

    entitlement = entitled(year)
    previous = entitled(year - 1)
    carried = 0.0
    if previous:
        unused = previous - annual_leave_used(employee, year - 1, exclude_id)
        carried = min(float(policy.max_carry_over), max(0.0, unused))
    return LeaveBalance(year, entitlement, carried, annual_leave_used(employee, year, exclude_id))


# Stored statuses ------------------------------------------------------------------------------


def statuses_of(employee: Employee, first: date, last: date) -> list[DailyStatus]:
    return list(
        DailyStatus.objects.filter(employee=employee, date__gte=first, date__lte=last).order_by(
            "date"
        )
    )
