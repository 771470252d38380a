"""Reads for the supervisors' web. The board reads today's state from
hadir.attendance.selectors.live_states (statuses that keep themselves current); nothing here
recomputes a status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.attendance.messages import live_text
from hadir.attendance.selectors import LiveDay, live_states
from hadir.domain.status import LEAVE_CODES, Phase
from hadir.fraud.models import DayFlag, Level
from hadir.org.models import Employee

# The board's categories, in the order its counts are shown.
PRESENT, LATE, LEAVE, DUTY, ABSENT, NOT_YET, OFF = (
    "present",
    "late",
    "leave",
    "duty",
    "absent",
    "not_yet",
    "off",
)
FLAGGED = "flagged"  # across the others: a flag of review level or above on the day
CATEGORY_LABELS = {
    PRESENT: _("present"),
    LATE: _("late"),
    LEAVE: _("on leave"),
    DUTY: _("dinas luar"),
    ABSENT: _("absent"),
    NOT_YET: _("not checked in yet"),
    OFF: _("not a working day"),
    FLAGGED: _("flagged"),
}
FLAG_LEVELS = (Level.REVIEW, Level.STRONG)
ONE_DAY = timedelta(days=1)


def category(state: LiveDay | None) -> str:
    """Where one employee stands today, for the board."""
    status = state.status if state is not None else None
    if status is None or status.codes == ("L",):
        return OFF
    codes = set(status.codes)
    if "DL" in codes:
        return DUTY
    if codes & set(LEAVE_CODES) and not state.check_in:
        return LEAVE
    if status.phase in (Phase.NOT_YET, Phase.RUNNING_LATE):
        return NOT_YET
    if "TK" in codes:
        return ABSENT
    if any(code.startswith("TL") for code in codes):
        return LATE
    return PRESENT


@dataclass(frozen=True)
class BoardRow:
    employee: Employee
    category: str
    status_text: str
    check_in: datetime | None
    check_out: datetime | None
    flag_level: str | None

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS[self.category])

    @property
    def flagged(self) -> bool:
        return self.flag_level is not None


@dataclass(frozen=True)
class Board:
    day: date
    rows: list[BoardRow]
    counts: dict[str, int]


def search(employees: QuerySet[Employee], text: str) -> QuerySet[Employee]:
    text = text.strip()
    if not text:
        return employees
    return employees.filter(Q(name__icontains=text) | Q(identifier__icontains=text))


def board(employees: QuerySet[Employee], now: datetime | None = None) -> Board:
    """Today's board for these employees (already limited to the viewer's scope): every row,
    and the count of each category (flagged counted across the others)."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    people = list(
        employees.filter(active_from__lte=day)
        .exclude(active_to__lt=day)
        .select_related("unit", "opd")
        .order_by("name", "pk")
    )
    states = live_states([p.pk for p in people], day, now) if people else {}
    flags = dict(
        DayFlag.objects.filter(
            employee__in=[p.pk for p in people], day=day, level__in=FLAG_LEVELS
        ).values_list("employee_id", "level")
    )
    rows = []
    for person in people:
        state = states.get(person.pk)
        text = live_text(state.status) if state and state.status else ""
        rows.append(
            BoardRow(
                person,
                category(state),
                text,
                state.check_in if state else None,
                state.check_out if state else None,
                flags.get(person.pk),
            )
        )
    counts = Counter(row.category for row in rows)
    counts[FLAGGED] = sum(row.flagged for row in rows)
    return Board(day, rows, {key: counts.get(key, 0) for key in CATEGORY_LABELS})


def only(rows: list[BoardRow], wanted: str) -> list[BoardRow]:
    if wanted == FLAGGED:
        return [row for row in rows if row.flagged]
    if wanted in CATEGORY_LABELS:
        return [row for row in rows if row.category == wanted]
    return rows


# One employee's day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventLine:
    at: datetime | None
    kind: str
    verdict: str
    outcome: str
    reasons: list[str]
    workplace: str
    distance_m: float | None
    lat: float | None
    lon: float | None
    accuracy_m: float | None


def employee_day(employee: Employee, day: date, now: datetime | None = None) -> dict:
    """Status (live, with its reasons in words), the day's events with their verdicts, and the
    day's flag with its evidence in words. Shows locations: the caller logs the access."""
    from hadir.attendance.messages import PHASES, not_counted_text, note_text
    from hadir.fraud.evidence_text import evidence_text, names_for, signal_label

    now = now or timezone.now()
    state = live_states([employee.pk], day, now).get(employee.pk)
    status = state.status if state is not None else None
    notes = (
        [note_text({"rule": n.rule, "values": n.values}) for n in status.explanation]
        if (status)
        else []
    )
    flag = DayFlag.objects.filter(employee=employee, day=day).first()
    evidence = list(flag.evidence) if flag else []
    names = names_for(evidence)
    return {
        "day": day,
        "state": state,
        "category": category(state),
        "category_label": CATEGORY_LABELS[category(state)],
        "status_text": live_text(status) if status else "",
        "phase": PHASES.get(status.phase, "") if status else "",
        "not_counted": not_counted_text(state.coverage) if state is not None else "",
        "notes": notes,
        "events": events_of(employee, day),
        "flag": flag,
        "flag_signals": [signal_label(code) for code in (flag.codes if flag else [])],
        "flag_evidence": [evidence_text(item, names) for item in evidence],
    }


def events_of(employee: Employee, day: date) -> list[EventLine]:
    from hadir.checkin.models import EvidenceRecord
    from hadir.fraud.evidence_text import kind_label, reason_label, verdict_label

    zone = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), zone)
    rows = (
        EvidenceRecord.objects.filter(
            employee=employee, time_of_record__gte=start, time_of_record__lt=start + ONE_DAY
        )
        .select_related("workplace")
        .order_by("time_of_record", "id")
    )
    return [
        EventLine(
            at=row.time_of_record,
            kind=kind_label(row.kind) if row.kind else "",
            verdict=verdict_label(row.outcome),
            outcome=row.outcome,
            reasons=[
                r.get("message") or reason_label(r.get("code", ""))
                for r in row.reasons or []
                if isinstance(r, dict) and r.get("severity") != "info"
            ],
            workplace=str(row.workplace) if row.workplace_id else "",
            distance_m=row.geofence_distance_m,
            lat=row.lat,
            lon=row.lon,
            accuracy_m=row.accuracy_m,
        )
        for row in rows
    ]
