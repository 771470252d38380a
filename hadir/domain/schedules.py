"""Schedules as data, and the working day they plan for one employee on one date.

Decides whether a date is a working day for an employee and, if it is, the expected start and
end (aware datetimes), the rest windows, and when a check-in or check-out is accepted.

Precedence in `planned_workday`:
1. a shift roster, when the employee has one: a date without a shift is off, and holidays do not
   cancel a rostered shift (hospitals and fire brigades work them) unless the roster says so;
2. a calendar holiday (national, cuti bersama, regional) makes the day off;
3. a Ramadan period replaces the weekly schedule between its first and last day;
4. the weekly schedule; a normally-off day the calendar declares working takes the hours of the
   weekday the override names.

Weekly hours never cross midnight (night work is a roster); a shift may end the next day, and its
planned day is the date it starts on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta, tzinfo
from functools import partial
from itertools import pairwise

from hadir.domain.calendar import WorkCalendar

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_SHIFT = timedelta(hours=24)


# What can be wrong with a schedule, by code. The edge says it in the user's language
# (hadir.attendance.messages.SCHEDULE_PROBLEMS); this English text is for logs and tests.
PROBLEMS = {
    "not_an_object": "must be an object keyed by weekday (monday … sunday)",
    "unknown_weekday": "unknown weekday %(names)s",
    "day_shape": 'must be null or {"start": "HH:MM", "end": "HH:MM"}',
    "rest_shape": 'must be ["HH:MM", "HH:MM"]',
    "not_a_time": "%(value)s is not a time HH:MM",
    "period_order": "%(last)s is before %(first)s",
    "ramadan_overlap": "overlaps ramadan[%(other)s]",
    "shift_overlap": "%(earlier)s overlaps %(later)s",
    "shift_same_day": "%(earlier)s and %(later)s start on the same day",
    "shift_time_zone": "%(code)s: start and end must carry a time zone",
    "shift_ends_before": "%(shift)s ends before it starts",
    "shift_too_long": "%(shift)s lasts more than 24 hours",
    "shift_rest_outside": "%(shift)s: rest %(rest)s is outside it",
    "week_length": "a week has 7 days, got %(days)s",
    "no_working_day": "the schedule has no working day",
    "weekly_minutes": "the week sums to %(total)s minutes, expected %(expected)s",
    "end_not_after_start": "end %(end)s is not after start %(start)s",
    "rest_ends_before": "rest %(rest)s ends before it starts",
    "rest_outside": "rest %(rest)s is outside %(day)s",
    "rest_overlap": "rest %(earlier)s overlaps %(later)s",
    "negative_window": "must not be negative",
}


class Problem(str):
    """One problem with a schedule: `code` (a key of PROBLEMS) and its `values`, which the edge
    says in the user's language; as a string, the English sentence."""

    code: str
    values: dict[str, str]

    def __new__(cls, code: str, /, **values: object) -> Problem:
        texts = {key: str(value) for key, value in values.items()}
        problem = super().__new__(cls, PROBLEMS[code] % texts)
        problem.code, problem.values = code, texts
        return problem


class ScheduleError(ValueError):
    """A schedule that cannot be used; `errors` maps a field path to its problems."""

    def __init__(self, errors: dict[str, list[Problem]]) -> None:

        self.errors = errors
        flat = (f"{path}: {message}" for path, messages in errors.items() for message in messages)
        super().__init__("; ".join(flat))


@dataclass(frozen=True)
class RestWindow:
    start: time
    end: time


@dataclass(frozen=True)
class DayHours:
    start: time
    end: time
    rests: tuple[RestWindow, ...] = ()

    @property
    def working_minutes(self) -> int:
        rest = sum(_minutes(r.end) - _minutes(r.start) for r in self.rests)
        return _minutes(self.end) - _minutes(self.start) - rest


@dataclass(frozen=True)
class WeeklySchedule:
    name: str
    days: tuple[DayHours | None, ...]  # indexed by weekday, Monday = 0; None = off

    def hours_on(self, weekday: int) -> DayHours | None:
        return self.days[weekday]

    @property
    def weekly_minutes(self) -> int:
        return sum(hours.working_minutes for hours in self.days if hours is not None)


def weekly(name: str, **by_weekday: DayHours) -> WeeklySchedule:
    """`weekly("5 hari", monday=hours, ...)`; weekdays not named are off."""
    unknown = set(by_weekday) - set(WEEKDAY_NAMES)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ScheduleError({"days": [Problem("unknown_weekday", names=names)]})
    return WeeklySchedule(name, tuple(by_weekday.get(day) for day in WEEKDAY_NAMES))


def _hours(start: str, end: str, *rests: tuple[str, str]) -> DayHours:
    windows = tuple(RestWindow(time.fromisoformat(a), time.fromisoformat(b)) for a, b in rests)
    return DayHours(time.fromisoformat(start), time.fromisoformat(end), windows)


# Defaults (Perpres 21/2023: 37.5 h a week); administrators replace them per unit.
_REGULAR = _hours("07:30", "16:00", ("12:00", "13:00"))  # 7.5 h
_FRIDAY = _hours("07:30", "16:30", ("11:30", "13:00"))  # 7.5 h
_MON_THU = WEEKDAY_NAMES[:4]
FIVE_DAY_WEEK = weekly("5 hari kerja", **dict.fromkeys(_MON_THU, _REGULAR), friday=_FRIDAY)

# Assumed 6-day default for schools and front-line services: 4 x 7 h + 4 h + 5.5 h = 37.5 h.
# Friday ends before Friday prayer.
_SIX_REGULAR = _hours("07:30", "15:00", ("12:00", "12:30"))
_SIX_FRIDAY = _hours("07:30", "11:30")
_SIX_SATURDAY = _hours("07:30", "13:00")
SIX_DAY_WEEK = weekly(
    "6 hari kerja",
    **dict.fromkeys(_MON_THU, _SIX_REGULAR),
    friday=_SIX_FRIDAY,
    saturday=_SIX_SATURDAY,
)

# Ramadan: 32.5 h a week, start 08:00, rest 30 min (Friday 60): 4 x 6.5 h + 6.5 h.
_RAMADAN = _hours("08:00", "15:00", ("12:00", "12:30"))
_RAMADAN_FRIDAY = _hours("08:00", "15:30", ("11:30", "12:30"))
RAMADAN_FIVE_DAY_WEEK = weekly(
    "Ramadan 5 hari", **dict.fromkeys(_MON_THU, _RAMADAN), friday=_RAMADAN_FRIDAY
)
# Assumed 6-day Ramadan: 4 x 6 h + 3.5 h + 5 h = 32.5 h.
_RAMADAN_SIX = _hours("08:00", "14:30", ("12:00", "12:30"))
RAMADAN_SIX_DAY_WEEK = weekly(
    "Ramadan 6 hari",
    **dict.fromkeys(_MON_THU, _RAMADAN_SIX),
    friday=_hours("08:00", "11:30"),
    saturday=_hours("08:00", "13:00"),
)


@dataclass(frozen=True)
class CheckWindows:
    """When a record is accepted, relative to the planned start and end.

    The default records late arrivals and early departures so that they can be banded: check-in
    from 90 min before the start (06:00 for 07:30) until the planned end; check-out from the
    planned start until 2 h after the end (18:00 for 16:00). `STRICT_WINDOWS` is the provincial
    style (check-in only until the start, check-out only from the end).
    """

    check_in_opens_before_start: timedelta = timedelta(minutes=90)
    check_in_closes_after_start: timedelta | None = None  # None: until the planned end
    check_out_opens_before_end: timedelta | None = None  # None: from the planned start
    check_out_closes_after_end: timedelta = timedelta(hours=2)


STRICT_WINDOWS = CheckWindows(
    check_in_closes_after_start=timedelta(0), check_out_opens_before_end=timedelta(0)
)


@dataclass(frozen=True)
class Shift:
    code: str
    start: datetime  # aware
    end: datetime  # aware; may fall on the next calendar day
    rests: tuple[tuple[datetime, datetime], ...] = ()

    @property
    def label(self) -> str:
        end_format = "%H:%M" if self.end.date() == self.start.date() else "%Y-%m-%d %H:%M"
        return f"{self.code} ({self.start:%Y-%m-%d %H:%M}-{self.end.strftime(end_format)})"


@dataclass(frozen=True)
class ShiftTemplate:
    """A named shift pattern; an end at or before the start means the next day."""

    code: str
    start: time
    end: time
    rests: tuple[RestWindow, ...] = ()

    def on(self, day: date, tz: tzinfo) -> Shift:
        start = datetime.combine(day, self.start, tzinfo=tz)
        rests = tuple(
            (_at_or_after(start, rest.start), _at_or_after(start, rest.end)) for rest in self.rests
        )
        return Shift(self.code, start, _at_or_after(start, self.end, strictly=True), rests)


@dataclass(frozen=True)
class ShiftRoster:
    """Dated shift assignments; construction rejects overlaps and malformed shifts."""

    shifts: tuple[Shift, ...]
    follows_holidays: bool = False

    def __post_init__(self) -> None:
        validate_shifts(self.shifts)
        object.__setattr__(self, "shifts", tuple(sorted(self.shifts, key=lambda s: s.start)))

    def shift_starting_on(self, day: date, tz: tzinfo) -> Shift | None:
        return next((s for s in self.shifts if s.start.astimezone(tz).date() == day), None)


@dataclass(frozen=True)
class RamadanPeriod:
    first_day: date
    last_day: date
    schedule: WeeklySchedule = RAMADAN_FIVE_DAY_WEEK


@dataclass(frozen=True)
class EmployeeSchedule:
    weekly: WeeklySchedule = FIVE_DAY_WEEK
    ramadan: tuple[RamadanPeriod, ...] = ()
    roster: ShiftRoster | None = None
    windows: CheckWindows = field(default_factory=CheckWindows)


@dataclass(frozen=True)
class PlannedDay:
    day: date  # the date the work starts on
    start: datetime
    end: datetime
    rests: tuple[tuple[datetime, datetime], ...] = ()
    windows: CheckWindows = field(default_factory=CheckWindows)
    source: str = "weekly"

    @property
    def check_in_window(self) -> tuple[datetime, datetime]:
        closes = self.windows.check_in_closes_after_start
        until = self.end if closes is None else self.start + closes
        return self.start - self.windows.check_in_opens_before_start, until

    @property
    def check_out_window(self) -> tuple[datetime, datetime]:
        opens = self.windows.check_out_opens_before_end
        since = self.start if opens is None else self.end - opens
        return since, self.end + self.windows.check_out_closes_after_end

    def accepts(self, kind: str, at: datetime) -> bool:
        first, last = self.check_in_window if kind == "check_in" else self.check_out_window
        return first <= at <= last

    @property
    def planned_minutes(self) -> int:
        return self.working_minutes_between(self.start, self.end)

    def working_minutes_between(self, first: datetime, last: datetime) -> int:
        """Working minutes of this day between two instants; rest windows do not count."""
        first, last = max(first, self.start), min(last, self.end)
        if last <= first:
            return 0
        seconds = (last - first).total_seconds()
        for rest_start, rest_end in self.rests:
            overlap = (min(last, rest_end) - max(first, rest_start)).total_seconds()
            seconds -= max(0.0, overlap)
        return int(seconds // 60)


def planned_workday(
    employee_schedule: EmployeeSchedule, calendar: WorkCalendar, day: date, tz: tzinfo
) -> PlannedDay | None:
    """The planned working day, or None when the date is not a working day (status L)."""
    windows = employee_schedule.windows
    roster = employee_schedule.roster
    if roster is not None:
        shift = roster.shift_starting_on(day, tz)
        if shift is None or (roster.follows_holidays and calendar.is_holiday(day)):
            return None
        return PlannedDay(day, shift.start, shift.end, shift.rests, windows, f"shift {shift.code}")
    if calendar.is_holiday(day):
        return None
    schedule, source = _weekly_for(employee_schedule, day)
    hours = schedule.hours_on(day.weekday())
    if hours is None:
        works_like = calendar.working_as(day)
        if works_like is None or (hours := schedule.hours_on(works_like)) is None:
            return None
        source = f"{source}, declared working like {WEEKDAY_NAMES[works_like]}"
    return _planned_from_hours(day, hours, tz, windows, source)


def _weekly_for(employee_schedule: EmployeeSchedule, day: date) -> tuple[WeeklySchedule, str]:
    for period in employee_schedule.ramadan:
        if period.first_day <= day <= period.last_day:
            return period.schedule, "ramadan"
    return employee_schedule.weekly, "weekly"


def _planned_from_hours(
    day: date, hours: DayHours, tz: tzinfo, windows: CheckWindows, source: str
) -> PlannedDay:
    at = partial(datetime.combine, day, tzinfo=tz)
    rests = tuple((at(rest.start), at(rest.end)) for rest in hours.rests)
    return PlannedDay(day, at(hours.start), at(hours.end), rests, windows, source)


def validate_schedule(
    schedule: EmployeeSchedule | WeeklySchedule,
    *,
    expected_weekly_minutes: int | None = None,
    expected_ramadan_minutes: int | None = None,
) -> None:
    """Raise ScheduleError listing every problem by field path; return None when usable."""
    if isinstance(schedule, WeeklySchedule):
        schedule = EmployeeSchedule(weekly=schedule)
    errors: dict[str, list[Problem]] = {}
    _weekly_errors(schedule.weekly, "weekly", expected_weekly_minutes, errors)
    for index, period in enumerate(schedule.ramadan):
        path = f"ramadan[{index}]"
        if period.last_day < period.first_day:
            _add(
                errors,
                f"{path}.last_day",
                "period_order",
                last=period.last_day,
                first=period.first_day,
            )
        for other_index, other in enumerate(schedule.ramadan[:index]):
            if period.first_day <= other.last_day and other.first_day <= period.last_day:
                _add(errors, path, "ramadan_overlap", other=other_index)
        _weekly_errors(period.schedule, path, expected_ramadan_minutes, errors)
    _window_errors(schedule.windows, errors)
    if errors:
        raise ScheduleError(errors)


def validate_shifts(shifts: Iterable[Shift]) -> None:
    """Raise ScheduleError naming malformed, overlapping or same-day shifts."""
    shifts = tuple(shifts)
    errors: dict[str, list[Problem]] = {}
    for index, shift in enumerate(shifts):
        _shift_errors(shift, f"shifts[{index}]", errors)
    if errors:  # overlaps cannot be judged on malformed shifts
        raise ScheduleError(errors)
    ordered = sorted(shifts, key=lambda shift: shift.start)
    for earlier, later in pairwise(ordered):
        if later.start < earlier.end:
            _add(errors, "shifts", "shift_overlap", earlier=earlier.label, later=later.label)
        elif later.start.date() == earlier.start.date():
            _add(errors, "shifts", "shift_same_day", earlier=earlier.label, later=later.label)
    if errors:
        raise ScheduleError(errors)


def _shift_errors(shift: Shift, path: str, errors: dict[str, list[Problem]]) -> None:
    if shift.start.tzinfo is None or shift.end.tzinfo is None:
        _add(errors, path, "shift_time_zone", code=shift.code)
        return
    if shift.end <= shift.start:
        _add(errors, f"{path}.end", "shift_ends_before", shift=shift.label)
    elif shift.end - shift.start > MAX_SHIFT:
        _add(errors, f"{path}.end", "shift_too_long", shift=shift.label)
    for rest_start, rest_end in shift.rests:
        if not shift.start <= rest_start < rest_end <= shift.end:
            _add(
                errors,
                f"{path}.rests",
                "shift_rest_outside",
                shift=shift.label,
                rest=f"{rest_start:%H:%M}",
            )


def _weekly_errors(
    schedule: WeeklySchedule, path: str, expected: int | None, errors: dict[str, list[Problem]]
) -> None:
    if len(schedule.days) != len(WEEKDAY_NAMES):
        _add(errors, f"{path}.days", "week_length", days=len(schedule.days))
        return
    for name, hours in zip(WEEKDAY_NAMES, schedule.days, strict=True):
        if hours is not None:
            _day_errors(hours, f"{path}.{name}", errors)
    if all(hours is None for hours in schedule.days):
        _add(errors, f"{path}.days", "no_working_day")
    elif expected is not None and schedule.weekly_minutes != expected:
        total = schedule.weekly_minutes
        _add(errors, f"{path}.weekly_minutes", "weekly_minutes", total=total, expected=expected)


def _day_errors(hours: DayHours, path: str, errors: dict[str, list[Problem]]) -> None:
    if hours.end <= hours.start:
        _add(
            errors,
            f"{path}.end",
            "end_not_after_start",
            end=f"{hours.end:%H:%M}",
            start=f"{hours.start:%H:%M}",
        )
        return
    day_span = f"{hours.start:%H:%M}-{hours.end:%H:%M}"
    for index, rest in enumerate(hours.rests):
        rest_path = f"{path}.rests[{index}]"
        if rest.end <= rest.start:
            _add(errors, rest_path, "rest_ends_before", rest=_span(rest))
        elif not (hours.start <= rest.start and rest.end <= hours.end):
            _add(errors, rest_path, "rest_outside", rest=_span(rest), day=day_span)
    ordered = sorted(hours.rests, key=lambda rest: rest.start)
    for earlier, later in pairwise(ordered):
        if later.start < earlier.end:
            _add(
                errors, f"{path}.rests", "rest_overlap", earlier=_span(earlier), later=_span(later)
            )


def _span(rest: RestWindow) -> str:
    return f"{rest.start:%H:%M}-{rest.end:%H:%M}"


def _window_errors(windows: CheckWindows, errors: dict[str, list[Problem]]) -> None:
    for item in fields(windows):
        value = getattr(windows, item.name)
        if value is not None and value < timedelta(0):
            _add(errors, f"windows.{item.name}", "negative_window")


def _at_or_after(start: datetime, moment: time, *, strictly: bool = False) -> datetime:
    candidate = datetime.combine(start.date(), moment, tzinfo=start.tzinfo)
    too_early = candidate <= start if strictly else candidate < start
    return candidate + timedelta(days=1) if too_early else candidate


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _add(errors: dict[str, list[Problem]], path: str, code: str, /, **values: object) -> None:
    errors.setdefault(path, []).append(Problem(code, **values))
