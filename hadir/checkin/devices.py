"""Device enrolment and its lifecycle: first device active at once, later ones wait for approval.

The approval step is what stops an employee from handing their password to a colleague who then
enrols the colleague's own phone: a second phone needs a person (admin OPD or atasan) to agree.
"""

from __future__ import annotations

import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.checkin.models import Device, DeviceStatus
from hadir.domain import signing
from hadir.org.models import Employee, Role, RoleKind


class DeviceError(Exception):
    def __init__(self, status: int, field: str, message: str):
        super().__init__(message)
        self.status, self.field, self.message = status, field, message


ALGORITHMS = {"p256", "ed25519"}
# A device's description is a flat object of a few short scalars (the API's schema says so).
DESCRIPTION_ITEMS_MAX, DESCRIPTION_KEY_MAX, DESCRIPTION_VALUE_MAX = 16, 40, 300
REASON_MAX = 300  # Device.revoke_reason


def description_is_small(description) -> bool:
    if not isinstance(description, dict) or len(description) > DESCRIPTION_ITEMS_MAX:
        return False
    return all(
        isinstance(key, str) and len(key) <= DESCRIPTION_KEY_MAX and description_value_is_small(v)
        for key, v in description.items()
    )


def description_value_is_small(value) -> bool:
    if isinstance(value, str):
        return len(value) <= DESCRIPTION_VALUE_MAX
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, int | bool)


def enrol_device(
    employee: Employee, public_key_b64: str, algorithm: str, description: dict, now
) -> Device:
    if algorithm not in ALGORITHMS:
        raise DeviceError(422, "algorithm", _("algorithm must be 'p256' or 'ed25519'"))
    if not description_is_small(description):
        raise DeviceError(422, "description", _("description must be a small JSON object"))
    try:
        key = signing.load_public_key(public_key_b64)
    except signing.SigningError as exc:
        raise DeviceError(422, "public_key", str(exc)) from exc
    if signing.algorithm_of(key) != algorithm:
        raise DeviceError(422, "algorithm", _("algorithm does not match the public key"))
    key_id = signing.key_id_for_b64(public_key_b64)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        if Device.objects.filter(key_id=key_id).exists():
            raise DeviceError(409, "public_key", _("this key is already enrolled"))
        has_history = Device.objects.filter(employee=employee).exists()
        Device.objects.filter(employee=employee, status=DeviceStatus.PENDING).update(
            status=DeviceStatus.REJECTED,
            decided_at=now,
            decided_by=_("superseded by a newer enrolment"),
        )
        try:
            return Device.objects.create(
                employee=employee,
                key_id=key_id,
                algorithm=algorithm,
                public_key=public_key_b64,
                description=description,
                enrolled_at=now,
                status=DeviceStatus.PENDING if has_history else DeviceStatus.ACTIVE,
            )
        except IntegrityError as exc:  # a concurrent first enrolment won the race
            raise DeviceError(
                409,
                "public_key",
                _("another device was enrolled at the same time; enrol again"),
            ) from exc


def can_decide(user, device: Device) -> bool:
    """Admin OPD of the employee's OPD, BKPSDM, superadmin, or the employee's atasan."""
    if user.is_superuser:
        return True
    roles = Role.objects.filter(user=user)
    if roles.filter(kind__in=[RoleKind.BKPSDM_ADMIN, RoleKind.SUPERADMIN]).exists():
        return True
    if roles.filter(kind=RoleKind.OPD_ADMIN, opd_id=device.employee.opd_id).exists():
        return True
    supervisor = device.employee.supervisor
    return bool(
        supervisor
        and supervisor.user_id == user.pk
        and roles.filter(kind=RoleKind.SUPERVISOR).exists()
    )


def _not_before_enrolment(device: Device, now) -> None:
    # `now` is the clock live, but the archived time in `hadir replay`: an archive whose
    # decision predates the enrolment it decides is wrong, and is refused rather than stored.
    if now < device.enrolled_at:
        raise DeviceError(
            422,
            "decided_at",
            _("a decision cannot come before the enrolment (%(at)s)")
            % {"at": timezone.localtime(device.enrolled_at).strftime("%Y-%m-%d %H:%M")},
        )


def approve_device(device: Device, by: str, now) -> Device:
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.status != DeviceStatus.PENDING:
            raise DeviceError(
                409,
                "status",
                _("the device is %(status)s, not waiting for approval")
                % {"status": device.get_status_display()},
            )
        _not_before_enrolment(device, now)
        Device.objects.filter(employee=device.employee, status=DeviceStatus.ACTIVE).update(
            status=DeviceStatus.REVOKED,
            revoked_at=now,
            revoked_by=by,
            revoke_reason=_("replaced by a newly approved device"),
        )
        device.status, device.decided_at, device.decided_by = DeviceStatus.ACTIVE, now, by
        device.save(update_fields=["status", "decided_at", "decided_by"])
        return device


def reject_device(device: Device, by: str, reason: str, now) -> Device:
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.status != DeviceStatus.PENDING:
            raise DeviceError(
                409,
                "status",
                _("the device is %(status)s, not waiting for approval")
                % {"status": device.get_status_display()},
            )
        _not_before_enrolment(device, now)
        device.status, device.decided_at, device.decided_by = DeviceStatus.REJECTED, now, by
        device.revoke_reason = reason[:300]
        device.save(update_fields=["status", "decided_at", "decided_by", "revoke_reason"])
        return device


def revoke_device(device: Device, by: str, reason: str, now) -> Device:
    if not reason.strip():
        raise DeviceError(422, "reason", _("a reason is required to revoke a device"))
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.status == DeviceStatus.REVOKED:
            raise DeviceError(409, "status", _("the device is already revoked"))
        device.status, device.revoked_at, device.revoked_by = DeviceStatus.REVOKED, now, by
        device.revoke_reason = reason[:300]
        device.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        return device
