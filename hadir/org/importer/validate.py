"""Read every file, check every row, then check references across files and the database.

Nothing is written here. The result is a plan (the records, keyed by natural key) and the log of
every problem found; the import goes ahead only when the log is empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hadir.org.importer.columns import Kind
from hadir.org.importer.readers import Source, read_tables
from hadir.org.importer.records import (
    EmployeeRecord,
    OpdRecord,
    Record,
    RowParser,
    UnitRecord,
    WorkplaceRecord,
)
from hadir.org.importer.report import ProblemLog
from hadir.org.models import Employee, Opd, Unit, Workplace


@dataclass
class Plan:
    opds: dict[str, OpdRecord] = field(default_factory=dict)
    units: dict[tuple[str, str], UnitRecord] = field(default_factory=dict)
    workplaces: dict[str, WorkplaceRecord] = field(default_factory=dict)
    employees: dict[str, EmployeeRecord] = field(default_factory=dict)
    rows: dict[Kind, int] = field(default_factory=lambda: dict.fromkeys(Kind, 0))


@dataclass
class Existing:
    """What the database already holds, by natural key, for checking references."""

    opds: set[str]
    units: set[tuple[str, str]]
    workplaces: dict[str, str]  # code -> OPD code
    employees: dict[str, tuple[str, str | None]]  # identifier -> (OPD code, supervisor's)

    @classmethod
    def load(cls) -> Existing:
        return cls(
            opds=set(Opd.objects.values_list("code", flat=True)),
            units=set(Unit.objects.values_list("opd__code", "code")),
            workplaces=dict(Workplace.objects.values_list("code", "opd__code")),
            employees={
                identifier: (opd, supervisor)
                for identifier, opd, supervisor in Employee.objects.values_list(
                    "identifier", "opd__code", "supervisor__identifier"
                ).iterator(chunk_size=5000)
            },
        )


def validate(
    sources: Iterable[Source], *, today: dt.date, allowed_opd_codes: set[str] | None = None
) -> tuple[Plan, ProblemLog]:
    """allowed_opd_codes: for an OPD administrator, the OPDs whose data they may change."""
    log, plan = ProblemLog(), Plan()
    for source in sources:
        for table in read_tables(source, log):
            parser = RowParser(table, log, today)
            for number, cells in table.rows:
                _add(plan, parser.parse(number, cells), log)
    Checker(plan, Existing.load(), log, allowed_opd_codes).run()
    return plan, log


KEYS = {
    OpdRecord: ("opds", Kind.OPD, lambda r: r.code, "code", gettext_lazy("OPD code")),
    UnitRecord: (
        "units",
        Kind.UNIT,
        lambda r: (r.opd_code, r.code),
        "code",
        gettext_lazy("unit code"),
    ),
    WorkplaceRecord: (
        "workplaces",
        Kind.WORKPLACE,
        lambda r: r.code,
        "code",
        gettext_lazy("workplace code"),
    ),
    EmployeeRecord: ("employees", Kind.EMPLOYEE, lambda r: r.nip, "nip", gettext_lazy("NIP")),
}


def _add(plan: Plan, record: Record, log: ProblemLog) -> None:
    attr, kind, key_of, column, what = KEYS[type(record)]
    plan.rows[kind] += 1
    key = key_of(record)
    if key is None or (isinstance(key, tuple) and None in key):
        return  # the row's key had a problem, already reported
    records = getattr(plan, attr)
    first = records.get(key)
    if first is None:
        records[key] = record
        return
    shown = "/".join(key) if isinstance(key, tuple) else key
    if first.label == record.label:
        message = _("duplicate {what} '{key}': also in row {row}")
    else:
        message = _("duplicate {what} '{key}': also in {file} row {row}")
    log.add(
        record.label,
        record.row,
        record.header(column),
        message.format(what=what, key=shown, file=first.label, row=first.row),
    )


class Known:
    """A set of keys that can suggest the right spelling of an unknown one."""

    def __init__(self, *groups: Iterable) -> None:
        self.keys = set().union(*groups)
        self._lower: dict | None = None

    def __contains__(self, key) -> bool:
        return key in self.keys

    def hint(self, key: str) -> str:
        if self._lower is None:
            self._lower = {str(k).lower(): k for k in self.keys}
        match = self._lower.get(key.lower())
        return _(" (did you mean '{key}'?)").format(key=match) if match else ""


class Checker:
    """References between rows, files and the database; supervisor loops; the user's scope."""

    def __init__(
        self, plan: Plan, existing: Existing, log: ProblemLog, allowed: set[str] | None
    ) -> None:
        self.plan, self.existing, self.log, self.allowed = plan, existing, log, allowed
        self.opds = Known(plan.opds, existing.opds)
        self.units = Known(plan.units, existing.units)
        self.workplaces = Known(plan.workplaces, existing.workplaces)
        self.employees = Known(plan.employees, existing.employees)

    def run(self) -> None:
        for opd in self.plan.opds.values():
            self._opd(opd)
        for unit in self.plan.units.values():
            self._known_opd(unit)
        for workplace in self.plan.workplaces.values():
            self._known_opd(workplace)
            self._not_moved(workplace, "code", self.existing.workplaces.get(workplace.code))
        for employee in self.plan.employees.values():
            self._employee(employee)
        self._supervisor_loops()

    def problem(self, record: Record, column: str, message: str) -> None:
        self.log.add(record.label, record.row, record.header(column), message)

    def _opd(self, opd: OpdRecord) -> None:
        if self.allowed is not None and opd.code not in self.allowed:
            self.problem(opd, "code", self._scope_message())
        if opd.head_nip and opd.head_nip not in self.employees:
            self.problem(
                opd,
                "head_nip",
                _("no employee with NIP '{nip}' in the import or the database").format(
                    nip=opd.head_nip
                ),
            )

    def _known_opd(self, record: UnitRecord | WorkplaceRecord | EmployeeRecord) -> bool:
        code = record.opd_code
        if code is None:
            return False
        if code not in self.opds:
            self.problem(
                record,
                "opd_code",
                _("unknown OPD '{code}'{hint}").format(code=code, hint=self.opds.hint(code)),
            )
            return False
        if self.allowed is not None and code not in self.allowed:
            self.problem(record, "opd_code", self._scope_message())
            return False
        return True

    def _not_moved(self, record: Record, column: str, current_opd: str | None) -> None:
        """An OPD administrator may not take over another OPD's workplace or employee."""
        if self.allowed is not None and current_opd and current_opd not in self.allowed:
            self.problem(
                record,
                column,
                _("this belongs to OPD '{code}', which you may not change").format(
                    code=current_opd
                ),
            )

    def _scope_message(self) -> str:
        return _("you may import data of your own OPD only ({codes})").format(
            codes=", ".join(sorted(self.allowed or ())) or "-"
        )

    def _employee(self, employee: EmployeeRecord) -> None:
        if self._known_opd(employee) and employee.unit_code:
            key = (employee.opd_code, employee.unit_code)
            if key not in self.units:
                self.problem(
                    employee,
                    "unit_code",
                    _("OPD '{opd}' has no unit '{unit}'").format(
                        opd=employee.opd_code, unit=employee.unit_code
                    ),
                )
        current = self.existing.employees.get(employee.nip)
        self._not_moved(employee, "nip", current[0] if current else None)
        for code in employee.workplace_codes or ():
            if code not in self.workplaces:
                self.problem(
                    employee,
                    "workplace_codes",
                    _("unknown workplace '{code}'{hint}").format(
                        code=code, hint=self.workplaces.hint(code)
                    ),
                )
        supervisor = employee.supervisor_nip
        if supervisor and supervisor != employee.nip and supervisor not in self.employees:
            self.problem(
                employee,
                "supervisor_nip",
                _("no employee with NIP '{nip}' in the import or the database").format(
                    nip=supervisor
                ),
            )

    def _supervisor_loops(self) -> None:
        graph = {nip: supervisor for nip, (_opd, supervisor) in self.existing.employees.items()}
        for nip, employee in self.plan.employees.items():
            if employee.has("supervisor_nip"):
                graph[nip] = employee.supervisor_nip
            else:
                graph.setdefault(nip, None)
        done: set[str] = set()
        for start in self.plan.employees:
            path: dict[str, None] = {}  # ordered, for the message
            node = start
            while node is not None and node not in done and node not in path:
                path[node] = None
                node = graph.get(node)
            if node is not None and node in path:
                loop = [*list(path)[list(path).index(node) :], node]
                self._report_loop(loop)
            done.update(path)

    def _report_loop(self, loop: list[str]) -> None:
        imported = [self.plan.employees[nip] for nip in loop if nip in self.plan.employees]
        if not imported or len(loop) == 2:  # none of ours, or self-supervision (reported)
            return
        first = min(imported, key=lambda r: (r.label, r.row))
        self.problem(
            first,
            "supervisor_nip",
            _("supervisors form a loop: {loop}").format(loop=" \u2192 ".join(loop)),
        )
