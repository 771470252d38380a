"""compute_days on real rows: evidence in, DailyStatus out, recomputed when an input changes."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hadir.attendance import services
from hadir.attendance.models import (
    CalendarOverride,
    DailyStatus,
    MonthClosure,
    ScheduleKind,
    ShiftRosterEntry,
    WorkSchedule,
)
from hadir.attendance.services import compute_days, recompute, save_calendar_override
from tests.attendance.conftest import at, record, workday
from tests.factories import make_employee, make_workplace

pytestmark = pytest.mark.django_db
OCT = date(2026, 10, 1)


def codes(employee, first=OCT, last=date(2026, 10, 31)):
    rows = DailyStatus.objects.filter(employee=employee, date__range=(first, last))
    return {row.date.day: row.codes for row in rows.order_by("date")}


def test_it_computes_a_week_from_the_evidence_and_skips_unchanged_days(regency):
    e = regency.employee
    workday(e, date(2026, 10, 1))
    workday(e, date(2026, 10, 2), "08:05", "16:35")  # Friday ends 16:30
    workday(e, date(2026, 10, 5), "07:20", "15:00")
    workday(e, date(2026, 10, 6), None, "16:10")
    result = compute_days([e], OCT, date(2026, 10, 7))
    assert result.written == 7
    assert codes(e) == {1: "H", 2: "TL2", 3: "L", 4: "L", 5: "PSW2", 6: "TL4", 7: "TK"}
    late = DailyStatus.objects.get(employee=e, date=date(2026, 10, 2))
    assert (late.late_minutes, late.early_minutes) == (35, 0)
    assert late.explanation["plan"]["start"].startswith("2026-10-02T07:30")
    note = next(n for n in late.explanation["notes"] if n["rule"] == "late")
    assert note["values"] == {"at": "08:05", "planned": "07:30", "minutes": 35, "code": "TL2"}
    again = compute_days([e], OCT, date(2026, 10, 7))
    assert (again.written, again.unchanged) == (0, 7)


def test_a_rejected_record_is_ignored_and_named(regency):
    e = regency.employee
    rejected = record(e, "check_in", at(OCT, "07:20"), outcome="rejected")
    record(e, "check_in", at(OCT, "07:50"), outcome="accepted_with_warnings")
    record(e, "check_out", at(OCT, "16:01"))
    compute_days([e], OCT, OCT)
    row = DailyStatus.objects.get(employee=e, date=OCT)
    assert row.codes == "TL1"
    ignored = [n for n in row.explanation["notes"] if n["rule"] == "ignored_rejected"]
    assert ignored[0]["events"] == [f"#{rejected.pk}"]


def test_days_after_today_are_not_computed(regency):
    result = compute_days([regency.employee], OCT, date(2026, 10, 31), today=date(2026, 10, 6))
    assert result.days == 6
    assert max(codes(regency.employee)) == 6


def test_a_holiday_added_after_the_fact_recomputes_the_day_to_L(regency):
    e = regency.employee
    workday(e, date(2026, 10, 7))
    compute_days([e], OCT, date(2026, 10, 8))
    assert codes(e)[7] == "H"
    assert codes(e)[8] == "TK"
    override = CalendarOverride(
        date=date(2026, 10, 8),
        action="add_holiday",
        name="Hari Jadi Kabupaten",
        kind="regional",
        reference="Perbup 12/2026",
    )
    result = save_calendar_override(override, by="user:bkpsdm")
    assert result.written == DailyStatus.objects.filter(date=date(2026, 10, 8)).count()
    assert codes(e)[8] == "L"
    services.delete_calendar_override(override)
    assert codes(e)[8] == "TK"


def test_an_opd_holiday_applies_to_that_opd_only(regency):
    opd, office = regency.other_opd()
    nurse = make_employee(opd, [office], name="Sari")
    save_calendar_override(
        CalendarOverride(
            date=date(2026, 10, 8), action="add_holiday", name="Hari Jadi RSUD", opd=opd
        )
    )
    compute_days([regency.employee, nurse], date(2026, 10, 8), date(2026, 10, 8))
    assert codes(nurse)[8] == "L"
    assert codes(regency.employee)[8] == "TK"


def test_a_saturday_declared_working_is_planned_like_its_weekday(regency):
    e = regency.employee
    save_calendar_override(
        CalendarOverride(
            date=date(2026, 10, 10),
            action="mark_working",
            name="Pengganti cuti bersama",
            works_like_weekday=4,
        )
    )
    workday(e, date(2026, 10, 10), "07:30", "16:30")
    compute_days([e], date(2026, 10, 10), date(2026, 10, 11))
    assert codes(e) == {10: "H", 11: "L"}


def test_a_night_shift_across_midnight_end_to_end(regency):
    nurse = regency.employee
    roster = WorkSchedule.objects.create(name="Shift RSUD", kind=ScheduleKind.ROSTER)
    services.assign_schedule(nurse, roster, date(2026, 9, 1))
    night = ShiftRosterEntry(
        employee=nurse,
        code="M",
        start=at(date(2026, 10, 5), "21:00"),
        end=at(date(2026, 10, 6), "07:00"),
    )
    services.save_shift(night)
    services.save_shift(
        ShiftRosterEntry(
            employee=nurse,
            code="M",
            start=at(date(2026, 10, 7), "21:00"),
            end=at(date(2026, 10, 8), "07:00"),
        )
    )
    record(nurse, "check_in", at(date(2026, 10, 5), "20:55"))
    record(nurse, "check_out", at(date(2026, 10, 6), "07:03"))
    record(nurse, "check_in", at(date(2026, 10, 7), "21:40"))
    compute_days([nurse], date(2026, 10, 5), date(2026, 10, 8))
    week = codes(nurse, date(2026, 10, 5), date(2026, 10, 8))
    assert week == {5: "H", 6: "L", 7: "TL2+PSW4", 8: "L"}
    assert night.date == date(2026, 10, 5)
    day = DailyStatus.objects.get(employee=nurse, date=date(2026, 10, 5))
    assert day.explanation["plan"]["source"] == "shift M"


def test_an_overlapping_shift_is_refused(regency):
    from django.core.exceptions import ValidationError

    nurse = regency.employee
    services.save_shift(
        ShiftRosterEntry(
            employee=nurse, code="M", start=at(OCT, "21:00"), end=at(date(2026, 10, 2), "07:00")
        )
    )
    with pytest.raises(ValidationError) as caught:
        services.save_shift(
            ShiftRosterEntry(
                employee=nurse,
                code="P",
                start=at(date(2026, 10, 2), "06:00"),
                end=at(date(2026, 10, 2), "14:00"),
            )
        )
    assert "bertumpang tindih dengan" in str(caught.value)  # said in Indonesian
    assert ShiftRosterEntry.objects.count() == 1


def test_a_new_assignment_closes_the_previous_one(regency):
    e = regency.employee
    six = WorkSchedule.objects.create(
        name="6 hari",
        weekly={
            "monday": {"start": "07:30", "end": "15:00"},
            "saturday": {"start": "07:30", "end": "13:00"},
        },
    )
    five = WorkSchedule.objects.create(name="5 hari")
    first = services.assign_schedule(e, six, date(2026, 9, 1))
    services.assign_schedule(e, five, date(2026, 10, 5))
    first.refresh_from_db()
    assert first.valid_to == date(2026, 10, 4)
    with pytest.raises(services.AttendanceError) as caught:
        services.assign_schedule(e, six, date(2026, 10, 1))
    assert "valid_from" in caught.value.errors
    workday(e, date(2026, 10, 3), "07:30", "13:00")
    compute_days([e], date(2026, 10, 3), date(2026, 10, 10))
    assert codes(e)[3] == "H"  # a Saturday under the 6-day schedule
    assert codes(e)[10] == "L"  # a Saturday under the 5-day week


def test_the_employee_zone_is_their_workplace_zone(regency):
    wita = make_workplace(regency.opd, "KANTOR-WITA", time_zone="Asia/Makassar")
    e = make_employee(regency.opd, [wita], name="Wayan")
    makassar = ZoneInfo("Asia/Makassar")
    record(e, "check_in", datetime(2026, 10, 1, 7, 29, tzinfo=makassar))  # 06:29 WIB
    record(e, "check_out", datetime(2026, 10, 1, 16, 0, tzinfo=makassar))
    compute_days([e], OCT, OCT)
    assert codes(e) == {1: "H"}


def test_a_closed_month_is_frozen(regency):
    e = regency.employee
    compute_days([e], OCT, date(2026, 10, 31))
    MonthClosure.objects.create(month=OCT)
    workday(e, date(2026, 10, 5))  # evidence arriving late changes nothing now
    result = recompute(OCT, date(2026, 10, 31))
    assert codes(e)[5] == "TK"
    # Stored days stay; the other employees' missing days are filled in.
    assert (result.frozen, result.written) == (31, 62)


def test_days_outside_the_active_period_have_no_row(regency):
    e = regency.employee
    compute_days([e], OCT, date(2026, 10, 9))
    e.active_to = date(2026, 10, 6)
    e.save()
    compute_days([e], OCT, date(2026, 10, 9))
    assert max(codes(e)) == 6


def test_ramadan_hours_replace_the_week(regency):
    from hadir.attendance.models import RamadanPeriod

    e = regency.employee
    schedule = WorkSchedule.objects.create(name="Reguler", is_default=True)
    RamadanPeriod.objects.create(
        schedule=schedule, first_day=date(2026, 10, 5), last_day=date(2026, 10, 9)
    )
    workday(e, date(2026, 10, 5), "07:55", "15:00")  # Ramadan: 08:00-15:00
    compute_days([e], date(2026, 10, 5), date(2026, 10, 5))
    assert codes(e)[5] == "H"


def test_a_day_stored_meanwhile_by_another_computation_is_overwritten(regency, monkeypatch):
    from hadir.attendance import selectors

    e = regency.employee
    compute_days([e], OCT, date(2026, 10, 2))
    workday(e, OCT)
    load = selectors.load_chunk

    def unaware_of_stored_rows(*args):
        people = load(*args)
        for person in people.values():
            person.stored.clear()  # as if the rows were written after this run loaded
        return people

    monkeypatch.setattr(selectors, "load_chunk", unaware_of_stored_rows)
    result = compute_days([e], OCT, date(2026, 10, 2))
    assert result.written == 2
    assert codes(e) == {1: "H", 2: "TK"}
