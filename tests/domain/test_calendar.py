from datetime import date

import holidays
import pytest

from hadir.domain.calendar import (
    CalendarError,
    CalendarOverride,
    HolidayInfo,
    HolidayKind,
    OverrideAction,
    WorkCalendar,
)

ADD, CANCEL, WORK = (
    OverrideAction.ADD_HOLIDAY,
    OverrideAction.CANCEL_HOLIDAY,
    OverrideAction.MARK_WORKING,
)


@pytest.fixture(scope="module")
def calendar_2025() -> WorkCalendar:
    return WorkCalendar.for_years([2025])


def test_the_installed_holidays_package_knows_public_and_government_categories_for_indonesia():
    supported = holidays.country_holidays("ID").supported_categories
    assert {holidays.PUBLIC, holidays.GOVERNMENT} <= set(supported)


@pytest.mark.parametrize(
    ("day", "name", "kind"),
    [
        (date(2025, 8, 17), "Hari Kemerdekaan Republik Indonesia", HolidayKind.NATIONAL),
        (date(2025, 3, 31), "Hari Raya Idul Fitri", HolidayKind.NATIONAL),
        (date(2025, 12, 25), "Hari Raya Natal", HolidayKind.NATIONAL),
        (date(2025, 4, 2), "Cuti Bersama Hari Raya Idul Fitri", HolidayKind.CUTI_BERSAMA),
        (date(2025, 12, 26), "Cuti Bersama Hari Raya Natal", HolidayKind.CUTI_BERSAMA),
    ],
)
def test_national_holidays_and_cuti_bersama_are_holidays(calendar_2025, day, name, kind):
    info = calendar_2025.is_holiday(day)
    assert info == HolidayInfo(day, name, kind, "holidays-package")


def test_an_ordinary_monday_is_not_a_holiday(calendar_2025):
    assert calendar_2025.is_holiday(date(2025, 7, 7)) is None


def test_cuti_bersama_can_be_left_out():
    calendar = WorkCalendar.for_years([2025], include_cuti_bersama=False)
    assert calendar.is_holiday(date(2025, 4, 2)) is None
    assert calendar.is_holiday(date(2025, 3, 31)) is not None


def test_islamic_dates_in_a_later_year_are_flagged_as_estimates():
    info = WorkCalendar.for_years([2030]).is_holiday(date(2030, 2, 4))
    assert info is not None
    assert info.estimated is True
    assert info.name == "Hari Raya Idul Fitri (perkiraan)"


def test_a_confirmed_date_is_not_an_estimate(calendar_2025):
    assert calendar_2025.is_holiday(date(2025, 3, 31)).estimated is False


def test_an_override_adds_a_regional_holiday():
    anniversary = CalendarOverride(
        date(2025, 7, 10), ADD, name="Hari Jadi Kabupaten", reference="Perbup 12/2025"
    )
    info = WorkCalendar.for_years([2025], [anniversary]).is_holiday(date(2025, 7, 10))
    assert info == HolidayInfo(
        date(2025, 7, 10),
        "Hari Jadi Kabupaten",
        HolidayKind.REGIONAL,
        "override",
        reference="Perbup 12/2025",
    )


def test_an_override_cancels_a_holiday_moved_by_decree():
    calendar = WorkCalendar.for_years([2025], [CalendarOverride(date(2025, 5, 30), CANCEL)])
    assert calendar.is_holiday(date(2025, 5, 30)) is None
    assert calendar.unused_overrides == ()


def test_cancelling_a_day_that_is_no_holiday_is_reported_as_unused(calendar_2025):
    stale = CalendarOverride(date(2025, 7, 8), CANCEL)
    calendar = WorkCalendar.for_years([2025], [stale])
    assert calendar.unused_overrides == (stale,)


def test_a_saturday_marked_working_takes_the_hours_of_the_named_weekday():
    saturday = CalendarOverride(date(2025, 7, 12), WORK, works_like_weekday=4)
    calendar = WorkCalendar.for_years([2025], [saturday])
    assert calendar.working_as(date(2025, 7, 12)) == 4
    assert calendar.working_as(date(2025, 7, 19)) is None


def test_marking_a_holiday_working_cancels_the_holiday():
    calendar = WorkCalendar.for_years([2025], [CalendarOverride(date(2025, 12, 26), WORK)])
    assert calendar.is_holiday(date(2025, 12, 26)) is None
    assert calendar.working_as(date(2025, 12, 26)) == 0


def test_a_later_override_for_the_same_date_wins():
    day = date(2025, 7, 10)
    entries = [CalendarOverride(day, ADD, name="Hari Jadi"), CalendarOverride(day, CANCEL)]
    assert WorkCalendar.for_years([2025], entries).is_holiday(day) is None


def test_overrides_for_other_years_are_left_out():
    entries = [CalendarOverride(date(2024, 7, 10), ADD, name="Hari Jadi")]
    calendar = WorkCalendar.for_years([2025], entries)
    assert calendar.holiday_by_day.get(date(2024, 7, 10)) is None


def test_a_date_outside_the_calendar_years_is_refused_not_guessed(calendar_2025):
    with pytest.raises(CalendarError, match="2026-01-05 is outside this calendar"):
        calendar_2025.is_holiday(date(2026, 1, 5))


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (CalendarOverride(date(2025, 7, 10), ADD, name=" "), "needs a name"),
        (CalendarOverride(date(2025, 7, 12), WORK, works_like_weekday=7), "0 \\(Monday\\) to 6"),
    ],
)
def test_a_malformed_override_is_refused(override, message):
    with pytest.raises(CalendarError, match=message):
        WorkCalendar.for_years([2025], [override])


def test_a_calendar_can_be_built_from_explicit_entries_without_the_package():
    entry = HolidayInfo(date(2025, 1, 1), "Tahun Baru", HolidayKind.NATIONAL, "snapshot")
    calendar = WorkCalendar.from_entries([2025], [entry])
    assert calendar.is_holiday(date(2025, 1, 1)) == entry
    assert calendar.is_holiday(date(2025, 3, 31)) is None


def test_holidays_between_lists_the_lebaran_week(calendar_2025):
    found = calendar_2025.holidays_between(date(2025, 3, 28), date(2025, 4, 7))
    assert [info.day.isoformat() for info in found] == [
        "2025-03-28",
        "2025-03-29",
        "2025-03-31",
        "2025-04-01",
        "2025-04-02",
        "2025-04-03",
        "2025-04-04",
        "2025-04-07",
    ]
