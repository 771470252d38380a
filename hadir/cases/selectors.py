"""Reads for flag review: the queue in a viewer's scope, and everything one flag rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext

from hadir.attendance.models import zone_of
from hadir.cases.access import Viewer
from hadir.cases.models import FlagAnswer
from hadir.checkin.models import Device, EvidenceRecord
from hadir.fraud.evidence_text import (
    Names,
    evidence_text,
    kind_label,
    mentioned,
    names_for,
    reason_label,
    signal_label,
    verdict_label,
)
from hadir.fraud.models import DayFlag, Decision, FlagReview, Level
from hadir.org.models import Employee, Workplace

QUEUE_STATES = ("open", "confirmed", "dismissed", "all")
RISK_ORDER = Case(
    When(level=Level.STRONG, then=Value(2)),
    When(level=Level.REVIEW, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def _latest_review():
    return FlagReview.objects.filter(employee=OuterRef("employee"), day=OuterRef("day")).order_by(
        "-at", "-id"
    )


def flag_queue(viewer: Viewer, state: str = "open", search: str = ""):
    """Flags at review level or above in the viewer's scope, highest risk first."""
    flags = viewer.by_employee(
        DayFlag.objects.filter(level__in=[Level.REVIEW, Level.STRONG])
    ).select_related("employee", "employee__opd")
    flags = flags.annotate(
        risk=RISK_ORDER,
        decision=Subquery(_latest_review().values("decision")[:1]),
        reviewed=Exists(_latest_review()),
    )
    if state == "open":
        flags = flags.filter(reviewed=False)
    elif state in (Decision.CONFIRMED, Decision.DISMISSED):
        flags = flags.filter(decision=state)
    if search.strip():
        term = search.strip()
        flags = flags.filter(Q(employee__name__icontains=term) | Q(employee__identifier=term))
    return flags.order_by("-risk", "-score", "-day", "employee__name")


def visible_flag(viewer: Viewer, pk: int) -> DayFlag | None:
    return (
        viewer.by_employee(DayFlag.objects.filter(pk=pk))
        .select_related("employee", "employee__opd", "employee__unit")
        .first()
    )


@dataclass(frozen=True)
class EvidenceLine:
    code: str
    label: str
    contribution: float | None
    text: str
    events: list[str]


@dataclass(frozen=True)
class TimelineEvent:
    record_id: int
    at: datetime
    kind: str
    outcome: str
    outcome_code: str
    reasons: list[str]
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    distance_m: float | None
    mock: bool | None
    queued_offline: bool | None
    office_code_valid: bool | None
    device: str
    device_id: int | None
    workplace: str
    workplace_id: int | None


@dataclass(frozen=True)
class Colleague:
    employee_id: int
    label: str  # NIP and name, or a neutral phrase outside the viewer's scope
    opd: str
    in_scope: bool
    flag_id: int | None


@dataclass
class FlagFile:
    flag: DayFlag
    zone: str
    evidence: list[EvidenceLine]
    reviews: list[FlagReview]
    answers: list[FlagAnswer]
    events: list[TimelineEvent]
    devices: list[dict]
    colleagues: list[Colleague]
    fences: list[dict] = field(default_factory=list)

    @property
    def latest(self) -> FlagReview | None:
        return self.reviews[0] if self.reviews else None

    def map_data(self) -> dict:
        points = [
            {
                "id": e.record_id,
                "lat": e.lat,
                "lon": e.lon,
                "accuracy_m": e.accuracy_m,
                "kind": e.kind,
                "at": e.at.strftime("%H:%M:%S"),
                "outcome": e.outcome_code,
            }
            for e in self.events
            if e.lat is not None and e.lon is not None
        ]
        return {"points": points, "fences": self.fences}


def _scoped_names(viewer: Viewer, evidence: list[dict]) -> Names:
    """Employees the evidence names, by NIP and name only when the viewer may see them."""
    names = names_for(evidence)
    visible = {
        e.pk
        for e in Employee.objects.filter(pk__in=names.employees.keys())
        if viewer.sees_employee(e) or e.pk == viewer.scope.own_employee_id
    }
    outside = gettext("an employee outside your scope")
    return Names(
        employees={
            pk: (text if pk in visible else outside) for pk, text in names.employees.items()
        },
        workplaces=names.workplaces,
    )


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _record_ids(evidence: list[dict]) -> set[int]:
    ids = set()
    for item in evidence:
        for name in item.get("events") or ():
            if isinstance(name, str) and name.startswith("#") and name[1:].isdigit():
                ids.add(int(name[1:]))
    return ids


def flag_file(viewer: Viewer, flag: DayFlag) -> FlagFile:
    employee = flag.employee
    zone = zone_of(employee)
    evidence = list(flag.evidence or [])
    names = _scoped_names(viewer, evidence)
    lines = [
        EvidenceLine(
            code=item.get("code", ""),
            label=signal_label(item.get("code", "")),
            contribution=item.get("contribution"),
            text=evidence_text(item, names),
            events=list(item.get("events") or []),
        )
        for item in evidence
    ]
    reviews = list(
        FlagReview.objects.filter(employee=employee, day=flag.day).order_by("-at", "-id")
    )
    answers = list(
        FlagAnswer.objects.filter(employee=employee, review__day=flag.day).select_related("review")
    )
    events = _events(employee, flag.day, zone, _record_ids(evidence))
    return FlagFile(
        flag=flag,
        zone=zone,
        evidence=lines,
        reviews=reviews,
        answers=answers,
        events=events,
        devices=_devices(employee, events),
        colleagues=_colleagues(viewer, employee, flag.day, evidence),
        fences=_fences(employee, events),
    )


def _events(employee: Employee, day: date, zone: str, referenced: set[int]) -> list[TimelineEvent]:
    start, end = day_bounds(day, zone)
    own_day = Q(employee=employee) & (
        Q(time_of_record__gte=start, time_of_record__lt=end)
        | Q(time_of_record__isnull=True, received_at__gte=start, received_at__lt=end)
    )
    # Records the evidence names, of this employee only: a colleague's fixes are theirs.
    rows = (
        EvidenceRecord.objects.filter(own_day | Q(pk__in=referenced, employee=employee))
        .select_related("device", "workplace")
        .order_by("time_of_record", "received_at", "pk")
    )
    tz = ZoneInfo(zone)
    result = []
    for r in rows:
        at = (r.time_of_record or r.received_at).astimezone(tz)
        result.append(
            TimelineEvent(
                record_id=r.pk,
                at=at,
                kind=kind_label(r.kind) if r.kind else "-",
                outcome=verdict_label(r.outcome),
                outcome_code=r.outcome,
                reasons=[reason_label(code) for code in _reason_codes(r.reasons)],
                lat=r.lat,
                lon=r.lon,
                accuracy_m=r.accuracy_m,
                distance_m=r.geofence_distance_m,
                mock=r.mock,
                queued_offline=r.queued_offline,
                office_code_valid=r.office_code_valid,
                device=(r.device.key_id[:10] if r.device_id else ""),
                device_id=r.device_id,
                workplace=(r.workplace.name if r.workplace_id else ""),
                workplace_id=r.workplace_id,
            )
        )
    return result


def _reason_codes(reasons) -> list[str]:
    codes = []
    for item in reasons or ():
        if isinstance(item, dict):
            codes.append(str(item.get("code", "")))
        else:
            codes.append(str(item))
    return [c for c in codes if c]


def _devices(employee: Employee, events: list[TimelineEvent]) -> list[dict]:
    used = {e.device_id for e in events if e.device_id}
    rows = (
        Device.objects.filter(Q(employee=employee) | Q(pk__in=used))
        .select_related("employee")
        .order_by("enrolled_at")
    )
    return [
        {
            "key": d.key_id[:10],
            "model": _device_model(d.description),
            "status": d.get_status_display(),
            "enrolled_at": d.enrolled_at,
            "decided_at": d.decided_at,
            "revoked_at": d.revoked_at,
            "last_contact_at": d.last_contact_at,
            "used_today": d.pk in used,
            "other_owner": d.employee_id is not None and d.employee_id != employee.pk,
            "unowned": d.employee_id is None,
        }
        for d in rows
    ]


def _device_model(description) -> str:
    if not isinstance(description, dict):
        return ""
    parts = [str(description.get(k, "")) for k in ("brand", "model", "platform", "user_agent")]
    return " ".join(p for p in parts if p)[:80]


def _colleagues(
    viewer: Viewer, employee: Employee, day: date, evidence: list[dict]
) -> list[Colleague]:
    ids, _workplaces = mentioned(evidence)
    ids.discard(employee.pk)
    people = Employee.objects.filter(pk__in=ids).select_related("opd").order_by("name")
    flags = dict(
        DayFlag.objects.filter(employee_id__in=ids, day=day).values_list("employee_id", "pk")
    )
    result = []
    for person in people:
        visible = viewer.sees_employee(person)
        result.append(
            Colleague(
                employee_id=person.pk,
                label=f"{person.identifier} {person.name}" if visible else "",
                opd=person.opd.name if visible else "",
                in_scope=visible,
                flag_id=flags.get(person.pk) if visible else None,
            )
        )
    return result


def _fences(employee: Employee, events: list[TimelineEvent]) -> list[dict]:
    used = {e.workplace_id for e in events if e.workplace_id}
    workplaces = Workplace.objects.filter(Q(employees=employee) | Q(pk__in=used)).distinct()
    return [
        {"name": w.name, "code": w.code, "geofence": w.geofence, "used": w.pk in used}
        for w in workplaces
    ]
