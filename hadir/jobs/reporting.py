"""Telling the regency's administrators that a job keeps failing, and when it works again.

One report per failing job and day at most: a job that fails at every occurrence (every minute)
must not bury the administrators' inbox. The run log keeps every attempt regardless.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext_noop

from hadir.notify.messages import message_value
from hadir.notify.recipients import regency_admins
from hadir.notify.services import notify_many

REPORT_AGAIN_AFTER = timedelta(hours=24)
TITLE = gettext_noop("Background job failed")


def report_failure(job, run, attempts: int, now: datetime) -> bool:
    """Notify the administrators unless this job's failure was reported in the last day.
    True when a report went out."""
    if job.reported_at is not None and now - job.reported_at < REPORT_AGAIN_AFTER:
        return False
    if run.pk is None:
        run.save()
    notify_many(
        regency_admins(),
        gettext_noop('The background job "%(job)s" failed %(attempts)d times in a row: %(error)s'),
        {
            "job": message_value(job.title),
            "attempts": attempts,
            "error": {"msgid": run.error[:300]},
        },
        title=TITLE,
        link=reverse("admin:jobs_jobrun_change", args=[run.pk]),
        topic="jobs.failed",
        now=now,
    )
    return True


def report_recovery(job) -> None:
    notify_many(
        regency_admins(),
        gettext_noop('The background job "%(job)s" works again.'),
        {"job": message_value(job.title)},
        title=gettext_noop("Background job works again"),
        link=reverse("admin:jobs_job_change", args=[job.pk]),
        topic="jobs.recovered",
    )
