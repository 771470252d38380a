"""import_master PATH [PATH...] [--dry-run]: import master data from CSV/XLSX files.

Every file is checked first; any problem is printed as "file:row:column: message" and nothing is
written (exit status 1). Columns: docs/import.md.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hadir.org.importer import Source, import_master


class Command(BaseCommand):
    help = "Import OPDs, units, workplaces and employees from CSV or XLSX files (all or nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="CSV or XLSX files; see docs/import.md"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the files and count the changes, write nothing",
        )

    def handle(self, *args, paths: list[str], dry_run: bool, **options) -> None:
        for path in paths:
            if not os.path.isfile(path):
                raise CommandError(_("{path}: no such file").format(path=path))
        result = import_master(
            [Source.from_path(path) for path in paths], actor="cli:import-master", dry_run=dry_run
        )
        for note in result.problems.notes:
            self.stdout.write(note)
        if not result.ok:
            for line in result.problems.lines():
                self.stderr.write(line)
            total = result.problems.total
            raise CommandError(
                ngettext(
                    "%(count)d problem found; nothing was imported",
                    "%(count)d problems found; nothing was imported",
                    total,
                )
                % {"count": total}
            )
        for line in result.summary_lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import complete.")))
