"""What the employee app reads and writes besides signed events: its home screen in one call,
my month, my leave (through the attendance services), push subscriptions.

Every refusal is a 4xx JSON naming the field, in the user's language (Indonesian by default):
{"error": "invalid_input", "fields": [{"field": "endpoint", "message": "..."}]}.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Status, UploadedFile

from hadir.attendance import leave as leave_service
from hadir.attendance.api import DESTINATION_MAX, LETTER_MAX, REASON_MAX
from hadir.attendance.models import LeaveKind, LeaveRequest, LeaveStatus
from hadir.attendance.selectors import parse_month, statuses_of
from hadir.attendance.services import AttendanceError, compute_days
from hadir.checkin.models import Device, DeviceStatus, EvidenceRecord, PresenceChallenge
from hadir.core.api_errors import STATUS_ERRORS
from hadir.core.api_input import (
    DECIMAL_OR_NOTHING,
    MONTH_OR_NOTHING,
    VISIBLE,
    FormInput,
    Input,
)
from hadir.org.models import Employee
from hadir.pwa import push
from hadir.pwa.labels import OUTCOME_LABELS, codes_of, notes_of
from hadir.pwa.models import PushSubscription

router = Router(tags=["employee app"])
ANSWERS = {200: dict, 201: dict, 403: dict, 422: dict}
ACCEPTED = ("accepted", "accepted_with_warnings")
LEAVE_KINDS_IN_APP = ("I", "S", "CT", "CS", "CAP", "DL")


def _auth():
    from hadir.api import TokenAuth

    return TokenAuth()


def _fields(*pairs: tuple[str, str]) -> Status:
    return _invalid([{"field": f, "message": m} for f, m in pairs])


def _invalid(fields: list[dict]) -> Status:
    """422 in the shape of every API refusal (hadir.core.api_errors): code, message, fields."""
    code, message = STATUS_ERRORS[422]
    return Status(422, {"error": code, "message": str(message), "fields": fields})


def _not_an_employee() -> Status:
    return Status(403, {"error": "forbidden", "message": _("This account is not an employee.")})


def _employee(request) -> Employee | None:
    return (
        Employee.objects.filter(user=request.user)
        .select_related("opd", "unit", "supervisor")
        .first()
    )


def _local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).strftime("%H:%M") if moment else None


def _device(device: Device) -> dict:
    description = device.description if isinstance(device.description, dict) else {}
    return {
        "device_id": device.pk,
        "key_id": device.key_id,
        "status": device.status,
        "status_label": str(DeviceStatus(device.status).label),
        "model": str(description.get("model") or description.get("platform") or "")[:80],
        "enrolled_at": device.enrolled_at.isoformat(),
    }


def _today(employee: Employee, now: datetime) -> dict:
    day = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(day, time.min))
    rows = (
        EvidenceRecord.objects.filter(
            employee=employee,
            kind__in=("check_in", "check_out"),
            outcome__in=ACCEPTED,
            time_of_record__gte=start,
        )
        .order_by("time_of_record")
        .values("kind", "time_of_record", "outcome")
    )
    check_ins = [r for r in rows if r["kind"] == "check_in"]
    check_outs = [r for r in rows if r["kind"] == "check_out"]

    def entry(row):
        if row is None:
            return None
        label = str(OUTCOME_LABELS[row["outcome"]])
        return {"time": _local(row["time_of_record"]), "outcome": row["outcome"], "label": label}

    return {
        "date": day.isoformat(),
        "check_in": entry(check_ins[0] if check_ins else None),
        "check_out": entry(check_outs[-1] if check_outs else None),
    }


def _challenges(employee: Employee, now: datetime) -> list[dict]:
    rows = PresenceChallenge.objects.filter(
        employee=employee, deadline__gt=now, issued_at__lte=now, answered_by__isnull=True
    ).select_related("workplace")
    return [
        {
            "challenge_id": c.challenge_id,
            "deadline": c.deadline.isoformat(),
            "deadline_local": _local(c.deadline),
            "workplace": c.workplace.name if c.workplace_id else None,
        }
        for c in rows.order_by("deadline")
    ]


@router.get(
    "/app/me", response=ANSWERS, auth=_auth(), summary="The app's home screen: me, my places, today"
)
def me(request):
    employee = _employee(request)
    if employee is None:
        return _not_an_employee()
    now = timezone.now()
    workplaces = [
        {
            "code": w.code,
            "name": w.name,
            "tier": w.connectivity_tier,
            "geofence": w.geofence,
            "office_code_mode": w.office_code_mode,
        }
        for w in employee.workplaces.filter(active=True).order_by("code")
    ]
    return {
        "employee": {
            "identifier": employee.identifier,
            "name": employee.name,
            "opd": employee.opd.name,
            "unit": employee.unit.name if employee.unit_id else None,
            "supervisor": employee.supervisor.name if employee.supervisor_id else None,
        },
        "workplaces": workplaces,
        "devices": [_device(d) for d in employee.devices.order_by("-enrolled_at")[:10]],
        "today": _today(employee, now),
        "challenges": _challenges(employee, now),
        "push_public_key": push.public_key_b64(),
        "time_zone": timezone.get_default_timezone_name(),
        "server_time": now.isoformat(),
    }


@router.get(
    "/app/month", response=ANSWERS, auth=_auth(), summary="My month: daily statuses, times, reasons"
)
def month(
    request,
    month: str = Query("", pattern=MONTH_OR_NOTHING, description="YYYY-MM; empty: this month"),
):
    employee = _employee(request)
    if employee is None:
        return _not_an_employee()
    try:
        first, last = parse_month(month or timezone.localdate().strftime("%Y-%m"))
    except ValueError:
        return _fields(("month", _("Choose a month written YYYY-MM.")))
    today = timezone.localdate()
    closed_until = min(last, today - timedelta(days=1))  # today is still under way
    if first <= closed_until:
        compute_days([employee.pk], first, closed_until)
    times = _times_by_day(employee, first, last)
    days = []
    for row in statuses_of(employee, first, closed_until):
        check_in, check_out = times.get(row.date, (None, None))
        days.append(
            {
                "date": row.date.isoformat(),
                "codes": codes_of(row.codes),
                "late_minutes": row.late_minutes,
                "early_minutes": row.early_minutes,
                "check_in": check_in,
                "check_out": check_out,
                "corrected": row.correction_id is not None,
                "notes": notes_of(row.explanation, row.late_minutes, row.early_minutes),
            }
        )
    if first <= today <= last and today in times:
        check_in, check_out = times[today]
        days.append(
            {
                "date": today.isoformat(),
                "codes": [],
                "late_minutes": None,
                "early_minutes": None,
                "check_in": check_in,
                "check_out": check_out,
                "corrected": False,
                "notes": [_("Today: the status is set when the day is over.")],
            }
        )
    days.reverse()  # the latest first
    return {"month": first.strftime("%Y-%m"), "days": days}


def _times_by_day(employee: Employee, first: date, last: date) -> dict:
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last, time.max))
    rows = EvidenceRecord.objects.filter(
        employee=employee,
        kind__in=("check_in", "check_out"),
        outcome__in=ACCEPTED,
        time_of_record__range=(start, end),
    ).order_by("time_of_record")
    times: dict[date, list] = {}
    for kind, at in rows.values_list("kind", "time_of_record"):
        slot = times.setdefault(timezone.localdate(at), [None, None])
        if kind == "check_in" and slot[0] is None:
            slot[0] = _local(at)
        elif kind == "check_out":
            slot[1] = _local(at)
    return {day: tuple(slot) for day, slot in times.items()}


# --- Leave -----------------------------------------------------------------------------------


def _leave(leave: LeaveRequest) -> dict:
    return {
        "id": leave.pk,
        "kind": leave.kind,
        "kind_label": str(LeaveKind(leave.kind).label),
        "first_day": leave.first_day.isoformat(),
        "last_day": leave.last_day.isoformat(),
        "reason": leave.reason,
        "assignment_letter": leave.assignment_letter,
        "destination": leave.destination,
        "destination_lat": leave.destination_lat,
        "destination_lon": leave.destination_lon,
        "has_attachment": bool(leave.attachment),
        "status": leave.status,
        "status_label": str(LeaveStatus(leave.status).label),
        "decision_reason": leave.decision_reason,
    }


@router.get(
    "/app/leave",
    response=ANSWERS,
    auth=_auth(),
    summary="My leave requests and the kinds I may ask",
)
def my_leave(request):
    employee = _employee(request)
    if employee is None:
        return _not_an_employee()
    rows = LeaveRequest.objects.filter(employee=employee).order_by("-first_day", "-id")[:50]
    kinds = [{"code": k, "label": str(LeaveKind(k).label)} for k in LEAVE_KINDS_IN_APP]
    return {"requests": [_leave(r) for r in rows], "kinds": kinds}


class LeaveForm(FormInput):
    kind: Literal[LEAVE_KINDS_IN_APP]
    first_day: date
    last_day: date
    reason: str = Field(max_length=REASON_MAX, pattern=VISIBLE)
    assignment_letter: str = Field("", max_length=LETTER_MAX)
    destination: str = Field("", max_length=DESTINATION_MAX)
    # dinas luar: the destination's point, optional (both or neither), "-2,5375" or "-2.5375"
    destination_lat: str = Field("", pattern=DECIMAL_OR_NOTHING)
    destination_lon: str = Field("", pattern=DECIMAL_OR_NOTHING)


@router.post(
    "/app/leave",
    response=ANSWERS,
    auth=_auth(),
    summary="Ask for leave, with a photo of the letter",
)
def ask_leave(request, payload: Form[LeaveForm], attachment: File[UploadedFile] = None):
    employee = _employee(request)
    if employee is None:
        return _not_an_employee()
    try:
        leave = leave_service.request_leave(
            employee,
            kind=payload.kind,
            first_day=payload.first_day,
            last_day=payload.last_day,
            reason=payload.reason,
            assignment_letter=payload.assignment_letter,
            destination=payload.destination,
            destination_lat=_decimal(payload.destination_lat),
            destination_lon=_decimal(payload.destination_lon),
            attachment=attachment,
            requested_by=request.user,
        )
    except PermissionDenied:
        return _not_an_employee()
    except AttendanceError as exc:  # the services' own words, in the user's language
        return _fields(*((f, m) for f, messages in exc.errors.items() for m in messages))
    return Status(201, _leave(leave))


def _decimal(text: str) -> float | None:
    """The number DECIMAL_OR_NOTHING lets through, None for nothing."""
    text = text.strip().replace(",", ".")
    return float(text) if text else None


# --- Push ------------------------------------------------------------------------------------


class PushIn(Input):
    key_id: str = Field(max_length=64, description="The key id of one of my phones")
    endpoint: str = Field(max_length=1000, pattern=r"^https://[^\x00]+$")
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


@router.post(
    "/app/push",
    response=ANSWERS,
    auth=_auth(),
    summary="Register this phone's Web Push subscription",
)
def subscribe(request, payload: PushIn):
    employee = _employee(request)
    if employee is None:
        return _not_an_employee()
    device = Device.objects.filter(
        employee=employee,
        key_id=payload.key_id,
        status__in=(DeviceStatus.ACTIVE, DeviceStatus.PENDING),
    ).first()
    if device is None:
        return _fields(("key_id", _("This phone is not enrolled for you.")))
    PushSubscription.objects.update_or_create(
        endpoint=payload.endpoint,
        defaults={
            "device": device,
            "p256dh": payload.p256dh,
            "auth": payload.auth,
            "active": True,
            "failures": 0,
        },
    )
    return Status(201, {"subscribed": True})
