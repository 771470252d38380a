"""The accounts' background job: accounts follow the employees' service period every night."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.jobs.registry import JobContext, JobResult, daily, job
from hadir.org.accounts import sync_accounts
from hadir.org.models import Employee


@job(
    "sync_accounts",
    title=_("Keep employee accounts in step with their service"),
    description=_(
        "Gives every employee without one a user account (no password until activated) and "
        "deactivates the accounts of employees whose service has ended, as the import does."
    ),
    schedule=daily("00:30"),
)
def sync_employee_accounts(ctx: JobContext) -> JobResult:
    counts = sync_accounts(Employee.objects.all(), today=ctx.today, actor="job:sync_accounts")
    return JobResult(
        gettext_noop(
            "%(created)d accounts created, %(deactivated)d deactivated, %(reactivated)d "
            "reactivated, %(unchanged)d unchanged"
        ),
        {
            "created": counts.created + counts.linked,
            "deactivated": counts.deactivated,
            "reactivated": counts.reactivated,
            "unchanged": counts.unchanged,
        },
    )
