from datetime import date, timedelta

import pytest

from hadir.domain.sanctions import (
    DEFAULT_LADDERS,
    NON_ASN_LADDER,
    PNS_LADDER,
    PPPK_LADDER,
    EmployeeType,
    LadderError,
    MinuteEvidence,
    SanctionLadder,
    SanctionLevel,
    SanctionRung,
    discipline_summary,
)
from hadir.domain.status import Correction, DayStatus, apply_correction

FIRST_MONDAY = date(2025, 1, 6)
TK, H, L = DayStatus(("TK",)), DayStatus(("H",)), DayStatus(("L",))


def weekdays_from(start: date, pattern: list[DayStatus]) -> list[tuple[date, DayStatus]]:
    """Lay `pattern` on consecutive working days from `start`; weekends are L."""
    days: list[tuple[date, DayStatus]] = []
    current, remaining = start, list(pattern)
    while remaining:
        status = remaining.pop(0) if current.weekday() < 5 else L
        days.append((current, status))
        current += timedelta(days=1)
    return days


def scattered_tk(count: int) -> list[tuple[date, DayStatus]]:
    """`count` TK days, each followed by a present day, so no run is longer than 1."""
    return weekdays_from(FIRST_MONDAY, [TK, H] * count)


def late(minutes: int) -> DayStatus:
    return DayStatus(("TL4",), late_minutes=minutes)


@pytest.mark.parametrize(
    ("tk_days", "rung_code", "level"),
    [
        (2, None, None),
        (3, "TEGURAN_LISAN", SanctionLevel.RINGAN),
        (4, "TEGURAN_TERTULIS", SanctionLevel.RINGAN),
        (6, "TEGURAN_TERTULIS", SanctionLevel.RINGAN),
        (7, "TIDAK_PUAS", SanctionLevel.RINGAN),
        (10, "TIDAK_PUAS", SanctionLevel.RINGAN),
        (11, "POTONG_TUKIN_6", SanctionLevel.SEDANG),
        (13, "POTONG_TUKIN_6", SanctionLevel.SEDANG),
        (14, "POTONG_TUKIN_9", SanctionLevel.SEDANG),
        (16, "POTONG_TUKIN_9", SanctionLevel.SEDANG),
        (17, "POTONG_TUKIN_12", SanctionLevel.SEDANG),
        (20, "POTONG_TUKIN_12", SanctionLevel.SEDANG),
        (21, "TURUN_JABATAN", SanctionLevel.BERAT),
        (24, "TURUN_JABATAN", SanctionLevel.BERAT),
        (25, "BEBAS_JABATAN", SanctionLevel.BERAT),
        (27, "BEBAS_JABATAN", SanctionLevel.BERAT),
        (28, "PEMBERHENTIAN", SanctionLevel.BERAT),
    ],
)
def test_cumulative_tk_days_reach_the_pns_rung(tk_days, rung_code, level):
    summary = discipline_summary(scattered_tk(tk_days), PNS_LADDER)
    assert (summary.tk_days, summary.equivalent_days) == (tk_days, tk_days)
    assert len(summary.longest_tk_run) == 1
    assert (summary.rung and summary.rung.code) == rung_code
    assert (summary.rung and summary.rung.level) == level
    assert summary.reached_by == ("total" if rung_code else None)


@pytest.mark.parametrize(
    ("code", "months"),
    [
        ("POTONG_TUKIN_6", 6),
        ("POTONG_TUKIN_9", 9),
        ("POTONG_TUKIN_12", 12),
        ("TURUN_JABATAN", 12),
        ("BEBAS_JABATAN", 12),
        ("PEMBERHENTIAN", None),
    ],
)
def test_pns_rungs_carry_their_duration(code, months):
    rung = next(rung for rung in PNS_LADDER.rungs if rung.code == code)
    assert rung.duration_months == months


@pytest.mark.parametrize(
    ("late_minutes", "minute_days", "remainder"),
    [(449, 0, 449), (450, 1, 0), (899, 1, 449), (900, 2, 0), (1350, 3, 0)],
)
def test_late_minutes_convert_at_7_5_hours_per_day_floored(late_minutes, minute_days, remainder):
    year = weekdays_from(FIRST_MONDAY, [late(late_minutes)])
    summary = discipline_summary(year)
    assert (summary.minute_days, summary.remainder_minutes) == (minute_days, remainder)


def test_late_and_early_minutes_add_up_with_tk_days():
    pattern = [TK, H, TK, H, late(200), DayStatus(("H", "PSW2"), early_minutes=50)]
    pattern += [DayStatus(("TL3", "PSW4"), late_minutes=70, early_minutes=130)]
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, pattern))
    assert (summary.late_minutes, summary.early_minutes, summary.total_minutes) == (270, 180, 450)
    assert (summary.tk_days, summary.minute_days, summary.equivalent_days) == (2, 1, 3)
    assert summary.rung.code == "TEGURAN_LISAN"
    assert summary.minute_evidence == (
        MinuteEvidence(date(2025, 1, 10), 200, 0),
        MinuteEvidence(date(2025, 1, 13), 0, 50),
        MinuteEvidence(date(2025, 1, 14), 70, 130),
    )


def test_the_conversion_factor_is_configurable():
    year = weekdays_from(FIRST_MONDAY, [late(420)])
    assert discipline_summary(year, minutes_per_day=420).minute_days == 1
    assert discipline_summary(year).minute_days == 0


def test_ten_consecutive_working_days_across_a_weekend_reach_dismissal():
    year = weekdays_from(FIRST_MONDAY, [TK] * 10)
    summary = discipline_summary(year)
    assert summary.longest_tk_run == tuple(
        date(2025, 1, d) for d in (6, 7, 8, 9, 10, 13, 14, 15, 16, 17)
    )
    assert (summary.rung.code, summary.reached_by) == ("PEMBERHENTIAN", "consecutive")


def test_nine_days_then_a_present_day_then_one_more_is_not_a_run_of_ten():
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, [TK] * 9 + [H, TK]))
    assert (len(summary.longest_tk_run), summary.tk_days) == (9, 10)
    assert (summary.rung.code, summary.reached_by) == ("TIDAK_PUAS", "total")


def test_a_holiday_inside_a_run_does_not_break_it():
    pattern = [TK] * 4 + [L] + [TK] * 6  # Friday 10 January declared a holiday
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, pattern))
    assert len(summary.longest_tk_run) == 10
    assert date(2025, 1, 10) not in summary.longest_tk_run
    assert summary.rung.code == "PEMBERHENTIAN"


def test_a_leave_day_inside_a_run_breaks_it():
    pattern = [TK] * 5 + [DayStatus(("CT",))] + [TK] * 5
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, pattern))
    assert (len(summary.longest_tk_run), summary.rung.code) == (5, "TIDAK_PUAS")


def test_a_day_that_does_not_count_breaks_a_run_and_is_no_absence():
    # 5 TK, three working days during a declared outage (no data), 5 TK: not ten in a row.
    pattern = [TK] * 5 + [None] * 3 + [TK] * 5
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, pattern))
    assert (summary.tk_days, len(summary.longest_tk_run)) == (10, 5)
    assert (summary.rung.code, summary.reached_by) == ("TIDAK_PUAS", "total")


def test_days_before_go_live_are_neither_absence_nor_minutes():
    year = [(FIRST_MONDAY + timedelta(days=n), None) for n in range(30)]
    year += weekdays_from(FIRST_MONDAY + timedelta(days=30), [TK, late(500)])
    summary = discipline_summary(year)
    assert (summary.tk_days, summary.late_minutes, summary.minute_days) == (1, 500, 1)


def test_a_tk_corrected_to_sick_leave_no_longer_counts():
    sick = apply_correction(TK, Correction(("S",), "doctor's letter", "admin"))
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, [TK, TK, sick, TK]))
    assert summary.tk_days == 3
    assert summary.longest_tk_run == (date(2025, 1, 6), date(2025, 1, 7))
    assert summary.tk_dates == (date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 9))


def test_a_total_already_at_dismissal_is_reached_by_total():
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, [TK] * 28))
    assert (summary.rung.code, summary.reached_by) == ("PEMBERHENTIAN", "total")


@pytest.mark.parametrize(
    ("ladder", "tk_days", "rung_code"),
    [
        (PPPK_LADDER, 20, "POTONG_TUKIN_12"),
        (PPPK_LADDER, 21, "PUTUS_PERJANJIAN"),
        (NON_ASN_LADDER, 3, "TEGURAN_LISAN"),
        (NON_ASN_LADDER, 4, "SP1"),
        (NON_ASN_LADDER, 13, "SP3"),
        (NON_ASN_LADDER, 14, "PUTUS_KONTRAK"),
    ],
)
def test_pppk_and_non_asn_follow_their_own_ladders(ladder, tk_days, rung_code):
    assert discipline_summary(scattered_tk(tk_days), ladder).rung.code == rung_code


@pytest.mark.parametrize(
    ("employee_type", "rung_code"),
    [
        (EmployeeType.PNS, "PEMBERHENTIAN"),
        (EmployeeType.PPPK, "PUTUS_PERJANJIAN"),
        (EmployeeType.NON_ASN, "PUTUS_KONTRAK"),
    ],
)
def test_every_default_ladder_ends_employment_after_ten_consecutive_days(employee_type, rung_code):
    summary = discipline_summary(
        weekdays_from(FIRST_MONDAY, [TK] * 10), DEFAULT_LADDERS[employee_type]
    )
    assert summary.rung.code == rung_code


def test_a_ladder_without_the_consecutive_rule_only_counts_the_total():
    ladder = SanctionLadder(EmployeeType.NON_ASN, NON_ASN_LADDER.rungs, consecutive_days=None)
    summary = discipline_summary(weekdays_from(FIRST_MONDAY, [TK] * 10), ladder)
    assert summary.rung.code == "SP2"


def test_an_empty_year_recommends_nothing():
    summary = discipline_summary([])
    assert (summary.year, summary.equivalent_days, summary.rung) == (None, 0, None)


@pytest.mark.parametrize(
    ("statuses", "message"),
    [
        ([(date(2025, 1, 6), TK), (date(2025, 1, 8), TK)], "no status for 2025-01-07"),
        ([(date(2024, 12, 31), TK), (date(2025, 1, 1), TK)], "pass one calendar year"),
        ([(date(2025, 1, 6), TK), (date(2025, 1, 6), H)], "appears twice"),
    ],
)
def test_the_year_must_be_complete_and_single(statuses, message):
    with pytest.raises(ValueError, match=message):
        discipline_summary(statuses)


def rung(code: str, first: int, last: int | None) -> SanctionRung:
    return SanctionRung(code, code.lower(), SanctionLevel.RINGAN, first, last)


@pytest.mark.parametrize(
    ("rungs", "consecutive_code", "message"),
    [
        ((), None, "at least one rung"),
        ((rung("A", 3, 3), rung("B", 5, None)), None, "B must start at 4 days"),
        ((rung("A", 3, None), rung("B", 4, None)), None, "only the top rung may be open-ended"),
        ((rung("A", 0, 3),), None, "start at 1 day or more"),
        ((rung("A", 3, None),), "Z", "consecutive rung 'Z' is not a rung"),
    ],
)
def test_a_malformed_ladder_is_refused(rungs, consecutive_code, message):
    with pytest.raises(LadderError, match=message):
        SanctionLadder(EmployeeType.PNS, rungs, consecutive_rung_code=consecutive_code)
