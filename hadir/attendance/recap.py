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

from hadir.attendance.models import DailyStatus, split_codes
from hadir.attendance.selectors import days_between, month_end
from hadir.org.models import Employee, Opd, OpdKind

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
WEEKDAYS_ID = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
# The totals columns, in the order BKPSDM recaps print them.
RECAP_CODES = (
    "H", "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "TK",
    "I", "S", "CT", "CB", "CS", "CM", "CAP", "CBer", "CLTN", "DL", "TB", "L",
)  # fmt: skip
CSV_HEADER = ("nip", "name", "opd", "date", "status", "late_minutes", "early_minutes")


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
        for opd in self.opds():
            yield opd_section(opd, self.first, self.last)


def month_recap(first: date, opd: Opd | None = None) -> MonthRecap:
    first = first.replace(day=1)
    return MonthRecap(first, month_end(first), opd)


def employees_in_month(opd: Opd, first: date, last: date):
    """The OPD's employees active on any day of the period; the head first, then by name."""
    return (
        Employee.objects.filter(opd=opd, active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .order_by("name", "identifier")
    )


def opd_section(opd: Opd, first: date, last: date) -> OpdSection:
    people = list(employees_in_month(opd, first, last).values_list("pk", "identifier", "name"))
    people.sort(key=lambda p: p[0] != opd.head_id)  # stable: the head first, the rest by name
    lines = {
        pk: EmployeeLine(number, pk, identifier, name)
        for number, (pk, identifier, name) in enumerate(people, 1)
    }
    rows = DailyStatus.objects.filter(
        employee__opd=opd, date__gte=first, date__lte=last
    ).values_list("employee_id", "date", "codes", "late_minutes", "early_minutes")
    for pk, day, codes, late, early in rows.iterator(chunk_size=5000):
        line = lines.get(pk)
        if line is None:  # moved to another OPD since: shown where they are now
            continue
        line.codes[day.day] = codes
        line.minutes[day.day] = (late, early)
        line.late_minutes += late
        line.early_minutes += early
        line.totals.update(split_codes(codes))
    head = opd.head if opd.head_id else None
    seat = getattr(settings, "HADIR_REGENCY_SEAT", "")
    signature = Signature(
        f"{seat}, {long_date(last)}" if seat else long_date(last),
        head_title(opd),
        head.name if head else "(belum ditetapkan)",
        head.identifier if head else "",
    )
    return OpdSection(opd.code, opd.name, list(lines.values()), signature)


def write_recap_csv(recap: MonthRecap, out) -> int:
    """One row per employee per computed day: nip, name, opd, date, status, minutes."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    count = 0
    for section in recap.sections():
        for line in section.lines:
            for day in recap.days:
                codes = line.codes.get(day.day)
                if codes is None:
                    continue
                writer.writerow(_csv_row(section, line, day, codes))
                count += 1
    return count


def _csv_row(section: OpdSection, line: EmployeeLine, day: date, codes: str) -> tuple:
    late, early = line.minutes[day.day]
    return (line.identifier, line.name, section.code, day.isoformat(), codes, late, early)
