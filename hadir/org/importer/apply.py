"""Write a checked plan: upsert by natural key, in one transaction, saving only what changed.

Rows equal to the database are not saved at all, so a second run of the same files leaves the
audit log (written by model signals) untouched. A dry run walks the same path without writing:
new rows get stand-in negative ids, so everything that refers to them counts as a change.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from hadir.org.accounts import AccountCounts, sync_accounts
from hadir.org.audit import acting_as
from hadir.org.importer.columns import Kind
from hadir.org.importer.records import EmployeeRecord
from hadir.org.importer.validate import Plan
from hadir.org.models import Employee, OfficeCodeMode, Opd, Unit, Workplace

CHUNK = 500
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class StaleData(Exception):
    """The database changed between checking and writing (someone deleted a referenced row)."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


def apply_plan(
    plan: Plan, *, actor: str, today: dt.date, dry_run: bool = False
) -> tuple[dict[Kind, Counts], AccountCounts]:
    with acting_as(actor), transaction.atomic():
        writer = Writer(plan, dry_run)
        writer.opds()
        writer.units()
        writer.workplaces()
        writer.employees()
        writer.opd_heads()
        return writer.counts, writer.accounts(today, actor)


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _pk(mapping: dict, key, what: str) -> int:
    try:
        return mapping[key]
    except KeyError:
        raise StaleData(
            _(
                "{what} '{key}' disappeared from the database during the import: run it again"
            ).format(what=what, key=key)
        ) from None


class Writer:
    def __init__(self, plan: Plan, dry_run: bool) -> None:
        self.plan, self.dry_run = plan, dry_run
        self.counts = {kind: Counts() for kind in Kind}
        self._stand_in = itertools.count(-1, -1)
        self.opd_status: dict[str, tuple[Opd, str]] = {}
        # Natural key -> primary key of everything that exists, kept current as rows are created.
        self.opd_pk = dict(Opd.objects.values_list("code", "pk"))
        self.unit_pk = {
            (opd_code, code): pk
            for pk, opd_code, code in Unit.objects.values_list("pk", "opd__code", "code")
        }
        self.unit_opd = dict(Unit.objects.values_list("pk", "opd_id"))
        self.workplace_pk = dict(Workplace.objects.values_list("code", "pk"))
        self.employee_pk: dict[str, int] = {}

    def save(self, obj, desired: dict, is_new: bool) -> str:
        changed = [name for name, value in desired.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, desired[name])
        if is_new:
            if self.dry_run:
                obj.pk = next(self._stand_in)
            else:
                obj.save()
            return CREATED
        if not changed:
            return UNCHANGED
        if not self.dry_run:
            obj.save(update_fields=changed)
        return UPDATED

    def opds(self) -> None:
        current = Opd.objects.in_bulk(list(self.plan.opds), field_name="code")
        employee_pk = dict(
            Employee.objects.filter(
                identifier__in=[r.head_nip for r in self.plan.opds.values() if r.head_nip]
            ).values_list("identifier", "pk")
        )
        for code, record in self.plan.opds.items():
            obj = current.get(code)
            desired = {"name": record.name, "kind": record.kind}
            # A head already in the database is set now; one created by this import, later.
            if record.has("head_nip") and (not record.head_nip or record.head_nip in employee_pk):
                desired["head_id"] = employee_pk.get(record.head_nip)
            new = obj or Opd(code=code)
            status = self.save(new, desired, obj is None)
            self.opd_pk[code] = new.pk
            self.opd_status[code] = (new, status)
            self.counts[Kind.OPD].add(status)

    def units(self) -> None:
        current = {
            (unit.opd.code, unit.code): unit
            for unit in Unit.objects.filter(
                opd__code__in={code for code, _unit in self.plan.units}
            ).select_related("opd")
        }
        for key, record in self.plan.units.items():
            obj = current.get(key)
            opd_id = _pk(self.opd_pk, record.opd_code, "OPD")
            new = obj or Unit(opd_id=opd_id, code=record.code)
            self.counts[Kind.UNIT].add(self.save(new, {"name": record.name}, obj is None))
            self.unit_pk[key], self.unit_opd[new.pk] = new.pk, new.opd_id

    def workplaces(self) -> None:
        current = Workplace.objects.in_bulk(list(self.plan.workplaces), field_name="code")
        for code, record in self.plan.workplaces.items():
            obj = current.get(code)
            desired = {
                "opd_id": _pk(self.opd_pk, record.opd_code, "OPD"),
                "name": record.name,
                "connectivity_tier": record.connectivity_tier,
                "geofence": record.geofence,
            }
            optional = {
                "address": record.address or "",
                "time_zone": record.time_zone or "",
                "office_code_mode": record.office_code_mode or OfficeCodeMode.OPTIONAL,
                "known_bssids": list(record.known_bssids or ()),
                "public_networks": list(record.public_networks or ()),
            }
            desired.update((name, value) for name, value in optional.items() if record.has(name))
            new = obj or Workplace(code=code)
            self.counts[Kind.WORKPLACE].add(self.save(new, desired, obj is None))
            self.workplace_pk[code] = new.pk

    def employees(self) -> None:
        self.employee_pk = dict(
            Employee.objects.values_list("identifier", "pk").iterator(chunk_size=5000)
        )
        through = Employee.workplaces.through
        for chunk in _chunks(supervisors_first(self.plan.employees)):
            current = Employee.objects.in_bulk([r.nip for r in chunk], field_name="identifier")
            placed = defaultdict(set)
            for employee_id, workplace_id in through.objects.filter(
                employee_id__in=[e.pk for e in current.values()]
            ).values_list("employee_id", "workplace_id"):
                placed[employee_id].add(workplace_id)
            for record in chunk:
                obj = current.get(record.nip)
                self.counts[Kind.EMPLOYEE].add(self._employee(record, obj, placed))

    def _employee(self, record: EmployeeRecord, obj: Employee | None, placed: dict) -> str:
        opd_id = _pk(self.opd_pk, record.opd_code, "OPD")
        desired = {
            "employee_type": record.employee_type,
            "name": record.name,
            "opd_id": opd_id,
            "active_from": record.active_from,
        }
        if record.has("unit_code"):
            desired["unit_id"] = (
                _pk(self.unit_pk, (record.opd_code, record.unit_code), "unit")
                if record.unit_code
                else None
            )
        elif obj is not None and obj.unit_id and self.unit_opd.get(obj.unit_id) != opd_id:
            desired["unit_id"] = None  # moved to another OPD: the old unit no longer applies
        if record.has("supervisor_nip"):
            desired["supervisor_id"] = (
                _pk(self.employee_pk, record.supervisor_nip, "employee")
                if record.supervisor_nip
                else None
            )
        if record.has("active_to"):
            desired["active_to"] = record.active_to
        if record.has("position_class"):
            desired["position_class"] = record.position_class or ""
        if record.has("tpp_amount"):
            desired["tpp_amount"] = record.tpp_amount
        new = obj or Employee(identifier=record.nip)
        status = self.save(new, desired, obj is None)
        self.employee_pk[record.nip] = new.pk
        wanted = {_pk(self.workplace_pk, code, "workplace") for code in record.workplace_codes}
        current = placed.get(new.pk, set())
        if wanted != current:
            # add/remove the difference ourselves: set() would read the current rows again.
            if not self.dry_run and current - wanted:
                new.workplaces.remove(*(current - wanted))
            if not self.dry_run and wanted - current:
                new.workplaces.add(*(wanted - current))
            status = UPDATED if status == UNCHANGED else status
        return status

    def accounts(self, today: dt.date, actor: str) -> AccountCounts:
        """The user accounts of the imported employees (hadir.org.accounts)."""
        nips = list(self.plan.employees)
        counts = AccountCounts()
        for chunk in _chunks(nips, 5000):
            part = sync_accounts(
                Employee.objects.filter(identifier__in=chunk),
                today=today,
                actor=actor,
                dry_run=self.dry_run,
            )
            for name in (
                "created",
                "linked",
                "deactivated",
                "reactivated",
                "unchanged",
                "supervisor_roles",
            ):
                setattr(counts, name, getattr(counts, name) + getattr(part, name))
            counts.conflicts += part.conflicts
        if self.dry_run:  # new employees are not in the database: each would get an account
            counts.created += self.counts[Kind.EMPLOYEE].created
        return counts

    def opd_heads(self) -> None:
        for code, record in self.plan.opds.items():
            if not record.head_nip or not record.has("head_nip"):
                continue
            obj, status = self.opd_status[code]
            head_id = _pk(self.employee_pk, record.head_nip, "employee")
            if obj.head_id == head_id:
                continue
            obj.head_id = head_id
            if not self.dry_run:
                obj.save(update_fields=["head_id"])
            if status == UNCHANGED:
                self.counts[Kind.OPD].unchanged -= 1
                self.counts[Kind.OPD].updated += 1
                self.opd_status[code] = (obj, UPDATED)


def supervisors_first(employees: dict[str, EmployeeRecord]) -> Iterator[EmployeeRecord]:
    """Each employee after their supervisor, when both are in the import (loops were refused)."""
    done: set[str] = set()
    for record in employees.values():
        chain = []
        while record is not None and record.nip not in done:
            chain.append(record)
            done.add(record.nip)
            record = employees.get(record.supervisor_nip) if record.supervisor_nip else None
        yield from reversed(chain)
