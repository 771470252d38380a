"""Write a RegencyPlan into an empty database, quickly, with demo logins for every role.

Everything goes in with bulk_create in one transaction, so the audit signals do not fire: one
AuditEntry records the load instead, with the seed that recreates the plan and the counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext

from hadir.org.audit import acting_as, current_actor
from hadir.org.models import (
    AuditEntry,
    Employee,
    Opd,
    Role,
    RoleKind,
    Unit,
    Workplace,
)
from hadir.sim.regency import KEPALA_OPD, STAFF, UNIT_HEAD, EmployeePlan, RegencyPlan

# The OPDs whose head, administrator and one supervisor get demo logins: one in town, one
# upriver with a poor network.
SHOWCASE_OPDS = ("DISDIK", "KEC-ANTANG")


class DemoLoadError(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str  # a RoleKind value
    opd_code: str  # "" for regency-wide roles
    name: str


@dataclass(frozen=True)
class DemoLogins:
    """The logins to print, and what was loaded."""

    seed: int
    logins: tuple[DemoLogin, ...]
    counts: dict[str, int] = field(hash=False)

    def __iter__(self) -> Iterator[DemoLogin]:
        return iter(self.logins)

    def __len__(self) -> int:
        return len(self.logins)


def load_regency(
    plan: RegencyPlan, password_for_demo_users: str, showcase_opds: tuple[str, ...] = SHOWCASE_OPDS
) -> DemoLogins:
    with acting_as("demo"), transaction.atomic():
        _check_empty(plan, showcase_opds)
        # One hash for every demo user: Argon2 is slow on purpose, and they share a password.
        password_hash = make_password(password_for_demo_users)
        opds = _load_opds(plan)
        units = _load_units(plan, opds)
        workplaces = _load_workplaces(plan, opds)
        users = _load_users(plan, password_hash)
        employees = _load_employees(plan, opds, units, users)
        links = _load_workplace_links(plan, employees, workplaces)
        for opd in opds.values():
            opd.head_id = employees[plan.head_of(opd.code).identifier]
        Opd.objects.bulk_update(opds.values(), ["head"])
        logins, named_users, roles = _demo_roles(
            plan, showcase_opds, password_for_demo_users, password_hash, opds, users
        )
        counts = {
            "opds": len(opds),
            "units": len(units),
            "workplaces": len(workplaces),
            "employees": len(employees),
            "workplace_links": links,
            "users": len(users) + named_users,
            "roles": roles,
        }
        AuditEntry.objects.create(
            actor=current_actor(),
            action="create",
            model="sim.RegencyPlan",
            object_pk=str(plan.seed),
            object_repr=gettext("demo regency loaded"),
            before=None,
            after={"seed": plan.seed, **counts},
        )
    return DemoLogins(seed=plan.seed, logins=tuple(logins), counts=counts)


def _check_empty(plan: RegencyPlan, showcase_opds: tuple[str, ...]) -> None:
    unknown = set(showcase_opds) - {o.code for o in plan.opds}
    if unknown:
        raise DemoLoadError(f"no such OPD in the plan: {', '.join(sorted(unknown))}")
    if Opd.objects.exists() or Employee.objects.exists():
        raise DemoLoadError(
            "the demo regency needs an empty database: OPDs or employees "
            "already exist (start from a fresh database)"
        )
    names = [e.identifier for e in plan.employees] + _named_usernames(showcase_opds)
    clash = get_user_model().objects.filter(username__in=names).values_list("username", flat=True)
    if clash:
        raise DemoLoadError(f"users already exist: {', '.join(sorted(clash)[:5])}")


def _named_usernames(showcase_opds) -> list[str]:
    return ["superadmin", "bkpsdm", "inspektorat"] + [_admin_username(c) for c in showcase_opds]


def _admin_username(opd_code: str) -> str:
    return f"admin_{opd_code.lower()}"


def _load_opds(plan: RegencyPlan) -> dict[str, Opd]:
    Opd.objects.bulk_create([Opd(code=o.code, name=o.name, kind=o.kind) for o in plan.opds])
    return {o.code: o for o in Opd.objects.all()}


def _load_units(plan: RegencyPlan, opds: dict[str, Opd]) -> dict[tuple[str, str], int]:
    Unit.objects.bulk_create(
        [Unit(opd=opds[u.opd_code], code=u.code, name=u.name) for u in plan.units]
    )
    return {
        (opd_code, code): pk
        for pk, opd_code, code in Unit.objects.values_list("pk", "opd__code", "code")
    }


def _load_workplaces(plan: RegencyPlan, opds: dict[str, Opd]) -> dict[str, int]:
    Workplace.objects.bulk_create(
        [
            Workplace(
                opd=opds[w.opd_code],
                code=w.code,
                name=w.name,
                address=w.address,
                geofence=w.geofence,
                connectivity_tier=w.tier,
                time_zone=w.time_zone,
                known_bssids=list(w.known_bssids),
                public_networks=list(w.public_networks),
                office_code_mode=w.office_code_mode,
            )
            for w in plan.workplaces
        ]
    )
    return dict(Workplace.objects.values_list("code", "pk"))


def _load_users(plan: RegencyPlan, password_hash: str) -> dict[str, int]:
    User = get_user_model()
    User.objects.bulk_create(
        [
            User(username=e.identifier, password=password_hash, first_name=e.name[:150])
            for e in plan.employees
        ],
        batch_size=500,
    )
    identifiers = [e.identifier for e in plan.employees]
    return dict(User.objects.filter(username__in=identifiers).values_list("username", "pk"))


def _load_employees(plan: RegencyPlan, opds: dict[str, Opd], units, users) -> dict[str, int]:
    """Heads first, then unit heads, then staff, so each level can point at its supervisor."""
    ids: dict[str, int] = {}
    for level in (KEPALA_OPD, UNIT_HEAD, STAFF):
        people = [e for e in plan.employees if e.position == level]
        Employee.objects.bulk_create(
            [_employee_row(e, opds, units, users, ids) for e in people], batch_size=500
        )
        ids = dict(Employee.objects.values_list("identifier", "pk"))
    return ids


def _employee_row(e: EmployeePlan, opds, units, users, ids) -> Employee:
    return Employee(
        identifier=e.identifier,
        employee_type=e.employee_type,
        name=e.name,
        opd_id=opds[e.opd_code].pk,
        unit_id=units[(e.opd_code, e.unit_code)] if e.unit_code else None,
        supervisor_id=ids[e.supervisor] if e.supervisor else None,
        active_from=e.active_from,
        user_id=users[e.identifier],
    )


def _load_workplace_links(plan: RegencyPlan, employees, workplaces) -> int:
    through = Employee.workplaces.through
    rows = [
        through(employee_id=employees[e.identifier], workplace_id=workplaces[code])
        for e in plan.employees
        for code in e.workplace_codes
    ]
    through.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _demo_roles(
    plan: RegencyPlan,
    showcase_opds,
    password: str,
    password_hash: str,
    opds: dict[str, Opd],
    users: dict[str, int],
) -> tuple[list[DemoLogin], int, int]:
    """Regency-wide users, and for each showcase OPD its head, an admin and a supervisor.
    Only these are staff (they may use the back office); other employees use the app."""
    User = get_user_model()
    roles = [Role(user_id=pk, kind=RoleKind.EMPLOYEE) for pk in users.values()]
    logins: list[DemoLogin] = []
    named_users = []

    def named(username, kind, opd_code="", name="", **flags):
        user = User.objects.create(
            username=username, password=password_hash, is_staff=True, first_name=name[:150], **flags
        )
        named_users.append(user)
        roles.append(Role(user=user, kind=kind, opd=opds.get(opd_code)))
        logins.append(DemoLogin(username, password, str(kind), opd_code, name))

    named("superadmin", RoleKind.SUPERADMIN, name="Superadmin", is_superuser=True)
    named("bkpsdm", RoleKind.BKPSDM_ADMIN, name="Admin BKPSDM")
    named("inspektorat", RoleKind.INSPECTOR, name="Auditor Inspektorat")
    for code in showcase_opds:
        head = plan.head_of(code)
        roles.append(Role(user_id=users[head.identifier], kind=RoleKind.OPD_HEAD, opd=opds[code]))
        logins.append(DemoLogin(head.identifier, password, str(RoleKind.OPD_HEAD), code, head.name))
        named(_admin_username(code), RoleKind.OPD_ADMIN, code, f"Admin {code}")
        atasan = _busiest_supervisor(plan, code)
        roles.append(
            Role(user_id=users[atasan.identifier], kind=RoleKind.SUPERVISOR, opd=opds[code])
        )
        logins.append(
            DemoLogin(atasan.identifier, password, str(RoleKind.SUPERVISOR), code, atasan.name)
        )
        staff = next(e for e in plan.employees if e.supervisor == atasan.identifier)
        logins.append(
            DemoLogin(staff.identifier, password, str(RoleKind.EMPLOYEE), code, staff.name)
        )
    heads_and_supervisors = [
        users[login.username]
        for login in logins
        if login.role in (RoleKind.OPD_HEAD, RoleKind.SUPERVISOR)
    ]
    User.objects.filter(pk__in=heads_and_supervisors).update(is_staff=True)
    Role.objects.bulk_create(roles, batch_size=1000)
    return logins, len(named_users), len(roles)


def _busiest_supervisor(plan: RegencyPlan, opd_code: str) -> EmployeePlan:
    heads = [e for e in plan.employees_of(opd_code) if e.position == UNIT_HEAD]
    return max(heads, key=lambda h: sum(e.supervisor == h.identifier for e in plan.employees))
