"""Discipline recommendations for a year: PP 94/2021 for PNS, the configured ladders for PPPK and
non-ASN. Reads a year of stored statuses per employee, asks the pure `discipline_summary`, and
keeps the result (with the dates behind it) in DisciplineRecommendation for the admin.

Days that do not count (hadir.domain.coverage: before the regency's go-live or the OPD's
joining date, outside the employee's service, declared outages) are passed as such: they are
not TK and they break a consecutive run (hadir.domain.sanctions says why). Other days without a
stored status (after today, not computed) count as L: neither absence nor presence. `refresh`
computes the year through today first, so only days that truly have no status are missing.

History: a refresh never deletes a recommendation. One whose figures changed (or that no longer
applies) is marked superseded, and the new one is added beside it; an unchanged one stays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hadir.attendance import selectors
from hadir.attendance.models import DailyStatus, DisciplineRecommendation
from hadir.attendance.services import recompute
from hadir.domain.coverage import counted_days
from hadir.domain.sanctions import DisciplineSummary, discipline_summary
from hadir.domain.status import DayStatus
from hadir.org.models import Employee, Opd

OFF_DAY = DayStatus(("L",))


@dataclass(frozen=True)
class EmployeeDiscipline:
    employee_id: int
    identifier: str
    name: str
    employee_type: str
    opd_code: str
    summary: DisciplineSummary

    @property
    def noteworthy(self) -> bool:
        return bool(self.summary.tk_dates or self.summary.minute_days or self.summary.rung)


def year_summaries(
    year: int, opd: Opd | None = None, through: date | None = None
) -> Iterator[EmployeeDiscipline]:
    """Every employee active in the year (of one OPD, or all), with their summary."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    through = min(last, through or selectors.today() - timedelta(days=1))
    rules = selectors.current_rules()
    employees = (
        Employee.objects.filter(active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .order_by("opd__code", "name")
        .values_list("pk", "identifier", "name", "employee_type", "opd__code", "opd_id")
    )
    if opd is not None:
        employees = employees.filter(opd=opd)
    people = list(employees)
    days = selectors.days_between(first, last)
    regency = selectors.regency_coverage(first, last, rules)
    shared: dict[tuple, DayStatus] = {}
    for start in range(0, len(people), selectors.CHUNK):
        chunk = people[start : start + selectors.CHUNK]
        by_employee = _statuses(chunk, first, through, shared)
        facts = selectors.employee_coverages([person[0] for person in chunk])
        for pk, identifier, name, kind, opd_code, _ in chunk:
            stored = by_employee.get(pk, {})
            counted = set(counted_days(regency, facts[pk], first, through))
            year_statuses = [
                (day, stored.get(day, OFF_DAY) if day in counted or day > through else None)
                for day in days
            ]
            summary = discipline_summary(year_statuses, rules.ladders[kind], rules.minutes_per_day)
            yield EmployeeDiscipline(pk, identifier, name, kind, opd_code, summary)


def _statuses(chunk, first: date, last: date, shared) -> dict[int, dict[date, DayStatus]]:
    rows = DailyStatus.objects.filter(
        employee_id__in=[person[0] for person in chunk], date__gte=first, date__lte=last, final=True
    ).values_list("employee_id", "date", "codes", "late_minutes", "early_minutes")
    result: dict[int, dict[date, DayStatus]] = {}
    for pk, day, codes, late, early in rows.iterator(chunk_size=10000):
        key = (codes, late, early)
        status = shared.get(key)
        if status is None:  # most days are alike ("H", 0, 0): share one object for them
            status = shared[key] = DayStatus(tuple(codes.split("+")), late, early)
        result.setdefault(pk, {})[day] = status
    return result


def refresh(
    year: int,
    opd: Opd | None = None,
    *,
    compute: bool = True,
    today: date | None = None,
    workers: int | None = 1,
) -> list[EmployeeDiscipline]:
    """Recompute the year (unless told not to), then bring its recommendations up to date:
    changed or lapsed ones are superseded (kept as history), new ones added."""
    today = today or selectors.today()
    # Only days that are over are judged: today may still bring a check-in.
    through = min(date(year, 12, 31), today - timedelta(days=1))
    if compute and through >= date(year, 1, 1):
        recompute(date(year, 1, 1), through, opd, today=today, workers=workers)
    results = list(year_summaries(year, opd, through))
    noteworthy = {item.employee_id: item for item in results if item.noteworthy}
    now = timezone.now()
    with transaction.atomic():
        current = DisciplineRecommendation.objects.filter(year=year, superseded_at__isnull=True)
        if opd is not None:
            current = current.filter(employee__opd=opd)
        kept, replaced = [], []
        for row in current:
            item = noteworthy.get(row.employee_id)
            fresh = _recommendation(item, year, through, now) if item else None
            if fresh is not None and _same(row, fresh):
                kept.append(row.pk)
                noteworthy.pop(row.employee_id)
            else:
                replaced.append(row.pk)
        DisciplineRecommendation.objects.filter(pk__in=replaced).update(superseded_at=now)
        DisciplineRecommendation.objects.filter(pk__in=kept).update(
            computed_through=through, refreshed_at=now
        )
        DisciplineRecommendation.objects.bulk_create(
            [_recommendation(item, year, through, now) for item in noteworthy.values()],
            batch_size=500,
        )
    return results


COMPARED = (
    "employee_type", "tk_days", "longest_run", "late_minutes", "early_minutes", "minute_days",
    "equivalent_days", "rung_code", "rung_name", "level", "reached_by", "evidence",
)  # fmt: skip


def _same(row: DisciplineRecommendation, fresh: DisciplineRecommendation) -> bool:
    return all(getattr(row, name) == getattr(fresh, name) for name in COMPARED)


def _recommendation(item: EmployeeDiscipline, year: int, through: date, now):
    summary = item.summary
    rung = summary.rung
    return DisciplineRecommendation(
        employee_id=item.employee_id,
        year=year,
        employee_type=item.employee_type,
        tk_days=summary.tk_days,
        longest_run=len(summary.longest_tk_run),
        late_minutes=summary.late_minutes,
        early_minutes=summary.early_minutes,
        minute_days=summary.minute_days,
        equivalent_days=summary.equivalent_days,
        rung_code=rung.code if rung else "",
        rung_name=rung.name if rung else "",
        level=str(rung.level) if rung else "",
        reached_by=summary.reached_by or "",
        evidence=evidence_of(summary),
        computed_through=through,
        refreshed_at=now,
    )


def evidence_of(summary: DisciplineSummary) -> dict:
    return {
        "tk_dates": [day.isoformat() for day in summary.tk_dates],
        "longest_run": [day.isoformat() for day in summary.longest_tk_run],
        "minutes": [
            [item.day.isoformat(), item.late_minutes, item.early_minutes]
            for item in summary.minute_evidence
        ],
        "minutes_per_day": summary.minutes_per_day,
        "remainder_minutes": summary.remainder_minutes,
    }


CSV_HEADER = (
    "nip", "name", "type", "opd", "tk_days", "longest_tk_run", "late_minutes", "early_minutes",
    "minute_days", "equivalent_days", "sanction_code", "sanction", "level", "reached_by",
    "tk_dates",
)  # fmt: skip


def csv_row(item: EmployeeDiscipline) -> tuple:
    s = item.summary
    return (
        item.identifier, item.name, item.employee_type, item.opd_code, s.tk_days,
        len(s.longest_tk_run), s.late_minutes, s.early_minutes, s.minute_days,
        s.equivalent_days, s.rung.code if s.rung else "", s.rung.name if s.rung else "",
        str(s.rung.level) if s.rung else "", s.reached_by or "",
        " ".join(day.isoformat() for day in s.tk_dates),
    )  # fmt: skip
