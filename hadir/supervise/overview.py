"""Reads of the regency overview: attendance and lateness per OPD over a month (stored daily
statuses), flags per OPD split town / remote, the detector's agreement with spot checks, and
open / overdue discipline cases when hadir.cases provides them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Count, Q

from hadir.attendance.models import DailyStatus
from hadir.attendance.selectors import days_between
from hadir.fraud.models import DayFlag
from hadir.org.models import ConnectivityTier, Opd
from hadir.supervise.reconcile import CODE as SPOT_CODE
from hadir.supervise.selectors import FLAG_LEVELS

PRESENT_Q = Q(codes__contains="H") | Q(codes__contains="TL") | Q(codes__contains="PSW")
TOWN = (ConnectivityTier.GOOD,)


@dataclass
class OpdLine:
    opd: Opd
    present: int = 0
    absent: int = 0
    late: int = 0
    daily_attendance: list[float | None] = field(default_factory=list)
    daily_lateness: list[float | None] = field(default_factory=list)
    flags_town: int = 0
    flags_remote: int = 0
    spot_entries: int = 0
    spot_agreeing: int = 0
    spot_unseen: int = 0
    spot_unseen_caught: int = 0
    cases_open: int | None = None
    cases_overdue: int | None = None

    @property
    def attendance(self) -> float | None:
        expected = self.present + self.absent
        return 100 * self.present / expected if expected else None

    @property
    def lateness(self) -> float | None:
        return 100 * self.late / self.present if self.present else None

    @property
    def agreement(self) -> float | None:
        return 100 * self.spot_agreeing / self.spot_entries if self.spot_entries else None


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def opd_lines(opds, first: date, last: date) -> list[OpdLine]:
    """One line per OPD, ranked by attendance (best first; OPDs without data last)."""
    lines = {opd.pk: OpdLine(opd) for opd in opds}
    days = days_between(first, last)
    daily: dict[tuple[int, date], tuple[int, int, int]] = {}
    rows = (
        DailyStatus.objects.filter(
            date__gte=first, date__lte=last, employee__opd_id__in=list(lines)
        )
        .values("employee__opd_id", "date")
        .annotate(
            present=Count("id", filter=PRESENT_Q),
            absent=Count("id", filter=Q(codes__contains="TK")),
            late=Count("id", filter=Q(codes__contains="TL")),
        )
    )
    for row in rows:
        line = lines[row["employee__opd_id"]]
        line.present += row["present"]
        line.absent += row["absent"]
        line.late += row["late"]
        daily[(line.opd.pk, row["date"])] = (row["present"], row["absent"], row["late"])
    for pk, line in lines.items():
        for day in days:
            present, absent, late = daily.get((pk, day), (0, 0, 0))
            line.daily_attendance.append(_rate(present, present + absent))
            line.daily_lateness.append(_rate(late, present))
    _add_flags(lines, first, last)
    _add_spot_checks(lines, first, last)
    _add_cases(lines)
    return sorted(
        lines.values(),
        key=lambda x: (x.attendance is None, -(x.attendance or 0), x.opd.code),
    )


def regency_series(lines: list[OpdLine], first: date, last: date) -> dict[str, list]:
    """Attendance and lateness of all these OPDs together, day by day."""
    rows = (
        DailyStatus.objects.filter(
            date__gte=first, date__lte=last, employee__opd_id__in=[x.opd.pk for x in lines]
        )
        .values("date")
        .annotate(
            present=Count("id", filter=PRESENT_Q),
            absent=Count("id", filter=Q(codes__contains="TK")),
            late=Count("id", filter=Q(codes__contains="TL")),
        )
    )
    by_day = {row["date"]: row for row in rows}
    attendance, lateness = [], []
    for day in days_between(first, last):
        row = by_day.get(day, {"present": 0, "absent": 0, "late": 0})
        attendance.append(_rate(row["present"], row["present"] + row["absent"]))
        lateness.append(_rate(row["late"], row["present"]))
    return {"attendance": attendance, "lateness": lateness}


def _add_flags(lines: dict[int, OpdLine], first: date, last: date) -> None:
    rows = (
        DayFlag.objects.filter(
            day__gte=first, day__lte=last, level__in=FLAG_LEVELS, employee__opd_id__in=list(lines)
        )
        .values("employee__opd_id", "tier")
        .annotate(n=Count("id"))
    )
    for row in rows:
        line = lines[row["employee__opd_id"]]
        if row["tier"] in TOWN:
            line.flags_town += row["n"]
        else:
            line.flags_remote += row["n"]


def _add_spot_checks(lines: dict[int, OpdLine], first: date, last: date) -> None:
    """Each marked employee who was checked in at a reconciled spot check is ground truth:
    seen means present, not seen means not there. The detector agrees when it flagged (on its
    own signals, not the spot check's) exactly the employee-days found not there."""
    from hadir.supervise.models import SpotCheckEntry

    entries = list(
        SpotCheckEntry.objects.filter(
            checked_in=True,
            seen__isnull=False,
            spot_check__closed_at__isnull=False,
            spot_check__started_at__date__gte=first,
            spot_check__started_at__date__lte=last,
            employee__opd_id__in=list(lines),
        ).values_list("employee_id", "employee__opd_id", "seen", "spot_check__started_at")
    )
    from django.utils import timezone

    keys = {(pk, timezone.localtime(at).date()) for pk, _opd, _seen, at in entries}
    detected = set()
    if keys:
        flags = DayFlag.objects.filter(
            employee_id__in={k[0] for k in keys},
            day__in={k[1] for k in keys},
            level__in=FLAG_LEVELS,
        ).values_list("employee_id", "day", "codes")
        detected = {(pk, day) for pk, day, codes in flags if set(codes) - {SPOT_CODE}}
    for pk, opd_id, seen, at in entries:
        line = lines[opd_id]
        flagged = (pk, timezone.localtime(at).date()) in detected
        line.spot_entries += 1
        line.spot_agreeing += flagged != seen
        if not seen:
            line.spot_unseen += 1
            line.spot_unseen_caught += flagged


def cases_available() -> bool:
    return apps.is_installed("hadir.cases")


def _add_cases(lines: dict[int, OpdLine]) -> None:
    """Open and overdue discipline cases per OPD (hadir.cases: the OPD a case was opened in,
    overdue as that app decides it)."""
    if not cases_available():
        return
    from hadir.cases.models import DisciplineCase
    from hadir.cases.services import overdue_cases

    cases = DisciplineCase.objects.filter(opd_id__in=list(lines))
    opened = dict(
        cases.exclude(stage="closed")
        .values("opd_id")
        .annotate(n=Count("id"))
        .values_list("opd_id", "n")
    )
    overdue = dict(
        overdue_cases(cases).values("opd_id").annotate(n=Count("id")).values_list("opd_id", "n")
    )
    for opd_id, line in lines.items():
        line.cases_open, line.cases_overdue = opened.get(opd_id, 0), overdue.get(opd_id, 0)
