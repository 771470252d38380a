"""Who is told: the regency's administrators, or the people who can decide on an employee's
request (their atasan langsung and their OPD's administrators)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q

from hadir.org.models import Employee, Role, RoleKind

REGENCY_ADMIN_ROLES = (RoleKind.SUPERADMIN, RoleKind.BKPSDM_ADMIN)


def regency_admins():
    """Superadmins and BKPSDM administrators."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(hadir_roles__kind__in=REGENCY_ADMIN_ROLES))
        .distinct()
        .order_by("pk")
    )


class Approvers:
    """The nearest people who may decide on an employee's request: the atasan langsung and
    the holders of `opd_roles` in the employee's OPD, as far as `decides(user)` agrees (the
    owning app's own permission rule); the regency's administrators when none of them can."""

    def __init__(self, opd_roles: Iterable[str]) -> None:
        self.opd_roles = tuple(opd_roles)
        self._opd_users: dict[int, list] = {}
        self._regency: list | None = None

    def of(self, employee: Employee, decides: Callable[[object], bool]) -> list:
        near = []
        supervisor = employee.supervisor
        if supervisor is not None and supervisor.user is not None:
            near.append(supervisor.user)
        near += self._in_opd(employee.opd_id)
        chosen = [user for user in _unique(near) if user.is_active and decides(user)]
        if chosen:
            return chosen
        return [user for user in self._regency_admins() if decides(user)]

    def _in_opd(self, opd_id: int) -> list:
        if opd_id not in self._opd_users:
            roles = Role.objects.filter(opd_id=opd_id, kind__in=self.opd_roles)
            self._opd_users[opd_id] = [
                role.user for role in roles.select_related("user").order_by("user_id")
            ]
        return self._opd_users[opd_id]

    def _regency_admins(self) -> list:
        if self._regency is None:
            self._regency = list(regency_admins())
        return self._regency


def _unique(users: list) -> list:
    seen: set[int] = set()
    return [user for user in users if not (user.pk in seen or seen.add(user.pk))]
