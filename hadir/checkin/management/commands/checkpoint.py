from django.core.management.base import BaseCommand
from django.utils import timezone

from hadir.checkin.checkpoints import write_checkpoint


class Command(BaseCommand):
    help = "Sign a checkpoint of the evidence chain now (the checkpoint_chain job does it too)."

    def handle(self, *args, **options):
        checkpoint = write_checkpoint(timezone.now())
        if checkpoint is None:
            self.stdout.write("nothing new to sign")
        else:
            self.stdout.write(
                f"checkpoint signed: {checkpoint.length} records, head {checkpoint.head}"
            )
