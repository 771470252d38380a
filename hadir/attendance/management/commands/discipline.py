import csv

from django.core.management.base import BaseCommand

from hadir.attendance import discipline
from hadir.attendance.management.commands import _options


class Command(BaseCommand):
    help = (
        "Discipline recommendations for a year (PP 94/2021 for PNS, the configured ladders for "
        "PPPK and non-ASN): TK days, consecutive runs, late and early minutes at 7.5 h a day, "
        "the rung reached and its dates. Refreshes the list shown in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="YYYY")
        parser.add_argument("--opd", help="OPD code; default: every OPD")
        parser.add_argument("--format", choices=("table", "csv"), default="table")
        parser.add_argument("--all", action="store_true", help="also employees with nothing")
        parser.add_argument(
            "--no-compute", action="store_true", help="use the stored statuses as they are"
        )

    def handle(self, *args, **options):
        year = _options.year(options["year"])
        opd = _options.opd(options["opd"])
        results = discipline.refresh(year, opd, compute=not options["no_compute"], workers=None)
        listed = [item for item in results if options["all"] or item.noteworthy]
        if options["format"] == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(discipline.CSV_HEADER)
            writer.writerows(discipline.csv_row(item) for item in listed)
        else:
            self.stdout.write(_table(listed))
        reached = sum(1 for item in results if item.summary.rung)
        self.stderr.write(
            f"{len(results)} employees in {year}; {reached} reach a sanction rung; "
            f"{len(listed)} listed"
        )


def _table(items) -> str:
    header = (
        "NIP",
        "Nama",
        "Jenis",
        "OPD",
        "TK",
        "Beruntun",
        "Menit",
        "Setara hari",
        "Rekomendasi",
    )
    rows = [
        (
            item.identifier,
            item.name[:28],
            item.employee_type,
            item.opd_code,
            str(item.summary.tk_days),
            str(len(item.summary.longest_tk_run)),
            str(item.summary.total_minutes),
            str(item.summary.equivalent_days),
            item.summary.rung.name if item.summary.rung else "-",
        )
        for item in items
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]

    def line(cells) -> str:
        fixed = "  ".join(c.ljust(w) for c, w in zip(cells[:-1], widths, strict=True))
        return f"{fixed}  {cells[-1]}"

    return "\n".join([line(header), *map(line, rows)])
