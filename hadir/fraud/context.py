"""What each employee-day was due to be, read from the attendance app for the fraud analysis and
the challenge issuer: coverage (go-live, OPD joining, service period, outages), the planned
working day (schedule, roster, calendar), and approved or pending leave and dinas luar.

The rules are pure (hadir.domain.signals.context); this module only gathers their data, in bulk:
a handful of queries per 900 employees, and the planned day computed once per schedule,
calendar, zone and date for everyone on a weekly schedule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from hadir.attendance.models import (
    LeaveRequest,
    LeaveStatus,
    ScheduleAssignment,
    ShiftRosterEntry,
)
from hadir.attendance.selectors import (
    CHUNK,
    CalendarBook,
    ScheduleBook,
    calendar_years,
    employee_coverages,
    regency_coverage,
    with_roster,
    zones_of,
)
from hadir.domain import coverage as cov
from hadir.domain.schedules import Shift, planned_workday
from hadir.domain.signals.context import (
    APPROVED,
    DUTY_AWAY,
    PENDING,
    Absence,
    DayContext,
    Destination,
)
from hadir.domain.signals.policy import DEFAULT_POLICY, SignalPolicy


def absences_between(
    ids: Iterable[int] | None, first: date, last: date, policy: SignalPolicy = DEFAULT_POLICY
) -> dict[tuple[int, date], list[Absence]]:
    """(employee, day) -> the approved and pending requests covering it (rejected and cancelled
    ones are no context at all). `ids` None: everybody."""
    rows = LeaveRequest.objects.filter(
        status__in=[LeaveStatus.APPROVED, LeaveStatus.PENDING],
        first_day__lte=last,
        last_day__gte=first,
    )
    if ids is not None:
        rows = rows.filter(employee_id__in=list(ids))
    result: dict[tuple[int, date], list[Absence]] = defaultdict(list)
    for row in rows.order_by("first_day", "id").values_list(
        "pk",
        "employee_id",
        "kind",
        "status",
        "portion",
        "first_day",
        "last_day",
        "destination_lat",
        "destination_lon",
        "destination_radius_m",
    ):
        pk, employee_id, kind, status, portion, start, end, lat, lon, radius = row
        place = None
        if kind == DUTY_AWAY and lat is not None and lon is not None:
            place = Destination(lat, lon, radius or policy.duty_destination_default_radius_m)
        absence = Absence(
            kind, APPROVED if status == LeaveStatus.APPROVED else PENDING, portion, place, f"#{pk}"
        )
        day = max(start, first)
        while day <= min(end, last):
            result[(employee_id, day)].append(absence)
            day += timedelta(days=1)
    return result


def day_contexts(
    wanted: Iterable[tuple[int, date]],
    *,
    only_unusual: bool = True,
    policy: SignalPolicy = DEFAULT_POLICY,
) -> dict[tuple[int, date], DayContext]:
    """The context of each wanted (employee, day).

    only_unusual: leave out the days that are plain counted working days without any absence
    (the default context), which keeps a month's map small for the batch."""
    per_employee: dict[int, set[date]] = defaultdict(set)
    for employee_id, day in wanted:
        per_employee[employee_id].add(day)
    if not per_employee:
        return {}
    all_days = [d for days in per_employee.values() for d in days]
    first, last = min(all_days), max(all_days)
    regency = regency_coverage(first, last)
    calendars, schedules = CalendarBook(calendar_years(first, last)), ScheduleBook.load()
    absences = absences_between(None, first, last, policy)
    planned_cache: dict[tuple, object] = {}
    result: dict[tuple[int, date], DayContext] = {}
    ids = sorted(per_employee)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        coverages = employee_coverages(chunk)
        places = zones_of(chunk)
        assignments = _assignments(chunk, first, last)
        shifts = _shifts(chunk, first, last)
        for employee_id in chunk:
            facts = coverages.get(employee_id)
            if facts is None:
                continue
            zone_name, workplace_ids = places[employee_id]
            zone = ZoneInfo(zone_name)
            for day in sorted(per_employee[employee_id]):
                covered = cov.day_coverage(regency, facts, day)
                if not covered.counts:
                    result[(employee_id, day)] = DayContext(
                        counts=False, not_counted_reason=str(covered.reason)
                    )
                    continue
                schedule_id = _schedule_on(
                    assignments.get(employee_id, ()), day, schedules.default_id
                )
                key = calendars.key_for(covered.opd_id, workplace_ids)
                roster = schedule_id in schedules.roster_ids
                cache_key = (schedule_id, key, zone_name, day)
                if roster or cache_key not in planned_cache:
                    schedule = with_roster(schedules, schedule_id, shifts.get(employee_id, []))
                    planned = planned_workday(schedule, calendars.calendar(key), day, zone)
                    if roster:
                        cache_key = None
                    else:
                        planned_cache[cache_key] = planned
                else:
                    planned = planned_cache[cache_key]
                day_absences = tuple(absences.get((employee_id, day), ()))
                if only_unusual and planned is not None and not day_absences:
                    continue
                result[(employee_id, day)] = DayContext(
                    counts=True,
                    working=planned is not None,
                    start=planned.start if planned is not None else None,
                    end=planned.end if planned is not None else None,
                    absences=day_absences,
                )
    return result


def _schedule_on(assignments, day: date, default_id: int) -> int:
    for valid_from, valid_to, schedule_id in assignments:
        if valid_from <= day and (valid_to is None or day <= valid_to):
            return schedule_id
    return default_id


def _assignments(ids, first, last) -> dict[int, list[tuple]]:
    result: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        ScheduleAssignment.objects.filter(employee_id__in=ids, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("valid_from", "id")
        .values_list("employee_id", "valid_from", "valid_to", "schedule_id")
    )
    for employee_id, valid_from, valid_to, schedule_id in rows:
        result[employee_id].append((valid_from, valid_to, schedule_id))
    return result


def _shifts(ids, first, last) -> dict[int, list[Shift]]:
    result: dict[int, list[Shift]] = defaultdict(list)
    rows = ShiftRosterEntry.objects.filter(
        employee_id__in=ids, date__gte=first - timedelta(days=1), date__lte=last
    ).values_list("employee_id", "code", "start", "end")
    for employee_id, code, start, end in rows:
        result[employee_id].append(Shift(code, start, end))
    return result
