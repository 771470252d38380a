from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hadir.checkin import chain, checkpoints
from hadir.checkin.messages import chain_problem_text
from hadir.checkin.models import ChainHead, Device, EvidenceRecord

SHOWN = 200  # problems printed one by one; the count covers them all


def all_rows(batch: int = 2000):
    """Every row in id order, read in batches (keyset pagination: no long-lived cursor)."""
    last_id = 0
    while True:
        rows = list(
            EvidenceRecord.objects.filter(id__gt=last_id)
            .order_by("id")
            .values(*chain.VERIFIED_FIELDS)[:batch]
        )
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1]["id"]


class Command(BaseCommand):
    help = (
        "Check the hash chain of the check-in evidence store and report every broken row; with "
        "--checkpoints, also that the chain still holds each signed checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="checkpoint log (JSON lines) to check the chain against",
        )
        parser.add_argument(
            "--public-key",
            metavar="FILE",
            help="PEM public key of the checkpoints (default: the configured checkpoint key)",
        )

    def handle(self, *args, **options):
        entries = self._entries(options["checkpoints"]) if options["checkpoints"] else []
        head = ChainHead.objects.filter(name="evidence").values("last_hash", "length").first()
        retention = timedelta(days=settings.LOCATION_RETENTION_DAYS)
        keys = dict(Device.objects.values_list("id", "public_key"))
        report = chain.check_chain(
            all_rows(), checkpoints.wanted_positions(entries), retention, keys
        )
        said = _("evidence row %(id)s (row %(position)s in order): %(problem)s")
        lines = [
            said % {"id": p.row_id, "position": p.position, "problem": chain_problem_text(p.text)}
            for p in report.problems
        ]
        end = chain.check_head(report, head and head["last_hash"], head and head["length"])
        if end:
            said = _("chain broken at its end: %(problem)s")
            lines.append(said % {"problem": chain_problem_text(end)})
        if options["checkpoints"]:
            key = self._key(options["public_key"])
            for problem in checkpoints.check_entries(entries, key, report.hashes_at, report.rows):
                said = _("checkpoint on line %(line)s: %(problem)s")
                lines.append(
                    said % {"line": problem.line, "problem": chain_problem_text(problem.text)}
                )
        if lines:
            for line in lines[:SHOWN]:
                self.stderr.write(line)
            said = ngettext(
                "chain broken: %(count)s problem in %(rows)s rows; first: %(first)s",
                "chain broken: %(count)s problems in %(rows)s rows; first: %(first)s",
                len(lines),
            )
            raise CommandError(said % {"count": len(lines), "rows": report.rows, "first": lines[0]})
        if options["checkpoints"]:
            said = _("chain intact: %(rows)s rows, %(checkpoints)s checkpoints hold")
        else:
            said = _("chain intact: %(rows)s rows")
        self.stdout.write(said % {"rows": report.rows, "checkpoints": len(entries)})

    def _entries(self, path):
        try:
            return checkpoints.read_entries(path)
        except (OSError, UnicodeDecodeError) as exc:
            said = _("cannot read %(path)s: %(error)s")
            raise CommandError(
                said % {"path": path, "error": getattr(exc, "strerror", None) or exc}
            ) from exc

    def _key(self, path):
        try:
            if path:
                return checkpoints.load_public_key(path)
            return checkpoints.load_public_key(settings.CHAIN_CHECKPOINT_KEY_FILE)
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("cannot read the checkpoint key: %(error)s") % {"error": exc}
            ) from exc
