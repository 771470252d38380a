"""Decisions in a replayed archive: device (enrolment) and leave decisions at their archived time.

Between its check-in requests an archive may hold what people decided then: a second phone
approved or rejected, leave approved or rejected. `hadir replay` makes each one through the same
service as the live endpoint, with the archived time as the decision's time, and writes an audit
entry saying it was replayed, by whom and when. Every decision line is checked before anything
of the archive is stored: one that cannot be made (unknown device, request or user, a decider
without the right, a time before the thing it decides or in the future) refuses the archive.
A decision already recorded exactly so (same decider, time and outcome) is not made again, so
replaying an archive twice stores nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from hadir.attendance import leave as leave_service
from hadir.attendance.models import ACTIVE_LEAVE, LeaveRequest, LeaveStatus
from hadir.attendance.services import AttendanceError
from hadir.checkin import devices as device_service
from hadir.checkin.models import Device, DeviceStatus
from hadir.org.audit import acting_as
from hadir.org.models import AuditAction, AuditEntry

DEVICE = "device_decision"
LEAVE = "leave_decision"
DECISION_TYPES = (DEVICE, LEAVE)
DECISIONS = {"approve": True, "reject": False}


# Why a decision line cannot be made, by code. `hadir replay` says them in the operator's
# language (hadir.checkin.messages.REPLAY_REFUSALS); this English text is for the --verdicts
# file (read by programs), logs and tests.
REFUSALS = {
    "unknown_type": "unknown type %(kind)s (one of %(known)s)",
    "needs": "%(kind)s needs %(names)s",
    "decision": "decision must be 'approve' or 'reject'",
    "key_id": "key_id must be the device's key id (a string)",
    "leave_id": "leave_id must be the leave request's number",
    "by": "by must be the decider's username",
    "reason": "reason must be a string",
    "rejection_reason": "a leave rejection needs a reason",
    "not_a_time": "%(field)s is not an ISO 8601 time",
    "no_offset": "%(field)s needs a UTC offset",
    "decided_already": "decided already on line %(first)s",
    "future": "the decision time %(at)s is in the future (now %(now)s)",
    "before_enrolment": "the decision time %(at)s is before the device was enrolled (%(since)s)",
    "before_request": "the decision time %(at)s is before the leave was requested (%(since)s)",
    "device_status": "the device is %(status)s, not pending",
    "device_decider": "%(by)s may not decide about this device",
    "leave_status": "the leave request is %(status)s",
    "leave_decider": "%(by)s may not decide this leave request",
    "no_user": "no active user %(by)s",
    "no_device": "no device with key_id %(key_id)s",
    "no_leave": "no leave request %(leave_id)s",
    "device_refused": "%(field)s: %(message)s",
    "service_refused": "%(detail)s",
}


class DecisionRefused(ValueError):
    """A decision line that cannot be made: its `line`, `code` (a key of REFUSALS) and `values`;
    as a string, the English sentence after the line's number."""

    def __init__(self, line: int, code: str, /, **values: object) -> None:
        self.line, self.code = line, code
        self.values = {key: str(value) for key, value in values.items()}
        super().__init__(f"line {line}: {REFUSALS[code] % self.values}")


@dataclass(frozen=True)
class Decision:
    line: int
    type: str
    at: datetime
    by: str  # the decider's username
    target: str | int  # the device's key id, or the leave request's id
    approve: bool
    reason: str


def is_decision(item) -> bool:
    return isinstance(item, dict) and item.get("type", "event") != "event"


def parse_decision(item: dict, number: int) -> Decision:
    kind = item.get("type")
    if kind not in DECISION_TYPES:
        known = ", ".join(("event", *DECISION_TYPES))
        raise DecisionRefused(number, "unknown_type", kind=repr(kind), known=known)
    target_field = "key_id" if kind == DEVICE else "leave_id"
    missing = [k for k in ("at", "by", target_field, "decision") if k not in item]
    if missing:
        raise DecisionRefused(number, "needs", kind=kind, names=", ".join(missing))
    at = archived_time(item["at"], number, "at")
    if item["decision"] not in DECISIONS:
        raise DecisionRefused(number, "decision")
    target = item[target_field]
    if kind == DEVICE and (not isinstance(target, str) or not target):
        raise DecisionRefused(number, "key_id")
    if kind == LEAVE and (isinstance(target, bool) or not isinstance(target, int)):
        raise DecisionRefused(number, "leave_id")
    if not isinstance(item["by"], str) or not item["by"]:
        raise DecisionRefused(number, "by")
    reason = item.get("reason") or ""
    if not isinstance(reason, str):
        raise DecisionRefused(number, "reason")
    approve = DECISIONS[item["decision"]]
    if kind == LEAVE and not approve and not reason.strip():
        raise DecisionRefused(number, "rejection_reason")
    return Decision(number, kind, at, item["by"], target, approve, reason.strip())


def archived_time(value, number: int, field: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise DecisionRefused(number, "not_a_time", field=field) from exc
    if at.tzinfo is None:
        raise DecisionRefused(number, "no_offset", field=field)
    return at


def check(decisions: list[Decision], now: datetime) -> list[DecisionRefused]:
    """Every reason to refuse the archive's decisions (one per line), before any is made.
    `now`: the replay's own time; a decision after it is in the future."""
    problems, seen = [], {}
    for d in decisions:
        key = (d.type, d.target)
        if key in seen:
            problems.append(DecisionRefused(d.line, "decided_already", first=seen[key]))
            continue
        seen[key] = d.line
        try:
            _check_one(d, now)
        except DecisionRefused as exc:
            problems.append(exc)
    return problems


def _check_one(d: Decision, now: datetime) -> None:
    if d.at > now:
        raise DecisionRefused(
            d.line, "future", at=d.at.isoformat(), now=now.isoformat(timespec="seconds")
        )
    user = _decider(d)
    if d.type == DEVICE:
        device = _device(d)
        _not_before(d, device.enrolled_at, "before_enrolment")
        if _already_decided(d, device):
            return
        if device.status != DeviceStatus.PENDING:
            raise DecisionRefused(d.line, "device_status", status=device.status)
        if not device_service.can_decide(user, device):
            raise DecisionRefused(d.line, "device_decider", by=d.by)
    else:
        leave = _leave(d)
        _not_before(d, leave.requested_at, "before_request")
        if _already_decided(d, leave):
            return
        allowed = (LeaveStatus.PENDING,) if d.approve else ACTIVE_LEAVE
        if leave.status not in allowed:
            raise DecisionRefused(d.line, "leave_status", status=leave.status)
        if not leave_service.can_decide(user, leave):
            raise DecisionRefused(d.line, "leave_decider", by=d.by)


def _not_before(d: Decision, started: datetime, code: str) -> None:
    if d.at < started:
        raise DecisionRefused(d.line, code, at=d.at.isoformat(), since=started.isoformat())


def _decider(d: Decision):
    user = get_user_model().objects.filter(username=d.by, is_active=True).first()
    if user is None:
        raise DecisionRefused(d.line, "no_user", by=repr(d.by))
    return user


def _device(d: Decision) -> Device:
    device = Device.objects.select_related("employee__supervisor").filter(key_id=d.target).first()
    if device is None:
        raise DecisionRefused(d.line, "no_device", key_id=repr(d.target))
    return device


def _leave(d: Decision) -> LeaveRequest:
    leave = LeaveRequest.objects.select_related("employee__supervisor").filter(pk=d.target).first()
    if leave is None:
        raise DecisionRefused(d.line, "no_leave", leave_id=d.target)
    return leave


def _already_decided(d: Decision, thing) -> bool:
    """Whether this very decision is on record already (an archive replayed again)."""
    if d.type == DEVICE:
        status = DeviceStatus.ACTIVE if d.approve else DeviceStatus.REJECTED
        # An approved phone later replaced is revoked, but was still decided as approved.
        statuses = (status, DeviceStatus.REVOKED) if d.approve else (status,)
        decided = thing.decided_by == _device_decider(d)
    else:
        statuses = (LeaveStatus.APPROVED,) if d.approve else (LeaveStatus.REJECTED,)
        decided = thing.decided_by is not None and thing.decided_by.get_username() == d.by
    return decided and thing.status in statuses and thing.decided_at == d.at


def _device_decider(d: Decision) -> str:
    return f"user:{d.by}"  # as the API and the admin record a decider


def make(d: Decision, *, operator: str, archive: str) -> dict:
    """Make one checked decision at its archived time, with its audit entry; its verdict."""
    user = _decider(d)
    verdict = {"line": d.line, "type": d.type, "at": d.at.isoformat(), "by": d.by}
    with acting_as(operator), transaction.atomic():
        if d.type == DEVICE:
            thing = _device(d)
            verdict["device_id"] = thing.pk
        else:
            thing = _leave(d)
            verdict["leave_id"] = thing.pk
        if _already_decided(d, thing):
            return {**verdict, "outcome": _outcome(d), "repeated": True}
        before = {"status": thing.status}
        thing = _decide(d, thing, user)
        AuditEntry.objects.create(
            actor=operator[:150],
            action=AuditAction.REPLAY,
            model=thing._meta.label,
            object_pk=str(thing.pk),
            object_repr=str(thing)[:300],
            before=before,
            after={
                "status": thing.status,
                "decided_at": d.at.isoformat(),
                "decided_by": d.by,
                "archive": archive,
                "line": d.line,
            },
        )
    return {**verdict, "outcome": _outcome(d), "repeated": False}


def _decide(d: Decision, thing, user):
    """The service's own decision at the archived time; its refusal (a race since the check)
    becomes the line's."""
    try:
        if d.type == LEAVE:
            return leave_service.decide_leave(
                thing, approve=d.approve, by=user, now=d.at, reason=d.reason
            )
        if not device_service.can_decide(user, thing):
            raise DecisionRefused(d.line, "device_decider", by=d.by)
        if d.approve:
            return device_service.approve_device(thing, _device_decider(d), d.at)
        return device_service.reject_device(thing, _device_decider(d), d.reason, d.at)
    except device_service.DeviceError as exc:
        raise DecisionRefused(
            d.line, "device_refused", field=exc.field, message=exc.message
        ) from exc
    except (AttendanceError, PermissionDenied) as exc:
        raise DecisionRefused(d.line, "service_refused", detail=exc) from exc


def _outcome(d: Decision) -> str:
    return "approved" if d.approve else "rejected"
