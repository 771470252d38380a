from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("no such backup: %(path)s") % {"path": source})
        if not options["yes"]:
            raise CommandError(_("this replaces the whole database: add --yes to go ahead"))
        try:
            restore(source)
        except Exception as exc:
            raise CommandError(_("restore failed: %(error)s") % {"error": exc}) from exc
        log = checkpoints_beside(source)
        check = f" --checkpoints {log}" if log.exists() else ""
        said = _("restored from %(path)s; now run: %(command)s")
        self.stdout.write(said % {"path": source, "command": f"hadir verify-chain{check}"})
