from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        said = _("%(option)s must be a date YYYY-MM-DD, not '%(text)s'")
        raise CommandError(said % {"option": option, "text": text}) from exc


def parse_range(first: str, last: str) -> tuple[date, date]:
    start, end = parse_day(first, "--from"), parse_day(last, "--to")
    if end < start:
        raise CommandError(_("--to is before --from"))
    if (end - start).days > 366:
        raise CommandError(_("the range is longer than a year; analyse it in parts"))
    return start, end
