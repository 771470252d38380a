"""The attendance app's background jobs: statuses kept current, month closing, leave reminders.

`compute_statuses` recomputes yesterday and today for everyone for now; an incremental version
(only what changed) is to replace its body.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.attendance.leave import OPD_DECIDERS, can_decide
from hadir.attendance.models import LeaveRequest, LeaveStatus, MonthClosure
from hadir.attendance.services import AttendanceError, close_month, closure_errors, recompute
from hadir.jobs.registry import JobContext, JobResult, daily, every, job, monthly
from hadir.notify.recipients import Approvers
from hadir.notify.services import notify


@job(
    "compute_statuses",
    title=_("Compute daily statuses"),
    description=_(
        "Recomputes yesterday's and today's daily statuses from the check-ins, leave and "
        "corrections, so that Status harian stays current. Days whose inputs did not change "
        "are not rewritten; closed months stay frozen."
    ),
    schedule=every(minutes=5),
)
def compute_statuses(ctx: JobContext) -> JobResult:
    result = recompute(ctx.today - timedelta(days=1), ctx.today, today=ctx.today, workers=1)
    return JobResult(
        gettext_noop(
            "%(employees)d employees, %(days)d employee-days: %(written)d written, "
            "%(unchanged)d unchanged, %(frozen)d frozen"
        ),
        {
            "employees": result.employees,
            "days": result.days,
            "written": result.written,
            "unchanged": result.unchanged,
            "frozen": result.frozen,
        },
    )


@job(
    "close_previous_month",
    title=_("Close the previous month"),
    description=_(
        "Computes the previous month's statuses one last time and freezes them for the whole "
        "regency, on the set day of the month. Off by default: closing a month is a decision "
        "(after it, leave and corrections for that month are refused until it is reopened); "
        "enable it only when the regency closes on a fixed day."
    ),
    schedule=monthly(5, "06:00"),
    enabled=False,
)
def close_previous_month(ctx: JobContext) -> JobResult:
    month = (ctx.today.replace(day=1) - timedelta(days=1)).replace(day=1)
    values = {"month": f"{month:%Y-%m}"}
    if MonthClosure.objects.filter(month=month, opd__isnull=True).exists():
        return JobResult(gettext_noop("%(month)s was already closed"), values)
    errors = closure_errors(month, today=ctx.today)
    if errors:
        raise AttendanceError(errors)
    close_month(month, by="job:close_previous_month", today=ctx.today, workers=1)
    return JobResult(gettext_noop("%(month)s closed"), values)


@job(
    "remind_leave_requests",
    title=_("Remind about leave requests waiting for a decision"),
    description=_(
        "Tells the atasan langsung and the OPD's administrators and head how many leave "
        "requests have been waiting for their decision longer than the set number of hours. "
        "BKPSDM is told when nobody in the OPD can decide."
    ),
    schedule=daily("08:00"),
    options={"older_than_hours": 24},
)
def remind_leave_requests(ctx: JobContext) -> JobResult:
    hours = int(ctx.options["older_than_hours"])
    waiting = LeaveRequest.objects.filter(
        status=LeaveStatus.PENDING, requested_at__lt=ctx.now - timedelta(hours=hours)
    ).select_related("employee__supervisor__user")
    approvers, counts, users = Approvers(OPD_DECIDERS), Counter(), {}
    requests = 0
    for leave in waiting:
        requests += 1
        for user in approvers.of(leave.employee, lambda u, r=leave: can_decide(u, r)):
            counts[user.pk] += 1
            users[user.pk] = user
    link = reverse("admin:attendance_leaverequest_changelist") + (
        f"?status__exact={LeaveStatus.PENDING}"
    )
    for user_id, count in counts.items():
        notify(
            users[user_id],
            gettext_noop(
                "Leave requests waiting for your decision for more than %(hours)d hours: %(count)d."
            ),
            {"hours": hours, "count": count},
            title=gettext_noop("Leave requests waiting for a decision"),
            link=link if users[user_id].is_staff else "",
            topic="leave.pending",
            now=ctx.now,
        )
    return JobResult(
        gettext_noop("%(requests)d requests waiting, %(people)d people reminded"),
        {"requests": requests, "people": len(counts)},
    )
