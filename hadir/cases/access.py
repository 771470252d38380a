"""Who may see and do what in flag review and discipline cases, over the one scope module.

Seeing follows `hadir.org.scope`: an atasan his subordinates, a Kepala OPD or OPD admin his OPD,
BKPSDM and Inspektorat the regency. Nobody handles their own flag or case here. Doing:
Inspektorat only reads; flags are confirmed or dismissed by the reviewers of
`hadir.fraud.reviews`; a case is moved by the employee's atasan langsung, the Kepala OPD or
BKPSDM, and decided by the Kepala OPD or BKPSDM (the authorised official at this level).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from hadir.org.models import Role, RoleKind
from hadir.org.scope import Scope, scope_for

SUPERVISING_ROLES = frozenset(
    {
        RoleKind.SUPERVISOR,
        RoleKind.OPD_HEAD,
        RoleKind.OPD_ADMIN,
        RoleKind.BKPSDM_ADMIN,
        RoleKind.INSPECTOR,
        RoleKind.SUPERADMIN,
    }
)
DECIDING_REGENCY_ROLES = frozenset({RoleKind.BKPSDM_ADMIN, RoleKind.SUPERADMIN})


@dataclass(frozen=True)
class Viewer:
    username: str
    scope: Scope
    kinds: frozenset[str]
    head_of: frozenset[int]  # OPD ids where this user is Kepala OPD
    superuser: bool

    @property
    def actor(self) -> str:
        return f"user:{self.username}"

    @property
    def supervises(self) -> bool:
        return self.superuser or bool(self.kinds & SUPERVISING_ROLES)

    @property
    def read_only(self) -> bool:
        """Inspektorat (and a role without a say) audits: it reads everything, changes nothing."""
        if self.superuser:
            return False
        return not (self.kinds & (SUPERVISING_ROLES - {RoleKind.INSPECTOR, RoleKind.OPD_ADMIN}))

    @property
    def regency_decider(self) -> bool:
        return self.superuser or bool(self.kinds & DECIDING_REGENCY_ROLES)

    def sees_employee(self, employee) -> bool:
        if employee.pk == self.scope.own_employee_id:
            return False
        return (
            self.scope.regency_wide
            or employee.opd_id in self.scope.opd_ids
            or employee.pk in self.scope.supervised_employee_ids
        )

    def employees(self, qs):
        own = self.scope.own_employee_id or 0
        if self.scope.regency_wide:
            return qs.exclude(pk=own)
        return qs.filter(opd_id__in=self.scope.opd_ids).exclude(pk=own) | qs.filter(
            pk__in=self.scope.supervised_employee_ids
        ).exclude(pk=own)

    def by_employee(self, qs, field: str = "employee"):
        own = self.scope.own_employee_id or 0
        qs = qs.exclude(**{f"{field}_id": own})
        if self.scope.regency_wide:
            return qs
        return qs.filter(**{f"{field}__opd_id__in": self.scope.opd_ids}) | qs.filter(
            **{f"{field}_id__in": self.scope.supervised_employee_ids}
        ).exclude(**{f"{field}_id": own})

    def cases(self, qs):
        own = self.scope.own_employee_id or 0
        if self.scope.regency_wide:
            return qs.exclude(employee_id=own)
        return (
            qs.filter(opd_id__in=self.scope.opd_ids)
            | qs.filter(employee_id__in=self.scope.supervised_employee_ids)
        ).exclude(employee_id=own)

    def sees_case(self, case) -> bool:
        if case.employee_id == self.scope.own_employee_id:
            return False
        return (
            self.scope.regency_wide
            or case.opd_id in self.scope.opd_ids
            or case.employee_id in self.scope.supervised_employee_ids
        )

    def can_act_on(self, case) -> bool:
        """Summon, examine, record delivery, and open a case for this employee."""
        if self.read_only or not self.sees_case(case):
            return False
        return (
            self.regency_decider
            or case.opd_id in self.head_of
            or (
                RoleKind.SUPERVISOR in self.kinds
                and case.employee.supervisor_id == self.scope.own_employee_id
                and self.scope.own_employee_id is not None
            )
        )

    def can_open_for(self, employee) -> bool:
        if self.read_only or not self.sees_employee(employee):
            return False
        return (
            self.regency_decider
            or employee.opd_id in self.head_of
            or (
                RoleKind.SUPERVISOR in self.kinds
                and employee.supervisor_id == self.scope.own_employee_id
                and self.scope.own_employee_id is not None
            )
        )

    def can_decide(self, case) -> bool:
        return (
            not self.read_only
            and self.sees_case(case)
            and (self.regency_decider or case.opd_id in self.head_of)
        )


def viewer_for(user) -> Viewer:
    roles = list(Role.objects.filter(user=user).values_list("kind", "opd_id"))
    return Viewer(
        username=user.get_username(),
        scope=scope_for(user),
        kinds=frozenset(kind for kind, _ in roles),
        head_of=frozenset(opd for kind, opd in roles if kind == RoleKind.OPD_HEAD and opd),
        superuser=user.is_superuser,
    )


def supervising_viewer(request) -> Viewer:
    """The viewer of a supervisors' page; anyone else is refused."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    viewer = viewer_for(request.user)
    if not viewer.supervises:
        raise PermissionDenied
    return viewer
