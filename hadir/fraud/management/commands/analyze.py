from django.core.management.base import BaseCommand, CommandError

from hadir.fraud.analysis import analyse
from hadir.fraud.dates import parse_range


class Command(BaseCommand):
    help = (
        "Run the fraud signals over stored evidence for a date range and replace that "
        "range's flags (idempotent; reviews are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes for the signals (default: HADIR_ANALYSIS_WORKERS or 1)",
        )

    def handle(self, *args, first, last, workers, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        start, end = parse_range(first, last)
        run, result = analyse(start, end, workers=workers)
        levels = {"review": 0, "strong": 0}
        for day in result.days:
            if start <= day.day <= end and day.level in levels:
                levels[day.level] += 1
        set_aside = sum(result.set_aside_counts.values())
        self.stdout.write(
            f"analysed {result.analysed} events from {start} to {end} (with "
            f"{14} days of context): {levels['review']} employee-days for review, "
            f"{levels['strong']} strong; set aside {set_aside} bad records"
            + (
                f" ({', '.join(f'{k}: {v}' for k, v in result.set_aside_counts.items())})"
                if set_aside
                else ""
            )
        )
        if result.signal_errors:
            self.stderr.write(f"signals that failed: {result.signal_errors}")
        total = sum(result.seconds.values())
        self.stdout.write(f"run #{run.pk}; the signals' work: {total:.1f} s")
