"""The attendance app's background jobs: statuses kept current, month closing, leave reminders.

The work itself is in hadir.attendance.refresh (plain functions, also run by
`hadir refresh-statuses` and `hadir recompute --pending`).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.attendance import refresh
from hadir.attendance.leave import OPD_DECIDERS, can_decide
from hadir.attendance.models import LeaveRequest, LeaveStatus, MonthClosure
from hadir.attendance.services import AttendanceError, close_month, closure_errors
from hadir.jobs.registry import JobContext, JobResult, daily, every, job, monthly
from hadir.notify.recipients import Approvers
from hadir.notify.services import notify
from hadir.org.scope import scope_for


@job(
    "compute_statuses",
    title=_("Compute daily statuses"),
    description=_(
        "Keeps Status harian current: recomputes the days that new check-ins touched (found "
        "without slowing the check-in itself), and today's and yesterday's statuses for "
        "everyone: today's live state, and yesterday made final once its check-out window has "
        "closed. Days whose inputs did not change are not rewritten; closed months stay "
        "frozen."
    ),
    schedule=every(minutes=5),
)
def compute_statuses(ctx: JobContext) -> JobResult:
    counts = refresh.refresh_statuses(ctx.now)
    return JobResult(
        gettext_noop(
            "%(evidence_days)d employee-days for new check-ins; today and yesterday: "
            "%(days)d employee-days, %(written)d written"
        ),
        counts,
    )


@job(
    "recompute_requests",
    title=_("Do the queued recomputations"),
    description=_(
        "Recomputes the days of changes too large to be done while an administrator waits: "
        "declared outages, go-live and OPD joining dates, schedules, status rules "
        "(admin: Recomputations)."
    ),
    schedule=every(seconds=60),
)
def recompute_requests(ctx: JobContext) -> JobResult:
    done = refresh.process_recompute_requests(ctx.now)
    return JobResult(gettext_noop("%(done)d queued recomputations done"), {"done": done})


@job(
    "close_previous_month",
    title=_("Close the previous month"),
    description=_(
        "Computes the previous month's statuses one last time and freezes them for the whole "
        "regency, on the set day of the month. Off by default: closing a month is a decision "
        "(after it, a status of that month changes only through a correction with a reason); "
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


def _leave_link(user) -> str:
    """Where the reminder leads: the supervisors' leave page for whoever may enter it (an atasan
    with his role, a Kepala OPD), else the admin's list for staff, else nowhere."""
    scope = scope_for(user)
    if apps.is_installed("hadir.supervise") and (
        scope.regency_wide or scope.opd_ids or scope.supervised_employee_ids
    ):
        return reverse("supervise:leave")
    if user.is_staff:
        return reverse("admin:attendance_leaverequest_changelist") + (
            f"?status__exact={LeaveStatus.PENDING}"
        )
    return ""


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
    for user_id, count in counts.items():
        notify(
            users[user_id],
            gettext_noop(
                "Leave requests waiting for your decision for more than %(hours)d hours: %(count)d."
            ),
            {"hours": hours, "count": count},
            title=gettext_noop("Leave requests waiting for a decision"),
            link=_leave_link(users[user_id]),
            topic="leave.pending",
            now=ctx.now,
        )
    return JobResult(
        gettext_noop("%(requests)d requests waiting, %(people)d people reminded"),
        {"requests": requests, "people": len(counts)},
    )
