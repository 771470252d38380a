import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from hadir.fraud.dates import parse_range
from hadir.fraud.export import flag_records, precision_on_reviews, to_csv, to_jsonl
from hadir.fraud.models import Level


class Command(BaseCommand):
    help = (
        "Export flagged employee-days (one record each) as JSON lines or CSV, with texts in "
        "Indonesian (or --language en) and the machine-readable codes beside them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True)
        parser.add_argument("--to", dest="last", required=True)
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--min-level", choices=[c.value for c in Level], default="review")
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the texts and the CSV headers (default: %(default)s)",
        )
        parser.add_argument("--out", help="file to write; standard output by default")
        parser.add_argument(
            "--precision",
            action="store_true",
            help="also print the detector's precision on reviewed flags",
        )

    def handle(self, *args, language, **options):
        with translation.override(language):  # the records' texts and what the command says
            self._export(**options)

    def _export(self, *, first, last, format, min_level, out, precision, **options):
        start, end = parse_range(first, last)
        records = list(flag_records(start, end, min_level))
        text = to_jsonl(records) if format == "jsonl" else to_csv(records)
        if out:
            try:
                with open(out, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            except OSError as exc:
                said = _("cannot write %(path)s: %(error)s")
                raise CommandError(said % {"path": out, "error": exc.strerror}) from exc
            said = _("%(count)s flagged employee-days written to %(path)s")
            self.stdout.write(said % {"count": len(records), "path": out})
        else:
            sys.stdout.write(text)
        if precision:
            for level, s in sorted(precision_on_reviews().items()):
                said = _(
                    "%(level)s: %(confirmed)s confirmed, %(dismissed)s dismissed, "
                    "precision %(precision)s"
                )
                self.stderr.write(said % {"level": level, **s})
