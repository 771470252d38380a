"""Leave in the demo month, so that every column of the recap has something in it.

The simulated month leaves a few working days of each employee without any event (`leave_share`
in `BehaviourMix`: days of leave, sickness or duty elsewhere). Most of those days become what
they would be in a regency: approved requests of sickness (S), permission (I), annual leave
(CT), leave for important reasons (CAP) and official duty elsewhere (DL, with a letter of
assignment and a destination); the rest stay absence without reason (TK). One honest employee
is on a study assignment (TB) for the last week of the month.

Small and seeded: it only reads the month's evidence and writes approved LeaveRequest rows
(decided by the atasan, or recorded by BKPSDM); the statuses come from `recompute` afterwards.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hadir.attendance.models import LeaveKind, LeaveRequest, LeaveStatus
from hadir.checkin.models import EvidenceRecord
from hadir.org.models import Employee, EmployeeType

KIND_WEIGHTS = {  # of a run of days without events
    LeaveKind.S: 30,
    LeaveKind.I: 15,
    LeaveKind.CT: 20,
    LeaveKind.CAP: 5,
    LeaveKind.DL: 15,
    None: 15,  # stays TK: absent without a reason
}
REASONS = {
    LeaveKind.S: ("demam", "sakit perut", "flu berat", "kontrol ke dokter"),
    LeaveKind.I: ("mengurus akta anak", "keluarga sakit", "acara keluarga", "urusan bank"),
    LeaveKind.CT: ("keperluan keluarga", "pulang kampung", "istirahat"),
    LeaveKind.CAP: ("orang tua meninggal dunia", "keluarga menikah"),
    LeaveKind.DL: ("rapat koordinasi", "bimbingan teknis", "monitoring lapangan"),
    LeaveKind.TB: ("tugas belajar S2",),
}
DESTINATIONS = ("Palangka Raya", "Kuala Kuayan", "Samuda", "Parenggean", "Jakarta", "Banjarmasin")


def seed_leave(year: int, month: int, days: list[date], seed: int, honest: set[str]) -> Counter:
    """Approved leave over the working `days` without events; returns the requests per kind.
    `honest`: identifiers of honest employees, one of whom gets the study assignment."""
    rng = random.Random(f"hadir-demo-leave:{seed}:{year}-{month:02d}")
    people = {
        e.pk: e
        for e in Employee.objects.select_related("user", "supervisor__user").filter(
            active_from__lte=days[-1]
        )
    }
    seen = _days_with_events(days)
    requests: list[LeaveRequest] = []
    for pk, employee in sorted(people.items()):
        for run in _runs(days, {day for day in days if (pk, day) not in seen}):
            kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
            if kind is None:
                continue
            if kind == LeaveKind.S:
                run = run[:1]  # longer sickness needs a doctor's letter: not in the demo
            requests.append(_request(employee, kind, run, rng))
    asn = sorted(
        identifier
        for identifier, kind in Employee.objects.values_list("identifier", "employee_type")
        if identifier in honest and kind != EmployeeType.NON_ASN
    )
    if asn:
        student = Employee.objects.select_related("supervisor__user").get(
            identifier=rng.choice(asn)
        )
        week = [day for day in days if day > days[-1] - timedelta(days=7)]
        requests = [r for r in requests if r.employee_id != student.pk]
        requests.append(_request(student, LeaveKind.TB, week, rng))
    LeaveRequest.objects.bulk_create(requests, batch_size=500)
    return Counter(r.kind for r in requests)


def _days_with_events(days: list[date]) -> set[tuple[int, date]]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(days[0], time(0), tz)
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tz)
    rows = EvidenceRecord.objects.filter(
        time_of_record__gte=start, time_of_record__lt=end, employee__isnull=False
    ).values_list("employee_id", "time_of_record")
    return {(pk, when.astimezone(tz).date()) for pk, when in rows.iterator(chunk_size=5000)}


def _runs(days: list[date], gaps: set[date]) -> list[list[date]]:
    """The gap days in runs of consecutive working days (a weekend does not break a run)."""
    runs: list[list[date]] = []
    previous = None
    for index, day in enumerate(days):
        if day in gaps:
            if previous == index - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
            previous = index
    return runs


def _request(employee: Employee, kind: str, run: list[date], rng: random.Random) -> LeaveRequest:
    supervisor = employee.supervisor.user if employee.supervisor_id else None
    tz = timezone.get_current_timezone()
    asked = datetime.combine(run[0] - timedelta(days=rng.randint(1, 5)), time(9), tz)
    if kind in (LeaveKind.S, LeaveKind.I):  # told on the day, approved after the fact
        asked = datetime.combine(run[0], time(7, 10), tz)
    duty = kind == LeaveKind.DL
    return LeaveRequest(
        employee=employee,
        kind=kind,
        first_day=run[0],
        last_day=run[-1],
        reason=rng.choice(REASONS[kind]),
        assignment_letter=f"094/{rng.randint(100, 999)}/ST/{run[0].year}" if duty else "",
        destination=rng.choice(DESTINATIONS) if duty else "",
        status=LeaveStatus.APPROVED,
        requested_by=employee.user,
        requested_at=asked,
        recorded_on_behalf=supervisor is None,
        decided_by=supervisor,
        decided_at=asked + timedelta(hours=rng.randint(1, 30)),
    )
