from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.calendar import CalendarOverride, OverrideAction, WorkCalendar
from hadir.domain.schedules import (
    EmployeeSchedule,
    RestWindow,
    ShiftRoster,
    ShiftTemplate,
    planned_workday,
)
from hadir.domain.status import (
    AttendanceEvent,
    Correction,
    CorrectionError,
    DayStatus,
    LeaveDay,
    LeavePortion,
    Phase,
    StatusPolicy,
    apply_correction,
    band,
    daily_status,
    status_at,
)

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = date(2025, 7, 7)
CALENDAR = WorkCalendar.for_years([2025])
PLANNED = planned_workday(EmployeeSchedule(), CALENDAR, MONDAY, WIB)  # 07:30-16:00
START = datetime(2025, 7, 7, 7, 30, tzinfo=WIB)
END = datetime(2025, 7, 7, 16, 0, tzinfo=WIB)


def check_in(at: datetime, event_id: str = "in", accepted: bool = True) -> AttendanceEvent:
    return AttendanceEvent(event_id, "check_in", at, accepted)


def check_out(at: datetime, event_id: str = "out", accepted: bool = True) -> AttendanceEvent:
    return AttendanceEvent(event_id, "check_out", at, accepted)


def on_monday(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 7, 7, hour, minute, second, tzinfo=WIB)


ON_TIME = [check_in(on_monday(7, 20)), check_out(on_monday(16, 5))]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (480, 4)],
)
def test_band_edges(minutes, expected):
    assert band(minutes, (30, 60, 90)) == expected


@pytest.mark.parametrize(
    ("minutes_late", "codes"),
    [
        (0, ("H",)),
        (1, ("TL1",)),
        (30, ("TL1",)),
        (31, ("TL2",)),
        (60, ("TL2",)),
        (61, ("TL3",)),
        (90, ("TL3",)),
        (91, ("TL4",)),
    ],
)
def test_a_check_in_is_banded_by_minutes_late(minutes_late, codes):
    events = [check_in(START + timedelta(minutes=minutes_late)), check_out(END)]
    status = daily_status(PLANNED, [], events, StatusPolicy())
    assert (status.codes, status.late_minutes, status.early_minutes) == (codes, minutes_late, 0)


@pytest.mark.parametrize(
    ("minutes_early", "codes"),
    [
        (0, ("H",)),
        (1, ("PSW1",)),
        (30, ("PSW1",)),
        (31, ("PSW2",)),
        (60, ("PSW2",)),
        (61, ("PSW3",)),
        (90, ("PSW3",)),
        (91, ("PSW4",)),
    ],
)
def test_a_check_out_is_banded_by_minutes_early(minutes_early, codes):
    events = [check_in(START), check_out(END - timedelta(minutes=minutes_early))]
    status = daily_status(PLANNED, [], events, StatusPolicy())
    assert (status.codes, status.late_minutes, status.early_minutes) == (codes, 0, minutes_early)


def test_a_check_in_31_minutes_late_is_tl2():
    status = daily_status(PLANNED, [], [check_in(on_monday(8, 1)), check_out(END)])
    assert status.codes == ("TL2",)
    assert status.decided_by == ("in", "out")


def test_a_day_can_be_late_and_early_at_once():
    status = daily_status(PLANNED, [], [check_in(on_monday(8, 5)), check_out(on_monday(15, 40))])
    assert (status.codes, status.late_minutes, status.early_minutes) == (("TL2", "PSW1"), 35, 20)


def test_no_check_in_is_tl4_without_invented_minutes():
    status = daily_status(PLANNED, [], [check_out(END)])
    assert (status.codes, status.late_minutes) == (("TL4",), 0)
    assert status.explanation[0].rule == "no_check_in"


def test_no_check_out_is_psw4():
    status = daily_status(PLANNED, [], [check_in(START)])
    assert (status.codes, status.early_minutes) == (("PSW4",), 0)


def test_minutes_for_a_missing_record_are_configurable():
    policy = StatusPolicy(missing_record_minutes=90)
    status = daily_status(PLANNED, [], [check_in(START)], policy)
    assert (status.codes, status.early_minutes) == (("PSW4",), 90)


def test_no_record_at_all_on_a_working_day_is_tk():
    status = daily_status(PLANNED, [], [])
    assert (status.codes, status.late_minutes, status.early_minutes) == (("TK",), 0, 0)
    assert status.is_absent


def test_a_check_in_rejected_by_the_pipeline_is_ignored():
    events = [check_in(START, "fake-gps", accepted=False), check_out(END)]
    status = daily_status(PLANNED, [], events)
    assert status.codes == ("TL4",)
    assert status.decided_by == ("out",)
    rejected = [item for item in status.explanation if item.rule == "ignored_rejected"]
    assert rejected[0].event_ids == ("fake-gps",)
    assert rejected[0].decisive is False


def test_only_rejected_records_leave_the_day_tk():
    events = [check_in(START, "a", False), check_out(END, "b", False)]
    assert daily_status(PLANNED, [], events).codes == ("TK",)


def test_of_two_check_ins_the_earliest_counts():
    events = [check_in(on_monday(8, 10), "second"), check_in(on_monday(7, 25), "first")]
    status = daily_status(PLANNED, [], [*events, check_out(END)])
    assert status.codes == ("H",)
    assert status.decided_by == ("first", "out")


def test_of_two_check_outs_the_latest_counts():
    events = [check_in(START), check_out(on_monday(12), "lunch"), check_out(on_monday(16), "home")]
    status = daily_status(PLANNED, [], events)
    assert status.codes == ("H",)
    assert status.decided_by == ("in", "home")


def test_a_check_out_before_the_check_in_does_not_count():
    events = [check_out(on_monday(7, 40), "stray"), check_in(on_monday(7, 50))]
    status = daily_status(PLANNED, [], events)
    assert (status.codes, status.late_minutes) == (("TL1", "PSW4"), 20)


def test_an_offline_check_in_counts_at_its_time_of_record():
    # Recorded at 07:20 without network, uploaded at 10:00: the time of record is passed in.
    status = daily_status(PLANNED, [], [check_in(on_monday(7, 20), "offline"), check_out(END)])
    assert status.codes == ("H",)


def test_seconds_are_dropped_as_on_the_recap():
    events = [check_in(on_monday(7, 30, 59)), check_out(on_monday(15, 59, 30))]
    status = daily_status(PLANNED, [], events)
    assert (status.codes, status.late_minutes, status.early_minutes) == (("PSW1",), 0, 1)


def test_times_stored_in_utc_are_judged_in_the_local_time_zone():
    utc = ZoneInfo("UTC")
    events = [check_in(datetime(2025, 7, 7, 0, 45, tzinfo=utc)), check_out(END)]
    status = daily_status(PLANNED, [], events)
    assert (status.codes, status.late_minutes) == (("TL1",), 15)


def test_lateness_leaves_out_the_rest_window():
    status = daily_status(PLANNED, [], [check_in(on_monday(13, 30)), check_out(END)])
    assert (status.codes, status.late_minutes) == (("TL4",), 300)


@pytest.mark.parametrize(
    ("minutes_late", "codes", "counted"),
    [(5, ("H",), 0), (6, ("TL1",), 6), (36, ("TL2",), 36)],
)
def test_grace_minutes_are_a_threshold_not_an_allowance(minutes_late, codes, counted):
    policy = StatusPolicy(late_grace_minutes=5)
    events = [check_in(START + timedelta(minutes=minutes_late)), check_out(END)]
    status = daily_status(PLANNED, [], events, policy)
    assert (status.codes, status.late_minutes) == (codes, counted)


def test_records_of_another_day_do_not_count():
    sunday = datetime(2025, 7, 6, 7, 30, tzinfo=WIB)
    assert daily_status(PLANNED, [], [check_in(sunday), check_out(sunday)]).codes == ("TK",)


NIGHT = ShiftTemplate("MALAM", time(21), time(7), (RestWindow(time(1), time(1, 30)),))
ROSTER = ShiftRoster((NIGHT.on(date(2025, 3, 1), WIB), NIGHT.on(date(2025, 3, 2), WIB)))


def night(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("events", "codes", "late", "early"),
    [
        ([check_in(night(1, 21, 10)), check_out(night(2, 6, 30))], ("TL1", "PSW1"), 10, 30),
        ([check_in(night(1, 20, 55)), check_out(night(2, 7, 5))], ("H",), 0, 0),
        # 06:55 on 1 March closes the previous night's shift, not this one.
        ([check_out(night(1, 6, 55)), check_in(night(1, 21))], ("PSW4",), 0, 0),
        ([check_in(night(1, 21)), check_out(night(2, 1, 15))], ("PSW4",), 0, 330),
    ],
)
def test_a_night_shift_is_judged_across_midnight(events, codes, late, early):
    planned = planned_workday(EmployeeSchedule(roster=ROSTER), CALENDAR, date(2025, 3, 1), WIB)
    status = daily_status(planned, [], events)
    assert (status.codes, status.late_minutes, status.early_minutes) == (codes, late, early)


MORNING_I = [LeaveDay("I", "morning")]
AFTERNOON_CT = [LeaveDay("CT", "afternoon")]


@pytest.mark.parametrize(
    ("leave", "events", "codes", "late", "early"),
    [
        (MORNING_I, [check_in(on_monday(12, 55)), check_out(END)], ("I", "H"), 0, 0),
        (MORNING_I, [check_out(on_monday(15))], ("I", "PSW2"), 0, 60),
        (MORNING_I, [], ("I", "PSW4"), 0, 0),
        (AFTERNOON_CT, [check_in(START), check_out(on_monday(12))], ("CT", "H"), 0, 0),
        (AFTERNOON_CT, [check_in(on_monday(8))], ("CT", "TL1"), 30, 0),
        ([*MORNING_I, LeaveDay("DL", "afternoon")], [], ("I", "DL"), 0, 0),
        ([LeaveDay("S", "morning"), LeaveDay("S", "afternoon")], ON_TIME, ("S",), 0, 0),
    ],
)
def test_half_day_leave_excuses_its_half_only(leave, events, codes, late, early):
    status = daily_status(PLANNED, leave, events)
    assert (status.codes, status.late_minutes, status.early_minutes) == (codes, late, early)


@pytest.mark.parametrize("code", ["I", "S", "CT", "CB", "CS", "CM", "CAP", "CBer", "CLTN", "TB"])
def test_a_full_day_leave_gives_its_code(code):
    assert daily_status(PLANNED, [LeaveDay(code)], []).codes == (code,)


def test_dinas_luar_is_dl_regardless_of_records():
    status = daily_status(PLANNED, [LeaveDay("DL", reference="ST/12/2025")], ON_TIME)
    assert status.codes == ("DL",)
    assert status.decided_by == ()
    assert status.explanation[-1].event_ids == ("in", "out")


def test_of_two_full_day_leaves_dinas_luar_wins():
    status = daily_status(PLANNED, [LeaveDay("CT"), LeaveDay("DL")], [])
    assert status.codes == ("DL",)
    assert (status.explanation[1].rule, status.explanation[1].values) == (
        "leave_set_aside",
        {"codes": "CT"},
    )


def test_leave_approved_after_the_fact_turns_tk_into_the_leave_code_on_recompute():
    before = daily_status(PLANNED, [], [])
    after = daily_status(PLANNED, [LeaveDay("S", LeavePortion.FULL)], [])
    assert (before.codes, after.codes) == (("TK",), ("S",))


def test_a_holiday_declared_after_the_fact_turns_the_day_into_l_on_recompute():
    events = [check_in(on_monday(8, 5)), check_out(on_monday(15))]
    assert daily_status(PLANNED, [], events).codes == ("TL2", "PSW2")
    decree = CalendarOverride(MONDAY, OverrideAction.ADD_HOLIDAY, name="Libur Pilkada")
    calendar = WorkCalendar.for_years([2025], [decree])
    replanned = planned_workday(EmployeeSchedule(), calendar, MONDAY, WIB)
    status = daily_status(replanned, [], events)
    assert (status.codes, status.is_working_day, status.late_minutes) == (("L",), False, 0)


def test_leave_on_a_day_off_is_l():
    assert daily_status(None, [LeaveDay("CT")], []).codes == ("L",)


CORRECTION = Correction(("H",), "network outage at the office, confirmed", "bkpsdm.admin")


def test_a_correction_replaces_the_codes_and_keeps_the_original():
    computed = daily_status(PLANNED, [], [check_in(on_monday(8, 5)), check_out(END)])
    corrected = apply_correction(computed, CORRECTION)
    assert (corrected.codes, corrected.late_minutes) == (("H",), 0)
    assert corrected.original == computed
    assert corrected.correction.author == "bkpsdm.admin"
    assert corrected.explanation[-1].rule == "correction"
    assert corrected.explanation[-1].values == {
        "codes": "H",
        "author": "bkpsdm.admin",
        "reason": "network outage at the office, confirmed",
    }


def test_a_correction_keeping_the_band_keeps_its_minutes():
    computed = daily_status(PLANNED, [], [check_in(on_monday(8, 5)), check_out(on_monday(15))])
    corrected = apply_correction(computed, Correction(("TL2",), "left with permission", "kepala"))
    assert (corrected.late_minutes, corrected.early_minutes) == (35, 0)


def test_correcting_twice_keeps_the_computed_status_as_original():
    computed = daily_status(PLANNED, [], [])
    once = apply_correction(computed, Correction(("S",), "doctor's letter", "admin"))
    twice = apply_correction(once, CORRECTION)
    assert (twice.codes, twice.original) == (("H",), computed)


@pytest.mark.parametrize(
    ("codes", "reason", "author", "refusal"),
    [
        ((), "r", "a", ("no_code", "codes", {})),
        (("X", "Y"), "r", "a", ("unknown_codes", "codes", {"codes": "X, Y"})),
        (("TL1", "TL2"), "r", "a", ("two_bands", "codes", {"band": "TL"})),
        (("TK", "H"), "r", "a", ("not_combinable", "codes", {"code": "TK"})),
        (("H", "H"), "r", "a", ("code_twice", "codes", {})),
        (("H",), " ", "a", ("no_reason", "reason", {})),
        (("H",), "r", "", ("no_author", "author", {})),
    ],
)
def test_an_invalid_correction_is_refused(codes, reason, author, refusal):
    with pytest.raises(CorrectionError) as refused:
        apply_correction(DayStatus(("TK",)), Correction(codes, reason, author))
    assert (refused.value.code, refused.value.field, refused.value.values) == refusal


def test_an_event_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="must carry a time zone"):
        AttendanceEvent("e1", "check_in", datetime(2025, 7, 7, 7, 30))


def test_an_unknown_leave_code_is_refused():
    with pytest.raises(ValueError, match="unknown leave code 'CUTI'"):
        LeaveDay("CUTI")


# The day in progress ---------------------------------------------------------------------------


def at_monday(hour: int, minute: int = 0) -> datetime:
    return on_monday(hour, minute)


@pytest.mark.parametrize(
    ("now", "codes", "phase", "late"),
    [
        (at_monday(6, 0), (), Phase.NOT_YET, 0),  # before the window opens
        (at_monday(7, 30), (), Phase.NOT_YET, 0),  # the start itself
        (at_monday(7, 31), ("TL1",), Phase.RUNNING_LATE, 1),
        (at_monday(8, 0), ("TL1",), Phase.RUNNING_LATE, 30),
        (at_monday(8, 1), ("TL2",), Phase.RUNNING_LATE, 31),
        (at_monday(12, 30), ("TL4",), Phase.RUNNING_LATE, 270),  # rest minutes do not count
        (at_monday(17, 59), ("TL4",), Phase.RUNNING_LATE, 450),  # no TK before the day ends
        (at_monday(18, 1), ("TK",), Phase.OVER, 0),  # check-out window closed: final
    ],
)
def test_a_day_without_records_as_the_minutes_pass(now, codes, phase, late):
    status = status_at(PLANNED, [], [], StatusPolicy(), now)
    assert (status.codes, status.phase, status.late_minutes) == (codes, phase, late)
    assert status.final is (phase == Phase.OVER)


def test_belum_presensi_lasts_through_the_grace_minutes():
    policy = StatusPolicy(late_grace_minutes=10)
    assert status_at(PLANNED, [], [], policy, at_monday(7, 40)).phase == Phase.NOT_YET
    late = status_at(PLANNED, [], [], policy, at_monday(7, 41))
    assert (late.phase, late.codes, late.late_minutes) == (Phase.RUNNING_LATE, ("TL1",), 11)


def test_a_check_in_fixes_the_late_band_and_the_day_reads_provisional():
    events = [check_in(on_monday(7, 50))]
    status = status_at(PLANNED, [], events, StatusPolicy(), at_monday(10))
    assert (status.codes, status.late_minutes, status.phase) == (("TL1",), 20, Phase.AT_WORK)
    on_time = status_at(PLANNED, [], [check_in(on_monday(7, 20))], StatusPolicy(), at_monday(10))
    assert (on_time.codes, on_time.phase, on_time.final) == (("H",), Phase.AT_WORK, False)


def test_no_psw4_before_the_day_is_over_but_an_early_check_out_shows():
    checked_in = [check_in(on_monday(7, 20))]
    at_noon = status_at(PLANNED, [], checked_in, StatusPolicy(), at_monday(15, 0))
    assert at_noon.codes == ("H",)
    left = [*checked_in, check_out(on_monday(15, 0))]
    assert status_at(PLANNED, [], left, StatusPolicy(), at_monday(15, 10)).codes == ("PSW2",)
    assert status_at(PLANNED, [], checked_in, StatusPolicy(), at_monday(18, 1)).codes == ("PSW4",)


def test_records_after_now_are_not_looked_at():
    events = [check_in(on_monday(9, 0))]
    status = status_at(PLANNED, [], events, StatusPolicy(), at_monday(8, 0))
    assert (status.codes, status.phase) == (("TL1",), Phase.RUNNING_LATE)


def test_leave_reads_as_leave_while_the_day_runs_and_a_day_off_is_final():
    sick = status_at(PLANNED, [LeaveDay("S")], [], StatusPolicy(), at_monday(9))
    assert (sick.codes, sick.final) == (("S",), False)
    morning = status_at(PLANNED, [LeaveDay("I", "morning")], [], StatusPolicy(), at_monday(9))
    assert (morning.codes, morning.phase) == (("I", "H"), Phase.AT_WORK)
    off = status_at(None, [], [], StatusPolicy(), at_monday(9))
    assert (off.codes, off.final) == (("L",), True)
