from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.calendar import CalendarOverride, OverrideAction, WorkCalendar
from hadir.domain.schedules import (
    FIVE_DAY_WEEK,
    RAMADAN_FIVE_DAY_WEEK,
    RAMADAN_SIX_DAY_WEEK,
    SIX_DAY_WEEK,
    STRICT_WINDOWS,
    CheckWindows,
    DayHours,
    EmployeeSchedule,
    RamadanPeriod,
    RestWindow,
    ScheduleError,
    Shift,
    ShiftRoster,
    ShiftTemplate,
    planned_workday,
    validate_schedule,
    validate_shifts,
    weekly,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
CALENDAR = WorkCalendar.for_years([2025])
MORNING = ShiftTemplate("PAGI", time(7), time(14))
EVENING = ShiftTemplate("SORE", time(14), time(21))
NIGHT = ShiftTemplate("MALAM", time(21), time(7), (RestWindow(time(1), time(1, 30)),))


def at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = WIB) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


@pytest.mark.parametrize(
    ("schedule", "minutes"),
    [
        (FIVE_DAY_WEEK, 2250),
        (SIX_DAY_WEEK, 2250),
        (RAMADAN_FIVE_DAY_WEEK, 1950),
        (RAMADAN_SIX_DAY_WEEK, 1950),
    ],
)
def test_default_weeks_sum_to_the_regulated_hours(schedule, minutes):
    assert schedule.weekly_minutes == minutes
    validate_schedule(schedule, expected_weekly_minutes=minutes)


@pytest.mark.parametrize(
    ("day", "start", "end", "rests"),
    [
        (date(2025, 7, 7), (7, 30), (16, 0), [((12, 0), (13, 0))]),  # Monday
        (date(2025, 7, 10), (7, 30), (16, 0), [((12, 0), (13, 0))]),  # Thursday
        (date(2025, 7, 11), (7, 30), (16, 30), [((11, 30), (13, 0))]),  # Friday
    ],
)
def test_the_five_day_week_plans_aware_start_and_end(day, start, end, rests):
    planned = planned_workday(EmployeeSchedule(), CALENDAR, day, WIB)
    assert (planned.start, planned.end) == (at(day, *start), at(day, *end))
    assert planned.rests == tuple((at(day, *a), at(day, *b)) for a, b in rests)
    assert planned.planned_minutes == 450


def test_a_weekend_day_is_not_a_working_day_in_a_five_day_week():
    assert planned_workday(EmployeeSchedule(), CALENDAR, date(2025, 7, 12), WIB) is None


def test_saturday_is_a_short_working_day_in_a_six_day_week():
    planned = planned_workday(EmployeeSchedule(SIX_DAY_WEEK), CALENDAR, date(2025, 7, 12), WIB)
    day = date(2025, 7, 12)
    assert (planned.start, planned.end, planned.planned_minutes) == (
        at(day, 7, 30),
        at(day, 13),
        330,
    )


@pytest.mark.parametrize("day", [date(2025, 12, 25), date(2025, 8, 18), date(2025, 4, 7)])
def test_a_holiday_or_cuti_bersama_is_not_a_working_day(day):
    assert planned_workday(EmployeeSchedule(), CALENDAR, day, WIB) is None


def test_the_time_zone_is_the_employees_own():
    planned = planned_workday(EmployeeSchedule(), CALENDAR, date(2025, 7, 7), WITA)
    assert planned.start.utcoffset() == timedelta(hours=8)
    assert planned.start == datetime(2025, 7, 6, 23, 30, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("day", "start", "end", "rest"),
    [
        (date(2025, 3, 3), (8, 0), (15, 0), ((12, 0), (12, 30))),
        (date(2025, 3, 7), (8, 0), (15, 30), ((11, 30), (12, 30))),
    ],
)
def test_ramadan_hours_replace_the_week_within_the_period(day, start, end, rest):
    schedule = EmployeeSchedule(ramadan=(RamadanPeriod(date(2025, 3, 1), date(2025, 3, 29)),))
    planned = planned_workday(schedule, CALENDAR, day, WIB)
    assert (planned.start, planned.end) == (at(day, *start), at(day, *end))
    assert planned.rests == ((at(day, *rest[0]), at(day, *rest[1])),)
    assert planned.source == "ramadan"


def test_ramadan_hours_stop_after_the_last_day():
    schedule = EmployeeSchedule(ramadan=(RamadanPeriod(date(2025, 3, 1), date(2025, 3, 29)),))
    planned = planned_workday(schedule, CALENDAR, date(2025, 4, 8), WIB)
    assert planned.start == at(date(2025, 4, 8), 7, 30)


def test_a_saturday_declared_working_takes_the_hours_it_names():
    override = CalendarOverride(
        date(2025, 7, 12), OverrideAction.MARK_WORKING, works_like_weekday=4
    )
    calendar = WorkCalendar.for_years([2025], [override])
    planned = planned_workday(EmployeeSchedule(), calendar, date(2025, 7, 12), WIB)
    assert planned.end == at(date(2025, 7, 12), 16, 30)
    assert planned.source == "weekly, declared working like friday"


def test_a_night_shift_ends_the_next_morning_and_belongs_to_the_day_it_starts():
    day = date(2025, 3, 1)
    roster = ShiftRoster((NIGHT.on(day, WIB),))
    planned = planned_workday(EmployeeSchedule(roster=roster), CALENDAR, day, WIB)
    next_day = date(2025, 3, 2)
    assert (planned.start, planned.end) == (at(day, 21), at(next_day, 7))
    assert planned.rests == ((at(next_day, 1), at(next_day, 1, 30)),)
    assert planned.planned_minutes == 570
    assert planned_workday(EmployeeSchedule(roster=roster), CALENDAR, next_day, WIB) is None


def test_a_rostered_shift_is_worked_on_a_holiday_unless_the_roster_follows_holidays():
    christmas = date(2025, 12, 25)
    shifts = (MORNING.on(christmas, WIB),)
    worked = planned_workday(EmployeeSchedule(roster=ShiftRoster(shifts)), CALENDAR, christmas, WIB)
    office = ShiftRoster(shifts, follows_holidays=True)
    assert worked.start == at(christmas, 7)
    assert planned_workday(EmployeeSchedule(roster=office), CALENDAR, christmas, WIB) is None


def test_overlapping_shifts_are_rejected_naming_both():
    day = date(2025, 3, 1)
    afternoon = ShiftTemplate("SIANG", time(13), time(21))
    with pytest.raises(ScheduleError) as error:
        ShiftRoster((afternoon.on(day, WIB), MORNING.on(day, WIB)))
    assert error.value.errors == {
        "shifts": ["PAGI (2025-03-01 07:00-14:00) overlaps SIANG (2025-03-01 13:00-21:00)"]
    }


def test_a_shift_starting_when_the_night_shift_ends_does_not_overlap():
    roster = ShiftRoster((NIGHT.on(date(2025, 3, 1), WIB), EVENING.on(date(2025, 3, 2), WIB)))
    assert [shift.code for shift in roster.shifts] == ["MALAM", "SORE"]


def test_a_morning_shift_right_after_a_night_shift_overlaps_by_an_hour():
    early = ShiftTemplate("PAGI", time(6), time(14))
    with pytest.raises(ScheduleError) as error:
        validate_shifts([early.on(date(2025, 3, 2), WIB), NIGHT.on(date(2025, 3, 1), WIB)])
    assert error.value.errors == {
        "shifts": [
            "MALAM (2025-03-01 21:00-2025-03-02 07:00) overlaps PAGI (2025-03-02 06:00-14:00)"
        ]
    }


def test_two_shifts_starting_on_the_same_day_are_rejected():
    day = date(2025, 3, 1)
    with pytest.raises(ScheduleError) as error:
        ShiftRoster((MORNING.on(day, WIB), NIGHT.on(day, WIB)))
    assert error.value.errors == {
        "shifts": [
            "PAGI (2025-03-01 07:00-14:00) and MALAM (2025-03-01 21:00-2025-03-02 07:00) "
            "start on the same day"
        ]
    }


@pytest.mark.parametrize(
    ("shift", "path", "message"),
    [
        (
            Shift("X", datetime(2025, 3, 1, 7), datetime(2025, 3, 1, 14)),
            "shifts[0]",
            "X: start and end must carry a time zone",
        ),
        (
            Shift("X", at(date(2025, 3, 1), 14), at(date(2025, 3, 1), 7)),
            "shifts[0].end",
            "X (2025-03-01 14:00-07:00) ends before it starts",
        ),
        (
            Shift("X", at(date(2025, 3, 1), 7), at(date(2025, 3, 2), 8)),
            "shifts[0].end",
            "X (2025-03-01 07:00-2025-03-02 08:00) lasts more than 24 hours",
        ),
    ],
)
def test_a_malformed_shift_is_rejected(shift, path, message):
    with pytest.raises(ScheduleError) as error:
        ShiftRoster((shift,))
    assert error.value.errors == {path: [message]}


_BAD_MONDAY = DayHours(time(7, 30), time(7, 0))
_REST_OUTSIDE = DayHours(time(7, 30), time(11, 0), (RestWindow(time(11, 30), time(12)),))
_RESTS_OVERLAP = DayHours(
    time(7, 30),
    time(16),
    (RestWindow(time(12), time(13)), RestWindow(time(12, 30), time(13, 30))),
)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (
            EmployeeSchedule(weekly("x", monday=_BAD_MONDAY)),
            {"weekly.monday.end": ["end 07:00 is not after start 07:30"]},
        ),
        (
            EmployeeSchedule(weekly("x", friday=_REST_OUTSIDE)),
            {"weekly.friday.rests[0]": ["rest 11:30-12:00 is outside 07:30-11:00"]},
        ),
        (
            EmployeeSchedule(weekly("x", monday=_RESTS_OVERLAP)),
            {"weekly.monday.rests": ["rest 12:00-13:00 overlaps 12:30-13:30"]},
        ),
        (EmployeeSchedule(weekly("x")), {"weekly.days": ["the schedule has no working day"]}),
        (
            EmployeeSchedule(ramadan=(RamadanPeriod(date(2025, 3, 29), date(2025, 3, 1)),)),
            {"ramadan[0].last_day": ["2025-03-01 is before 2025-03-29"]},
        ),
        (
            EmployeeSchedule(
                ramadan=(
                    RamadanPeriod(date(2025, 3, 1), date(2025, 3, 29)),
                    RamadanPeriod(date(2025, 3, 20), date(2025, 4, 5)),
                )
            ),
            {"ramadan[1]": ["overlaps ramadan[0]"]},
        ),
        (
            EmployeeSchedule(windows=CheckWindows(check_out_closes_after_end=timedelta(-1))),
            {"windows.check_out_closes_after_end": ["must not be negative"]},
        ),
    ],
)
def test_validate_schedule_names_the_faulty_field(schedule, expected):
    with pytest.raises(ScheduleError) as error:
        validate_schedule(schedule)
    assert error.value.errors == expected


def test_validate_schedule_checks_the_weekly_total_when_asked():
    short = weekly("x", monday=FIVE_DAY_WEEK.days[0])
    with pytest.raises(ScheduleError) as error:
        validate_schedule(short, expected_weekly_minutes=2250)
    assert error.value.errors == {
        "weekly.weekly_minutes": ["the week sums to 450 minutes, expected 2250"]
    }


def test_validate_schedule_reports_every_problem_at_once():
    schedule = EmployeeSchedule(
        weekly("x", monday=_BAD_MONDAY, friday=_REST_OUTSIDE),
        windows=CheckWindows(check_in_opens_before_start=timedelta(minutes=-5)),
    )
    with pytest.raises(ScheduleError) as error:
        validate_schedule(schedule)
    assert sorted(error.value.errors) == [
        "weekly.friday.rests[0]",
        "weekly.monday.end",
        "windows.check_in_opens_before_start",
    ]
    assert "weekly.monday.end: end 07:00 is not after start 07:30" in str(error.value)


def test_an_unknown_weekday_name_is_refused():
    with pytest.raises(ScheduleError, match="unknown weekday mondya"):
        weekly("x", mondya=FIVE_DAY_WEEK.days[0])


@pytest.mark.parametrize(
    ("windows", "check_in", "check_out"),
    [
        (CheckWindows(), ((6, 0), (16, 0)), ((7, 30), (18, 0))),
        (STRICT_WINDOWS, ((6, 0), (7, 30)), ((16, 0), (18, 0))),
    ],
)
def test_acceptance_windows_follow_the_planned_day(windows, check_in, check_out):
    day = date(2025, 7, 7)
    planned = planned_workday(EmployeeSchedule(windows=windows), CALENDAR, day, WIB)
    assert planned.check_in_window == (at(day, *check_in[0]), at(day, *check_in[1]))
    assert planned.check_out_window == (at(day, *check_out[0]), at(day, *check_out[1]))


@pytest.mark.parametrize(
    ("kind", "hour", "minute", "accepted"),
    [
        ("check_in", 5, 59, False),
        ("check_in", 6, 0, True),
        ("check_in", 7, 30, True),
        ("check_in", 7, 31, False),
        ("check_out", 15, 59, False),
        ("check_out", 16, 0, True),
        ("check_out", 18, 0, True),
        ("check_out", 18, 1, False),
    ],
)
def test_strict_windows_accept_only_their_edges(kind, hour, minute, accepted):
    day = date(2025, 7, 7)
    planned = planned_workday(EmployeeSchedule(windows=STRICT_WINDOWS), CALENDAR, day, WIB)
    assert planned.accepts(kind, at(day, hour, minute)) is accepted


def test_a_night_shift_accepts_its_check_out_on_the_next_calendar_day():
    planned = planned_workday(
        EmployeeSchedule(roster=ShiftRoster((NIGHT.on(date(2025, 3, 1), WIB),))),
        CALENDAR,
        date(2025, 3, 1),
        WIB,
    )
    assert planned.accepts("check_out", at(date(2025, 3, 2), 8, 59))
    assert not planned.accepts("check_out", at(date(2025, 3, 2), 9, 1))


@pytest.mark.parametrize(
    ("first", "last", "minutes"),
    [
        ((7, 30), (12, 0), 270),
        ((7, 30), (13, 0), 270),
        ((7, 30), (13, 30), 300),
        ((12, 15), (12, 45), 0),
        ((6, 0), (7, 40), 10),
        ((15, 0), (18, 0), 60),
    ],
)
def test_working_minutes_leave_out_the_rest_window(first, last, minutes):
    day = date(2025, 7, 7)
    planned = planned_workday(EmployeeSchedule(), CALENDAR, day, WIB)
    assert planned.working_minutes_between(at(day, *first), at(day, *last)) == minutes
