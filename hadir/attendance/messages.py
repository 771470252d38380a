"""The words of attendance: what the pure rules return as codes and values, said through the
catalogue (Indonesian by default, English when chosen). The domain never builds a sentence;
this is the one place that does.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hadir.domain.coverage import DayCoverage, NotCounted

NOT_COUNTED = {
    NotCounted.OUTSIDE_SERVICE: _("outside the employee's service (%(since)s – %(until)s)"),
    NotCounted.BEFORE_GO_LIVE: _("before attendance started in the regency (%(since)s)"),
    NotCounted.OPD_NOT_JOINED: _("before the OPD joined (%(since)s)"),
    NotCounted.OUTAGE: _("declared outage: %(reason)s"),
}
NOT_COUNTED_SHORT = {
    NotCounted.OUTSIDE_SERVICE: _("outside service"),
    NotCounted.BEFORE_GO_LIVE: _("before go-live"),
    NotCounted.OPD_NOT_JOINED: _("OPD not joined yet"),
    NotCounted.OUTAGE: _("declared outage"),
}


def day_text(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "…"


def values_text(values: Mapping[str, object]) -> dict[str, object]:
    """Dates said as dates ("1 November 2026"), None as an open end."""
    return {
        key: day_text(value) if isinstance(value, date) or value is None else value
        for key, value in values.items()
    }


def not_counted_text(item: DayCoverage) -> str:
    """Why a day does not count, in a sentence; "" for a day that counts."""
    if item.counts:
        return ""
    return str(NOT_COUNTED[item.reason]) % values_text(item.values)


def legend_not_counted() -> str:
    reasons = ", ".join(str(NOT_COUNTED_SHORT[reason]) for reason in NotCounted)
    return gettext("× does not count (%(reasons)s)") % {"reasons": reasons}


def legend_other_opd() -> str:
    return gettext("/ in another OPD that day (transfer)")
