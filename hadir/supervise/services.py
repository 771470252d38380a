"""Writes of the supervisors' web."""

from __future__ import annotations

from datetime import date

from hadir.org.models import AuditAction, AuditEntry, Employee


def log_location_view(user, employee: Employee, day: date, path: str) -> AuditEntry:
    """Location is personal data (UU 27/2022): every look at an employee's locations is written
    to the access log (the audit log's "viewed" entries, beside the admin's)."""
    return AuditEntry.objects.create(
        actor=f"user:{user.get_username()}"[:150],
        action=AuditAction.VIEW,
        model="org.Employee",
        object_pk=str(employee.pk),
        object_repr=f"{employee} {day.isoformat()} locations"[:300],
        before=None,
        after={"path": path[:500], "day": day.isoformat()},
    )


def log_attachment_view(user, leave, path: str) -> AuditEntry:
    """A leave request's letter (often a doctor's) is personal data: each look is logged."""
    return AuditEntry.objects.create(
        actor=f"user:{user.get_username()}"[:150],
        action=AuditAction.VIEW,
        model="attendance.LeaveRequest",
        object_pk=str(leave.pk),
        object_repr=f"{leave.employee} {leave} attachment"[:300],
        before=None,
        after={"path": path[:500]},
    )
