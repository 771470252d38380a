from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hadir.attendance.management.commands import _options
from hadir.attendance.services import recompute
from hadir.attendance.tpp_report import (
    format_table,
    month_heading,
    month_tpp,
    split_entitled,
    write_tpp_xlsx,
)


class Command(BaseCommand):
    help = gettext_lazy(
        "Monthly TPP per employee: the base, the deduction itemised by day and code and capped, "
        "in percent and rupiah, from the regency's table (admin: rules → TPP); employees not "
        "entitled to TPP listed apart. Computes the month first."
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
            self.stderr.write(
                _("wrote %(path)s (%(count)s employees)") % {"path": path, "count": count}
            )
            return
        entitled, apart = split_entitled(rows)
        listed = [row for row in entitled if options["all"] or row.deduction.lines]
        self.stdout.write(month_heading(first))
        self.stdout.write(format_table(listed, apart))
        self.stderr.write(
            _("%(count)s employees listed, %(apart)s not entitled; table: %(table)s")
            % {"count": len(listed), "apart": len(apart), "table": table.name or "-"}
        )
