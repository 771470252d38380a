from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hadir.attendance import refresh
from hadir.attendance.management.commands import _options
from hadir.attendance.services import recompute


class Command(BaseCommand):
    help = (
        "Recompute daily statuses for a date range (regency or one OPD), or with --pending the "
        "queued recomputations (outages, go-live and joining dates, schedules, rules) that the "
        "worker would do. Days whose inputs did not change are skipped; closed months stay "
        "frozen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="YYYY-MM-DD")
        parser.add_argument("--opd", help="OPD code; default: every OPD")
        parser.add_argument(
            "--pending", action="store_true", help="do the queued recomputations now"
        )

    def handle(self, *args, first, last, opd, pending, **options):
        if pending:
            done = refresh.process_recompute_requests(limit=10_000)
            self.stdout.write(_("%(done)d queued recomputations done") % {"done": done})
            if first is None and last is None:
                return
        if first is None or last is None:
            raise CommandError(_("--from and --to are required (or --pending)"))
        start, end = _options.day(first, "--from"), _options.day(last, "--to")
        if end < start:
            raise CommandError(_("--to is before --from"))
        if (end - start).days > 366:
            raise CommandError(_("the range is longer than a year; recompute it in parts"))
        result = recompute(start, end, _options.opd(opd), workers=None)
        said = _(
            "%(employees)d employees, %(days)d employee-days: %(written)d written, "
            "%(unchanged)d unchanged, %(frozen)d frozen (%(seconds)s s)"
        )
        self.stdout.write(
            said
            % {
                "employees": result.employees,
                "days": result.days,
                "written": result.written,
                "unchanged": result.unchanged,
                "frozen": result.frozen,
                "seconds": f"{result.seconds:.1f}",
            }
        )
