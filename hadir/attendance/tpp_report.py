"""TPP deductions of a month per employee: itemised by day and code, capped, from the table in
force (the `tpp` rule; default: the domain's). Reads stored statuses; `hadir tpp` computes the
month first. A corrected day is charged by its corrected codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hadir.attendance.models import DailyStatus
from hadir.attendance.recap import MONTHS_ID, employees_in_month
from hadir.attendance.selectors import current_rules, month_end
from hadir.domain.status import DayStatus
from hadir.domain.tpp import TppDeduction, TppTable, monthly_deduction
from hadir.org.models import Opd

BOLD = Font(bold=True)


@dataclass(frozen=True)
class EmployeeTpp:
    identifier: str
    name: str
    opd_code: str
    deduction: TppDeduction

    def items(self) -> str:
        """Day of month, code and percent of every line: "3 TL2 1%; 7 TK 3%"."""
        return "; ".join(
            f"{line.day.day} {line.code} {_percent(line.percent)}" for line in self.deduction.lines
        )


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def month_tpp(first: date, opd: Opd | None = None, table: TppTable | None = None):
    """(the table used, an iterator of EmployeeTpp) for every employee of the month."""
    table = table or current_rules().tpp
    return table, _deductions(first.replace(day=1), opd, table)


def _deductions(first: date, opd: Opd | None, table: TppTable) -> Iterator[EmployeeTpp]:
    last = month_end(first)
    opds = [opd] if opd is not None else Opd.objects.filter(active=True).order_by("code")
    shared: dict[str, DayStatus] = {}  # one DayStatus per distinct codes string
    for each in opds:
        people = list(employees_in_month(each, first, last).values_list("pk", "identifier", "name"))
        days: dict[int, list[tuple[date, DayStatus]]] = {pk: [] for pk, _, _ in people}
        rows = DailyStatus.objects.filter(
            employee__opd=each, date__gte=first, date__lte=last, final=True
        ).values_list("employee_id", "date", "codes")
        for pk, day, codes in rows.iterator(chunk_size=5000):
            if pk in days:
                status = shared.get(codes)
                if status is None:
                    status = shared[codes] = DayStatus(tuple(codes.split("+")))
                days[pk].append((day, status))
        for pk, identifier, name in people:
            yield EmployeeTpp(identifier, name, each.code, monthly_deduction(days[pk], table))


def format_table(rows: list[EmployeeTpp]) -> str:
    header = ("NIP", "Nama", "OPD", "Potongan", "Rincian (tgl kode persen)")
    lines = [
        (
            row.identifier,
            row.name[:30],
            row.opd_code,
            _percent(row.deduction.percent) + (" (maks)" if row.deduction.capped else ""),
            row.items() or "-",
        )
        for row in rows
    ]
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(4)]

    def fmt(cells) -> str:
        fixed = "  ".join(str(c).ljust(w) for c, w in zip(cells[:4], widths, strict=True))
        return f"{fixed}  {cells[4]}"

    return "\n".join([fmt(header), fmt(["-" * w for w in widths] + ["-" * 25]), *map(fmt, lines)])


def write_tpp_xlsx(first: date, table: TppTable, rows, out) -> int:
    """Two sheets: the deduction per employee, and every line behind it. Returns employees."""
    workbook = Workbook(write_only=True)
    summary = _sheet(workbook, "Potongan TPP", (21, 32, 12, 12, 16, 9, 60))
    detail = _sheet(workbook, "Rincian", (21, 32, 12, 12, 8, 12))
    title = f"Potongan TPP Bulan {MONTHS_ID[first.month - 1]} {first.year}"
    summary.append([_bold(summary, title)])
    summary.append([f"Tabel: {table.name or '-'}; batas potongan {_percent(table.cap_percent)}"])
    summary.append([])
    columns = ("NIP", "Nama", "OPD", "Potongan (%)", "Sebelum batas (%)", "Dibatasi", "Rincian")
    summary.append([_bold(summary, c) for c in columns])
    columns = ("NIP", "Nama", "OPD", "Tanggal", "Kode", "Potongan (%)")
    detail.append([_bold(detail, c) for c in columns])
    count = 0
    for row in rows:
        deduction = row.deduction
        summary.append(
            [
                row.identifier,
                row.name,
                row.opd_code,
                float(deduction.percent),
                float(deduction.uncapped_percent),
                "ya" if deduction.capped else "",
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


def _sheet(workbook, title: str, widths: tuple[int, ...]):
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths):  # before any row: write-only sheets need it so
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    return sheet


def _bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    return cell
