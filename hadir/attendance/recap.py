"""The monthly recap as data (per OPD, streamed), and its CSV form.

The XLSX and PDF writers (recap_xlsx, recap_pdf) render the same `MonthRecap`. Sections are
read one OPD at a time, so a regency of 10,000 employees never sits in memory at once. The
recap reads stored statuses; `hadir recap` computes the month first.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from hadir.attendance.messages import not_counted_text
from hadir.attendance.models import DailyStatus, OpdTransfer, split_codes
from hadir.attendance.selectors import (
    CHUNK,
    current_rules,
    day_coverages,
    days_between,
    month_end,
    regency_coverage,
)
from hadir.domain.coverage import DayCoverage
from hadir.org.models import Employee, Opd, OpdKind

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
# Three letters each, so that no two days read alike (Sen/Sel, not Se/Se).
WEEKDAYS = (
    pgettext_lazy("weekday, three letters", "Mon"),
    pgettext_lazy("weekday, three letters", "Tue"),
    pgettext_lazy("weekday, three letters", "Wed"),
    pgettext_lazy("weekday, three letters", "Thu"),
    pgettext_lazy("weekday, three letters", "Fri"),
    pgettext_lazy("weekday, three letters", "Sat"),
    pgettext_lazy("weekday, three letters", "Sun"),
)
# The totals columns, in the order BKPSDM recaps print them.
RECAP_CODES = (
    "H", "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "TK",
    "I", "S", "CT", "CB", "CS", "CM", "CAP", "CBer", "CLTN", "DL", "TB", "L",
)  # fmt: skip
CSV_HEADER = (
    _("NIP"), _("Name"), _("OPD"), _("Date"), _("Status"), _("Late minutes"),
    _("Early minutes"), _("Not counted"),
)  # fmt: skip
# Days without a status: a distinct mark on the grid, explained by the legend.
NOT_COUNTED_MARK = "×"  # the day does not count (before go-live, outside service, outage)
OTHER_OPD_MARK = "/"  # the employee belonged to another OPD that day (transfer)


def weekday_name(day: date) -> str:
    """The day's name in three letters: "Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"."""
    return str(WEEKDAYS[day.weekday()])


def acknowledged_line() -> str:
    """The word above the title of the head who signs what someone else prepared."""
    return pgettext("signature block", "Acknowledged,")


def month_title(first: date) -> str:
    return f"Rekapitulasi Kehadiran Bulan {MONTHS_ID[first.month - 1]} {first.year}"


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def head_title(opd: Opd) -> str:
    """How the head of an OPD signs: Camat, Lurah, Direktur, or Kepala."""
    name = opd.name
    if opd.kind == OpdKind.KECAMATAN:
        return "Camat " + name.removeprefix("Kecamatan ").strip()
    if opd.kind == OpdKind.KELURAHAN:
        return "Lurah " + name.removeprefix("Kelurahan ").strip()
    if opd.kind == OpdKind.RSUD:
        return f"Direktur {name}"
    return f"Kepala {name}"


@dataclass
class EmployeeLine:
    number: int
    employee_id: int
    identifier: str
    name: str
    codes: dict[int, str] = field(default_factory=dict)  # day of month -> "TL2+PSW1"
    minutes: dict[int, tuple[int, int]] = field(default_factory=dict)  # day -> (late, early)
    not_counted: dict[int, DayCoverage] = field(default_factory=dict)  # day -> why
    late_minutes: int = 0
    early_minutes: int = 0
    totals: Counter = field(default_factory=Counter)


@dataclass
class Signature:
    place_and_date: str
    title: str
    name: str
    identifier: str


@dataclass
class OpdSection:
    code: str
    name: str
    lines: list[EmployeeLine]
    signature: Signature

    @property
    def totals(self) -> Counter:
        total: Counter = Counter()
        for line in self.lines:
            total.update(line.totals)
        return total


@dataclass
class MonthRecap:
    first: date
    last: date
    opd: Opd | None = None  # None: the whole regency
    signed_on: date | None = None  # the date beside the place of signature; None: today

    @property
    def title(self) -> str:
        return month_title(self.first)

    @property
    def days(self) -> list[date]:
        return days_between(self.first, self.last)

    def opds(self) -> list[Opd]:
        opds = Opd.objects.select_related("head").order_by("code")
        return [self.opd] if self.opd is not None else list(opds.filter(active=True))

    def sections(self) -> Iterator[OpdSection]:
        regency = regency_coverage(self.first, self.last)
        for opd in self.opds():
            yield opd_section(opd, self.first, self.last, regency, self.signed_on)


def month_recap(first: date, opd: Opd | None = None, signed_on: date | None = None) -> MonthRecap:
    first = first.replace(day=1)
    return MonthRecap(first, month_end(first), opd, signed_on)


def employees_in_month(opd: Opd, first: date, last: date):
    """The OPD's current employees active on any day of the period, by name."""
    return (
        Employee.objects.filter(opd=opd, active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .order_by("name", "identifier")
    )


def members_in_month(opd: Opd, first: date, last: date, regency) -> tuple[list, dict]:
    """Employees who belonged to the OPD on some day of the period (transfers included), by
    name, with the coverage of each of their days: ([(pk, identifier, name)], {pk: coverage})."""
    moved = OpdTransfer.objects.filter(Q(from_opd=opd) | Q(to_opd=opd)).values("employee_id")
    candidates = list(
        Employee.objects.filter(Q(opd=opd) | Q(pk__in=moved))
        .filter(active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .order_by("name", "identifier")
        .values_list("pk", "identifier", "name")
    )
    coverage = day_coverages([pk for pk, _, _ in candidates], first, last, regency)
    people = [p for p in candidates if any(c.opd_id == opd.pk for c in coverage[p[0]])]
    return people, coverage


def opd_section(
    opd: Opd, first: date, last: date, regency=None, signed_on: date | None = None
) -> OpdSection:
    regency = regency or regency_coverage(first, last)
    people, coverage = members_in_month(opd, first, last, regency)
    people.sort(key=lambda p: p[0] != opd.head_id)  # stable: the head first, the rest by name
    lines = {
        pk: EmployeeLine(number, pk, identifier, name)
        for number, (pk, identifier, name) in enumerate(people, 1)
    }
    for pk, line in lines.items():
        for item in coverage[pk]:
            if item.opd_id != opd.pk:
                line.codes[item.day.day] = OTHER_OPD_MARK
            elif not item.counts:
                line.codes[item.day.day] = NOT_COUNTED_MARK
                line.not_counted[item.day.day] = item
    ids = list(lines)
    for start in range(0, len(ids), CHUNK):
        rows = DailyStatus.objects.filter(
            employee_id__in=ids[start : start + CHUNK], date__gte=first, date__lte=last, final=True
        ).values_list("employee_id", "date", "codes", "late_minutes", "early_minutes")
        for pk, day, codes, late, early in rows.iterator(chunk_size=5000):
            line = lines[pk]
            if day.day in line.codes:  # another OPD's day, or a frozen row of an uncounted day
                continue
            line.codes[day.day] = codes
            line.minutes[day.day] = (late, early)
            line.late_minutes += late
            line.early_minutes += early
            line.totals.update(split_codes(codes))
    head = opd.head if opd.head_id else None
    seat = current_rules().regency.place or getattr(settings, "HADIR_REGENCY_SEAT", "")
    signed = long_date(signed_on or timezone.localdate())
    signature = Signature(
        f"{seat}, {signed}" if seat else signed,
        head_title(opd),
        head.name if head else "(belum ditetapkan)",
        head.identifier if head else "",
    )
    return OpdSection(opd.code, opd.name, list(lines.values()), signature)


def write_recap_csv(recap: MonthRecap, out) -> int:
    """One row per employee per day that has a status, or does not count (then with the reason
    and no status): nip, name, opd, date, status, minutes, not counted."""
    writer = csv.writer(out)
    writer.writerow([str(title) for title in CSV_HEADER])
    count = 0
    for section in recap.sections():
        for line in section.lines:
            for day in recap.days:
                row = _csv_row(section, line, day)
                if row is not None:
                    writer.writerow(row)
                    count += 1
    return count


def _csv_row(section: OpdSection, line: EmployeeLine, day: date) -> tuple | None:
    uncounted = line.not_counted.get(day.day)
    if uncounted is not None:
        reason = not_counted_text(uncounted)
        return (line.identifier, line.name, section.code, day.isoformat(), "", "", "", reason)
    if day.day not in line.minutes:  # no status: not computed yet, or another OPD's day
        return None
    late, early = line.minutes[day.day]
    codes = line.codes[day.day]
    return (line.identifier, line.name, section.code, day.isoformat(), codes, late, early, "")
