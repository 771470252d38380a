"""TPP deductions per employee: itemised by day and code, capped, from the table in force."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from hadir.attendance.models import RuleSet
from hadir.attendance.services import compute_days
from hadir.attendance.tpp_report import month_tpp, write_tpp_xlsx
from tests.attendance.conftest import workday

pytestmark = pytest.mark.django_db
OCT = date(2026, 10, 1)


@pytest.fixture
def month(regency):
    """Budi, 1-7 October: H, TL2 (1%), L, L, TL2+PSW1 (1.5%), TK (3%), TK (3%)."""
    e = regency.employee
    workday(e, date(2026, 10, 1))
    workday(e, date(2026, 10, 2), "08:05", "16:35")
    workday(e, date(2026, 10, 5), "08:10", "15:50")
    compute_days([e], OCT, date(2026, 10, 7))
    return regency


def budi(rows):
    return next(row for row in rows if row.identifier == "198707212011011003")


def test_the_deduction_is_itemised_by_day_and_code(month):
    _table, rows = month_tpp(OCT, month.opd)
    row = budi(rows)
    lines = [(line.day.day, line.code, line.percent) for line in row.deduction.lines]
    assert lines == [
        (2, "TL2", Decimal("1")),
        (5, "TL2", Decimal("1")),
        (5, "PSW1", Decimal("0.5")),
        (6, "TK", Decimal("3")),
        (7, "TK", Decimal("3")),
    ]
    assert row.deduction.percent == Decimal("8.5")
    assert not row.deduction.capped
    assert row.items() == "2 TL2 1%; 5 TL2 1%; 5 PSW1 0.5%; 6 TK 3%; 7 TK 3%"


def test_the_regency_table_and_cap_are_data(month):
    RuleSet.objects.create(
        key="tpp",
        value={
            "name": "Perbup 7/2026",
            "cap_percent": "5",
            "percent_by_code": {"TL2": "1", "PSW1": "0.5", "TK": "4"},
        },
    )
    table, rows = month_tpp(OCT, month.opd)
    row = budi(rows)
    assert row.deduction.uncapped_percent == Decimal("10.5")
    assert row.deduction.percent == Decimal("5")
    assert row.deduction.capped
    assert table.name == "Perbup 7/2026"


def test_the_xlsx_lists_the_deduction_and_its_lines(month):
    table, rows = month_tpp(OCT, month.opd)
    buffer = io.BytesIO()
    assert write_tpp_xlsx(OCT, table, rows, buffer) == 3
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    summary = book["Potongan TPP"]
    assert summary["A1"].value == "Potongan TPP Bulan Oktober 2026"
    found = [r for r in summary.iter_rows(min_row=5, values_only=True) if r[0].endswith("1003")]
    assert found[0][3] == 8.5
    detail = list(book["Rincian"].iter_rows(min_row=2, values_only=True))
    assert [(r[3].day, r[4], r[5]) for r in detail if r[0].endswith("1003")][-1] == (7, "TK", 3.0)


def test_the_command_prints_the_table(month, capsys):
    call_command("tpp", "--month", "2026-10", "--opd", "DISDIK", "--no-compute")
    out = capsys.readouterr().out
    assert "198707212011011003" in out
    assert "8.5%" in out
    assert "6 TK 3%" in out
