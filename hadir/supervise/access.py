"""Who is looking, and what they may see and do on the supervisors' web (/pantau/).

The rules of visibility live in hadir.org.scope (the one scope module); this wraps them for
views: `viewer_for(user)` gives the employees, OPDs and workplaces a user may see, and
`supervisor_required` lets in only users who supervise someone (it sets `request.viewer`).
Other apps mounted under /pantau/ (hadir.cases) use the same two.

Levels, from the roles: the regency (BKPSDM, Inspektorat, superadmin), OPDs (Kepala OPD,
admin OPD) or a unit (atasan langsung: his direct reports). What a viewer may change (start a
spot check) is the scope's decision too: read-only Inspektorat and atasan only look.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse

from hadir.org.models import Employee, Opd, Workplace
from hadir.org.scope import Scope, scope_for

REGENCY, OPD, UNIT = "regency", "opd", "unit"


@dataclass(frozen=True)
class Viewer:
    user: object
    scope: Scope
    read_only: bool

    @property
    def level(self) -> str | None:
        if self.scope.regency_wide:
            return REGENCY
        if self.scope.opd_ids:
            return OPD
        if self.scope.supervised_employee_ids:
            return UNIT
        return None

    @property
    def may_enter(self) -> bool:
        return self.level is not None

    def employees(self) -> QuerySet[Employee]:
        return self.scope.filter_employees(Employee.objects.all())

    def sees_employee(self, employee_id: int) -> bool:
        return self.employees().filter(pk=employee_id).exists()

    def opds(self) -> QuerySet[Opd]:
        if self.level == UNIT:
            return Opd.objects.filter(pk__in=self.employees().values("opd_id"))
        return self.scope.filter_by_opd(Opd.objects.all(), field="pk")

    def workplaces(self) -> QuerySet[Workplace]:
        if self.level == UNIT:
            return Workplace.objects.filter(employees__in=self.employees()).distinct()
        return self.scope.filter_by_opd(Workplace.objects.all())

    def acting_workplaces(self) -> QuerySet[Workplace]:
        """Where this viewer may start a spot check: OPDs whose people he decides about."""
        if self.scope.edits_regency:
            return Workplace.objects.all()
        return Workplace.objects.filter(opd_id__in=self.scope.decide_opd_ids)


def viewer_for(user) -> Viewer:
    scope = scope_for(user)
    return Viewer(user, scope, read_only=scope.read_only)


def supervisor_required(view):
    """Login (the supervisors' login page), then a supervisory scope; sets request.viewer."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("supervise:login"))
        request.viewer = viewer_for(request.user)
        if not request.viewer.may_enter:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def acting_required(view):
    """As `supervisor_required`, and not read-only (Inspektorat only reads)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.viewer.read_only:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return supervisor_required(wrapped)
