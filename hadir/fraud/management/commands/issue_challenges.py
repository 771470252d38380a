import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.fraud.challenges import (
    issue_due_challenges,
    issue_group_challenges,
    record_group_results,
)


class Command(BaseCommand):
    help = (
        "Issue the presence challenges that are due, and the group challenges of the suspected "
        "sets of phones (once, or every --every seconds)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="ISO time to act as now (for replays and tests)")
        parser.add_argument("--every", type=int, help="keep running, every N seconds")

    def handle(self, *args, at, every, **options):
        if at and every:
            raise CommandError(_("--at and --every do not go together"))
        if every is not None and every < 10:
            raise CommandError(_("--every must be at least 10 seconds"))
        while True:
            now = self._moment(at)
            issued = issue_due_challenges(now)
            grouped = issue_group_challenges(now)
            recorded = record_group_results(now)
            said = _(
                "%(now)s: issued %(issued)s, in group challenges %(grouped)s, "
                "group results recorded %(recorded)s"
            )
            self.stdout.write(
                said
                % {
                    "now": f"{now:%Y-%m-%d %H:%M:%S}",
                    "issued": issued,
                    "grouped": grouped,
                    "recorded": recorded,
                }
            )
            if every is None:
                return
            time.sleep(every)

    def _moment(self, at):
        if not at:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(at)
        except ValueError as exc:
            said = _("--at must be an ISO 8601 time with a UTC offset, not '%(text)s'")
            raise CommandError(said % {"text": at}) from exc
        if moment.tzinfo is None:
            raise CommandError(_("--at needs a UTC offset, e.g. 2026-11-02T10:00:00+07:00"))
        return moment
