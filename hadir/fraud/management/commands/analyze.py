from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hadir.fraud.analysis import analyse
from hadir.fraud.dates import parse_day, parse_range


class Command(BaseCommand):
    help = (
        "Run the fraud signals over stored evidence for a date range and replace that "
        "range's flags (idempotent; reviews are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="YYYY-MM-DD")
        parser.add_argument(
            "--explain",
            metavar="NIP",
            help="explain one employee-day (with --date): every signal, its value and why it "
            "did or did not count; stores nothing",
        )
        parser.add_argument("--date", dest="day", help="YYYY-MM-DD: the day to explain")
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the explanation (default: %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes for the signals (default: HADIR_ANALYSIS_WORKERS or 1)",
        )

    def handle(self, *args, first, last, workers, explain, day, language, **options):
        if explain:
            self._explain(explain, day, language)
            return
        if not first or not last:
            raise CommandError("--from and --to are required (or --explain NIP --date D)")
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        start, end = parse_range(first, last)
        run, result = analyse(start, end, workers=workers)
        levels = {"review": 0, "strong": 0}
        for flag in result.days:
            if start <= flag.day <= end and flag.level in levels:
                levels[flag.level] += 1
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

    def _explain(self, identifier, day, language):
        from hadir.fraud.explain import UnknownEmployee, explain_day, explanation_text

        if not day:
            raise CommandError("--explain needs --date YYYY-MM-DD")
        when = parse_day(day, "--date")
        with translation.override(language):
            try:
                employee, explanation = explain_day(identifier, when)
            except UnknownEmployee as exc:
                raise CommandError(f"no employee with NIP/number {exc}") from exc
            self.stdout.write(explanation_text(employee, explanation), ending="")
