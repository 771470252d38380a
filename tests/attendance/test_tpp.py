"""TPP deductions per employee: itemised by day and code, capped, from the table in force."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from hadir.attendance.models import RuleSet
from hadir.attendance.services import compute_days
from hadir.attendance.tpp_report import format_table, month_tpp, split_entitled, write_tpp_xlsx
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
    with translation.override("id"):
        assert row.items() == "2 TL2 1%; 5 TL2 1%; 5 PSW1 0,5%; 6 TK 3%; 7 TK 3%"


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
    assert found[0][6] == 8.5
    detail = list(book["Rincian"].iter_rows(min_row=2, values_only=True))
    assert [(r[3].day, r[4], r[5]) for r in detail if r[0].endswith("1003")][-1] == (7, "TK", 3.0)


def test_the_command_prints_the_table(month, capsys):
    with translation.override("id"):
        call_command("tpp", "--month", "2026-10", "--opd", "DISDIK", "--no-compute")
    out = capsys.readouterr().out
    assert "198707212011011003" in out
    assert "8,5%" in out
    assert "6 TK 3%" in out


# In rupiah: the base from the employee or the position class, and who is not entitled -----


@pytest.fixture
def paid(month):
    """Budi has his own Rp 3.500.000; the head's class 12 is worth Rp 9.250.000 in the rule;
    Pak Atasan has a class without an amount; Rina (non-ASN) is not entitled."""
    RuleSet.objects.create(
        key="tpp",
        value={
            "name": "Perbup 7/2026",
            "percent_by_code": {"TL2": "1", "PSW1": "0.5", "TK": "3"},
            "amount_by_class": {"12": 9250000},
        },
    )
    e = month.employee
    e.tpp_amount, e.position_class = 3_500_000, "7"
    e.save()
    month.head.position_class = "12"
    month.head.save()
    month.boss.position_class = "9"
    month.boss.save()
    rina = month.contract_worker()
    compute_days([rina], OCT, date(2026, 10, 7))
    return month


def test_the_deduction_is_reported_in_rupiah(paid):
    _table, rows = month_tpp(OCT, paid.opd)
    entitled, apart = split_entitled(rows)
    by_name = {row.name: row for row in entitled}
    budi = by_name["Budi Santoso"].pay
    assert (budi.base, budi.percent, budi.deduction, budi.net) == (
        3_500_000,
        Decimal("8.5"),
        297_500,
        3_202_500,
    )
    head = by_name["Dr. Siti Rahmah, M.Pd."]
    assert (head.base.amount, head.base.source) == (9_250_000, "class")
    assert by_name["Pak Atasan"].pay is None  # class 9 has no amount: said, not guessed
    assert [row.name for row in apart] == ["Rina"]
    assert apart[0].deduction.percent > 0  # her days are still shown, apart


def test_the_table_lists_rupiah_and_those_not_entitled_apart(paid):
    _table, rows = month_tpp(OCT, paid.opd)
    entitled, apart = split_entitled(rows)
    with translation.override("id"):
        text = format_table(entitled, apart)
    main, _, rest = text.partition("Tidak berhak TPP")
    assert "Rp 3.500.000" in main
    assert "Rp 297.500" in main
    assert "Rp 3.202.500" in main
    assert "belum ditetapkan" in main  # Pak Atasan
    assert "THL-0001" not in main
    assert "THL-0001" in rest
    assert "Non-ASN" in rest


def test_the_xlsx_has_rupiah_cells_and_a_sheet_for_those_not_entitled(paid):
    table, rows = month_tpp(OCT, paid.opd)
    buffer = io.BytesIO()
    with translation.override("id"):
        assert write_tpp_xlsx(OCT, table, rows, buffer) == 4
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    summary = book["Potongan TPP"]
    header = [c.value for c in summary[4]]
    budi = next(r for r in summary.iter_rows(min_row=5) if r[0].value.endswith("1003"))
    cells = dict(zip(header, budi, strict=True))
    assert cells["TPP (Rp)"].value == 3_500_000
    assert cells["Potongan (Rp)"].value == 297_500
    assert cells["Diterima (Rp)"].value == 3_202_500
    assert cells["Potongan (Rp)"].number_format == "#,##0"
    listed = [r[0] for r in summary.iter_rows(min_row=5, values_only=True)]
    assert "THL-0001" not in listed
    apart = list(book["Tidak berhak TPP"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in apart] == ["THL-0001"]


def test_class_amounts_come_from_the_perbup_table_file(month, tmp_path, capsys):
    path = tmp_path / "kelas.csv"
    path.write_text('kelas_jabatan;besaran_tpp\n12;"Rp 9.250.000"\n7;3500000\n', encoding="utf-8")
    call_command("tpp_classes", str(path))
    month.employee.position_class = "7"
    month.employee.save()
    table, rows = month_tpp(OCT, month.opd)
    assert table.amount_by_class == {"12": 9_250_000, "7": 3_500_000}
    assert budi(rows).pay.deduction == 297_500  # 8.5% of Rp 3.500.000


def test_a_bad_class_file_changes_nothing_and_names_the_row(month, tmp_path, capsys):
    from django.core.management import CommandError

    path = tmp_path / "kelas.csv"
    path.write_text("kelas_jabatan,besaran_tpp\n12,9250000\n7,tiga juta\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("tpp_classes", str(path))
    assert "kelas.csv:3" in capsys.readouterr().err
    assert not RuleSet.objects.filter(key="tpp").exists()


def test_the_example_class_file_reads(month):
    from pathlib import Path

    from hadir.attendance.tpp_classes import read_class_amounts

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "tpp_class.csv"
    read = read_class_amounts(example)
    assert (read.problems, read.amounts["9"]) == ([], 4_600_000)
