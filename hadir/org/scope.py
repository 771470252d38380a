"""Who may see which OPDs' data, who may change it, and who may grant which role.

One place decides it; the admin, the API, the importer and the supervisors' web all ask here.
Seeing and changing are separate: Inspektorat sees the whole regency and changes nothing, a
Kepala OPD decides about his OPD's people (leave, flags) but does not edit master data.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hadir.org.models import OPD_SCOPED_ROLES, REGENCY_WIDE_ROLES, Employee, Role, RoleKind

EDITING_ROLES = {RoleKind.SUPERADMIN, RoleKind.BKPSDM_ADMIN, RoleKind.OPD_ADMIN}
REGENCY_EDITING_ROLES = {RoleKind.SUPERADMIN, RoleKind.BKPSDM_ADMIN}
# Roles that decide about the people of their OPD (leave, flags) without editing master data.
OPD_DECIDING_ROLES = {RoleKind.OPD_ADMIN, RoleKind.OPD_HEAD}

# How far a role reaches. A grant never reaches further than the granter's own highest role;
# regency-wide roles are granted by a superadmin only, whatever the rank says.
ROLE_RANK = {
    RoleKind.EMPLOYEE: 0,
    RoleKind.SUPERVISOR: 1,
    RoleKind.OPD_HEAD: 2,
    RoleKind.OPD_ADMIN: 3,
    RoleKind.INSPECTOR: 4,
    RoleKind.BKPSDM_ADMIN: 5,
    RoleKind.SUPERADMIN: 6,
}


@dataclass(frozen=True)
class Scope:
    regency_wide: bool  # sees every OPD
    opd_ids: frozenset[int]  # OPDs seen through OPD-scoped roles
    supervised_employee_ids: frozenset[int]
    own_employee_id: int | None
    can_edit_master_data: bool
    edits_regency: bool = False  # may change any OPD's data
    edit_opd_ids: frozenset[int] = frozenset()  # OPDs whose data may be changed
    decide_opd_ids: frozenset[int] = frozenset()  # OPDs whose people's cases may be decided
    superadmin: bool = False
    top_rank: int = -1

    def sees_opd(self, opd_id: int) -> bool:
        return self.regency_wide or opd_id in self.opd_ids

    def edits_opd(self, opd_id: int | None) -> bool:
        """May change master data of this OPD (None: regency-wide rows)."""
        if self.edits_regency:
            return True
        return opd_id is not None and opd_id in self.edit_opd_ids

    def decides_opd(self, opd_id: int | None) -> bool:
        """May decide about this OPD's people (confirm flags, approve leave): never read-only."""
        if self.edits_regency:
            return True
        return opd_id is not None and opd_id in self.decide_opd_ids

    @property
    def read_only(self) -> bool:
        """Changes nothing anywhere (Inspektorat; a plain employee in the admin)."""
        return not (self.edits_regency or self.edit_opd_ids or self.decide_opd_ids)

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

    def filter_editable_by_opd(self, qs, field: str = "opd"):
        if self.edits_regency:
            return qs
        return qs.filter(**{f"{field}__in": self.edit_opd_ids})


NOBODY = Scope(False, frozenset(), frozenset(), None, False)


# Scopes already read in this request, by user. An admin page asks every registered model admin
# whether to list it in the sidebar, and each answer needs the user's scope: without this, one
# page read the user's roles some forty times. Outside a request (commands, tests calling
# services) nothing is cached, so a role granted a moment ago always counts.
_request_scopes: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "hadir_request_scopes", default=None
)


@contextlib.contextmanager
def scopes_cached():
    """Within this block, scope_for reads each user's roles once (until a role or an employee
    is saved or deleted)."""
    token = _request_scopes.set({})
    try:
        yield
    finally:
        _request_scopes.reset(token)


def forget_scopes(**_kwargs) -> None:
    """Roles or employees changed: scopes read earlier in this request may be stale."""
    cache = _request_scopes.get()
    if cache:
        cache.clear()


class ScopeCacheMiddleware:
    """One scope per user and request (see _request_scopes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scopes_cached():
            return self.get_response(request)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cache = _request_scopes.get()
    if cache is None:
        return _read_scope(user)
    key = (user.pk, user.is_superuser)
    if key not in cache:
        cache[key] = _read_scope(user)
    return cache[key]


def _read_scope(user) -> Scope:
    roles = list(Role.objects.filter(user=user))
    kinds = {r.kind for r in roles}
    superadmin = user.is_superuser or RoleKind.SUPERADMIN in kinds
    regency_wide = superadmin or bool(kinds & REGENCY_WIDE_ROLES)
    opd_ids = frozenset(r.opd_id for r in roles if r.kind in OPD_SCOPED_ROLES and r.opd_id)
    # order_by(): without it first() sorts by the model's ordering, a join with the OPDs.
    own = Employee.objects.filter(user=user).order_by().values_list("pk", flat=True).first()
    supervised = frozenset()
    if own and RoleKind.SUPERVISOR in kinds:
        supervised = frozenset(
            Employee.objects.filter(supervisor_id=own).values_list("pk", flat=True)
        )
    edits_regency = superadmin or bool(kinds & REGENCY_EDITING_ROLES)
    return Scope(
        regency_wide=regency_wide,
        opd_ids=opd_ids,
        supervised_employee_ids=supervised,
        own_employee_id=own,
        can_edit_master_data=superadmin or bool(kinds & EDITING_ROLES),
        edits_regency=edits_regency,
        edit_opd_ids=_opds_of(roles, {RoleKind.OPD_ADMIN}),
        decide_opd_ids=_opds_of(roles, OPD_DECIDING_ROLES),
        superadmin=superadmin,
        top_rank=max([ROLE_RANK[RoleKind(k)] for k in kinds] + [6 if superadmin else -1]),
    )


def _opds_of(roles, kinds) -> frozenset[int]:
    return frozenset(r.opd_id for r in roles if r.kind in kinds and r.opd_id)


def grantable_kinds(scope: Scope) -> list[str]:
    """The role kinds this user may grant (at or below his own; regency-wide: superadmin only)."""
    if scope.superadmin:
        return list(RoleKind.values)
    if not scope.can_edit_master_data:
        return []
    return [
        kind
        for kind in RoleKind.values
        if kind not in REGENCY_WIDE_ROLES and ROLE_RANK[RoleKind(kind)] <= scope.top_rank
    ]


def grant_refusal(scope: Scope, *, kind: str, opd_id: int | None, target_user) -> tuple | None:
    """Why this user may not hold (grant, change or remove) this role: (field, message), or None.

    Removing or changing a role needs the same right as granting it, so that nobody can take
    away or rewrite a role above his own.
    """
    if scope.superadmin:
        return None
    if kind not in grantable_kinds(scope):
        if kind in REGENCY_WIDE_ROLES:
            return "kind", _("Only a superadmin can grant a regency-wide role.")
        return "kind", _("You can grant only roles at or below your own.")
    if scope.edits_regency:
        return None
    if opd_id is None or opd_id not in scope.edit_opd_ids:
        return "opd", _("Choose an OPD you administer.")
    target_opd = _employee_opd_id(target_user)
    if target_opd is None or target_opd not in scope.edit_opd_ids:
        return "user", _("You can grant roles only to employees of an OPD you administer.")
    return None


def _employee_opd_id(user) -> int | None:
    if user is None or user.pk is None:
        return None
    return Employee.objects.filter(user=user).values_list("opd_id", flat=True).first()
