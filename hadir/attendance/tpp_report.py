"""TPP of a month per employee: the monthly base, the deduction itemised by day and code and
capped, and its rupiah, from the table in force (the `tpp` rule; default: the domain's). Reads
stored statuses; `hadir tpp` computes the month first. A corrected day is charged by its
corrected codes. Employees whose type gets no TPP (the rule's `entitled_types`) are listed
apart, with the deduction their days would carry, so that nobody silently disappears.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hadir.attendance.models import DailyStatus
from hadir.attendance.recap import MONTHS_ID, employees_in_month
from hadir.attendance.selectors import current_rules, month_end
from hadir.domain.status import DayStatus
from hadir.domain.tpp import (
    NoBase,
    TppBase,
    TppDeduction,
    TppPay,
    TppTable,
    monthly_base,
    monthly_deduction,
    tpp_pay,
)
from hadir.org.models import EmployeeType, Opd

BOLD = Font(bold=True)
RUPIAH_FORMAT = "#,##0"
UNKNOWN_BASE = TppBase(None, missing=NoBase.NO_AMOUNT)


@dataclass(frozen=True)
class EmployeeTpp:
    identifier: str
    name: str
    opd_code: str
    deduction: TppDeduction
    employee_type: str = EmployeeType.PNS
    position_class: str = ""
    base: TppBase = UNKNOWN_BASE

    @property
    def entitled(self) -> bool:
        return self.base.missing != NoBase.NOT_ENTITLED

    @property
    def pay(self) -> TppPay | None:
        """Base, percent and rupiah; None when the base is not known (or not entitled)."""
        return None if self.base.amount is None else tpp_pay(self.base.amount, self.deduction)

    def items(self) -> str:
        """Day of month, code and percent of every line: "3 TL2 1%; 7 TK 3%"."""
        return "; ".join(
            f"{line.day.day} {line.code} {percent_text(line.percent)}"
            for line in self.deduction.lines
        )

    def note(self) -> str:
        if self.base.missing == NoBase.NO_AMOUNT:
            return _("TPP amount not set (no own amount, no amount for the position class)")
        if self.base.source == "class":
            return _("amount of position class %(position_class)s") % {
                "position_class": self.position_class
            }
        return ""


def percent_text(value: Decimal) -> str:
    return f"{formats.number_format(value.normalize(), use_l10n=True)}%"


def rupiah_text(value: int | None) -> str:
    if value is None:
        return "-"
    return "Rp " + formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def type_label(employee_type: str) -> str:
    try:
        return str(EmployeeType(employee_type).label)
    except ValueError:
        return employee_type


def month_tpp(first: date, opd: Opd | None = None, table: TppTable | None = None):
    """(the table used, an iterator of EmployeeTpp) for every employee of the month."""
    table = table or current_rules().tpp
    return table, _deductions(first.replace(day=1), opd, table)


def _deductions(first: date, opd: Opd | None, table: TppTable) -> Iterator[EmployeeTpp]:
    last = month_end(first)
    opds = [opd] if opd is not None else Opd.objects.filter(active=True).order_by("code")
    shared: dict[str, DayStatus] = {}  # one DayStatus per distinct codes string
    for each in opds:
        people = list(
            employees_in_month(each, first, last).values_list(
                "pk", "identifier", "name", "employee_type", "position_class", "tpp_amount"
            )
        )
        days: dict[int, list[tuple[date, DayStatus]]] = {person[0]: [] for person in people}
        rows = DailyStatus.objects.filter(
            employee__opd=each, date__gte=first, date__lte=last, final=True
        ).values_list("employee_id", "date", "codes")
        for pk, day, codes in rows.iterator(chunk_size=5000):
            if pk in days:
                status = shared.get(codes)
                if status is None:
                    status = shared[codes] = DayStatus(tuple(codes.split("+")))
                days[pk].append((day, status))
        for pk, identifier, name, kind, position_class, own_amount in people:
            yield EmployeeTpp(
                identifier,
                name,
                each.code,
                monthly_deduction(days[pk], table),
                kind,
                position_class,
                monthly_base(kind, own_amount, position_class, table),
            )


def split_entitled(rows: Iterable[EmployeeTpp]) -> tuple[list[EmployeeTpp], list[EmployeeTpp]]:
    """(entitled to TPP, not entitled): the second list is printed apart."""
    entitled, apart = [], []
    for row in rows:
        (entitled if row.entitled else apart).append(row)
    return entitled, apart


def month_heading(first: date) -> str:
    return _("TPP deductions, %(month)s %(year)s") % {
        "month": MONTHS_ID[first.month - 1],
        "year": first.year,
    }


def format_table(rows: list[EmployeeTpp], apart: list[EmployeeTpp] = ()) -> str:
    """The entitled employees with base, percent and rupiah, their total, then those apart."""
    header = (
        _("NIP"),
        _("Name"),
        _("OPD"),
        _("TPP"),
        _("Deduction"),
        _("Deduction (Rp)"),
        _("Received"),
        _("Details (day code percent)"),
    )
    lines = [_entitled_cells(row) for row in rows]
    total = [row.pay for row in rows if row.pay is not None]
    lines.append(
        (
            "",
            _("Total"),
            "",
            rupiah_text(sum(pay.base for pay in total)),
            "",
            rupiah_text(sum(pay.deduction for pay in total)),
            rupiah_text(sum(pay.net for pay in total)),
            "",
        )
    )
    text = _columns(header, lines)
    if apart:
        title = _("Not entitled to TPP (by employee type): %(count)s") % {"count": len(apart)}
        header = (_("NIP"), _("Name"), _("OPD"), _("Employee type"), _("Deduction"), header[-1])
        lines = [
            (
                row.identifier,
                row.name[:30],
                row.opd_code,
                type_label(row.employee_type),
                percent_text(row.deduction.percent),
                row.items() or "-",
            )
            for row in apart
        ]
        text += f"\n\n{title}\n{_columns(header, lines)}"
    return text


def _entitled_cells(row: EmployeeTpp) -> tuple:
    pay = row.pay
    maximum = _("max")
    capped = f" ({maximum})" if row.deduction.capped else ""
    return (
        row.identifier,
        row.name[:30],
        row.opd_code,
        rupiah_text(pay.base) if pay else _("not set"),
        percent_text(row.deduction.percent) + capped,
        rupiah_text(pay.deduction) if pay else "-",
        rupiah_text(pay.net) if pay else "-",
        row.items() or "-",
    )


def _columns(header: tuple, lines: list[tuple]) -> str:
    """Fixed-width columns; the last one runs free."""
    fixed = len(header) - 1
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(fixed)]

    def fmt(cells) -> str:
        left = "  ".join(str(c).ljust(w) for c, w in zip(cells[:fixed], widths, strict=True))
        return f"{left}  {cells[fixed]}".rstrip()

    rule = ["-" * w for w in widths] + ["-" * 25]
    return "\n".join([fmt(header), fmt(rule), *map(fmt, lines)])


def write_tpp_xlsx(first: date, table: TppTable, rows, out) -> int:
    """Three sheets: the TPP per entitled employee, those not entitled, and every deduction
    line behind both. Returns the number of employees."""
    workbook = Workbook(write_only=True)
    summary = _sheet(workbook, _("TPP deductions"), (21, 32, 12, 12, 8, 14, 11, 11, 8, 14, 14, 50))
    apart = _sheet(workbook, _("Not entitled"), (21, 32, 12, 18, 12, 50))
    detail = _sheet(workbook, _("Details"), (21, 32, 12, 12, 8, 12))
    summary.append([_bold(summary, month_heading(first))])
    entitled = ", ".join(type_label(kind) for kind in sorted(table.entitled_types)) or "-"
    summary.append(
        [
            _("Table: %(name)s; deduction cap %(cap)s; entitled: %(types)s")
            % {"name": table.name or "-", "cap": percent_text(table.cap_percent), "types": entitled}
        ]
    )
    summary.append([])
    columns = (
        _("NIP"),
        _("Name"),
        _("OPD"),
        _("Employee type"),
        _("Position class"),
        _("TPP (Rp)"),
        _("Deduction (%)"),
        _("Before cap (%)"),
        _("Capped"),
        _("Deduction (Rp)"),
        _("Received (Rp)"),
        _("Details"),
        _("Note"),
    )
    summary.append([_bold(summary, c) for c in columns])
    columns = (_("NIP"), _("Name"), _("OPD"), _("Employee type"), _("Deduction (%)"), _("Details"))
    apart.append([_bold(apart, c) for c in columns])
    columns = (_("NIP"), _("Name"), _("OPD"), _("Date"), _("Code"), _("Deduction (%)"))
    detail.append([_bold(detail, c) for c in columns])
    count = 0
    for row in rows:
        deduction = row.deduction
        if row.entitled:
            pay = row.pay
            summary.append(
                [
                    row.identifier,
                    row.name,
                    row.opd_code,
                    type_label(row.employee_type),
                    row.position_class,
                    _rupiah_cell(summary, pay.base if pay else None),
                    float(deduction.percent),
                    float(deduction.uncapped_percent),
                    _("yes") if deduction.capped else "",
                    _rupiah_cell(summary, pay.deduction if pay else None),
                    _rupiah_cell(summary, pay.net if pay else None),
                    row.items(),
                    row.note(),
                ]
            )
        else:
            apart.append(
                [
                    row.identifier,
                    row.name,
                    row.opd_code,
                    type_label(row.employee_type),
                    float(deduction.percent),
                    row.items(),
                ]
            )
        for line in deduction.lines:
            detail.append(
                [row.identifier, row.name, row.opd_code, line.day, line.code, float(line.percent)]
            )
        count += 1
    workbook.save(out)
    return count


def _rupiah_cell(sheet, value: int | None):
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = RUPIAH_FORMAT
    return cell


def _sheet(workbook, title: str, widths: tuple[int, ...]):
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths):  # before any row: write-only sheets need it so
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    return sheet


def _bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    return cell
