"""The monthly recap of a small hand-made month: CSV rows, XLSX layout, a valid PDF."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from hadir.attendance import leave
from hadir.attendance.recap import month_recap, write_recap_csv
from hadir.attendance.recap_pdf import write_recap_pdf
from hadir.attendance.recap_xlsx import write_recap_xlsx
from hadir.attendance.services import compute_days, recompute
from tests.attendance.conftest import workday
from tests.factories import make_employee

pytestmark = pytest.mark.django_db
OCT = date(2026, 10, 1)


@pytest.fixture
def month(regency):
    """Budi: H, TL2 (Friday), TL2+PSW1, S on leave, TK the rest. Dinkes: one nurse, all TK."""
    e = regency.employee
    workday(e, date(2026, 10, 1), "07:28", "16:02")
    workday(e, date(2026, 10, 2), "08:05", "16:35")
    workday(e, date(2026, 10, 5), "08:10", "15:50")
    sick = leave.request_leave(
        e,
        kind="S",
        first_day=date(2026, 10, 6),
        last_day=date(2026, 10, 6),
        requested_by=regency.user,
    )
    leave.decide_leave(sick, approve=True, by=regency.boss_user, now=timezone.now())
    opd, office = regency.other_opd()
    regency.nurse = make_employee(opd, [office], identifier="199001012015032001", name="Ns. Maria")
    return regency


def test_the_csv_has_one_row_per_employee_day(month, tmp_path):
    out = tmp_path / "recap.csv"
    call_command("recap", "--month", "2026-10", "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 4 * 31
    budi = [r for r in rows if r["NIP"] == "198707212011011003"]
    columns = ("Tanggal", "Status", "Menit terlambat", "Menit pulang cepat")
    assert [tuple(r[c] for c in columns) for r in budi[:7]] == [
        ("2026-10-01", "H", "0", "0"),
        ("2026-10-02", "TL2", "35", "0"),
        ("2026-10-03", "L", "0", "0"),
        ("2026-10-04", "L", "0", "0"),
        ("2026-10-05", "TL2+PSW1", "40", "10"),
        ("2026-10-06", "S", "0", "0"),
        ("2026-10-07", "TK", "0", "0"),
    ]
    assert budi[0]["Nama"] == "Budi Santoso"
    assert budi[0]["OPD"] == "DISDIK"
    assert rows[0]["OPD"] == "DINKES"  # OPDs in code order


def test_one_opd_only(month):
    recompute(OCT, date(2026, 10, 31), month.opd)
    out = io.StringIO()
    count = write_recap_csv(month_recap(OCT, month.opd), out)
    assert count == 3 * 31
    assert "199001012015032001" not in out.getvalue()


def test_the_xlsx_has_a_sheet_per_opd_with_header_totals_and_signature(month, tmp_path):
    out = tmp_path / "recap.xlsx"
    call_command(
        "recap", "--month", "2026-10", "--format", "xlsx", "--out", str(out),
        "--signed-on", "2026-11-02",
    )  # fmt: skip
    book = load_workbook(out)
    assert book.sheetnames == ["Ringkasan", "DINKES", "DISDIK"]
    sheet = book["DISDIK"]
    assert sheet["A1"].value == "Rekapitulasi Kehadiran Bulan Oktober 2026"
    assert sheet["A2"].value == "Dinas Pendidikan"
    header = [c.value for c in sheet[5]]
    assert header[:5] == ["No", "NIP", "Nama", 1, 2]
    assert header[3 + 31 : 3 + 31 + 3] == ["H", "TL1", "TL2"]
    assert sheet["D6"].value == "Kam"  # 1 October 2026 is a Thursday
    names = [sheet.cell(row=r, column=3).value for r in (7, 8, 9)]
    assert names == ["Dr. Siti Rahmah, M.Pd.", "Budi Santoso", "Pak Atasan"]  # the head first
    budi = {header[i]: c.value for i, c in enumerate(sheet[8])}
    assert (budi[1], budi[2], budi[5], budi[6], budi[7]) == ("H", "TL2", "TL2+PSW1", "S", "TK")
    assert (budi["H"], budi["TL2"], budi["PSW1"], budi["S"], budi["L"]) == (1, 2, 1, 1, 9)
    assert budi["TK"] == 22 - 4
    assert sheet.cell(row=10, column=3).value == "Jumlah"
    text = [c.value for row in sheet.iter_rows(min_row=11) for c in row if c.value]
    assert "Kepala Dinas Pendidikan" in text
    assert "Dr. Siti Rahmah, M.Pd." in text
    assert "NIP. 196501011990031001" in text
    assert text[0].startswith("× tidak dihitung")  # the legend of the marks
    assert "2 November 2026" in text
    assert "Mengetahui," in text
    summary = book["Ringkasan"]
    assert summary["A1"].value == "Rekapitulasi Kehadiran Bulan Oktober 2026"
    assert [c.value for c in summary[6]][:3] == ["DINKES", "Dinas Kesehatan", 1]


def test_the_pdf_is_a_pdf_with_a_page_per_opd_at_least(month, tmp_path):
    compute_days([month.employee, month.nurse, month.boss, month.head], OCT, date(2026, 10, 31))
    buffer = io.BytesIO()
    sections = write_recap_pdf(month_recap(OCT), buffer)
    data = buffer.getvalue()
    assert sections == 2
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 2
    out = tmp_path / "recap.pdf"
    call_command(
        "recap", "--month", "2026-10", "--opd", "DISDIK", "--format", "pdf", "--out", str(out)
    )
    assert out.read_bytes().startswith(b"%PDF-")


def test_an_empty_month_still_writes(regency):
    buffer = io.BytesIO()
    write_recap_xlsx(month_recap(date(2026, 9, 1)), buffer)
    assert load_workbook(io.BytesIO(buffer.getvalue())).sheetnames == ["Ringkasan", "DISDIK"]
