"""Importing master data from the example files: everything arrives, and a rerun changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hadir.org.importer import Kind, Source, import_master
from hadir.org.management.commands.import_master import Command as ImportMaster
from hadir.org.models import AuditEntry, Employee, Opd, Unit, Workplace

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CSV_FILES = [EXAMPLES / f"{kind}.csv" for kind in ("opd", "unit", "workplace", "employee")]
TODAY = dt.date(2025, 6, 2)


def run(*paths, dry_run=False, **kwargs):
    return import_master(
        [Source.from_path(p) for p in paths],
        actor="test:import",
        dry_run=dry_run,
        today=TODAY,
        **kwargs,
    )


def counts(result):
    return {kind: vars(count) for kind, count in result.counts.items() if result.rows[kind]}


def test_it_imports_the_example_csv_files():
    result = run(*CSV_FILES)

    assert result.ok, result.problems.lines()
    assert counts(result) == {
        Kind.OPD: {"created": 6, "updated": 0, "unchanged": 0},
        Kind.UNIT: {"created": 6, "updated": 0, "unchanged": 0},
        Kind.WORKPLACE: {"created": 6, "updated": 0, "unchanged": 0},
        Kind.EMPLOYEE: {"created": 16, "updated": 0, "unchanged": 0},
    }
    staff = Employee.objects.get(identifier="199411302020121005")
    assert staff.opd.code == "DISKOMINFO"
    assert staff.unit.code == "APTIKA"
    assert staff.supervisor.identifier == "197202281997031002"
    assert sorted(staff.workplaces.values_list("code", flat=True)) == ["BKPSDM-01", "KOMINFO-01"]
    assert Opd.objects.get(code="BKPSDM").head.identifier == "197304121998031005"
    pppk = Employee.objects.get(identifier="199205182023211004")
    assert (pppk.employee_type, pppk.active_to) == ("PPPK", dt.date(2028, 2, 29))


def test_it_reads_circles_polygons_and_network_hints():
    run(*CSV_FILES)

    office = Workplace.objects.get(code="BKPSDM-01")
    assert office.geofence == {"type": "circle", "lat": -2.5298, "lon": 112.9261, "radius_m": 75.0}
    assert office.known_bssids == ["a4:2b:b0:1c:22:10", "a4:2b:b0:1c:22:11"]
    assert office.public_networks == ["203.0.113.16/28"]
    assert Workplace.objects.get(code="RSUD-01").fence().ring[0] == (-2.5384, 112.9552)
    assert Workplace.objects.get(code="KEC-MBK-01").geofence["type"] == "polygon"
    remote = Workplace.objects.get(code="KEC-BKS-01")
    assert (remote.connectivity_tier, remote.office_code_mode) == ("poor", "off")


def test_a_second_run_changes_nothing_and_writes_no_audit_entries():
    run(*CSV_FILES)
    audit_before = AuditEntry.objects.count()

    result = run(*CSV_FILES)

    assert result.ok
    assert all(c["created"] == c["updated"] == 0 for c in counts(result).values())
    assert AuditEntry.objects.count() == audit_before


def test_the_first_run_is_audited_as_the_importer():
    run(*CSV_FILES)

    actors = set(AuditEntry.objects.values_list("actor", flat=True))
    assert actors == {"test:import"}
    assert AuditEntry.objects.filter(model="org.Employee", action="create").count() == 16


def test_the_example_workbook_holds_the_same_data_as_the_csv_files():
    run(*CSV_FILES)

    result = run(EXAMPLES / "master.xlsx")

    assert result.ok, result.problems.lines()
    assert {kind: c["unchanged"] for kind, c in counts(result).items()} == {
        Kind.OPD: 6,
        Kind.UNIT: 6,
        Kind.WORKPLACE: 6,
        Kind.EMPLOYEE: 16,
    }


def test_it_imports_the_example_workbook_alone():
    result = run(EXAMPLES / "master.xlsx")

    assert result.ok, result.problems.lines()
    assert Employee.objects.count() == 16


def test_a_changed_row_is_updated_and_audited_once(tmp_path):
    run(*CSV_FILES)
    text = (
        (EXAMPLES / "unit.csv").read_text().replace("Seksi Pemerintahan", "Seksi Tata Pemerintahan")
    )
    (tmp_path / "unit.csv").write_text(text)
    audit_before = AuditEntry.objects.count()

    result = run(tmp_path / "unit.csv")

    assert vars(result.counts[Kind.UNIT]) == {"created": 0, "updated": 1, "unchanged": 5}
    assert Unit.objects.get(code="PEM").name == "Seksi Tata Pemerintahan"
    assert AuditEntry.objects.count() == audit_before + 1


def test_changed_workplaces_are_replaced(tmp_path):
    run(*CSV_FILES)
    (tmp_path / "employee.csv").write_text(
        "nip,employee_type,name,opd_code,active_from,workplace_codes\n"
        '199411302020121005,PNS,"Muhammad Irfansyah, S.Kom.",DISKOMINFO,2020-12-01,KOMINFO-01\n'
    )

    result = run(tmp_path / "employee.csv")

    assert vars(result.counts[Kind.EMPLOYEE]) == {"created": 0, "updated": 1, "unchanged": 0}
    staff = Employee.objects.get(identifier="199411302020121005")
    assert list(staff.workplaces.values_list("code", flat=True)) == ["KOMINFO-01"]
    # Columns missing from the file leave their fields alone.
    assert staff.unit.code == "APTIKA"
    assert staff.supervisor.identifier == "197202281997031002"


def test_a_dry_run_reports_the_changes_and_writes_nothing():
    result = run(*CSV_FILES, dry_run=True)

    assert result.ok
    assert result.counts[Kind.EMPLOYEE].created == 16
    assert Employee.objects.count() == Opd.objects.count() == AuditEntry.objects.count() == 0


def test_supervisors_may_come_later_in_the_file_than_their_staff(tmp_path):
    lines = (EXAMPLES / "employee.csv").read_text().splitlines()
    (tmp_path / "employee.csv").write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")

    result = run(*CSV_FILES[:3], tmp_path / "employee.csv")

    assert result.ok, result.problems.lines()
    assert Employee.objects.get(identifier="199003222015032004").supervisor.name.startswith(
        "Ns. Bambang"
    )


# The command line -----------------------------------------------------------------------------


def test_the_command_imports_and_prints_a_summary(capsys):
    call_command("import_master", *map(str, CSV_FILES))

    out = capsys.readouterr().out
    assert "employee: 16 rows, 16 created, 0 updated, 0 unchanged" in out
    assert Employee.objects.count() == 16


def test_the_command_dry_run_writes_nothing(capsys):
    call_command("import_master", *map(str, CSV_FILES), "--dry-run")

    assert "dry run" in capsys.readouterr().out.lower()
    assert Employee.objects.count() == 0


def test_the_command_fails_with_every_problem_on_stderr(tmp_path, capsys):
    bad = tmp_path / "unit.csv"
    bad.write_text("opd_code,code,name\nNOPE,A,Satu\nNOPE,,Dua\n")

    with pytest.raises(CommandError, match="2 problems"):
        call_command("import_master", str(bad))

    err = capsys.readouterr().err
    assert f"{bad}:2:opd_code: unknown OPD 'NOPE'" in err
    assert f"{bad}:3:code: a value is required" in err
    assert Opd.objects.count() == 0


def test_the_command_exits_with_status_1(tmp_path, capsys):
    bad = tmp_path / "unit.csv"
    bad.write_text("opd_code,code,name\nNOPE,A,Satu\n")

    with pytest.raises(SystemExit) as exit_:
        ImportMaster().run_from_argv(["manage.py", "import_master", str(bad)])

    assert exit_.value.code == 1
    assert "unit.csv:2:opd_code: unknown OPD 'NOPE'" in capsys.readouterr().err


def test_the_command_refuses_a_missing_file():
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_master", "/nonexistent/opd.csv")


def test_it_reads_an_indonesian_excel_export(tmp_path):
    """Semicolons, a byte-order mark, Indonesian headers, decimal commas, day-first dates."""
    (tmp_path / "lokasi.csv").write_bytes(
        "\ufeffKode;Kode OPD;Nama Kantor;Alamat;Konektivitas;Zona Waktu;Lintang;Bujur;Radius\n"
        "DISKOMINFO-02;DISKOMINFO;Ruang Server;Jl. Jenderal Sudirman Km. 5;baik;WIB;"
        "-2,5306;112,9281;30\n".encode()
    )
    (tmp_path / "pegawai.csv").write_bytes(
        "\ufeffNIP;Jenis Pegawai;Nama;Kode OPD;Kode Unit;NIP Atasan;TMT;Lokasi Kerja\n"
        "199608172022031001;PNS;Gusti Randa, S.Kom.;DISKOMINFO;APTIKA;197202281997031002;"
        "01/03/2022;DISKOMINFO-02\n".encode()
    )

    result = run(*CSV_FILES, tmp_path / "lokasi.csv", tmp_path / "pegawai.csv")

    assert result.ok, result.problems.lines()
    room = Workplace.objects.get(code="DISKOMINFO-02")
    assert (room.geofence["lat"], room.time_zone) == (-2.5306, "Asia/Jakarta")
    randa = Employee.objects.get(identifier="199608172022031001")
    assert randa.active_from == dt.date(2022, 3, 1)
    assert list(randa.workplaces.values_list("code", flat=True)) == ["DISKOMINFO-02"]


def test_the_docs_describe_every_column_and_alias():
    from hadir.org.importer.columns import COLUMNS

    docs = (EXAMPLES.parent / "import.md").read_text()
    for columns in COLUMNS.values():
        for column in columns:
            for name in (column.name, *column.aliases):
                assert f"`{name}`" in docs, name


def test_column_lengths_match_the_models():
    from hadir.org.importer.columns import COLUMNS

    fields = {
        ("opd", "code"): (Opd, "code"),
        ("opd", "name"): (Opd, "name"),
        ("unit", "code"): (Unit, "code"),
        ("unit", "name"): (Unit, "name"),
        ("workplace", "code"): (Workplace, "code"),
        ("workplace", "name"): (Workplace, "name"),
        ("workplace", "address"): (Workplace, "address"),
        ("employee", "nip"): (Employee, "identifier"),
        ("employee", "name"): (Employee, "name"),
    }
    for kind, columns in COLUMNS.items():
        for column in columns:
            if (kind, column.name) in fields:
                model, name = fields[kind, column.name]
                assert column.max_length == model._meta.get_field(name).max_length, column


def test_an_employee_moving_to_another_opd_leaves_the_old_unit(tmp_path):
    run(*CSV_FILES)
    (tmp_path / "employee.csv").write_text(
        "nip,employee_type,name,opd_code,active_from,workplace_codes\n"
        '199107072019032011,PNS,"Siti Aisyah, A.Md.",DINKES,2019-03-01,DINKES-01\n'
    )

    result = run(tmp_path / "employee.csv")

    assert result.ok, result.problems.lines()
    siti = Employee.objects.get(identifier="199107072019032011")
    assert (siti.opd.code, siti.unit) == ("DINKES", None)
    changes = AuditEntry.objects.filter(model="org.Employee", object_pk=str(siti.pk))
    assert {"opd_id", "unit_id"} in [set(entry.after) for entry in changes]
