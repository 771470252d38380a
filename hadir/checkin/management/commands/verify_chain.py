from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hadir.checkin import chain, checkpoints
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
        entries = checkpoints.read_entries(options["checkpoints"]) if options["checkpoints"] else []
        head = ChainHead.objects.filter(name="evidence").values("last_hash", "length").first()
        retention = timedelta(days=settings.LOCATION_RETENTION_DAYS)
        keys = dict(Device.objects.values_list("id", "public_key"))
        report = chain.check_chain(
            all_rows(), checkpoints.wanted_positions(entries), retention, keys
        )
        lines = [
            f"evidence row {p.row_id} (row {p.position} in order): {p.text}"
            for p in report.problems
        ]
        end = chain.check_head(report, head and head["last_hash"], head and head["length"])
        if end:
            lines.append(f"chain broken at its end: {end}")
        if options["checkpoints"]:
            key = self._key(options["public_key"])
            for problem in checkpoints.check_entries(entries, key, report.hashes_at, report.rows):
                lines.append(f"checkpoint on line {problem.line}: {problem.text}")
        if lines:
            for line in lines[:SHOWN]:
                self.stderr.write(line)
            raise CommandError(
                f"chain broken: {len(lines)} problem(s) in {report.rows} rows; first: {lines[0]}"
            )
        checked = f", {len(entries)} checkpoints hold" if options["checkpoints"] else ""
        self.stdout.write(f"chain intact: {report.rows} rows{checked}")

    def _key(self, path):
        try:
            if path:
                return checkpoints.load_public_key(path)
            return checkpoints.load_public_key(settings.CHAIN_CHECKPOINT_KEY_FILE)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the checkpoint key: {exc}") from exc
