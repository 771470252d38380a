"""The TPP columns of the employee file: position class and monthly amount in whole rupiah."""

from __future__ import annotations

import pytest

from hadir.org.models import Employee
from tests.org.test_import import CSV_FILES, run

pytestmark = pytest.mark.django_db

HEADER = "nip;jenis pegawai;nama;kode opd;tmt;lokasi kerja;kelas jabatan;besaran tpp\n"


def employee_file(tmp_path, *rows: str):
    path = tmp_path / "pegawai.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_the_example_files_carry_classes_and_own_amounts():
    assert run(*CSV_FILES).ok
    nurse = Employee.objects.get(identifier="199003222015032004")
    assert (nurse.position_class, nurse.tpp_amount) == ("7", 5_400_000)
    head = Employee.objects.get(identifier="197304121998031005")
    assert (head.position_class, head.tpp_amount) == ("14", None)  # the class's amount applies


@pytest.mark.parametrize(
    ("cell", "rupiah"),
    [("5400000", 5_400_000), ('"Rp 5.400.000"', 5_400_000), ('"5.400.000,00"', 5_400_000)],
)
def test_amounts_are_read_as_payroll_sheets_write_them(tmp_path, cell, rupiah):
    assert run(*CSV_FILES).ok
    row = f"199107072019032011;PNS;Siti Aisyah;BKPSDM;01/03/2019;BKPSDM-01;6;{cell}"
    result = run(employee_file(tmp_path, row))
    assert result.ok, result.problems.lines()
    assert Employee.objects.get(identifier="199107072019032011").tpp_amount == rupiah


def test_an_amount_with_sen_is_refused_at_its_row_and_column(tmp_path):
    assert run(*CSV_FILES).ok
    row = "199107072019032011;PNS;Siti Aisyah;BKPSDM;01/03/2019;BKPSDM-01;6;5.400.000,50"
    result = run(employee_file(tmp_path, row))
    assert not result.ok
    [line] = result.problems.lines()
    assert "pegawai.csv:2:besaran tpp:" in line
    assert Employee.objects.get(identifier="199107072019032011").tpp_amount is None


def test_a_file_without_the_columns_keeps_the_amounts(tmp_path):
    assert run(*CSV_FILES).ok
    path = tmp_path / "employee.csv"
    lines = (CSV_FILES[3]).read_text(encoding="utf-8").splitlines()
    kept = [",".join(line.split(",")[:-2]) for line in lines if "RSUD-01" in line or "nip" in line]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert run(path).ok
    assert Employee.objects.get(identifier="199003222015032004").tpp_amount == 5_400_000
