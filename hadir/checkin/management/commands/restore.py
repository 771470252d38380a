from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hadir.checkin.backup import checkpoints_beside, restore


class Command(BaseCommand):
    help = (
        "Replace the database's content with a backup made by `hadir backup` (stop the server "
        "first), then check it with verify-chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup file")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current database"
        )

    def handle(self, *args, **options):
        source = Path(options["source"])
        if not source.exists():
            raise CommandError(f"no such backup: {source}")
        if not options["yes"]:
            raise CommandError("this replaces the whole database: add --yes to go ahead")
        try:
            restore(source)
        except Exception as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        log = checkpoints_beside(source)
        check = f" --checkpoints {log}" if log.exists() else ""
        self.stdout.write(f"restored from {source}; now run: hadir verify-chain{check}")
