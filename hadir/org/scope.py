"""Who may see which OPDs' data. One place decides it; admin and API both ask here."""

from __future__ import annotations

from dataclasses import dataclass

from hadir.org.models import OPD_SCOPED_ROLES, REGENCY_WIDE_ROLES, Employee, Role, RoleKind


@dataclass(frozen=True)
class Scope:
    regency_wide: bool
    opd_ids: frozenset[int]
    supervised_employee_ids: frozenset[int]
    own_employee_id: int | None
    can_edit_master_data: bool

    def sees_opd(self, opd_id: int) -> bool:
        return self.regency_wide or opd_id in self.opd_ids

    def filter_employees(self, qs):
        if self.regency_wide:
            return qs
        return qs.filter(opd_id__in=self.opd_ids) | qs.filter(
            pk__in=self.supervised_employee_ids | {self.own_employee_id or 0}
        )

    def filter_by_opd(self, qs, field: str = "opd"):
        if self.regency_wide:
            return qs
        return qs.filter(**{f"{field}__in": self.opd_ids})


EDITING_ROLES = {RoleKind.SUPERADMIN, RoleKind.BKPSDM_ADMIN, RoleKind.OPD_ADMIN}


def scope_for(user) -> Scope:
    if not user.is_authenticated:
        return Scope(False, frozenset(), frozenset(), None, False)
    roles = list(Role.objects.filter(user=user))
    kinds = {r.kind for r in roles}
    regency_wide = user.is_superuser or bool(kinds & REGENCY_WIDE_ROLES)
    opd_ids = frozenset(r.opd_id for r in roles if r.kind in OPD_SCOPED_ROLES and r.opd_id)
    own = Employee.objects.filter(user=user).values_list("pk", flat=True).first()
    supervised = frozenset()
    if own and RoleKind.SUPERVISOR in kinds:
        supervised = frozenset(
            Employee.objects.filter(supervisor_id=own).values_list("pk", flat=True)
        )
    can_edit = user.is_superuser or bool(kinds & EDITING_ROLES)
    return Scope(regency_wide, opd_ids, supervised, own, can_edit)
