"""A regency-sized file (100,000 employees) is validated, streaming, with errors capped.

How long it takes is measured by bench/bench_import.py, not here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hadir.org.importer import Source
from hadir.org.importer.validate import validate

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ROWS = 100_000


def nip(i: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=i // 999)
    return f"{birth:%Y%m%d}200001{1 + i % 2}{1 + i % 999:03d}"


def write_employees(path: Path, bad_every: int = 0) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "nip;employee_type;name;opd_code;unit_code;supervisor_nip;active_from;workplace_codes\n"
        )
        for i in range(ROWS):
            supervisor = nip(i // 10) if i else ""
            value = "19700101200013" if bad_every and i % bad_every == 7 else nip(i)
            out.write(
                f"{value};PNS;Pegawai {i};BKPSDM;MUTASI;{supervisor};01/01/2000;"
                '"BKPSDM-01;KOMINFO-01"\n'
            )


@pytest.fixture
def example_opds():
    files = [
        Source.from_path(EXAMPLES / f"{k}.csv") for k in ("opd", "unit", "workplace", "employee")
    ]
    from hadir.org.importer import import_master

    assert import_master(files, actor="test").ok


def test_it_validates_100000_employees(tmp_path, example_opds):
    path = tmp_path / "employee.csv"
    write_employees(path)

    plan, log = validate([Source.from_path(path)], today=dt.date(2025, 6, 2))

    assert not log, log.lines()[:5]
    assert plan.rows["employee"] == ROWS


def test_errors_in_a_large_file_are_capped_and_counted(tmp_path, example_opds):
    path = tmp_path / "employee.csv"
    write_employees(path, bad_every=50)

    _, log = validate([Source.from_path(path)], today=dt.date(2025, 6, 2))

    assert log.total >= ROWS // 50
    assert len(log.kept) == 1000
    assert log.lines()[-1] == f"... and {log.total - 1000} more problems not shown"
