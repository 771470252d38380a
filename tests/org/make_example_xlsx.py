"""Write docs/examples/master.xlsx from the example CSV files: one sheet per kind.

Run: .venv/bin/python tests/org/make_example_xlsx.py
Numbers and dates become real numbers and dates, NIPs stay text (as they must in Excel:
a NIP typed as a number loses its last digits).
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
KINDS = ("opd", "unit", "workplace", "employee")
NUMBER_COLUMNS = {"center_lat", "center_lon", "radius_m", "tpp_amount"}
DATE_COLUMNS = {"active_from", "active_to"}


def cell(column: str, text: str):
    if not text:
        return None
    if column in NUMBER_COLUMNS:
        number = float(text)
        return int(number) if number.is_integer() else number
    if column in DATE_COLUMNS:
        return dt.date.fromisoformat(text)
    return text


def build(target: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for kind in KINDS:
        sheet = book.create_sheet(kind)
        with (EXAMPLES / f"{kind}.csv").open(encoding="utf-8", newline="") as source:
            rows = csv.reader(source)
            header = next(rows)
            sheet.append(header)
            for row in rows:
                sheet.append([cell(column, text) for column, text in zip(header, row, strict=True)])
        for index, column in enumerate(header, start=1):
            sheet.cell(1, index).font = Font(bold=True)
            width = max(len(str(c.value or "")) for c in next(sheet.iter_cols(index, index)))
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)
            for c in next(sheet.iter_cols(index, index, min_row=2)):
                if column in DATE_COLUMNS:
                    c.number_format = "yyyy-mm-dd"
                elif column in NUMBER_COLUMNS:
                    c.number_format = {"radius_m": "0", "tpp_amount": "#,##0"}.get(column, "0.0000")
                else:
                    c.number_format = "@"  # text, so Excel keeps NIPs and codes as written
        sheet.freeze_panes = "A2"
    book.save(target)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLES / "master.xlsx")
