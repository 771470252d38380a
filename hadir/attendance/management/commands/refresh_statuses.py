from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hadir.attendance import refresh


class Command(BaseCommand):
    help = (
        "Bring statuses up to date, as the worker does every few minutes: the days new "
        "check-ins touched, today's and yesterday's statuses for everyone (today's live state, "
        "yesterday made final), and the queued recomputations."
    )

    def handle(self, *args, **options):
        counts = refresh.refresh_statuses()
        done = refresh.process_recompute_requests()
        said = _(
            "%(evidence_days)s employee-days for new check-ins; today and yesterday: "
            "%(days)s employee-days, %(written)s written; %(done)s queued recomputations done"
        )
        self.stdout.write(said % {**counts, "done": done})
