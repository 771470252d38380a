"""Discipline recommendations for a year, listed with the dates behind them."""

from datetime import date

import pytest
from django.core.management import call_command

from hadir.attendance import discipline
from hadir.attendance.models import DisciplineRecommendation, RuleSet
from hadir.attendance.rules import DEFAULTS
from hadir.attendance.selectors import days_between
from hadir.attendance.services import compute_days
from tests.attendance.conftest import workday

pytestmark = pytest.mark.django_db


def absent_on(employee, absent: list[date], first: date, last: date) -> None:
    """Present every working day from first to last except the given ones, then compute."""
    for day in days_between(first, last):
        if day.weekday() < 5 and day not in absent:
            workday(employee, day)
    compute_days([employee], first, last)


OCT = [date(2026, 10, d) for d in (1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22)]


def test_three_tk_days_point_to_a_verbal_reprimand(regency):
    absent_on(regency.employee, OCT[:3], OCT[0], OCT[-1])
    results = discipline.refresh(2026, compute=False)
    item = next(r for r in results if r.employee_id == regency.employee.pk)
    assert item.summary.tk_dates == tuple(OCT[:3])
    row = DisciplineRecommendation.objects.get(employee=regency.employee, year=2026)
    assert (row.tk_days, row.rung_code, row.level, row.reached_by) == (
        3,
        "TEGURAN_LISAN",
        "ringan",
        "total",
    )
    assert row.evidence["tk_dates"] == ["2026-10-01", "2026-10-02", "2026-10-05"]


def test_eleven_tk_days_point_to_a_tpp_cut_and_ten_in_a_row_to_dismissal(regency):
    scattered = OCT[0:5] + OCT[6:12]  # 11 TK days, broken by a day present
    absent_on(regency.employee, scattered, OCT[0], OCT[-1])
    in_a_row = OCT[0:10]
    absent_on(regency.boss, in_a_row, OCT[0], OCT[-1])
    discipline.refresh(2026, compute=False)
    budi = DisciplineRecommendation.objects.get(employee=regency.employee)
    assert (budi.tk_days, budi.longest_run, budi.rung_code) == (11, 6, "POTONG_TUKIN_6")
    assert "6 bulan" in budi.rung_name
    assert budi.level == "sedang"
    boss = DisciplineRecommendation.objects.get(employee=regency.boss)
    assert (boss.tk_days, boss.longest_run, boss.reached_by) == (10, 10, "consecutive")
    assert boss.rung_code == "PEMBERHENTIAN"
    assert len(boss.evidence["longest_run"]) == 10


def test_late_minutes_count_at_seven_and_a_half_hours_a_day(regency):
    e = regency.employee
    for day in OCT[:8]:
        workday(e, day, "09:00", "16:35")  # 90 minutes late, 8 days = 720 minutes
    workday(e, OCT[8], "07:25", "16:35")
    compute_days([e], OCT[0], OCT[8])
    item = next(r for r in discipline.year_summaries(2026) if r.employee_id == e.pk)
    assert (item.summary.late_minutes, item.summary.minute_days) == (720, 1)
    assert item.summary.remainder_minutes == 270


def test_a_contract_worker_follows_the_non_asn_ladder_which_is_data(regency):
    worker = regency.contract_worker()
    absent_on(worker, OCT[:4], OCT[0], OCT[-1])
    ladder = DEFAULTS["ladder_NON_ASN"] | {
        "rungs": [
            {
                "code": "SP1",
                "name": "surat peringatan pertama",
                "level": "ringan",
                "min_days": 2,
                "max_days": None,
                "duration_months": None,
            }
        ]
    }
    RuleSet.objects.create(key="ladder_NON_ASN", value=ladder)
    discipline.refresh(2026, compute=False)
    row = DisciplineRecommendation.objects.get(employee=worker)
    assert (row.employee_type, row.rung_code) == ("NON_ASN", "SP1")


def test_the_command_lists_as_csv(regency, capsys):
    absent_on(regency.employee, OCT[:3], OCT[0], OCT[-1])
    call_command("discipline", "--year", "2026", "--format", "csv", "--no-compute")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("nip,name,type,opd,tk_days")
    assert any(line.startswith("198707212011011003,Budi Santoso,PNS,DISDIK,3,") for line in out)
    assert "teguran lisan" in "\n".join(out)
