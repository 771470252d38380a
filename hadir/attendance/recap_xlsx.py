"""The monthly recap as an XLSX workbook, laid out like BKPSDM's: one sheet per OPD.

Each OPD sheet: the title with the period, the OPD's name, a row per employee with the code of
every day, the totals per code, and the Kepala OPD's signature block. A regency-wide workbook
starts with a summary sheet (totals per OPD). Written with openpyxl's write-only mode, which
streams rows to disk: memory stays flat however many employees there are.
"""

from __future__ import annotations

from collections import Counter

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hadir.attendance.messages import legend_not_counted, legend_other_opd
from hadir.attendance.recap import (
    NOT_COUNTED_MARK,
    OTHER_OPD_MARK,
    RECAP_CODES,
    MonthRecap,
    OpdSection,
    acknowledged_line,
    long_date,
    weekday_name,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
CENTER = Alignment(horizontal="center")
HEADER_ROW = 5  # rows 1-3: title, OPD, period; 5-6: column headers; data from 7
FIRST_DAY_COLUMN = 4  # A: No, B: NIP, C: Nama
ABSENT = PatternFill("solid", start_color="F4B6B6")
BANDED = PatternFill("solid", start_color="FCE9B2")
OFF = PatternFill("solid", start_color="E3E3E3")
NOT_COUNTED = PatternFill("solid", start_color="BFC7D5")


def write_recap_xlsx(recap: MonthRecap, out) -> int:
    """Write the workbook to a binary file object; returns the number of sheets."""
    workbook = Workbook(write_only=True)
    # Write-only sheets take rows in any order: the summary is created first, filled last.
    summary = workbook.create_sheet("Ringkasan") if recap.opd is None else None
    sheets, titles = 0, set()
    by_opd: list[tuple[OpdSection, Counter]] = []
    for section in recap.sections():
        _opd_sheet(workbook, recap, section, _sheet_title(section.code, titles))
        by_opd.append((section, section.totals))
        sheets += 1
    if summary is not None:
        _fill_summary(summary, recap, by_opd)
        sheets += 1
    workbook.save(out)
    return sheets


def _sheet_title(code: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique within the workbook.
    base = "".join("-" if ch in "[]:*?/\\" else ch for ch in code)[:31] or "OPD"
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:28]}~{n}"
        n += 1
    taken.add(title.lower())
    return title


def _cell(sheet, value, font=None, alignment=None, fill=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if fill is not None:
        cell.fill = fill
    return cell


def _opd_sheet(workbook, recap: MonthRecap, section: OpdSection, title: str) -> None:
    sheet = workbook.create_sheet(title)
    days = recap.days
    last_day_column = FIRST_DAY_COLUMN + len(days) - 1
    totals_first = last_day_column + 1
    _layout(sheet, len(days), totals_first)
    sheet.append([_cell(sheet, recap.title, TITLE)])
    sheet.append([_cell(sheet, section.name, BOLD)])
    period = f"Periode {long_date(recap.first)} s.d. {long_date(recap.last)}"
    sheet.append([f"{period} · Kode OPD {section.code}"])
    sheet.append([])
    header = ["No", "NIP", "Nama", *(day.day for day in days), *RECAP_CODES]
    header += ["Menit terlambat", "Menit pulang cepat"]
    sheet.append([_cell(sheet, value, BOLD, CENTER) for value in header])
    weekday_row = ["", "", "", *(weekday_name(day) for day in days)]
    sheet.append([_cell(sheet, value, None, CENTER) for value in weekday_row])
    for line in section.lines:
        # Zero totals stay blank, as on paper recaps; blank cells also cost nothing to write.
        sheet.append(
            [
                line.number,
                line.identifier,
                line.name,
                *(line.codes.get(day.day) for day in days),
                *(line.totals.get(code) or None for code in RECAP_CODES),
                line.late_minutes or None,
                line.early_minutes or None,
            ]
        )
    totals = section.totals
    late = sum(line.late_minutes for line in section.lines)
    minutes = (late, sum(line.early_minutes for line in section.lines))
    sheet.append(
        [
            _cell(sheet, "", BOLD),
            _cell(sheet, "", BOLD),
            _cell(sheet, "Jumlah", BOLD),
            *([""] * len(days)),
            *(_cell(sheet, totals.get(code, 0), BOLD) for code in RECAP_CODES),
            *(_cell(sheet, value, BOLD) for value in minutes),
        ]
    )
    _highlight(sheet, HEADER_ROW + 2, HEADER_ROW + 1 + len(section.lines), last_day_column)
    sheet.append([])
    sheet.append(["", "", legend_not_counted()])
    sheet.append(["", "", legend_other_opd()])
    _signature(sheet, section, max(FIRST_DAY_COLUMN + len(days) - 8, FIRST_DAY_COLUMN))


def _layout(sheet, day_count: int, totals_first: int) -> None:
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 21
    sheet.column_dimensions["C"].width = 32
    for index in range(FIRST_DAY_COLUMN, FIRST_DAY_COLUMN + day_count):
        sheet.column_dimensions[get_column_letter(index)].width = 9
    for index in range(totals_first, totals_first + len(RECAP_CODES) + 2):
        sheet.column_dimensions[get_column_letter(index)].width = 6
    sheet.freeze_panes = f"{get_column_letter(FIRST_DAY_COLUMN)}{HEADER_ROW + 2}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"


def _highlight(sheet, first_row: int, last_row: int, last_column: int) -> None:
    """Colour TK, the late/early bands and L days, with three rules rather than styled cells."""
    if last_row < first_row:
        return
    corner = f"{get_column_letter(FIRST_DAY_COLUMN)}{first_row}"
    area = f"{corner}:{get_column_letter(last_column)}{last_row}"
    rules = (
        (f'{corner}="TK"', ABSENT),
        (f'OR(ISNUMBER(SEARCH("TL",{corner})),ISNUMBER(SEARCH("PSW",{corner})))', BANDED),
        (f'{corner}="L"', OFF),
        (f'OR({corner}="{NOT_COUNTED_MARK}",{corner}="{OTHER_OPD_MARK}")', NOT_COUNTED),
    )
    for formula, fill in rules:
        sheet.conditional_formatting.add(area, FormulaRule(formula=[formula], fill=fill))


def _signature(sheet, section: OpdSection, column: int) -> None:
    signature = section.signature
    pad = [""] * (column - 1)
    sheet.append([])
    sheet.append([])
    sheet.append([*pad, signature.place_and_date])
    sheet.append([*pad, acknowledged_line()])
    sheet.append([*pad, signature.title])
    for _ in range(4):  # room for the signature and the stamp
        sheet.append([])
    sheet.append([*pad, _cell(sheet, signature.name, Font(bold=True, underline="single"))])
    sheet.append([*pad, f"NIP. {signature.identifier}" if signature.identifier else "NIP. -"])


def _fill_summary(sheet, recap: MonthRecap, by_opd: list[tuple[OpdSection, Counter]]) -> None:
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    sheet.append([_cell(sheet, recap.title, TITLE)])
    sheet.append([_cell(sheet, "Seluruh OPD", BOLD)])
    sheet.append([f"Periode {long_date(recap.first)} s.d. {long_date(recap.last)}"])
    sheet.append([])
    header = ["Kode OPD", "Nama OPD", "Pegawai", *RECAP_CODES]
    sheet.append([_cell(sheet, value, BOLD, CENTER) for value in header])
    regency: Counter = Counter()
    people = 0
    for section, totals in by_opd:
        regency.update(totals)
        people += len(section.lines)
        counts = [totals.get(code, 0) for code in RECAP_CODES]
        sheet.append([section.code, section.name, len(section.lines), *counts])
    total_cells = [_cell(sheet, regency.get(code, 0), BOLD) for code in RECAP_CODES]
    sheet.append([_cell(sheet, "", BOLD), _cell(sheet, "Jumlah", BOLD), people, *total_cells])
