"""--opd for the org commands: an OPD by its code, or a CommandError naming the known ones."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from hadir.org.models import Opd


def opd_by_code(code: str) -> Opd:
    found = Opd.objects.filter(code=code).first() or Opd.objects.filter(code__iexact=code).first()
    if found is None:
        known = ", ".join(Opd.objects.order_by("code").values_list("code", flat=True)[:20])
        raise CommandError(
            _("--opd: no OPD with code '{code}' (known: {known})").format(
                code=code, known=known or "-"
            )
        )
    return found
