import os
import sys
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hadir.jobs import process
from hadir.jobs.models import RunStatus
from hadir.jobs.worker import LEASE, Worker


class Command(BaseCommand):
    help = (
        "Run the background jobs (presence challenges, statuses, the nightly fraud batch, "
        "reminders, notifications) on their schedule until stopped; --once runs what is due "
        "and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the due jobs, then exit")
        parser.add_argument(
            "--loop-seconds",
            type=float,
            default=10,
            help="look for due jobs at least this often (default 10)",
        )
        parser.add_argument(
            "--lease-seconds",
            type=int,
            default=int(LEASE.total_seconds()),
            help="how long a stopped worker's job stays locked before another takes it over",
        )
        parser.add_argument(
            "--with-parent",
            type=int,
            metavar="PID",
            help="exit when this process (the server it was started beside) ends",
        )

    def handle(self, *args, once, loop_seconds, lease_seconds, with_parent, **options):
        if not 0.5 <= loop_seconds <= 3600:
            raise CommandError(_("--loop-seconds must be between 0.5 and 3600"))
        if lease_seconds < 30:
            raise CommandError(_("--lease-seconds must be at least 30"))
        if with_parent is not None:
            process.exit_with_parent(with_parent)
        worker = Worker(
            lease=timedelta(seconds=lease_seconds),
            out=self._say,
            quiet=options["verbosity"] < 1,
        )
        if once:
            runs = worker.run_once()
            if any(run.status != RunStatus.SUCCEEDED for run in runs):
                sys.exit(1)  # cron mails the output of a failing command
            return
        said = _("worker %(name)s started (pid %(pid)s); Ctrl-C stops it")
        self._say(said % {"name": worker.name, "pid": os.getpid()})
        worker.loop(loop_seconds, parent_pid=with_parent)
        self._say(_("worker %(name)s stopped") % {"name": worker.name})

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
