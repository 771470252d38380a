"""Each employee's user account: created by the master-data import (or `hadir sync-accounts`),
active exactly while the employee is in service.

A new account has the NIP (or a non-ASN employee's local number) as username and no usable
password: the employee sets one with a one-time activation code (hadir.org.activation). Only
differences are written, so a second run changes nothing and writes no audit entries. Accounts
are written in bulk (an import may bring thousands), so the audit entries are written here rather
than by the model signals.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hadir.org.models import AuditEntry, Employee, Role, RoleKind

CHUNK = 1000


@dataclass
class AccountCounts:
    created: int = 0  # new accounts
    linked: int = 0  # an existing account named after the employee, now linked to them
    deactivated: int = 0  # service ended
    reactivated: int = 0  # in service again
    unchanged: int = 0
    supervisor_roles: int = 0  # atasan roles granted (see grant_supervisor_roles)
    # Employees whose username is taken by an account linked to someone else: left alone.
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.linked + self.deactivated + self.reactivated

    def summary(self) -> str:
        return _(
            "accounts: {created} created, {linked} linked, {deactivated} deactivated, "
            "{reactivated} reactivated, {unchanged} unchanged"
        ).format(
            created=self.created,
            linked=self.linked,
            deactivated=self.deactivated,
            reactivated=self.reactivated,
            unchanged=self.unchanged,
        )

    def roles_summary(self) -> str:
        return _("atasan roles granted: {count}").format(count=self.supervisor_roles)


def conflict_message(identifier: str) -> str:
    return _(
        "{nip}: the username is already used by another employee's account; left without account"
    ).format(nip=identifier)


def in_service(active_to: dt.date | None, today: dt.date) -> bool:
    return active_to is None or active_to >= today


def sync_accounts(
    employees: QuerySet[Employee], *, today: dt.date, actor: str, dry_run: bool = False
) -> AccountCounts:
    """Give every employee of `employees` an account and (de)activate it with their service."""
    counts = AccountCounts()
    rows = employees.order_by("pk").values_list(
        "pk", "identifier", "name", "active_to", "user_id", "user__is_active", "user__is_superuser"
    )
    with transaction.atomic():
        iterator = rows.iterator(chunk_size=CHUNK)
        while chunk := list(itertools.islice(iterator, CHUNK)):
            _Chunk(chunk, today, actor, dry_run, counts).sync()
        counts.supervisor_roles = grant_supervisor_roles(
            employees, today=today, actor=actor, dry_run=dry_run
        )
    return counts


def grant_supervisor_roles(
    employees: QuerySet[Employee], *, today: dt.date, actor: str, dry_run: bool = False
) -> int:
    """Give the atasan role (in his own OPD) to every atasan of `employees` who has an account
    and is in service, and whose direct report is in service too: the master data says who
    supervises whom, and without the role an atasan could decide his people's leave through
    the API but could not open the supervisors' web. Only missing roles are written (the
    role grants nothing once he supervises nobody, so none is taken away)."""
    current = Q(active_to__isnull=True) | Q(active_to__gte=today)
    reports = employees.filter(current, supervisor__isnull=False)
    atasan = (
        Employee.objects.filter(current, pk__in=reports.values("supervisor_id"))
        .exclude(user__isnull=True)
        .values_list("user_id", "opd_id", "identifier")
    )
    holders = set(Role.objects.filter(kind=RoleKind.SUPERVISOR).values_list("user_id", "opd_id"))
    missing = [
        (user_id, opd_id, ident)
        for user_id, opd_id, ident in atasan
        if (user_id, opd_id) not in holders
    ]
    if dry_run or not missing:
        return len(missing)
    roles = Role.objects.bulk_create(
        [
            Role(user_id=user_id, kind=RoleKind.SUPERVISOR, opd_id=opd_id)
            for user_id, opd_id, _ in missing
        ]
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor[:150],
            action="create",
            model="org.Role",
            object_pk=str(role.pk or ""),
            object_repr=f"{ident} atasan"[:300],
            before=None,
            after={"user_id": role.user_id, "kind": str(role.kind), "opd_id": role.opd_id},
        )
        for role, (_user, _opd, ident) in zip(roles, missing, strict=True)
    )
    return len(missing)


class _Chunk:
    def __init__(self, rows, today, actor, dry_run, counts: AccountCounts) -> None:
        self.rows, self.today, self.actor = rows, today, actor
        self.dry_run, self.counts = dry_run, counts
        self.audit: list[AuditEntry] = []

    def sync(self) -> None:
        self._without_account([row for row in self.rows if row[4] is None])
        self._with_account([row for row in self.rows if row[4] is not None])
        if not self.dry_run:
            AuditEntry.objects.bulk_create(self.audit)

    def _with_account(self, rows) -> None:
        flips = {True: [], False: []}
        for _pk, identifier, _name, active_to, user_id, is_active, is_superuser in rows:
            wanted = in_service(active_to, self.today)
            # A superuser is the regency's way back in: never locked out by a master-data file.
            if wanted == is_active or is_superuser:
                self.counts.unchanged += 1
                continue
            flips[wanted].append((user_id, identifier))
        for wanted, users in flips.items():
            if not users:
                continue
            if wanted:
                self.counts.reactivated += len(users)
            else:
                self.counts.deactivated += len(users)
            if self.dry_run:
                continue
            get_user_model().objects.filter(pk__in=[pk for pk, _id in users]).update(
                is_active=wanted
            )
            self.audit += [
                self._entry("auth.User", pk, ident, "update", {"is_active": not wanted}, wanted)
                for pk, ident in users
            ]

    def _without_account(self, rows) -> None:
        if not rows:
            return
        User = get_user_model()
        existing = dict(
            User.objects.filter(username__in=[row[1] for row in rows]).values_list("username", "pk")
        )
        taken = set(
            Employee.objects.filter(user_id__in=existing.values()).values_list("user_id", flat=True)
        )
        new_users, links = [], []
        for pk, identifier, name, active_to, *_rest in rows:
            user_id = existing.get(identifier)
            if user_id in taken:
                self.counts.conflicts.append(identifier)
            elif user_id is not None:
                self.counts.linked += 1
                links.append((pk, identifier, user_id))
            else:
                self.counts.created += 1
                new_users.append(
                    (
                        pk,
                        User(
                            username=identifier,
                            first_name=name[:150],
                            is_active=in_service(active_to, self.today),
                            password=make_password(None),  # unusable until activated
                        ),
                    )
                )
        if self.dry_run:
            return
        User.objects.bulk_create([user for _pk, user in new_users])
        created = dict(
            User.objects.filter(username__in=[u.username for _pk, u in new_users]).values_list(
                "username", "pk"
            )
        )
        for _pk, user in new_users:
            user.pk = created[user.username]
            self.audit.append(
                self._entry("auth.User", user.pk, user.username, "create", None, user.is_active)
            )
        links += [(pk, user.username, user.pk) for pk, user in new_users]
        by_pk = {pk: user_id for pk, _ident, user_id in links}
        employees = list(Employee.objects.filter(pk__in=by_pk))
        for employee in employees:
            employee.user_id = by_pk[employee.pk]
            self.audit.append(
                AuditEntry(
                    actor=self.actor[:150],
                    action="update",
                    model="org.Employee",
                    object_pk=str(employee.pk),
                    object_repr=str(employee)[:300],
                    before={"user_id": None},
                    after={"user_id": employee.user_id},
                )
            )
        Employee.objects.bulk_update(employees, ["user"])

    def _entry(self, model, pk, username, action, before_active, is_active) -> AuditEntry:
        return AuditEntry(
            actor=self.actor[:150],
            action=action,
            model=model,
            object_pk=str(pk),
            object_repr=username[:300],
            before=None if before_active is None else {"is_active": before_active},
            after={"username": username, "is_active": is_active}
            if action == "create"
            else {"is_active": is_active},
        )
