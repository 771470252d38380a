import getpass

from django.core.management.base import BaseCommand, CommandError

from hadir.attendance.management.commands import _options
from hadir.attendance.services import AttendanceError, close_month


class Command(BaseCommand):
    help = (
        "Close a month (for one OPD, or the regency): its statuses are computed one last time "
        "and then frozen; leave and corrections for it are refused until it is reopened."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--opd", help="OPD code; default: the whole regency")

    def handle(self, *args, **options):
        first, _ = _options.month(options["month"])
        opd = _options.opd(options["opd"])
        try:
            closure = close_month(first, opd, by=f"cli:{getpass.getuser()}", workers=None)
        except AttendanceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"closed {closure}")
