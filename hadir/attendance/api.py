"""Leave and own-attendance endpoints for the app. Mounted by hadir.api (`router`).

Refusals are 4xx JSON naming the field, in the shape of hadir.api's validation errors:
{"error": "invalid_input", "fields": [{"field": "last_day", "message": "..."}]}.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from hadir.attendance import leave as leave_service
from hadir.attendance.messages import note_text
from hadir.attendance.models import (
    LeaveKind,
    LeavePortion,
    LeaveRequest,
    LeaveStatus,
    attachment_type,
)
from hadir.attendance.selectors import parse_month, statuses_of
from hadir.attendance.services import AttendanceError, compute_days
from hadir.core.api_errors import STATUS_ERRORS, field_error
from hadir.core.api_input import MONTH, VISIBLE, FormInput, Input
from hadir.org.models import Employee
from hadir.org.scope import scope_for

router = Router(tags=["attendance"])


def _auth():
    from hadir.api import TokenAuth

    return TokenAuth()


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    error: str
    message: str = ""
    fields: list[FieldError] = []


# The longest texts a request keeps (LeaveRequest's columns; the reasons are a few sentences).
REASON_MAX, LETTER_MAX, DESTINATION_MAX = 2000, 100, 200


def stated(**schema) -> dict:
    """Keywords the schema states and the leave services check, in their own words."""
    return {"json_schema_extra": schema}


RADIUS_LOW, RADIUS_HIGH = leave_service.DESTINATION_RADIUS_M


class LeaveIn(FormInput):
    kind: str = Field(**stated(enum=LeaveKind.values))
    first_day: date
    last_day: date
    portion: str = Field("full", **stated(enum=LeavePortion.values))
    reason: str = Field("", max_length=REASON_MAX)
    assignment_letter: str = Field("", max_length=LETTER_MAX)
    destination: str = Field("", max_length=DESTINATION_MAX)
    # Dinas luar only, optional: the destination's point (both or neither), and how far around
    # it still counts as there (default: the fraud policy's). The fraud analysis judges the
    # day's check-ins there instead of at the workplace.
    destination_lat: float | None = Field(None, **stated(minimum=-90, maximum=90))
    destination_lon: float | None = Field(None, **stated(minimum=-180, maximum=180))
    destination_radius_m: int | None = Field(
        None, **stated(minimum=RADIUS_LOW, maximum=RADIUS_HIGH)
    )
    # NIP: an administrator recording on the employee's behalf
    employee: str | None = Field(None, max_length=30)


class LeaveDecisionIn(Input):
    reason: str = Field("", max_length=REASON_MAX)


class LeaveRejectionIn(Input):
    reason: str = Field(min_length=1, max_length=REASON_MAX, pattern=VISIBLE)


class LeaveOut(Schema):
    id: int
    employee: str
    kind: str
    first_day: date
    last_day: date
    portion: str
    reason: str
    assignment_letter: str
    destination: str
    destination_lat: float | None
    destination_lon: float | None
    destination_radius_m: int | None
    has_attachment: bool
    status: str
    recorded_on_behalf: bool
    decided_by: str | None
    decision_reason: str


class DayOut(Schema):
    date: date
    codes: str
    late_minutes: int
    early_minutes: int
    corrected: bool
    final: bool  # False while the day is in progress (codes provisional, "" = not checked in)
    explanation: dict  # {"plan": ..., "notes": [{"rule", "values", "text", "events"?}]}


def _leave_out(leave: LeaveRequest) -> dict:
    return {
        "id": leave.pk,
        "employee": leave.employee.identifier,
        "kind": leave.kind,
        "first_day": leave.first_day,
        "last_day": leave.last_day,
        "portion": leave.portion,
        "reason": leave.reason,
        "assignment_letter": leave.assignment_letter,
        "destination": leave.destination,
        "destination_lat": leave.destination_lat,
        "destination_lon": leave.destination_lon,
        "destination_radius_m": leave.destination_radius_m,
        "has_attachment": bool(leave.attachment),
        "status": leave.status,
        "recorded_on_behalf": leave.recorded_on_behalf,
        "decided_by": leave.decided_by.get_username() if leave.decided_by_id else None,
        "decision_reason": leave.decision_reason,
    }


def _invalid(errors: dict[str, list[str]]) -> Status:
    fields = [{"field": f, "message": str(m)} for f, messages in errors.items() for m in messages]
    status = 409 if set(errors) == {"status"} else 422
    code, message = STATUS_ERRORS[status]
    return Status(status, {"error": code, "message": str(message), "fields": fields})


def _forbidden(message: str) -> Status:
    return Status(403, {"error": "forbidden", "message": message})


def _not_found(message: str) -> Status:
    return Status(404, {"error": "not_found", "message": message})


def _not_an_employee() -> Status:
    return _forbidden(_("This account is not linked to an employee."))


def _own_employee(request) -> Employee | None:
    return Employee.objects.filter(user=request.user).select_related("supervisor").first()


ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/leave",
    response={201: LeaveOut, **ERRORS},
    auth=_auth(),
    summary="Request leave (multipart; optional PDF/JPEG attachment up to 2 MB)",
)
def request_leave(request, payload: Form[LeaveIn], attachment: File[UploadedFile] = None):
    own = _own_employee(request)
    employee, on_behalf = own, False
    if payload.employee and (own is None or payload.employee != own.identifier):
        employee = Employee.objects.filter(identifier=payload.employee).first()
        if employee is None or not scope_for(request.user).decides_opd(employee.opd_id):
            return _not_found(_("No such employee."))
        on_behalf = True
    if employee is None:
        return _not_an_employee()
    try:
        leave = leave_service.request_leave(
            employee,
            kind=payload.kind,
            first_day=payload.first_day,
            last_day=payload.last_day,
            portion=payload.portion,
            reason=payload.reason,
            assignment_letter=payload.assignment_letter,
            destination=payload.destination,
            destination_lat=payload.destination_lat,
            destination_lon=payload.destination_lon,
            destination_radius_m=payload.destination_radius_m,
            attachment=attachment,
            requested_by=request.user,
            on_behalf=on_behalf,
        )
    except PermissionDenied as exc:
        return _forbidden(str(exc))
    except AttendanceError as exc:
        return _invalid(exc.errors)
    return Status(201, _leave_out(leave))


@router.get("/leave/mine", response={200: list[LeaveOut], **ERRORS}, auth=_auth())
def my_leave(request):
    own = _own_employee(request)
    if own is None:
        return _not_an_employee()
    rows = LeaveRequest.objects.filter(employee=own).select_related("employee", "decided_by")
    return Status(200, [_leave_out(item) for item in rows.order_by("-first_day", "-id")[:200]])


@router.get(
    "/leave/to-decide",
    response=list[LeaveOut],
    auth=_auth(),
    summary="Pending requests of the employees this user may decide for",
)
def leave_to_decide(request):
    # leave.decidable: exactly what can_decide allows, as one query (as on /pantau/cuti/).
    pending = LeaveRequest.objects.filter(status=LeaveStatus.PENDING)
    rows = leave_service.decidable(request.user, pending).select_related(
        "employee__supervisor", "decided_by"
    )
    return [_leave_out(leave) for leave in rows.order_by("first_day", "pk")[:500]]


def _decide(request, leave_id: int, approve: bool, reason: str):
    leave = (
        LeaveRequest.objects.select_related("employee__supervisor", "decided_by")
        .filter(pk=leave_id)
        .first()
    )
    if leave is None:
        return _not_found(_("No such leave request."))
    try:
        leave_service.decide_leave(
            leave, approve=approve, by=request.user, now=timezone.now(), reason=reason
        )
    except PermissionDenied as exc:
        return _forbidden(str(exc))
    except AttendanceError as exc:
        return _invalid(exc.errors)
    return Status(200, _leave_out(leave))


@router.get("/leave/{leave_id}/attachment", response={**ERRORS}, auth=_auth())
def leave_attachment(request, leave_id: int):
    """The letter attached to a request: for the employee and whoever may decide it."""
    leave = LeaveRequest.objects.select_related("employee__supervisor").filter(pk=leave_id).first()
    own = leave is not None and leave.employee.user_id == request.user.pk
    if leave is None or not (own or leave_service.can_decide(request.user, leave)):
        return _not_found(_("No such leave request."))
    if not leave.attachment:
        return _not_found(_("Nothing was attached to this request."))
    head = leave.attachment.open("rb").read(8)
    leave.attachment.seek(0)
    content_type = "application/pdf" if attachment_type(head) == "pdf" else "image/jpeg"
    return FileResponse(leave.attachment, content_type=content_type)


@router.post("/leave/{leave_id}/approve", response={200: LeaveOut, **ERRORS}, auth=_auth())
def approve_leave(request, leave_id: int, payload: LeaveDecisionIn | None = None):
    return _decide(request, leave_id, True, payload.reason if payload else "")


@router.post("/leave/{leave_id}/reject", response={200: LeaveOut, **ERRORS}, auth=_auth())
def reject_leave(request, leave_id: int, payload: LeaveRejectionIn):
    return _decide(request, leave_id, False, payload.reason)


@router.get(
    "/attendance/mine",
    response={200: list[DayOut], **ERRORS},
    auth=_auth(),
    summary="Own daily statuses of a month (computed first), with their explanation",
)
def my_attendance(request, month: str = Query(pattern=MONTH, description="YYYY-MM")):
    own = _own_employee(request)
    if own is None:
        return _not_an_employee()
    try:
        first, last = parse_month(month)
    except ValueError:
        raise field_error("month", _("Choose a month written YYYY-MM.")) from None
    compute_days([own.pk], first, last)
    days = [
        {
            "date": row.date,
            "codes": row.codes,
            "late_minutes": row.late_minutes,
            "early_minutes": row.early_minutes,
            "corrected": row.correction_id is not None,
            "final": row.final,
            "explanation": _explained(row.explanation),
        }
        for row in statuses_of(own, first, last)
    ]
    return Status(200, days)


def _explained(explanation: dict) -> dict:
    """The stored explanation with each note said in the request's language ("text")."""
    notes = [{**note, "text": note_text(note)} for note in explanation.get("notes", ())]
    return {**explanation, "notes": notes}
