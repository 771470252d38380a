"""Writes for leave: requesting, recording on an employee's behalf, deciding, cancelling.

Every refusal names its field (`AttendanceError.errors`) and stores nothing. A decision that
changes which leave is approved recomputes the days it covers (those up to today). Leave for a
closed month may still be decided: its frozen days do not change, they show what the leave
would make of them (`DailyStatus.pending_codes`) until someone records a correction.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hadir.attendance import selectors
from hadir.attendance.models import (
    ACTIVE_LEAVE,
    LeaveKind,
    LeavePortion,
    LeaveRequest,
    LeaveStatus,
    attachment_type,
    validate_attachment,
)
from hadir.attendance.services import AttendanceError, compute_days
from hadir.org.models import Employee, Role, RoleKind
from hadir.org.scope import scope_for

REGENCY_DECIDERS = (RoleKind.BKPSDM_ADMIN, RoleKind.SUPERADMIN)
# How far around a dinas luar destination's point may be given (metres): a building to a town.
DESTINATION_RADIUS_M = (50, 50_000)
OPD_DECIDERS = (RoleKind.OPD_ADMIN, RoleKind.OPD_HEAD)


def is_leave_admin(user, employee: Employee) -> bool:
    """BKPSDM, superadmin, or the admin / head of the employee's OPD."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = Role.objects.filter(user=user)
    return roles.filter(
        Q(kind__in=REGENCY_DECIDERS) | Q(kind__in=OPD_DECIDERS, opd_id=employee.opd_id)
    ).exists()


def can_decide(user, leave: LeaveRequest) -> bool:
    """The atasan langsung or an admin; nobody decides their own leave."""
    if user is None or not user.is_authenticated:
        return False
    employee = leave.employee
    if employee.user_id == user.pk:
        return False
    supervisor = employee.supervisor
    if supervisor is not None and supervisor.user_id == user.pk:
        return True
    return is_leave_admin(user, employee)


def decidable(user, rows=None):
    """The requests among `rows` (all by default) that `can_decide` lets this user decide, as
    one query: the supervisors' web lists and counts them without asking row by row. It reads
    the roles through the user's scope (cached per request), which holds the same facts as
    `is_leave_admin`; tests/supervise/test_leave_page.py checks that the two agree."""
    rows = LeaveRequest.objects.all() if rows is None else rows
    if user is None or not user.is_authenticated:
        return rows.none()
    rows = rows.exclude(employee__user=user)
    scope = scope_for(user)
    if user.is_superuser or scope.edits_regency:
        return rows
    return rows.filter(
        Q(employee__supervisor__user=user) | Q(employee__opd_id__in=scope.decide_opd_ids)
    )


def request_leave(
    employee: Employee,
    *,
    kind: str,
    first_day: date,
    last_day: date,
    portion: str = LeavePortion.FULL,
    reason: str = "",
    assignment_letter: str = "",
    destination: str = "",
    destination_lat: float | None = None,
    destination_lon: float | None = None,
    destination_radius_m: int | None = None,
    attachment=None,
    requested_by=None,
    on_behalf: bool = False,
) -> LeaveRequest:
    """Store a request after every check; an admin's on-behalf record is approved at once."""
    if on_behalf and not is_leave_admin(requested_by, employee):
        raise PermissionDenied(_("Only an administrator may record leave on an employee's behalf."))
    rules = selectors.current_rules()
    leave = LeaveRequest(
        employee=employee,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        portion=portion,
        reason=(reason or "").strip(),
        assignment_letter=(assignment_letter or "").strip(),
        destination=(destination or "").strip(),
        destination_lat=destination_lat,
        destination_lon=destination_lon,
        destination_radius_m=destination_radius_m,
        requested_by=requested_by if getattr(requested_by, "pk", None) else None,
        recorded_on_behalf=on_behalf,
    )
    with transaction.atomic():
        # One request at a time per employee, so two overlapping requests cannot both pass.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        errors = leave_errors(leave, attachment, rules.leave)
        if errors:
            raise AttendanceError(errors)
        if attachment is not None:
            attachment.seek(0)
            extension = attachment_type(attachment.read(8))
            attachment.seek(0)
            leave.attachment.save(f"lampiran.{extension}", attachment, save=False)
        if on_behalf:
            leave.status = LeaveStatus.APPROVED
            leave.decided_by, leave.decided_at = leave.requested_by, timezone.now()
            leave.decision_reason = _("Recorded by an administrator on the employee's behalf.")
        leave.save()
    if leave.status == LeaveStatus.APPROVED:
        _recompute(leave)
    return leave


def decide_leave(
    leave: LeaveRequest, *, approve: bool, by, now: datetime, reason: str = ""
) -> LeaveRequest:
    """Approve a pending request, or reject a pending or (after the fact) approved one, at
    `now` (the clock live, the archived time in `hadir replay`): never before it was asked."""
    if not can_decide(by, leave):
        raise PermissionDenied(
            _("Only the atasan langsung or an administrator decides this leave.")
        )
    reason = (reason or "").strip()
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=leave.employee_id).first()
        leave.refresh_from_db()
        was_approved = leave.status == LeaveStatus.APPROVED
        allowed = (LeaveStatus.PENDING,) if approve else ACTIVE_LEAVE
        if leave.status not in allowed:
            raise AttendanceError({"status": [_status_is(leave)]})
        if not approve and not reason:
            raise AttendanceError({"reason": [_("A rejection needs a reason.")]})
        if now < leave.requested_at:
            raise AttendanceError({"decided_at": [_decided_before_request(leave)]})
        if approve:
            errors = _calendar_errors(leave, selectors.current_rules().leave)
            if errors:
                raise AttendanceError(errors)
        leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
        leave.decided_by, leave.decided_at, leave.decision_reason = by, now, reason
        leave.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if approve or was_approved:
        _recompute(leave)
    return leave


def cancel_leave(leave: LeaveRequest, *, by, now: datetime) -> LeaveRequest:
    """The employee withdraws a pending request; an approved one is rejected by a decider."""
    if leave.status != LeaveStatus.PENDING:
        raise AttendanceError({"status": [_status_is(leave)]})
    own = leave.employee.user_id == getattr(by, "pk", None)
    if not (own or can_decide(by, leave)):
        raise PermissionDenied(
            _("Only the employee or whoever decides it may cancel this request.")
        )
    leave.status = LeaveStatus.CANCELLED
    leave.decided_by, leave.decided_at = by, now
    leave.save(update_fields=["status", "decided_by", "decided_at"])
    return leave


def _recompute(leave: LeaveRequest) -> None:
    compute_days([leave.employee_id], leave.first_day, leave.last_day)


# Checks ---------------------------------------------------------------------------------------


def leave_errors(leave: LeaveRequest, attachment=None, policy=None) -> dict[str, list[str]]:
    """Every reason to refuse this (unsaved) request, by field; empty when it may be stored."""
    policy = policy or selectors.current_rules().leave
    return _form_errors(leave, attachment, policy) or _calendar_errors(leave, policy)


def _form_errors(leave: LeaveRequest, attachment, policy) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if leave.kind not in LeaveKind.values:
        add(
            "kind",
            _("Unknown kind of leave %(kind)s: one of %(kinds)s.")
            % {"kind": leave.kind, "kinds": ", ".join(LeaveKind.values)},
        )
    if leave.portion not in LeavePortion.values:
        add("portion", _("Choose a full day, the morning or the afternoon."))
    if not isinstance(leave.first_day, date):
        add("first_day", _("A date (YYYY-MM-DD) is needed."))
    if not isinstance(leave.last_day, date):
        add("last_day", _("A date (YYYY-MM-DD) is needed."))
    if errors:
        return errors
    if leave.last_day < leave.first_day:
        add(
            "last_day",
            _("The last day (%(last)s) is before the first day (%(first)s).")
            % {"last": _day(leave.last_day), "first": _day(leave.first_day)},
        )
    if leave.portion != LeavePortion.FULL and leave.first_day != leave.last_day:
        add("portion", _("Half-day leave covers a single day."))
    if leave.kind == LeaveKind.DL:
        if not leave.assignment_letter:
            add(
                "assignment_letter",
                _("Official duty elsewhere needs the number of the surat tugas."),
            )
        if not leave.destination:
            add("destination", _("Official duty elsewhere needs a destination."))
    for field, message in _destination_point_errors(leave):
        add(field, message)
    calendar_days = (leave.last_day - leave.first_day).days + 1
    needs_letter = leave.kind == LeaveKind.CS or (
        leave.kind == LeaveKind.S and calendar_days > policy.sick_days_without_letter
    )
    if needs_letter and attachment is None:
        add("attachment", _("This sick leave needs a doctor's letter (PDF or JPEG)."))
    if attachment is not None:
        try:
            validate_attachment(attachment, policy.attachment_max_bytes)
        except ValidationError as exc:
            errors.setdefault("attachment", []).extend(exc.messages)
    return errors


def _decided_before_request(leave: LeaveRequest) -> str:
    return _("A decision cannot come before the request (made %(at)s).") % {
        "at": formats.date_format(timezone.localtime(leave.requested_at), "j F Y H:i")
    }


def _destination_point_errors(leave: LeaveRequest) -> list[tuple[str, str]]:
    """The optional point of a dinas luar destination: latitude and longitude together, within
    their ranges, and a radius only with them. The fraud analysis judges the day there."""
    lat, lon, radius = leave.destination_lat, leave.destination_lon, leave.destination_radius_m
    if lat is None and lon is None:
        if radius is not None:
            return [("destination_radius_m", _("A radius needs the destination's point."))]
        return []
    if leave.kind != LeaveKind.DL:
        field = "destination_lat" if lat is not None else "destination_lon"
        return [(field, _("Only official duty elsewhere (DL) has a destination point."))]
    errors = []
    for field, value, limit in (("destination_lat", lat, 90), ("destination_lon", lon, 180)):
        if value is None:
            errors.append((field, _("Give the latitude and the longitude together, or neither.")))
        elif not (_finite(value) and -limit <= value <= limit):
            message = _("A number between -%(limit)s and %(limit)s is needed.")
            errors.append((field, message % {"limit": limit}))
    low, high = DESTINATION_RADIUS_M
    if radius is not None and not (isinstance(radius, int) and low <= radius <= high):
        message = _("The radius is between %(low)s and %(high)s metres.")
        errors.append(("destination_radius_m", message % {"low": low, "high": high}))
    return errors


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _status_is(leave: LeaveRequest) -> str:
    return _("The request is already %(status)s.") % {"status": leave.get_status_display()}


def _calendar_errors(leave: LeaveRequest, policy) -> dict[str, list[str]]:
    employee = leave.employee
    other = _overlapping(leave)
    if other is not None:
        return {
            "first_day": [
                _("Overlaps request #%(number)s (%(other)s).")
                % {"number": other.pk, "other": other}
            ]
        }
    if leave.first_day < employee.active_from:
        return {
            "first_day": [
                _("The employee is active from %(day)s.") % {"day": _day(employee.active_from)}
            ]
        }
    planned = selectors.planned_days(employee, leave.first_day, leave.last_day)
    working = [day for day, plan in planned.items() if plan is not None]
    if not working:
        return {"first_day": [_("The period has no working day for this employee.")]}
    if leave.kind == LeaveKind.CT:
        return _annual_leave_errors(leave, working, policy)
    return {}


def _overlapping(leave: LeaveRequest) -> LeaveRequest | None:
    others = LeaveRequest.objects.filter(
        employee_id=leave.employee_id,
        status__in=ACTIVE_LEAVE,
        first_day__lte=leave.last_day,
        last_day__gte=leave.first_day,
    ).exclude(pk=leave.pk)
    for other in others.order_by("first_day"):
        halves = {other.portion, leave.portion}
        # A morning and an afternoon on the same day together make a day: both may stand.
        if halves != {LeavePortion.MORNING, LeavePortion.AFTERNOON}:
            return other
    return None


def _annual_leave_errors(leave: LeaveRequest, working: list[date], policy) -> dict:
    employee = leave.employee
    months = policy.service_months
    served_on = selectors.add_months(employee.active_from, months)
    if leave.first_day < served_on:
        message = _(
            "Annual leave may be taken after %(months)s months of service, from %(day)s."
        ) % {"months": months, "day": _day(served_on)}
        return {"kind": [message]}
    weight = 1.0 if leave.portion == LeavePortion.FULL else 0.5
    for year in sorted({day.year for day in working}):
        asked = weight * sum(1 for day in working if day.year == year)
        balance = selectors.annual_leave_balance(employee, year, policy, exclude_id=leave.pk)
        if asked > balance.remaining:
            message = _(
                "Asks for %(asked)s working days of annual leave in %(year)s; %(remaining)s "
                "remain (%(entitlement)s + %(carried)s carried over − %(used)s taken or pending)."
            ) % {
                "asked": f"{asked:g}",
                "year": year,
                "remaining": f"{balance.remaining:g}",
                "entitlement": balance.entitlement,
                "carried": f"{balance.carried_over:g}",
                "used": f"{balance.used:g}",
            }
            return {"last_day": [message]}
    return {}
