from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hadir.attendance.tpp_classes import read_class_amounts, store_class_amounts
from hadir.attendance.tpp_report import rupiah_text


class Command(BaseCommand):
    help = gettext_lazy(
        "Set the monthly TPP of each position class (kelas jabatan) from a CSV/XLSX file with "
        "the columns position_class and tpp_amount; employees without an own amount get their "
        "class's amount."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace", action="store_true", help="drop classes that are not in the file"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("no such file: %(path)s") % {"path": path})
        read = read_class_amounts(path)
        if read.problems:
            for problem in read.problems:
                self.stderr.write(problem)
            raise CommandError(_("nothing was changed"))
        for position_class, amount in sorted(read.amounts.items(), key=_class_order):
            self.stdout.write(f"{position_class}\t{rupiah_text(amount)}")
        if options["dry_run"]:
            return
        stored = store_class_amounts(read.amounts, "cli:tpp-classes", options["replace"])
        self.stderr.write(
            _("%(count)s position classes have a TPP amount") % {"count": len(stored)}
        )


def _class_order(item):
    key = item[0]
    return (0, int(key), "") if key.isdigit() else (1, 0, key)
