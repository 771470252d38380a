from django.core.management.base import BaseCommand, CommandError

from hadir.checkin import chain
from hadir.checkin.models import ChainHead, EvidenceRecord

FIELDS = ("id", "prev_hash", "row_hash", "body", *chain.CHAINED_FIELDS)


def all_rows(batch: int = 2000):
    """Every row in id order, read in batches (keyset pagination: no long-lived cursor)."""
    last_id = 0
    while True:
        rows = list(
            EvidenceRecord.objects.filter(id__gt=last_id).order_by("id").values(*FIELDS)[:batch]
        )
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1]["id"]


class Command(BaseCommand):
    help = "Check the hash chain of the check-in evidence store; report the first broken row."

    def handle(self, *args, **options):
        head = ChainHead.objects.filter(name="evidence").values("last_hash", "length").first()
        report = chain.check_chain(all_rows())
        if report.first_bad_id is not None:
            raise CommandError(
                f"chain broken at evidence row {report.first_bad_id} "
                f"(row {report.rows} in order): {report.problem}"
            )
        problem = chain.check_head(report, head and head["last_hash"], head and head["length"])
        if problem:
            raise CommandError(f"chain broken at its end: {problem}")
        self.stdout.write(f"chain intact: {report.rows} rows")
