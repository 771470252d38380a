"""The check-in app's background jobs."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.checkin.devices import can_decide
from hadir.checkin.models import Device, DeviceStatus
from hadir.jobs.registry import JobContext, JobResult, daily, every, job
from hadir.notify.recipients import Approvers
from hadir.notify.services import notify
from hadir.org.models import RoleKind


@job(
    "remind_device_approvals",
    title=_("Remind about devices waiting for approval"),
    description=_(
        "Tells the atasan langsung and the OPD administrators how many new phones have been "
        "waiting for their approval longer than the set number of hours (the employee cannot "
        "check in with a new phone until then). BKPSDM is told when nobody in the OPD can "
        "decide."
    ),
    schedule=daily("08:00"),
    options={"older_than_hours": 4},
)
def remind_device_approvals(ctx: JobContext) -> JobResult:
    hours = int(ctx.options["older_than_hours"])
    waiting = Device.objects.filter(
        status=DeviceStatus.PENDING, enrolled_at__lt=ctx.now - timedelta(hours=hours)
    ).select_related("employee__supervisor__user")
    approvers, counts, users = Approvers([RoleKind.OPD_ADMIN]), Counter(), {}
    devices = 0
    for device in waiting:
        devices += 1
        for user in approvers.of(device.employee, lambda u, d=device: can_decide(u, d)):
            counts[user.pk] += 1
            users[user.pk] = user
    link = reverse("admin:checkin_device_changelist") + f"?status__exact={DeviceStatus.PENDING}"
    for user_id, count in counts.items():
        notify(
            users[user_id],
            gettext_noop(
                "Devices waiting for your approval for more than %(hours)d hours: %(count)d."
            ),
            {"hours": hours, "count": count},
            title=gettext_noop("Devices waiting for approval"),
            link=link if users[user_id].is_staff else "",
            topic="devices.pending",
            now=ctx.now,
        )
    return JobResult(
        gettext_noop("%(devices)d devices waiting, %(people)d people reminded"),
        {"devices": devices, "people": len(counts)},
    )


@job(
    "checkpoint_chain",
    title=_("Sign a checkpoint of the evidence chain"),
    description=_(
        "Signs the evidence chain's length and last hash with the checkpoint key kept outside "
        "the database, and appends it to the checkpoint log; `hadir verify-chain --checkpoints` "
        "then proves that nobody re-hashed the history since. Skipped when nothing was added."
    ),
    schedule=every(minutes=15),
)
def checkpoint_chain(ctx: JobContext) -> JobResult:
    from hadir.checkin.checkpoints import write_checkpoint

    checkpoint = write_checkpoint(ctx.now)
    if checkpoint is None:
        return JobResult(gettext_noop("nothing new to sign"), {})
    return JobResult(
        gettext_noop("checkpoint signed at %(length)d records"), {"length": checkpoint.length}
    )


@job(
    "remove_old_locations",
    title=_("Remove location details past the retention period"),
    description=_(
        "Removes the coordinates, accuracy, fix time, distance and signed body of check-ins "
        "older than the set number of days (personal data kept no longer than needed); the "
        "outcome, the reasons and the evidence chain stay verifiable. Each removal is written "
        "to the audit log."
    ),
    schedule=daily("02:30"),
    options={"keep_days": settings.LOCATION_RETENTION_DAYS},
)
def remove_old_locations(ctx: JobContext) -> JobResult:
    from hadir.checkin.retention import remove_old_locations as remove

    removal = remove(ctx.now, int(ctx.options["keep_days"]), actor="job:remove_old_locations")
    return JobResult(
        gettext_noop("locations of %(count)d records received before %(before)s removed"),
        {"count": removal.count, "before": removal.before.date().isoformat()},
    )
