from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(f"backup written to {out}")
        if log:
            self.stdout.write(f"checkpoint log copied to {log}")
