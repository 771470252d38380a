"""The jobs app's own job: keeping the run log from growing without end.

Interval jobs log a run every few seconds or minutes (about 4,500 rows a day with the default
schedule); successful runs are kept for a month, failed and interrupted ones for a year.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.jobs.models import JobRun, RunStatus
from hadir.jobs.registry import JobContext, JobResult, daily, job


@job(
    "prune_run_log",
    title=_("Prune the job run log"),
    description=_(
        "Deletes successful runs older than the set number of days and failed or interrupted "
        "runs older than a year (their failures were reported when they happened)."
    ),
    schedule=daily("03:00"),
    options={"keep_succeeded_days": 30, "keep_failed_days": 365},
)
def prune_run_log(ctx: JobContext) -> JobResult:
    succeeded = ctx.now - timedelta(days=int(ctx.options["keep_succeeded_days"]))
    failed = ctx.now - timedelta(days=int(ctx.options["keep_failed_days"]))
    deleted, _by_model = JobRun.objects.filter(
        status=RunStatus.SUCCEEDED, started_at__lt=succeeded
    ).delete()
    deleted_failed, _by_model = (
        JobRun.objects.exclude(status__in=[RunStatus.SUCCEEDED, RunStatus.RUNNING])
        .filter(started_at__lt=failed)
        .delete()
    )
    return JobResult(
        gettext_noop("%(count)d old runs deleted"), {"count": deleted + deleted_failed}
    )
