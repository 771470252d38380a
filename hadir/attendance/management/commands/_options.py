"""Argument parsing shared by the attendance commands: every bad value is a CommandError."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from hadir.attendance.selectors import parse_month
from hadir.org.models import Opd


def month(text: str) -> tuple[date, date]:
    try:
        return parse_month(text)
    except ValueError as exc:
        said = _("--month must be a month YYYY-MM, not '%(text)s' (e.g. --month 2026-11)")
        raise CommandError(said % {"text": text}) from exc


def year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise CommandError(_("--year must be a year YYYY, not '%(text)s'") % {"text": text})
    return int(text)


def day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        said = _("%(option)s must be a date YYYY-MM-DD, not '%(text)s'")
        raise CommandError(said % {"option": option, "text": text}) from exc


def opd(code: str | None) -> Opd | None:
    if code is None:
        return None
    found = Opd.objects.filter(code=code).first() or Opd.objects.filter(code__iexact=code).first()
    if found is None:
        known = ", ".join(Opd.objects.order_by("code").values_list("code", flat=True)[:20])
        said = _("--opd: no OPD with code '%(code)s' (known: %(known)s)")
        raise CommandError(said % {"code": code, "known": known or _("none")})
    return found


def out_path(text: str | None, fmt: str) -> Path | None:
    if text in (None, "-"):
        if fmt in ("xlsx", "pdf"):
            raise CommandError(
                _("--out PATH is required for --format %(format)s") % {"format": fmt}
            )
        return None
    path = Path(text)
    if not path.parent.exists():
        said = _("--out: the folder %(folder)s does not exist") % {"folder": path.parent}
        raise CommandError(said)
    return path
