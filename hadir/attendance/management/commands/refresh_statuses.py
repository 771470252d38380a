from django.core.management.base import BaseCommand

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
        self.stdout.write(
            f"{counts['evidence_days']} employee-days for new check-ins; today and yesterday: "
            f"{counts['days']} employee-days, {counts['written']} written; "
            f"{done} queued recomputations done"
        )
