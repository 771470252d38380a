"""The worker: claims due jobs, runs them one at a time, logs each run.

The database is the queue, as in healthchecks' `sendalerts`. A worker claims a job with one
conditional UPDATE (`... WHERE next_run_at <= now AND lease is free`): on SQLite and on
PostgreSQL exactly one of two racing workers sees its row updated. The claim is a lease, renewed
by a heartbeat while the job runs; a worker killed mid-run stops renewing it, and once it
expires another worker takes the job over, logs the lost run as interrupted and counts it as a
failed attempt (the job itself may be what killed the worker).

A failing run is retried after a back-off that doubles each time, up to the job's attempts;
after the last one the failure is reported to the regency's administrators (a notification)
and the job waits for its next regular occurrence. Nothing is skipped without a trace: every
attempt has its row in the run log.

Stopping (SIGTERM from systemd, Ctrl-C): the running job is interrupted at once, its run
logged as interrupted, and it stays due, so the next worker to start runs it again. Jobs are
written to be run again safely.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
import traceback
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections, connection, connections
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from hadir.domain.job_schedule import next_run, retry_at
from hadir.jobs import registry, reporting
from hadir.jobs.models import Job, JobRun, RunStatus
from hadir.jobs.registry import JobContext, JobResult
from hadir.jobs.services import regency_tz, sync_jobs

log = logging.getLogger("hadir.jobs")

LEASE = timedelta(minutes=5)
LEASE_EXPIRED = gettext_noop("The worker stopped during the run (its lease expired).")
STOPPED = gettext_noop("The worker was stopped during the run; the job runs again.")


class WorkerStopped(BaseException):  # like KeyboardInterrupt: not an Exception
    """Raised in the running job when the worker is told to stop."""


@dataclass(frozen=True)
class Claim:
    job_id: int
    token: str
    scheduled_for: datetime
    recovered: bool  # the previous holder's lease had expired


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def due_job_ids(now: datetime) -> list[int]:
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return list(
        Job.objects.filter(free, enabled=True, next_run_at__lte=now)
        .filter(name__in=list(registry.registered()))
        .order_by("next_run_at", "id")
        .values_list("id", flat=True)
    )


def claim(job_id: int, worker: str, now: datetime, lease: timedelta = LEASE) -> Claim | None:
    """Take the job if it is due and nobody holds it: one conditional UPDATE decides."""
    before = Job.objects.filter(pk=job_id).values("next_run_at", "claim_token").first()
    if before is None:
        return None
    token = uuid.uuid4().hex
    taken = (
        Job.objects.filter(pk=job_id, enabled=True, next_run_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        # Same row version as read: a worker that took and released the job in between (and
        # so moved next_run_at) must not be followed by a second run of the same occurrence.
        .filter(next_run_at=before["next_run_at"], claim_token=before["claim_token"])
        .update(claim_token=token, claimed_by=worker, lease_until=now + lease)
    )
    if taken != 1:
        return None
    return Claim(job_id, token, before["next_run_at"], recovered=bool(before["claim_token"]))


class _Heartbeat(threading.Thread):
    """Renews the lease while the job runs, on its own database connection."""

    def __init__(self, claim: Claim, lease: timedelta, clock) -> None:
        super().__init__(name=f"heartbeat-{claim.job_id}", daemon=True)
        self.claim, self.lease, self.clock = claim, lease, clock
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            while not self.finished.wait(self.lease.total_seconds() / 3):
                try:
                    renewed = Job.objects.filter(
                        pk=self.claim.job_id, claim_token=self.claim.token
                    ).update(lease_until=self.clock() + self.lease)
                except DatabaseError as exc:  # busy database: try again at the next beat
                    log.warning("job %s: lease not renewed: %s", self.claim.job_id, exc)
                    continue
                if not renewed:
                    log.error("job %s: lease lost to another worker", self.claim.job_id)
                    return
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.finished.set()
        self.join(timeout=5)


class Worker:
    def __init__(
        self,
        name: str | None = None,
        *,
        lease: timedelta = LEASE,
        clock=timezone.now,
        out=None,
        quiet: bool = False,
    ) -> None:
        """`out(line)` receives a line per run (only failed or interrupted runs when quiet)."""
        self.name = name or worker_name()
        self.lease, self.clock, self.out, self.quiet = lease, clock, out, quiet
        self.stopping = False
        self._in_job = False
        self._wake = threading.Event()

    # One pass ----------------------------------------------------------------------------------

    def run_due(self) -> list[JobRun]:
        """Run every job that is due now, one after the other; return their run rows."""
        return [self.run_claimed(taken) for taken in self._due_claims()]

    def _due_claims(self):
        for job_id in due_job_ids(self.clock()):
            if self.stopping:
                return
            taken = claim(job_id, self.name, self.clock(), self.lease)
            if taken is not None:
                yield taken

    def run_claimed(self, taken: Claim) -> JobRun:
        job = Job.objects.get(pk=taken.job_id)
        if taken.recovered:
            abandoned = self._record_abandoned(job, taken)
            if abandoned is not None:
                return abandoned
        spec = registry.get(job.name)
        started = self.clock()
        run = JobRun.objects.create(
            job=job,
            claim_token=taken.token,
            worker=self.name,
            scheduled_for=taken.scheduled_for,
            attempt=job.failures + 1,
            started_at=started,
            status=RunStatus.RUNNING,
        )
        context = JobContext(
            now=started,
            tz=regency_tz(),
            scheduled_for=taken.scheduled_for,
            last_success=job.last_success_at,
            options=job.effective_options(),
            attempt=run.attempt,
        )
        heartbeat = _Heartbeat(taken, self.lease, self.clock)
        heartbeat.start()
        ticks = time.perf_counter()
        try:
            self._in_job = True
            try:
                result = spec.func(context)
                if result is not None and not isinstance(result, JobResult):
                    raise TypeError(f"job {job.name} returned {result!r}, not a JobResult")
            finally:
                self._in_job = False
        except WorkerStopped:
            heartbeat.stop()
            self._finish_interrupted(job, run, taken, time.perf_counter() - ticks)
            raise
        except Exception as exc:
            heartbeat.stop()
            if not connection.in_atomic_block:  # a broken connection is replaced, not reused
                connection.close_if_unusable_or_obsolete()
            return self._finish_failed(job, run, taken, exc, time.perf_counter() - ticks)
        heartbeat.stop()
        return self._finish_succeeded(job, run, taken, result, time.perf_counter() - ticks)

    # Outcomes ----------------------------------------------------------------------------------

    def _finish_succeeded(self, job, run, taken, result: JobResult | None, seconds) -> JobRun:
        now = self.clock()
        if result is not None:
            run.summary = result.message[:300]
            run.summary_values = json.loads(json.dumps(result.values, default=str))
        run.status, run.finished_at, run.seconds = RunStatus.SUCCEEDED, now, seconds
        run.save()
        if job.reported_at is not None:
            try:
                reporting.report_recovery(job)
            except Exception:
                log.exception("job %s: its recovery could not be reported", job.name)
        self._release(
            taken,
            next_run_at=next_run(job.rule(), now, regency_tz()),
            failures=0,
            reported_at=None,
            last_run_at=run.started_at,
            last_success_at=run.started_at,
            last_status=RunStatus.SUCCEEDED,
        )
        self._say(run)
        return run

    def _finish_failed(self, job, run, taken, exc: Exception, seconds) -> JobRun:
        now = self.clock()
        run.status, run.finished_at, run.seconds = RunStatus.FAILED, now, seconds
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.traceback = traceback.format_exc()[-20000:]
        self._after_failure(job, run, taken, now)
        self._say(run)
        return run

    def _record_abandoned(self, job: Job, taken: Claim) -> JobRun | None:
        """The previous worker's lease expired mid-run: its run is logged as interrupted and
        counts as a failure (the job may be what stopped the worker). Returns that run when
        no attempt is left, after reporting it; None when the job should run now."""
        now = self.clock()
        lost = (
            JobRun.objects.filter(job=job, status=RunStatus.RUNNING)
            .exclude(claim_token=taken.token)
            .order_by("-started_at")
        )
        runs = list(lost)
        for run in runs:
            run.status, run.finished_at, run.error = RunStatus.INTERRUPTED, now, LEASE_EXPIRED
            run.save(update_fields=["status", "finished_at", "error"])
        if job.failures + 1 < job.max_attempts:
            job.failures += 1
            Job.objects.filter(pk=job.pk, claim_token=taken.token).update(failures=job.failures)
            return None
        run = runs[0] if runs else None
        if run is None:  # stopped between its claim and its first write
            run = JobRun(
                job=job,
                claim_token=taken.token,
                worker=self.name,
                scheduled_for=taken.scheduled_for,
                attempt=job.failures + 1,
                started_at=now,
                finished_at=now,
                status=RunStatus.INTERRUPTED,
                error=LEASE_EXPIRED,
            )
        self._after_failure(job, run, taken, now)
        self._say(run)
        return run

    def _after_failure(self, job: Job, run: JobRun, taken: Claim, now: datetime) -> None:
        failures = job.failures + 1
        if failures < job.max_attempts:
            run.retry_at = retry_at(now, failures, job.retry_seconds)
            run.save()
            self._release(
                taken,
                next_run_at=run.retry_at,
                failures=failures,
                last_run_at=run.started_at,
                last_status=run.status,
            )
            return
        try:
            run.reported = reporting.report_failure(job, run, failures, now)
        except Exception:  # the run log still shows the failure; the worker must go on
            log.exception("job %s: the failure could not be reported", job.name)
        run.save()
        fields = {
            "next_run_at": next_run(job.rule(), now, regency_tz()),
            "failures": 0,
            "last_run_at": run.started_at,
            "last_status": run.status,
        }
        if run.reported:
            fields["reported_at"] = now
        self._release(taken, **fields)

    def _finish_interrupted(self, job, run, taken, seconds) -> None:
        """Stopped by a signal: not the job's fault. It stays due, and is run again."""
        run.status, run.finished_at, run.seconds = RunStatus.INTERRUPTED, self.clock(), seconds
        run.error = STOPPED
        run.save()
        self._release(taken, last_run_at=run.started_at, last_status=RunStatus.INTERRUPTED)
        self._say(run)

    def _release(self, taken: Claim, **fields) -> None:
        released = Job.objects.filter(pk=taken.job_id, claim_token=taken.token).update(
            claim_token="", claimed_by="", lease_until=None, **fields
        )
        if not released:
            log.error("job %s: finished after another worker took it over", taken.job_id)

    def _say(self, run: JobRun) -> None:
        if self.out is None or (self.quiet and run.status == RunStatus.SUCCEEDED):
            return
        line = f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M:%S} {run.job.name} {run.status}"
        if run.seconds is not None:
            line += f" {run.seconds:.1f} s"
        detail = run.rendered_error() or run.rendered_summary()
        self.out(f"{line}: {detail}" if detail else line)

    # The long-running loop ---------------------------------------------------------------------

    def run_once(self) -> list[JobRun]:
        """Run what is due, then return (for cron); a stop signal ends it early."""
        runs: list[JobRun] = []
        with self._signals_handled():
            sync_jobs(self.clock())
            try:
                for taken in self._due_claims():
                    runs.append(self.run_claimed(taken))
            except WorkerStopped:
                pass
        return runs

    def loop(self, loop_seconds: float = 10, *, parent_pid: int | None = None) -> None:
        """Run due jobs until stopped, looking again at least every `loop_seconds`."""
        with self._signals_handled():
            sync_jobs(self.clock())
            self._loop(loop_seconds, parent_pid)

    def _loop(self, loop_seconds: float, parent_pid: int | None) -> None:
        try:
            while not self.stopping:
                try:
                    self.run_due()
                except DatabaseError as exc:  # database away: keep the worker alive
                    log.error("worker pass failed: %s", exc)
                    connections.close_all()
                close_old_connections()
                if parent_pid is not None and os.getppid() != parent_pid:
                    return  # the server this worker was started beside has gone
                self._wake.wait(self._pause(loop_seconds))
        except WorkerStopped:
            return

    def _pause(self, loop_seconds: float) -> float:
        try:
            soonest = (
                Job.objects.filter(enabled=True, lease_until__isnull=True)
                .order_by("next_run_at")
                .values_list("next_run_at", flat=True)
                .first()
            )
        except DatabaseError:
            return loop_seconds
        if soonest is None:
            return loop_seconds
        return max(0.2, min(loop_seconds, (soonest - self.clock()).total_seconds()))

    def stop(self, *_args) -> None:
        self.stopping = True
        self._wake.set()
        if self._in_job:
            raise WorkerStopped

    @contextmanager
    def _signals_handled(self):
        """SIGTERM and SIGINT stop this worker while it runs; the previous handlers return."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
