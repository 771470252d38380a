"""The cases' background job: cases past their deadline go to the Kepala OPD and BKPSDM."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.cases.services import escalate_overdue
from hadir.jobs.registry import JobContext, JobResult, every, job


@job(
    "escalate_overdue_cases",
    title=_("Escalate discipline cases past their deadline"),
    description=_(
        "A discipline case whose next step (summons, examination, decision, delivery) is past "
        "its due date is put before the Kepala OPD and BKPSDM, once per missed date (PP 94/2021 "
        "art. 28: an atasan who does not act is himself liable)."
    ),
    schedule=every(hours=1),
)
def escalate_overdue_cases(ctx: JobContext) -> JobResult:
    count = escalate_overdue(ctx.now)
    return JobResult(gettext_noop("%(count)d cases escalated"), {"count": count})
