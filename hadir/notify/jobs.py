"""The notify app's job: hand pending notifications to the senders."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.jobs.registry import JobContext, JobResult, every, job
from hadir.notify.services import deliver_pending


@job(
    "deliver_notifications",
    title=_("Deliver notifications"),
    description=_(
        "Hands new notifications to the configured senders (Web Push, log) and retries failed "
        "deliveries with a growing delay."
    ),
    schedule=every(seconds=30),
    options={"batch": 500},
)
def deliver_notifications(ctx: JobContext) -> JobResult:
    result = deliver_pending(ctx.now, limit=int(ctx.options["batch"]))
    return JobResult(
        gettext_noop("%(sent)d sent, %(retrying)d to retry, %(given_up)d given up"),
        {"sent": result.sent, "retrying": result.retrying, "given_up": result.given_up},
    )
