"""Reviewers (Kepala OPD, BKPSDM) confirm or dismiss flags, with a reason.

Inspektorat reads flags and reviews but decides nothing (read-only everywhere)."""

from __future__ import annotations

from django.utils.translation import gettext

from hadir.fraud.models import DayFlag, Decision, FlagReview
from hadir.org.models import Role, RoleKind
from hadir.org.scope import scope_for

REVIEWER_ROLES = {RoleKind.OPD_HEAD, RoleKind.BKPSDM_ADMIN, RoleKind.SUPERADMIN}


class ReviewError(Exception):
    def __init__(self, status: int, field: str, message: str):
        super().__init__(message)
        self.status, self.field, self.message = status, field, message


def can_review(user, flag: DayFlag) -> bool:
    scope = scope_for(user)
    if scope.superadmin:
        return True
    kinds = set(Role.objects.filter(user=user).values_list("kind", flat=True))
    return bool(kinds & REVIEWER_ROLES) and scope.decides_opd(flag.employee.opd_id)


def review_flag(user, flag: DayFlag, decision: str, reason: str) -> FlagReview:
    if decision not in Decision.values:
        raise ReviewError(422, "decision", gettext("decision must be 'confirmed' or 'dismissed'"))
    if len(reason.strip()) < 5:
        raise ReviewError(422, "reason", gettext("a reason of at least a few words is required"))
    if not can_review(user, flag):
        raise ReviewError(403, "flag", gettext("not allowed to review this flag"))
    return FlagReview.objects.create(
        employee_id=flag.employee_id,
        day=flag.day,
        decision=decision,
        reason=reason.strip(),
        reviewer=f"user:{user.get_username()}",
        flag_level=flag.level,
        flag_score=flag.score,
        flag_codes=flag.codes,
    )
