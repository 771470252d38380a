from django.core.management.base import BaseCommand

from hadir.attendance.management.commands import _options
from hadir.attendance.services import recompute
from hadir.attendance.tpp_report import format_table, month_tpp, write_tpp_xlsx


class Command(BaseCommand):
    help = (
        "Monthly TPP deductions per employee, itemised by day and code and capped, from the "
        "regency's table (admin: rules → TPP). Computes the month first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--opd", help="OPD code; default: every OPD")
        parser.add_argument("--format", choices=("table", "xlsx"), default="table")
        parser.add_argument("--out", help="XLSX file to write")
        parser.add_argument("--all", action="store_true", help="list employees without deduction")
        parser.add_argument("--no-compute", action="store_true")

    def handle(self, *args, **options):
        first, last = _options.month(options["month"])
        opd = _options.opd(options["opd"])
        path = _options.out_path(options["out"], options["format"])
        if not options["no_compute"]:
            recompute(first, last, opd, workers=None)
        table, rows = month_tpp(first, opd)
        if options["format"] == "xlsx":
            with path.open("wb") as handle:
                count = write_tpp_xlsx(first, table, rows, handle)
            self.stderr.write(f"wrote {path} ({count} employees)")
            return
        listed = [row for row in rows if options["all"] or row.deduction.lines]
        self.stdout.write(format_table(listed))
        self.stderr.write(f"{len(listed)} employees listed; table: {table.name or '-'}")
