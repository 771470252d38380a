from django.core.management.base import BaseCommand, CommandError

from hadir.checkin import chain
from hadir.checkin.models import EvidenceRecord

FIELDS = ("id", "prev_hash", "row_hash", "body", *chain.CHAINED_FIELDS)


class Command(BaseCommand):
    help = "Check the hash chain of the check-in evidence store; report the first broken row."

    def handle(self, *args, **options):
        rows = EvidenceRecord.objects.order_by("id").values(*FIELDS).iterator(chunk_size=2000)
        report = chain.check_chain(rows)
        if report.first_bad_id is not None:
            raise CommandError(f"chain broken at evidence row {report.first_bad_id} "
                               f"(row {report.rows} in order): {report.problem}")
        self.stdout.write(f"chain intact: {report.rows} rows")
