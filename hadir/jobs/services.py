"""Writes on the schedule: creating rows from the registry, rescheduling after an edit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from hadir.domain.job_schedule import Daily, Every, Monthly, Rule, first_run
from hadir.jobs import registry
from hadir.jobs.models import Job, ScheduleKind


def regency_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def schedule_fields(rule: Rule) -> dict:
    if isinstance(rule, Every):
        return {"kind": ScheduleKind.INTERVAL, "every_seconds": rule.seconds}
    if isinstance(rule, Daily):
        return {"kind": ScheduleKind.DAILY, "at_time": rule.at}
    if isinstance(rule, Monthly):
        return {"kind": ScheduleKind.MONTHLY, "at_time": rule.at, "day_of_month": rule.day}
    raise TypeError(f"not a schedule rule: {rule!r}")


def sync_jobs(now: datetime | None = None, using: str = "default") -> list[Job]:
    """Create the schedule row of every registered job that has none, from its defaults.
    Existing rows are left as the administrator edited them."""
    if Job._meta.db_table not in connections[using].introspection.table_names():
        return []  # migrating backwards, or before the jobs app's tables exist
    now = now or timezone.now()
    existing = set(Job.objects.using(using).values_list("name", flat=True))
    created = []
    for spec in registry.registered().values():
        if spec.name in existing:
            continue
        try:
            with transaction.atomic(using=using):
                created.append(create_job(spec, now, using))
        except IntegrityError:
            continue  # another worker created it at the same moment
    return created


def create_job(spec: registry.JobSpec, now: datetime, using: str = "default") -> Job:
    row = Job(
        name=spec.name,
        enabled=spec.enabled,
        max_attempts=spec.max_attempts,
        retry_seconds=spec.retry_seconds,
        next_run_at=first_run(spec.schedule, now, regency_tz()),
        **schedule_fields(spec.schedule),
    )
    row.save(using=using)
    return row


def reschedule(job: Job, now: datetime | None = None) -> Job:
    """After the schedule was edited: the next run follows the new rule from now."""
    job.next_run_at = first_run(job.rule(), now or timezone.now(), regency_tz())
    return job


def run_soon(jobs, now: datetime | None = None) -> int:
    """Make these jobs due now (the worker picks them up on its next look)."""
    return jobs.update(next_run_at=now or timezone.now(), failures=0)
