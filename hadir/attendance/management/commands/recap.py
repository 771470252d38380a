import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hadir.attendance.management.commands import _options
from hadir.attendance.recap import month_recap, write_recap_csv
from hadir.attendance.recap_pdf import write_recap_pdf
from hadir.attendance.recap_xlsx import write_recap_xlsx
from hadir.attendance.services import recompute


class Command(BaseCommand):
    help = (
        "Monthly attendance recap, per OPD or regency-wide: computes the month's statuses "
        "(unchanged days are skipped), then writes CSV (one row per employee-day), XLSX (a sheet "
        "per OPD, BKPSDM layout) or PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--opd", help="OPD code; default: every OPD")
        parser.add_argument("--format", choices=("csv", "xlsx", "pdf"), default="csv")
        parser.add_argument("--out", help="file to write; '-' or none: stdout (CSV only)")
        parser.add_argument(
            "--no-compute", action="store_true", help="use the stored statuses as they are"
        )
        parser.add_argument(
            "--signed-on", help="date beside the place of signature, YYYY-MM-DD; default: today"
        )

    def handle(self, *args, **options):
        first, last = _options.month(options["month"])
        opd = _options.opd(options["opd"])
        fmt = options["format"]
        path = _options.out_path(options["out"], fmt)
        if not options["no_compute"]:
            result = recompute(first, last, opd, workers=None)
            said = _(
                "computed %(days)s employee-days (%(written)s written, %(unchanged)s unchanged, "
                "%(frozen)s frozen) in %(seconds)s s"
            )
            self.stderr.write(
                said
                % {
                    "days": result.days,
                    "written": result.written,
                    "unchanged": result.unchanged,
                    "frozen": result.frozen,
                    "seconds": f"{result.seconds:.1f}",
                }
            )
        signed_on = (
            _options.day(options["signed_on"], "--signed-on") if options["signed_on"] else None
        )
        recap = month_recap(first, opd, signed_on)
        if fmt == "csv":
            if path is None:
                count = write_recap_csv(recap, sys.stdout)
            else:
                with path.open("w", newline="", encoding="utf-8") as handle:
                    count = write_recap_csv(recap, handle)
            self.stderr.write(ngettext("%(count)s row", "%(count)s rows", count) % {"count": count})
            return
        writer = write_recap_xlsx if fmt == "xlsx" else write_recap_pdf
        with path.open("wb") as handle:
            parts = writer(recap, handle)
        if fmt == "xlsx":
            said = ngettext(
                "wrote %(path)s (%(count)s sheet)", "wrote %(path)s (%(count)s sheets)", parts
            )
        else:
            said = ngettext(
                "wrote %(path)s (%(count)s OPD)", "wrote %(path)s (%(count)s OPDs)", parts
            )
        self.stderr.write(said % {"path": path, "count": parts})
