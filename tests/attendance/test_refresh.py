"""Statuses that keep themselves current: the worker's jobs find new check-ins without touching
the check-in path, finalise yesterday, and do the queued recomputations."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from hadir.attendance import refresh, services
from hadir.attendance.models import (
    DailyStatus,
    Outage,
    RecomputeRequest,
    ScheduleAssignment,
    WorkSchedule,
)
from hadir.attendance.services import compute_days
from tests.attendance.conftest import PASSWORD, at, record, workday
from tests.factories import make_user

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)


def codes(employee, day=MONDAY):
    row = DailyStatus.objects.filter(employee=employee, date=day).first()
    return None if row is None else (row.codes, row.final)


def test_new_check_ins_recompute_their_days(regency):
    e = regency.employee
    now = at(MONDAY + timedelta(days=3), "09:00")
    compute_days([e], MONDAY, MONDAY, now=now)
    assert codes(e) == ("TK", True)
    assert refresh.recompute_new_evidence(now) == 0  # the first look only sets the mark
    workday(e, MONDAY, "07:20", "16:05")  # synced late, three days after
    assert refresh.recompute_new_evidence(now) > 0
    assert codes(e) == ("H", True)
    assert refresh.recompute_new_evidence(now) == 0  # nothing new


def test_the_sweep_stores_today_and_makes_yesterday_final(regency):
    e = regency.employee
    refresh.sweep_recent(at(MONDAY, "10:00"))
    assert codes(e) == ("TL4", False)
    refresh.sweep_recent(at(MONDAY + timedelta(days=1), "06:00"))
    assert codes(e) == ("TK", True)
    assert codes(e, MONDAY + timedelta(days=1)) == ("", False)  # belum presensi


def test_a_large_change_is_queued_and_done_by_the_worker(regency, monkeypatch):
    monkeypatch.setattr(services, "SYNC_LIMIT", 1)
    e = regency.employee
    compute_days([e], MONDAY, MONDAY)
    outcome = services.save_outage(
        Outage(first_day=MONDAY, last_day=MONDAY, reason="server mati"), by="user:bkpsdm"
    )
    assert outcome.queued is not None
    assert outcome.result is None
    assert codes(e) == ("TK", True)  # not yet
    assert refresh.process_recompute_requests() == 1
    assert codes(e) is None
    request = RecomputeRequest.objects.get()
    assert request.done_at is not None
    assert request.result["employees"] == 3
    assert refresh.process_recompute_requests() == 0  # done once


def test_a_claimed_request_is_left_alone_until_it_looks_abandoned(regency):
    from django.utils import timezone

    request = services.request_recompute("manual", MONDAY, MONDAY)
    RecomputeRequest.objects.filter(pk=request.pk).update(started_at=timezone.now())
    assert refresh.process_recompute_requests() == 0  # another worker is on it
    long_ago = timezone.now() - refresh.RECLAIM_AFTER - timedelta(minutes=1)
    RecomputeRequest.objects.filter(pk=request.pk).update(started_at=long_ago)
    assert refresh.process_recompute_requests() == 1


def test_a_failing_request_is_released_for_a_retry(regency, monkeypatch):
    services.request_recompute("manual", MONDAY, MONDAY)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "run_recompute_request", broken)
    with pytest.raises(RuntimeError):
        refresh.process_recompute_requests()
    assert RecomputeRequest.objects.get().started_at is None


def test_recompute_pending_does_the_queue_from_the_command_line(regency, capsys):
    services.request_recompute("manual", MONDAY, MONDAY)
    call_command("recompute", "--pending")
    assert "1 penghitungan ulang dari antrean selesai" in capsys.readouterr().out
    assert DailyStatus.objects.filter(date=MONDAY).count() == 3


def test_changing_an_opds_joining_date_recomputes_its_days(regency):
    e = regency.employee
    compute_days([e], MONDAY, MONDAY + timedelta(days=4))
    regency.opd.attendance_from = MONDAY + timedelta(days=3)
    regency.opd.save()
    assert sorted(DailyStatus.objects.filter(employee=e).values_list("date__day", flat=True)) == [
        8,
        9,
    ]
    regency.opd.attendance_from = MONDAY + timedelta(days=1)  # earlier again: 6-7 come back
    regency.opd.save()
    assert sorted(DailyStatus.objects.filter(employee=e).values_list("date__day", flat=True)) == [
        6,
        7,
        8,
        9,
    ]


def test_editing_a_schedule_in_the_admin_recomputes_its_employees(regency, client):
    e = regency.employee
    schedule = WorkSchedule.objects.create(name="Pagi")
    ScheduleAssignment.objects.create(employee=e, schedule=schedule, valid_from=date(2026, 1, 1))
    today = services.selectors.today() - timedelta(days=1)  # over, and in the open period
    while services.selectors.planned_days(e, today, today)[today] is None:
        today -= timedelta(days=1)
    record(e, "check_in", at(today, "07:50"))
    compute_days([e], today, today)
    assert DailyStatus.objects.get(employee=e, date=today).late_minutes == 20
    make_user("root", superuser=True)
    assert client.login(username="root", password=PASSWORD)
    weekly = {
        day: {"start": "08:00", "end": "16:30", "rests": [["12:00", "13:00"]]}
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
    import json

    form = {
        "name": "Pagi",
        "kind": "weekly",
        "weekly": json.dumps(weekly),
        "check_in_opens_before_start": 90,
        "check_out_closes_after_end": 120,
        "ramadan_periods-TOTAL_FORMS": 0,
        "ramadan_periods-INITIAL_FORMS": 0,
    }
    url = reverse("admin:attendance_workschedule_change", args=[schedule.pk])
    assert client.post(url, form).status_code == 302
    assert DailyStatus.objects.get(employee=e, date=today).late_minutes == 0
