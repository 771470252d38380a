"""Check-in API: device enrolment and decisions, signed events, presence challenges."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import PlainValidator, WithJsonSchema

from hadir.checkin import devices as device_service
from hadir.checkin.ingest import ingest_request
from hadir.checkin.models import Device, DeviceStatus, EvidenceRecord, PresenceChallenge
from hadir.core.api_errors import ApiError
from hadir.core.api_input import MAX_OFFSET, VISIBLE, Input
from hadir.org.models import Employee
from hadir.org.scope import scope_for

router = Router(tags=["check-in"])


def _auth():
    from hadir.api import TokenAuth

    return TokenAuth()


def _description_value(value):
    if device_service.description_value_is_small(value):
        return value
    raise ValueError("a short text, a number, true, false or null")


DescriptionKey = Annotated[str, Field(max_length=device_service.DESCRIPTION_KEY_MAX)]
# One check, so that a refusal names the key (a union's refusal would name each of its types).
DescriptionValue = Annotated[
    Any,
    PlainValidator(_description_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": device_service.DESCRIPTION_VALUE_MAX},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "null"},
            ]
        }
    ),
]


class EnrolIn(Input):
    public_key: str = Field(description="The public key, SPKI DER in base64")
    algorithm: Literal["p256", "ed25519"]
    # What the approver sees of the phone: a flat object (model, platform, user agent...).
    description: dict[DescriptionKey, DescriptionValue] = Field(
        default_factory=dict, max_length=device_service.DESCRIPTION_ITEMS_MAX
    )


class DeviceOut(Schema):
    device_id: int
    key_id: str
    status: str
    employee: str
    enrolled_at: str
    description: dict


class DeviceDecisionIn(Input):
    reason: str = Field("", max_length=device_service.REASON_MAX)


class DeviceRevokeIn(Input):
    reason: str = Field(min_length=1, max_length=device_service.REASON_MAX, pattern=VISIBLE)


def _device_out(device: Device) -> dict:
    return {
        "device_id": device.pk,
        "key_id": device.key_id,
        "status": device.status,
        "employee": device.employee.identifier,
        "enrolled_at": device.enrolled_at.isoformat(),
        "description": device.description,
    }


def _own_employee(request) -> Employee:
    employee = Employee.objects.filter(user=request.user).first()
    if employee is None:
        raise ApiError(403, "not_an_employee", _("This account is not an employee's account."))
    return employee


def _raise(exc: device_service.DeviceError):
    code = "conflict" if exc.status == 409 else "invalid_input"
    fields = [{"field": exc.field, "message": exc.message}]
    raise ApiError(exc.status, code, f"{exc.field}: {exc.message}", fields)


@router.post(
    "/devices", response={201: DeviceOut}, auth=_auth(), summary="Enrol this phone's public key"
)
def enrol(request, payload: EnrolIn):
    employee = _own_employee(request)
    try:
        device = device_service.enrol_device(
            employee, payload.public_key, payload.algorithm, payload.description, timezone.now()
        )
    except device_service.DeviceError as exc:
        _raise(exc)
    return Status(201, _device_out(device))


@router.get(
    "/devices/me", response=list[DeviceOut], auth=_auth(), summary="My devices, with their history"
)
def my_devices(request):
    employee = _own_employee(request)
    return [_device_out(d) for d in employee.devices.order_by("-enrolled_at")]


@router.get(
    "/devices/pending",
    response=list[DeviceOut],
    auth=_auth(),
    summary="Devices waiting for my approval",
)
def pending_devices(request):
    scope = scope_for(request.user)
    qs = Device.objects.filter(status=DeviceStatus.PENDING).select_related("employee")
    if not scope.regency_wide:
        qs = qs.filter(
            Q(employee__opd_id__in=scope.opd_ids) | Q(employee_id__in=scope.supervised_employee_ids)
        )
    return [_device_out(d) for d in qs if device_service.can_decide(request.user, d)]


def _decide(request, device_id: int, action: str, reason: str):
    device = get_object_or_404(Device.objects.select_related("employee__supervisor"), pk=device_id)
    if not device_service.can_decide(request.user, device):
        raise ApiError(403, "forbidden", _("You may not decide about this device."))
    by, now = f"user:{request.user.get_username()}", timezone.now()
    try:
        if action == "approve":
            return _device_out(device_service.approve_device(device, by, now))
        if action == "reject":
            return _device_out(device_service.reject_device(device, by, reason, now))
        return _device_out(device_service.revoke_device(device, by, reason, now))
    except device_service.DeviceError as exc:
        _raise(exc)


@router.post("/devices/{device_id}/approve", response=DeviceOut, auth=_auth())
def approve(request, device_id: int):
    return _decide(request, device_id, "approve", "")


@router.post("/devices/{device_id}/reject", response=DeviceOut, auth=_auth())
def reject(request, device_id: int, payload: DeviceDecisionIn):
    return _decide(request, device_id, "reject", payload.reason)


@router.post("/devices/{device_id}/revoke", response=DeviceOut, auth=_auth())
def revoke(request, device_id: int, payload: DeviceRevokeIn):
    return _decide(request, device_id, "revoke", payload.reason)


@router.post(
    "/events",
    auth=None,
    summary="Submit a signed attendance event",
    description="The body is the exact JSON bytes the device signed. Headers: X-Hadir-Key-Id, "
    "X-Hadir-Signature. See docs/api.md.",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "required": True,
        }
    },
)
def submit_event(request):
    result = ingest_request(request)
    response = HttpResponse(
        result.json_bytes(), status=result.status, content_type="application/json"
    )
    for name, value in result.headers:
        response[name] = value
    return response


@router.get("/evidence/mine", auth=_auth(), summary="My own attendance records, with locations")
def my_evidence(
    request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)
):
    employee = _own_employee(request)
    rows = (
        EvidenceRecord.objects.filter(employee=employee)
        .order_by("-id")
        .select_related("workplace")[offset : offset + limit]
    )
    return [
        {
            "record_id": r.pk,
            "kind": r.kind,
            "outcome": r.outcome,
            "received_at": r.received_at.isoformat(),
            "time_of_record": r.time_of_record.isoformat() if r.time_of_record else None,
            "workplace": r.workplace.code if r.workplace_id else None,
            "lat": r.lat,
            "lon": r.lon,
            "accuracy_m": r.accuracy_m,
            "reasons": [x["code"] for x in r.reasons],
        }
        for r in rows
    ]


class ChallengeOut(Schema):
    challenge_id: str
    issued_at: str
    deadline: str
    workplace: str | None


@router.get(
    "/challenges",
    response=list[ChallengeOut],
    auth=_auth(),
    summary="Open presence checks for me (the app polls this)",
)
def open_challenges(request):
    employee = _own_employee(request)
    now = timezone.now()
    rows = PresenceChallenge.objects.filter(
        employee=employee, deadline__gt=now, issued_at__lte=now, answered_by__isnull=True
    )
    return [
        {
            "challenge_id": c.challenge_id,
            "issued_at": c.issued_at.isoformat(),
            "deadline": c.deadline.isoformat(),
            "workplace": c.workplace.code if c.workplace_id else None,
        }
        for c in rows.select_related("workplace")
    ]
