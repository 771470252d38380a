"""Reads of the leave page (/pantau/cuti/): the requests a supervisor decides, and those decided
within his sight.

Pending: exactly the requests `hadir.attendance.leave.can_decide` lets the user decide (as one
query, `leave.decidable`). Decided: requests of the employees the viewer sees (never his own),
and any he may decide. Each row is a LeaveRequest with three attributes added: `working_days`
(as the leave rules count them), `may_decide` and `map` (a DL destination point, or None).
Writes go through `leave.decide_leave`, in the views.
"""

from __future__ import annotations

from django.db.models import QuerySet

from hadir.attendance import leave as leave_service
from hadir.attendance.models import LeaveKind, LeaveRequest, LeaveStatus
from hadir.attendance.selectors import leave_working_days
from hadir.domain.signals.policy import DEFAULT_POLICY
from hadir.supervise.access import Viewer

PENDING, DECIDED = "pending", "decided"
PENDING_SHOWN = 200  # a backlog larger than this is a matter for BKPSDM, not one page
DECIDED_SHOWN = 50
ROW_RELATIONS = ("employee__opd", "employee__unit", "employee__supervisor", "decided_by")


def pending_count(user) -> int:
    """How many requests wait for this user's decision (the navigation's badge): one query."""
    return leave_service.decidable(user, _pending()).count()


def pending_rows(viewer: Viewer) -> list[LeaveRequest]:
    rows = leave_service.decidable(viewer.user, _pending()).select_related(*ROW_RELATIONS)
    rows = list(rows.order_by("-requested_at", "-pk")[:PENDING_SHOWN])
    return _annotated(rows, decidable_ids={row.pk for row in rows})


def decided_rows(viewer: Viewer) -> list[LeaveRequest]:
    decided = visible(viewer).exclude(status=LeaveStatus.PENDING)
    rows = list(
        decided.select_related(*ROW_RELATIONS).order_by("-decided_at", "-pk")[:DECIDED_SHOWN]
    )
    mine = leave_service.decidable(viewer.user, LeaveRequest.objects.filter(pk__in=_ids(rows)))
    return _annotated(rows, decidable_ids=set(mine.values_list("pk", flat=True)))


def row(viewer: Viewer, leave: LeaveRequest) -> LeaveRequest:
    """One row again, after a decision (or a refusal), for its fragment."""
    return _annotated([leave], decidable_ids=_ids(decidable_among(viewer, [leave.pk])))[0]


def visible(viewer: Viewer) -> QuerySet[LeaveRequest]:
    """Requests this viewer may read here: of employees in his scope but himself, or any he
    may decide (an Employee.supervisor link reaches beyond the scope's roles)."""
    own = viewer.scope.own_employee_id or 0
    seen = viewer.employees().exclude(pk=own).values("pk")
    in_scope = LeaveRequest.objects.filter(employee__in=seen)
    return in_scope | leave_service.decidable(viewer.user, LeaveRequest.objects.all())


def decidable_among(viewer: Viewer, ids) -> QuerySet[LeaveRequest]:
    return leave_service.decidable(viewer.user, LeaveRequest.objects.filter(pk__in=ids))


def _pending() -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(status=LeaveStatus.PENDING)


def _ids(rows) -> set[int]:
    return {item.pk for item in rows}


def _annotated(rows: list[LeaveRequest], decidable_ids: set[int]) -> list[LeaveRequest]:
    days = leave_working_days(rows)
    for item in rows:
        item.working_days = days[item.pk]
        item.may_decide = item.pk in decidable_ids
        item.map = _destination(item)
    return rows


def _destination(leave: LeaveRequest) -> dict | None:
    """A DL's destination circle for the row's small map; None without a point. Without a
    radius, the fraud analysis's default radius (what the day is judged against)."""
    if leave.kind != LeaveKind.DL or leave.destination_lat is None:
        return None
    if leave.destination_lon is None:
        return None
    radius = leave.destination_radius_m or DEFAULT_POLICY.duty_destination_default_radius_m
    return {
        "lat": leave.destination_lat,
        "lon": leave.destination_lon,
        "radius_m": int(radius),
        "default_radius": leave.destination_radius_m is None,
        "name": leave.destination,
    }
