from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hadir.checkin.backup import backup


class Command(BaseCommand):
    help = (
        "Back up the database while the server runs (SQLite online backup, pg_dump for "
        "PostgreSQL), with a copy of the checkpoint log beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="backup file to write")

    def handle(self, *args, **options):
        out = Path(options["out"])
        try:
            log = backup(out)
        except Exception as exc:  # a disk full, pg_dump's CalledProcessError ...
            raise CommandError(_("backup failed: %(error)s") % {"error": exc}) from exc
        self.stdout.write(_("backup written to %(path)s") % {"path": out})
        if log:
            self.stdout.write(_("checkpoint log copied to %(path)s") % {"path": log})
