"""The worker runs due jobs, logs every run, retries failures with a back-off, reports them,
and takes over a job whose worker died once its lease has expired."""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
from django.utils import translation

from hadir.jobs.models import Job, JobRun, RunStatus
from hadir.jobs.registry import JobResult, daily
from hadir.jobs.worker import LEASE, Worker, WorkerStopped, claim
from hadir.notify.models import Notification
from hadir.org.models import RoleKind
from tests.factories import make_opd, make_user
from tests.jobs.conftest import START

pytestmark = pytest.mark.django_db


def boom(ctx):
    raise RuntimeError("the database of the sky fell")


@pytest.fixture
def admins(db):
    """Who hears about failures: active superadmins and BKPSDM, not an OPD administrator."""
    users = {
        "root": make_user("root", superuser=True),
        "superadmin": make_user("superadmin", role=RoleKind.SUPERADMIN),
        "bkpsdm": make_user("bkpsdm", role=RoleKind.BKPSDM_ADMIN),
        "opd_admin": make_user("admin_disdik", role=RoleKind.OPD_ADMIN, opd=make_opd()),
        "retired": make_user("old_bkpsdm", role=RoleKind.BKPSDM_ADMIN),
    }
    users["retired"].is_active = False
    users["retired"].save()
    return users


def test_it_runs_a_due_job_and_logs_the_run(worker, jobs, clock):
    seen = []

    def count(ctx):
        seen.append(ctx)
        return JobResult("%(n)d things counted", {"n": 7})

    job = jobs.add("test_count", count)
    runs = worker.run_due()
    assert [run.status for run in runs] == [RunStatus.SUCCEEDED]
    run = JobRun.objects.get()
    assert run.job == job
    assert run.started_at == START
    assert run.finished_at == START
    assert run.seconds is not None
    assert run.seconds >= 0
    assert run.attempt == 1
    assert run.worker == "test-worker:1"
    assert run.rendered_summary() == "7 things counted"
    assert seen[0].now == START
    assert seen[0].today.isoformat() == "2026-11-02"
    job.refresh_from_db()
    assert job.next_run_at == START + timedelta(seconds=60)
    assert job.last_status == RunStatus.SUCCEEDED
    assert job.last_success_at == START
    assert (job.claim_token, job.claimed_by, job.lease_until) == ("", "", None)
    assert "test_count succeeded" in worker.lines[0]
    assert "7 things counted" in worker.lines[0]


def test_it_runs_nothing_before_its_time_and_nothing_disabled(worker, jobs, clock):
    seen = []
    jobs.add("test_nightly", lambda ctx: seen.append(ctx), schedule=daily("01:00"))
    off = jobs.add("test_off", lambda ctx: seen.append(ctx))
    off.enabled = False
    off.save()
    assert worker.run_due() == []
    clock.now = START.replace(hour=18)  # 01:00 WIB the next day
    assert [run.job.name for run in worker.run_due()] == ["test_nightly"]
    assert worker.run_due() == []
    assert len(seen) == 1


def test_an_interval_counts_from_the_end_of_the_run(worker, jobs, clock):
    def slow(ctx):
        clock.advance(seconds=90)  # longer than its interval

    job = jobs.add("test_slow", slow)
    worker.run_due()
    job.refresh_from_db()
    assert job.next_run_at == START + timedelta(seconds=90 + 60)


def test_a_failing_job_is_retried_with_a_growing_delay_then_reported(worker, jobs, clock, admins):
    job = jobs.add("test_boom", boom, schedule=daily("01:00"), max_attempts=3, retry_seconds=60)
    clock.now = job_first_due = job.next_run_at

    first = worker.run_due()[0]
    assert first.status == RunStatus.FAILED
    assert first.error == "RuntimeError: the database of the sky fell"
    assert "Traceback" in first.traceback
    assert "in boom" in first.traceback
    assert first.retry_at == clock.now + timedelta(seconds=60)
    assert not first.reported
    assert Notification.objects.count() == 0

    clock.advance(seconds=59)
    assert worker.run_due() == []  # not before its retry time
    clock.advance(seconds=1)
    second = worker.run_due()[0]
    assert (second.attempt, second.retry_at) == (2, clock.now + timedelta(seconds=120))
    clock.advance(seconds=120)
    third = worker.run_due()[0]
    assert third.attempt == 3
    assert third.retry_at is None
    assert third.reported

    # reported once, to the regency's administrators who are still active
    told = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in told] == ["bkpsdm", "root", "superadmin"]
    assert {n.link for n in told} == {f"/admin/jobs/jobrun/{third.pk}/change/"}
    # then the job waits for its next regular occurrence, with a fresh count of attempts
    job.refresh_from_db()
    assert job.next_run_at == job_first_due + timedelta(days=1)  # 01:00 WIB, the next night
    assert (job.failures, job.reported_at) == (0, clock.now)
    assert JobRun.objects.filter(status=RunStatus.FAILED).count() == 3


def test_the_failure_report_reads_in_indonesian(worker, jobs, clock, admins):
    jobs.add("test_boom", boom, title="Tugas uji", max_attempts=1)
    worker.run_due()
    from hadir.notify.messages import render

    rendered = render(Notification.objects.get(recipient=admins["bkpsdm"]))
    assert rendered.language == "id"
    assert rendered.title == "Tugas latar gagal"
    assert rendered.body == (
        'Tugas latar "Tugas uji" gagal 1 kali berturut-turut: '
        "RuntimeError: the database of the sky fell"
    )
    with translation.override("en"):
        rendered = render(Notification.objects.get(recipient=admins["bkpsdm"]), "en")
    assert rendered.body.startswith('The background job "Tugas uji" failed 1 times in a row')


def test_a_job_failing_every_day_is_reported_once_a_day_and_its_recovery_too(
    worker, jobs, clock, admins
):
    broken = {"yes": True}

    def flaky(ctx):
        if broken["yes"]:
            raise RuntimeError("down")

    job = jobs.add("test_flaky", flaky, max_attempts=1)
    worker.run_due()
    assert Notification.objects.filter(topic="jobs.failed").count() == 3
    for _ in range(10):  # failing every minute for ten minutes: no new report
        clock.advance(minutes=1)
        worker.run_due()
    assert Notification.objects.filter(topic="jobs.failed").count() == 3
    assert JobRun.objects.filter(job=job, status=RunStatus.FAILED).count() == 11
    assert JobRun.objects.filter(job=job, reported=True).count() == 1
    clock.advance(hours=24)
    worker.run_due()
    assert Notification.objects.filter(topic="jobs.failed").count() == 6
    broken["yes"] = False
    clock.advance(minutes=1)
    worker.run_due()
    assert Notification.objects.filter(topic="jobs.recovered").count() == 3
    job.refresh_from_db()
    assert job.reported_at is None
    clock.advance(minutes=1)
    worker.run_due()
    assert Notification.objects.filter(topic="jobs.recovered").count() == 3


def test_a_job_that_returns_something_else_than_a_result_fails_visibly(worker, jobs):
    jobs.add("test_wrong", lambda ctx: 42)
    run = worker.run_due()[0]
    assert run.status == RunStatus.FAILED
    assert "returned 42, not a JobResult" in run.error


def test_options_are_the_defaults_overlaid_by_the_administrators_values(worker, jobs):
    seen = []
    job = jobs.add(
        "test_options",
        lambda ctx: seen.append(dict(ctx.options)),
        options={"older_than_hours": 24, "batch": 100},
    )
    job.options = {"older_than_hours": 6, "gone": 1}  # a stale key is ignored
    job.save()
    worker.run_due()
    assert seen == [{"older_than_hours": 6, "batch": 100}]


# A worker that dies mid-run ---------------------------------------------------------------


def dies_mid_run(job_id: int, now) -> None:
    """What a worker killed by SIGKILL leaves: a claimed job and a run still 'running'."""
    taken = claim(job_id, "dead-worker:9", now)
    assert taken is not None
    JobRun.objects.create(
        job_id=job_id,
        claim_token=taken.token,
        worker="dead-worker:9",
        scheduled_for=taken.scheduled_for,
        started_at=now,
        status=RunStatus.RUNNING,
    )


def test_a_dead_workers_job_is_taken_over_once_its_lease_expires(worker, jobs, clock, admins):
    seen = []
    job = jobs.add("test_long", lambda ctx: seen.append(ctx.attempt))
    dies_mid_run(job.pk, clock.now)

    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert worker.run_due() == []  # the lease still holds: it might be running
    clock.advance(seconds=2)
    [run] = worker.run_due()
    assert run.status == RunStatus.SUCCEEDED
    assert run.attempt == 2
    assert seen == [2]
    lost = JobRun.objects.get(worker="dead-worker:9")
    assert lost.status == RunStatus.INTERRUPTED
    assert lost.finished_at == clock.now
    with translation.override("id"):
        assert lost.rendered_error() == (
            "Pekerja latar berhenti di tengah eksekusi (masa kuncinya habis)."
        )
    job.refresh_from_db()
    assert (job.claimed_by, job.failures, job.last_status) == ("", 0, RunStatus.SUCCEEDED)
    assert Notification.objects.count() == 0


def test_a_job_that_keeps_killing_its_worker_is_reported_and_waits(worker, jobs, clock, admins):
    seen = []
    job = jobs.add(
        "test_killer", lambda ctx: seen.append(1), schedule=daily("01:00"), max_attempts=2
    )
    clock.now = job.next_run_at
    dies_mid_run(job.pk, clock.now)
    clock.advance(seconds=LEASE.total_seconds() + 1)
    taken = claim(job.pk, "dead-worker:10", clock.now)  # the next worker dies too
    assert taken is not None
    Job.objects.filter(pk=job.pk).update(failures=1)
    JobRun.objects.create(
        job=job,
        claim_token=taken.token,
        worker="dead-worker:10",
        scheduled_for=taken.scheduled_for,
        started_at=clock.now,
        attempt=2,
        status=RunStatus.RUNNING,
    )
    clock.advance(seconds=LEASE.total_seconds() + 1)
    [run] = worker.run_due()
    assert seen == []  # not run a third time
    assert run.worker == "dead-worker:10"
    assert run.status == RunStatus.INTERRUPTED
    assert run.reported
    assert Notification.objects.filter(topic="jobs.failed").count() == 3
    job.refresh_from_db()
    assert job.next_run_at > clock.now
    assert job.failures == 0
    assert job.claimed_by == ""


def test_a_stopped_worker_logs_the_run_as_interrupted_and_the_job_stays_due(worker, jobs, clock):
    def stopped_midway(ctx):
        worker.stop()  # as the SIGTERM handler does

    job = jobs.add("test_stop", stopped_midway)
    with pytest.raises(WorkerStopped):
        worker.run_due()
    run = JobRun.objects.get()
    assert run.status == RunStatus.INTERRUPTED
    job.refresh_from_db()
    assert job.next_run_at == START  # still due: the next worker runs it again
    assert (job.claim_token, job.lease_until, job.failures) == ("", None, 0)
    again = Worker("next-worker:2", clock=clock)
    assert [r.status for r in again.run_due()] == [RunStatus.SUCCEEDED]


def test_run_once_stops_cleanly_when_told_to(jobs, clock, only_test_jobs):
    worker = Worker("cron:3", clock=clock)

    def stopped_midway(ctx):
        worker.stop()

    jobs.add("test_stop_once", stopped_midway)
    jobs.add("test_after", lambda ctx: None)
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    runs = worker.run_once()
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    assert runs == []
    assert JobRun.objects.get().status == RunStatus.INTERRUPTED
    assert not JobRun.objects.filter(job__name="test_after").exists()
