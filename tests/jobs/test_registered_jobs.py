"""Each registered job does its work when the worker runs it, through the owning app's code."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from hadir.attendance.models import DailyStatus, LeaveKind, LeaveRequest, MonthClosure
from hadir.checkin.models import Device, DeviceStatus, PresenceChallenge
from hadir.domain.job_schedule import Daily, Every, Monthly
from hadir.fraud.models import AnalysisRun
from hadir.jobs import registry
from hadir.jobs.models import Job, JobRun, RunStatus
from hadir.jobs.services import sync_jobs
from hadir.jobs.worker import Worker
from hadir.notify.models import Notification
from hadir.org.models import RoleKind
from tests.attendance.conftest import Regency, record, workday
from tests.factories import make_employee, make_user
from tests.jobs.conftest import Clock

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
EXPECTED = {
    "issue_challenges": ("hadir.fraud.jobs", Every(60), True),
    "issue_group_challenges": ("hadir.fraud.jobs", Every(60), True),
    "analyze_previous_day": ("hadir.fraud.jobs", Daily(time(1, 0)), True),
    "compute_statuses": ("hadir.attendance.jobs", Every(300), True),
    "recompute_requests": ("hadir.attendance.jobs", Every(60), True),
    "close_previous_month": ("hadir.attendance.jobs", Monthly(5, time(6, 0)), False),
    "remind_leave_requests": ("hadir.attendance.jobs", Daily(time(8, 0)), True),
    "remind_device_approvals": ("hadir.checkin.jobs", Daily(time(8, 0)), True),
    "checkpoint_chain": ("hadir.checkin.jobs", Every(900), True),
    "remove_old_locations": ("hadir.checkin.jobs", Daily(time(2, 30)), True),
    "deliver_notifications": ("hadir.notify.jobs", Every(30), True),
    "prune_run_log": ("hadir.jobs.jobs", Daily(time(3, 0)), True),
    "sync_accounts": ("hadir.org.jobs", Daily(time(0, 30)), True),
    "escalate_overdue_cases": ("hadir.cases.jobs", Every(3600), True),
}


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def regency(db):
    return Regency()


def run_job(name: str, now: datetime, **options) -> JobRun:
    """Make the job due at `now` and let a worker run whatever is due; return its run."""
    sync_jobs(now)
    Job.objects.exclude(name=name).update(enabled=False)
    Job.objects.filter(name=name).update(enabled=True, next_run_at=now, options=options)
    [run] = Worker("test:1", clock=Clock(now)).run_due()
    return run


def summary(run: JobRun) -> str:
    with translation.override("id"):
        return run.rendered_summary()


def test_the_jobs_live_in_their_apps_with_their_default_schedules():
    found = {
        name: (spec.module, spec.schedule, spec.enabled)
        for name, spec in registry.registered().items()
    }
    assert found == EXPECTED


def test_migrate_created_each_jobs_row_and_a_sync_keeps_the_administrators_edits():
    assert set(Job.objects.values_list("name", flat=True)) == set(EXPECTED)
    Job.objects.filter(name="compute_statuses").update(every_seconds=900, enabled=False)
    Job.objects.filter(name="issue_challenges").delete()
    created = sync_jobs()
    assert [job.name for job in created] == ["issue_challenges"]
    edited = Job.objects.get(name="compute_statuses")
    assert (edited.every_seconds, edited.enabled) == (900, False)
    closing = Job.objects.get(name="close_previous_month")
    assert not closing.enabled  # closing a month is a decision: off until enabled
    nightly = Job.objects.get(name="analyze_previous_day")
    assert nightly.effective_options() == {"month_to_date": True, "workers": 1}  # no fork


def test_the_job_titles_read_in_indonesian():
    with translation.override("id"):
        titles = {job.name: str(job.title) for job in Job.objects.all()}
    assert titles["issue_challenges"] == "Terbitkan permintaan bukti kehadiran"
    assert titles["close_previous_month"] == "Tutup bulan sebelumnya"
    assert titles["deliver_notifications"] == "Kirim notifikasi"


def test_issue_challenges_issues_the_due_challenges_once(regency, settings):
    settings.SECRET_KEY = "a fixed secret, so the sample of employees is the same every run"
    monday = date(2026, 11, 2)
    people = [make_employee(regency.opd, [regency.office], name=f"Pegawai {n}") for n in range(40)]
    for person in people:
        record(person, "check_in", wib(2026, 11, 2, 7, 20))
    run = run_job("issue_challenges", wib(2026, 11, 2, 15, 25))
    issued = PresenceChallenge.objects.filter(issued_at__date=monday).count()
    assert run.status == RunStatus.SUCCEEDED
    assert issued > 0
    assert summary(run) == f"{issued} permintaan bukti kehadiran diterbitkan"
    # Run again at the same moment: a minute later a challenge planned in that minute would be
    # rightly due (the sample depends on the employees' ids, which differ between databases).
    again = run_job("issue_challenges", wib(2026, 11, 2, 15, 25))
    assert summary(again) == "0 permintaan bukti kehadiran diterbitkan"
    assert PresenceChallenge.objects.count() == issued


def test_compute_statuses_writes_yesterday_and_today(regency):
    workday(regency.employee, date(2026, 11, 2))
    run = run_job("compute_statuses", wib(2026, 11, 3, 17, 0))
    days = set(DailyStatus.objects.filter(employee=regency.employee).values_list("date", flat=True))
    assert days == {date(2026, 11, 2), date(2026, 11, 3)}
    monday = DailyStatus.objects.get(employee=regency.employee, date=date(2026, 11, 2))
    assert (monday.codes, monday.final) == ("H", True)
    tuesday = DailyStatus.objects.get(employee=regency.employee, date=date(2026, 11, 3))
    assert (tuesday.codes, tuesday.final) == ("TL4", False)  # no TK before the day is over
    assert summary(run) == (
        "0 hari-pegawai untuk presensi baru; hari ini dan kemarin: 6 hari-pegawai, 6 ditulis"
    )
    again = run_job("compute_statuses", wib(2026, 11, 3, 17, 5))
    assert "6 hari-pegawai, 0 ditulis" in summary(again)
    record(regency.employee, "check_out", wib(2026, 11, 3, 17, 30))
    run_job("compute_statuses", wib(2026, 11, 4, 6, 0))
    tuesday.refresh_from_db()
    assert (tuesday.codes, tuesday.final) == ("TL4", True)


def test_recompute_requests_does_the_queue(regency):
    from hadir.attendance.services import request_recompute

    request_recompute("manual", date(2026, 11, 2), date(2026, 11, 2))
    run = run_job("recompute_requests", wib(2026, 11, 3, 9, 0))
    assert summary(run) == "1 penghitungan ulang dari antrean selesai"
    assert DailyStatus.objects.filter(date=date(2026, 11, 2)).count() == 3


def test_the_nightly_analysis_covers_the_day_before_and_its_month_so_far(regency):
    for day in (2, 3):
        workday(regency.employee, date(2026, 11, day))
    run = run_job("analyze_previous_day", wib(2026, 11, 4, 1, 0), workers=1)
    analysis = AnalysisRun.objects.get()
    assert (analysis.first_day, analysis.last_day) == (date(2026, 11, 1), date(2026, 11, 3))
    assert analysis.analysed == 4
    assert summary(run) == (
        f"2026-11-01 s.d. 2026-11-03: 4 kejadian dianalisis, 0 hari-pegawai perlu ditinjau, "
        f"0 kuat (analisis #{analysis.pk})"
    )
    run_job("analyze_previous_day", wib(2026, 11, 5, 1, 0), workers=1, month_to_date=False)
    latest = AnalysisRun.objects.latest("pk")
    assert (latest.first_day, latest.last_day) == (date(2026, 11, 4), date(2026, 11, 4))


def test_a_signal_that_fails_in_the_nightly_analysis_fails_the_run(regency, monkeypatch):
    from hadir.domain.signals import runner

    real_run = runner.run

    def with_a_broken_signal(inp, **kwargs):
        result = real_run(inp, **kwargs)
        return result.__class__(**{**result.__dict__, "signal_errors": {"zero_jitter": "boom"}})

    monkeypatch.setattr(runner, "run", with_a_broken_signal)
    workday(regency.employee, date(2026, 11, 2))
    run = run_job("analyze_previous_day", wib(2026, 11, 3, 1, 0), workers=1)
    assert run.status == RunStatus.FAILED
    assert "zero_jitter" in run.error


def test_closing_the_previous_month_when_enabled(regency):
    workday(regency.employee, date(2026, 11, 2))
    run = run_job("close_previous_month", wib(2026, 12, 5, 6, 0))
    closure = MonthClosure.objects.get()
    assert (closure.month, closure.opd) == (date(2026, 11, 1), None)
    assert closure.closed_by_name == "job:close_previous_month"
    assert summary(run) == "2026-11 ditutup"
    again = run_job("close_previous_month", wib(2026, 12, 5, 7, 0))
    assert summary(again) == "2026-11 sudah ditutup sebelumnya"
    assert MonthClosure.objects.count() == 1


def pending_device(employee, enrolled_at: datetime, n: int) -> Device:
    return Device.objects.create(
        employee=employee,
        key_id=f"key-{n:04d}",
        algorithm="p256",
        public_key="not-used-here",
        status=DeviceStatus.PENDING,
        enrolled_at=enrolled_at,
    )


def test_device_reminders_go_to_the_approvers_in_scope(regency):
    now = wib(2026, 11, 3, 8, 0)
    pending_device(regency.employee, now - timedelta(hours=5), 1)
    pending_device(regency.contract_worker(), now - timedelta(hours=30), 2)
    pending_device(regency.boss, now - timedelta(hours=1), 3)  # too recent to remind about
    # an OPD with nobody to decide: its employee's device falls to BKPSDM
    lonely_opd, lonely_office = regency.other_opd()
    pending_device(make_employee(lonely_opd, [lonely_office]), now - timedelta(hours=6), 4)

    run = run_job("remind_device_approvals", now)
    assert summary(run) == "3 perangkat menunggu, 3 orang diingatkan"
    told = {
        n.recipient.username: n
        for n in Notification.objects.filter(topic="devices.pending").select_related("recipient")
    }
    assert set(told) == {"196901011990031002", "admin_disdik", "bkpsdm"}  # atasan, OPD, BKPSDM
    from hadir.notify.messages import render

    assert render(told["196901011990031002"]).body == (
        "Perangkat yang menunggu persetujuan Anda lebih dari 4 jam: 2."
    )
    assert told["196901011990031002"].link == ""  # an atasan without admin access
    assert told["admin_disdik"].link == "/admin/checkin/device/?status__exact=pending"
    assert render(told["bkpsdm"]).body.endswith("4 jam: 1.")


def test_leave_reminders_go_to_the_deciders_in_scope_after_the_set_time(regency):
    now = wib(2026, 11, 3, 8, 0)

    def leave(employee, hours_ago):
        return LeaveRequest.objects.create(
            employee=employee,
            kind=LeaveKind.CT,
            first_day=date(2026, 11, 10),
            last_day=date(2026, 11, 11),
            requested_at=now - timedelta(hours=hours_ago),
        )

    leave(regency.employee, 30)
    leave(regency.employee, 2)  # recent: not yet
    inspector = make_user("inspektorat", role=RoleKind.INSPECTOR)
    run = run_job("remind_leave_requests", now)
    told = sorted(
        Notification.objects.filter(topic="leave.pending").values_list(
            "recipient__username", flat=True
        )
    )
    # the atasan langsung, the OPD's administrator and its head; not BKPSDM, not the auditor
    assert told == ["196501011990031001", "196901011990031002", "admin_disdik"]
    assert inspector.username not in told
    assert summary(run) == "1 permohonan menunggu, 3 orang diingatkan"
    run = run_job("remind_leave_requests", now, older_than_hours=1)
    assert summary(run) == "2 permohonan menunggu, 3 orang diingatkan"


def test_deliver_notifications_sends_what_is_pending(regency, settings):
    from hadir.notify.services import notify

    settings.NOTIFY_SENDERS = ["hadir.notify.senders.LogSender"]
    now = wib(2026, 11, 3, 8, 0)
    note = notify(regency.user, "Hadir", None, now=now - timedelta(minutes=1))
    run = run_job("deliver_notifications", now)
    note.refresh_from_db()
    assert note.sent_at == now
    assert summary(run) == "1 terkirim, 0 akan dicoba ulang, 0 dihentikan"


def test_the_run_log_is_pruned_successes_after_a_month_failures_after_a_year():
    now = wib(2026, 11, 3, 3, 0)
    sync_jobs(now)
    job = Job.objects.get(name="compute_statuses")

    def past_run(days: int, status: str) -> JobRun:
        return JobRun.objects.create(
            job=job,
            worker="w",
            scheduled_for=now - timedelta(days=days),
            started_at=now - timedelta(days=days),
            status=status,
        )

    kept = [
        past_run(29, RunStatus.SUCCEEDED),
        past_run(31, RunStatus.FAILED),
        past_run(364, RunStatus.INTERRUPTED),
    ]
    past_run(31, RunStatus.SUCCEEDED)
    past_run(366, RunStatus.FAILED)
    run = run_job("prune_run_log", now)
    assert summary(run) == "2 eksekusi lama dihapus"
    assert set(JobRun.objects.exclude(pk=run.pk)) == set(kept)
