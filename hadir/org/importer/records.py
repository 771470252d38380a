"""A row of raw cells to a record of one kind, with the checks that need only that row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hadir.domain import geo
from hadir.domain.nip import NipError, parse_nip
from hadir.org.importer.cells import CellError, parse_cell
from hadir.org.importer.columns import CIRCLE_COLUMNS, COLUMNS, Kind, choice_tables
from hadir.org.importer.readers import Table
from hadir.org.importer.report import ProblemLog
from hadir.org.messages import geofence_error_text, nip_error_text

ASN_TYPES = ("PNS", "PPPK")


@dataclass(slots=True, eq=False)
class Record:
    table: Table  # shared by every row of a table: the file, its kind and its columns
    row: int

    @property
    def label(self) -> str:
        return self.table.label

    def has(self, column: str) -> bool:
        """Whether the file has this column: a missing optional column leaves a field alone."""
        return column in self.table.columns

    def header(self, column: str) -> str:
        return self.table.columns[column][1] if column in self.table.columns else column


@dataclass(slots=True, eq=False)
class OpdRecord(Record):
    code: str | None = None
    name: str | None = None
    kind: str | None = None
    head_nip: str | None = None


@dataclass(slots=True, eq=False)
class UnitRecord(Record):
    opd_code: str | None = None
    code: str | None = None
    name: str | None = None


@dataclass(slots=True, eq=False)
class WorkplaceRecord(Record):
    code: str | None = None
    opd_code: str | None = None
    name: str | None = None
    address: str | None = None
    connectivity_tier: str | None = None
    time_zone: str | None = None
    geofence: dict | None = None
    office_code_mode: str | None = None
    known_bssids: tuple[str, ...] | None = None
    public_networks: tuple[str, ...] | None = None


@dataclass(slots=True, eq=False)
class EmployeeRecord(Record):
    nip: str | None = None
    employee_type: str | None = None
    name: str | None = None
    opd_code: str | None = None
    unit_code: str | None = None
    supervisor_nip: str | None = None
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    position_class: str | None = None
    tpp_amount: int | None = None
    workplace_codes: tuple[str, ...] | None = None


class RowParser:
    """Parses the rows of one table; problems go to the log, records come back regardless."""

    def __init__(self, table: Table, log: ProblemLog, today: dt.date) -> None:
        self.table, self.log, self.today = table, log, today
        self.choices = choice_tables()
        self.cells = [
            (column, *table.columns[column.name])
            for column in COLUMNS[table.kind]
            if column.name in table.columns
        ]
        self.build = {
            Kind.OPD: self._opd,
            Kind.UNIT: self._unit,
            Kind.WORKPLACE: self._workplace,
            Kind.EMPLOYEE: self._employee,
        }[table.kind]

    def parse(self, number: int, cells: list) -> Record:
        values, failed = {}, set()
        for column, index, header in self.cells:
            raw = cells[index] if index < len(cells) else None
            try:
                value = parse_cell(column, raw, self.choices)
            except CellError as exc:
                self.log.add(self.table.label, number, header, str(exc))
                failed.add(column.name)
                continue
            if value is None and column.required:
                self.log.add(self.table.label, number, header, _("a value is required"))
                failed.add(column.name)
            values[column.name] = value
        return self.build(number, values, failed)

    def problem(self, number: int, column: str, message: str) -> None:
        header = self.table.columns.get(column, (None, column))[1]
        self.log.add(self.table.label, number, header, message)

    def _opd(self, number: int, values: dict, failed: set) -> OpdRecord:
        return OpdRecord(self.table, number, **values)

    def _unit(self, number: int, values: dict, failed: set) -> UnitRecord:
        return UnitRecord(self.table, number, **values)

    def _workplace(self, number: int, values: dict, failed: set) -> WorkplaceRecord:
        polygon = values.pop("polygon", None)
        circle = [values.pop(name, None) for name in CIRCLE_COLUMNS]
        record = WorkplaceRecord(self.table, number, **values)
        if polygon is not None or "polygon" in failed:
            if any(value is not None for value in circle):
                self.problem(
                    number,
                    "polygon",
                    _("give either a polygon or center_lat, center_lon and radius_m, not both"),
                )
            record.geofence = polygon
            return record
        if failed & set(CIRCLE_COLUMNS):
            return record
        if None in circle:
            for name, value in zip(CIRCLE_COLUMNS, circle, strict=True):
                if value is None:
                    self.problem(
                        number,
                        name,
                        _("a value is required (or leave the circle empty and give a polygon)"),
                    )
            return record
        try:
            record.geofence = geo.Geofence.circle(*circle).to_dict()
        except geo.GeofenceError as exc:
            self.problem(number, CIRCLE_PARTS.get(exc.part, "center_lat"), geofence_error_text(exc))
        return record

    def _employee(self, number: int, values: dict, failed: set) -> EmployeeRecord:
        record = EmployeeRecord(self.table, number, **values)
        if record.nip and record.employee_type in ASN_TYPES:
            try:
                parse_nip(record.nip, record.employee_type, today=self.today)
            except NipError as exc:
                self.problem(number, "nip", nip_error_text(exc))
        if record.active_from and record.active_to and record.active_to < record.active_from:
            self.problem(
                number,
                "active_to",
                _("ends before active_from ({date})").format(date=record.active_from.isoformat()),
            )
        if record.nip and record.supervisor_nip == record.nip:
            self.problem(number, "supervisor_nip", _("an employee cannot supervise themselves"))
        return record


CIRCLE_PARTS = {"lat": "center_lat", "lon": "center_lon", "radius": "radius_m"}
