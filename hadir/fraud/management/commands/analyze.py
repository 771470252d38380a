from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from hadir.fraud.analysis import CONTEXT_DAYS, analyse
from hadir.fraud.dates import parse_day, parse_range
from hadir.fraud.evidence_text import reason_label


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
            help="language of what is printed (default: %(default)s)",
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
        with translation.override(language):  # the refusals too; the analysis runs as before
            if not first or not last:
                raise CommandError(_("--from and --to are required (or --explain NIP --date D)"))
            if workers is not None and workers < 1:
                raise CommandError(_("--workers must be at least 1"))
            start, end = parse_range(first, last)
        run, result = analyse(start, end, workers=workers)
        levels = {"review": 0, "strong": 0}
        for flag in result.days:
            if start <= flag.day <= end and flag.level in levels:
                levels[flag.level] += 1
        set_aside = sum(result.set_aside_counts.values())
        excused = sum(start <= e.hit.day <= end for e in result.excused)
        with translation.override(language):
            text = gettext(
                "analysed %(events)s events from %(first)s to %(last)s (with %(context)s days "
                "of context): %(review)s employee-days for review, %(strong)s strong; "
                "%(excused)s signs excused or held by leave, duty or schedule; set aside "
                "%(set_aside)s bad records"
            ) % {
                "events": result.analysed,
                "first": start,
                "last": end,
                "context": CONTEXT_DAYS,
                "review": levels["review"],
                "strong": levels["strong"],
                "excused": excused,
                "set_aside": set_aside,
            }
            if set_aside:
                reasons = (f"{reason_label(k)}: {v}" for k, v in result.set_aside_counts.items())
                text += f" ({', '.join(reasons)})"
            self.stdout.write(text)
            if result.signal_errors:
                self.stderr.write(
                    gettext("signals that failed: %(errors)s") % {"errors": result.signal_errors}
                )
            total = sum(result.seconds.values())
            self.stdout.write(
                gettext("run #%(run)s; the signals' work: %(seconds)s s")
                % {"run": run.pk, "seconds": f"{total:.1f}"}
            )

    def _explain(self, identifier, day, language):
        from hadir.fraud.explain import UnknownEmployee, explain_day, explanation_text

        with translation.override(language):
            if not day:
                raise CommandError(_("--explain needs --date YYYY-MM-DD"))
            when = parse_day(day, "--date")
            try:
                employee, explanation = explain_day(identifier, when)
            except UnknownEmployee as exc:
                said = _("no employee with NIP or number %(identifier)s")
                raise CommandError(said % {"identifier": exc}) from exc
            self.stdout.write(explanation_text(employee, explanation), ending="")
