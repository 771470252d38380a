"""Bad import files: every problem is reported with file, row and column, and nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from hadir.org.importer import Source, import_master, readers
from hadir.org.models import AuditEntry, Employee, Opd, Unit, Workplace

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
EXAMPLE_FILES = [EXAMPLES / f"{kind}.csv" for kind in ("opd", "unit", "workplace", "employee")]
TODAY = dt.date(2025, 6, 2)

EMPLOYEE_HEADER = (
    "nip,employee_type,name,opd_code,unit_code,supervisor_nip,active_from,workplace_codes"
)
WORKPLACE_HEADER = "code,opd_code,name,connectivity_tier,center_lat,center_lon,radius_m,polygon"
KEPALA = "197304121998031005"  # heads BKPSDM in the examples
GOOD_EMPLOYEE = f"199107072019032011,PNS,Siti Aisyah,BKPSDM,MUTASI,{KEPALA},2019-03-01,BKPSDM-01"


def run(*paths):
    return import_master([Source.from_path(p) for p in paths], actor="test:import", today=TODAY)


def state():
    return (
        Opd.objects.count(),
        Unit.objects.count(),
        Workplace.objects.count(),
        Employee.objects.count(),
        Employee.workplaces.through.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def examples():
    """The example master data, already in the database."""
    assert run(*EXAMPLE_FILES).ok


@pytest.fixture
def unchanged(examples):
    """Fails the test if the database changes."""
    before = state()
    yield
    assert state() == before


def write(tmp_path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def problems(result) -> list[tuple]:
    return [(Path(p.file).name, p.row, p.column, p.message) for p in result.problems.sorted()]


def only_problem(result) -> tuple:
    found = problems(result)
    assert len(found) == 1, found
    return found[0]


# Files that cannot be read --------------------------------------------------------------------


def test_a_windows_1252_file_is_refused_with_a_hint(tmp_path, unchanged):
    path = write(
        tmp_path,
        "employee.csv",
        EMPLOYEE_HEADER,
        GOOD_EMPLOYEE.replace("Siti Aisyah", "Andr\u00e9 Siregar"),
        encoding="cp1252",
    )

    name, row, column, message = only_problem(run(path))

    assert (name, row, column) == ("employee.csv", 2, None)
    assert "not UTF-8" in message
    assert "Windows-1252" in message
    assert "Andr\u00e9 Siregar" in message


def test_a_utf16_file_is_refused(tmp_path, unchanged):
    path = tmp_path / "employee.csv"
    path.write_text(f"{EMPLOYEE_HEADER}\n{GOOD_EMPLOYEE}\n", encoding="utf-16")

    assert "UTF-16" in only_problem(run(path))[3]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file_is_refused(tmp_path, content, unchanged):
    path = tmp_path / "employee.csv"
    path.write_bytes(content)

    assert only_problem(run(path)) == ("employee.csv", None, None, "the file is empty")


def test_a_header_without_rows_is_refused(tmp_path, unchanged):
    path = write(tmp_path, "employee.csv", EMPLOYEE_HEADER, ",,,,,,,", "")

    assert only_problem(run(path))[3] == "the file has a header row but no data rows"


def test_missing_columns_are_named(tmp_path, unchanged):
    path = write(tmp_path, "pegawai.csv", "NIP,Jenis Pegawai,Kode OPD", "1,PNS,BKPSDM")

    found = problems(run(path))

    assert [(row, column) for _, row, column, _ in found] == [
        (1, "name"),
        (1, "active_from"),
        (1, "workplace_codes"),
    ]
    assert "required column 'name' is missing" in found[0][3]
    assert "nama" in found[0][3]  # the accepted Indonesian header is suggested


def test_a_workplace_file_needs_a_circle_or_a_polygon(tmp_path, unchanged):
    path = write(
        tmp_path,
        "workplace.csv",
        "code,opd_code,name,connectivity_tier,center_lat",
        "X,BKPSDM,Kantor,good,-2.5",
    )

    assert {column for _, _, column, _ in problems(run(path))} == {"center_lon", "radius_m"}


def test_a_file_whose_kind_cannot_be_told_is_refused(tmp_path, unchanged):
    path = write(tmp_path, "data.csv", "a,b", "1,2")

    assert "cannot tell what this file holds" in only_problem(run(path))[3]


def test_a_file_above_the_size_limit_is_refused(tmp_path, unchanged, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    path = write(tmp_path, "employee.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEE)

    name, row, _, message = only_problem(run(path))

    assert (name, row) == ("employee.csv", None)
    assert "the limit is" in message


def test_an_old_xls_file_is_refused(tmp_path, unchanged):
    path = tmp_path / "employee.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)

    assert "old Excel .xls" in only_problem(run(path))[3]


def test_a_broken_workbook_is_refused(tmp_path, unchanged):
    path = tmp_path / "master.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")

    assert "not a readable .xlsx workbook" in only_problem(run(path))[3]


def test_a_row_with_an_unquoted_delimiter_is_refused(tmp_path, unchanged):
    path = write(tmp_path, "unit.csv", "opd_code,code,name", "BKPSDM,UMUM,Umum, Kepegawaian")

    name, row, _, message = only_problem(run(path))

    assert (name, row) == ("unit.csv", 2)
    assert "must be put in double quotes" in message


# Values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19910707201903201", "NIP must be exactly 18 digits"),
        ("199107072019132011", "NIP appointment month 13 is not a month"),
        ("199102302019032011", "NIP birth date 19910230 is not a real date"),
        ("199107072019033011", "NIP gender digit must be 1 or 2, not 3"),
        ("1.99107E+17", "scientific notation"),
    ],
)
def test_a_bad_nip_is_reported_with_the_reason(tmp_path, nip, message, unchanged):
    path = write(
        tmp_path, "employee.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEE.replace("199107072019032011", nip)
    )

    name, row, column, found = only_problem(run(path))

    assert (name, row, column) == ("employee.csv", 2, "nip")
    assert message in found


def test_duplicate_nips_name_both_rows(tmp_path, unchanged):
    path = write(
        tmp_path,
        "employee.csv",
        EMPLOYEE_HEADER,
        GOOD_EMPLOYEE,
        GOOD_EMPLOYEE.replace("Siti Aisyah", "Siti A."),
    )

    name, row, column, message = only_problem(run(path))

    assert (name, row, column) == ("employee.csv", 3, "nip")
    assert message == "duplicate NIP '199107072019032011': also in row 2"


def test_duplicates_across_a_csv_and_a_workbook_are_found(tmp_path, unchanged):
    result = run(EXAMPLES / "unit.csv", EXAMPLES / "master.xlsx")

    found = [p for p in problems(result) if p[0] == "master.xlsx[unit]"]
    assert len(found) == 6
    assert found[0][3].startswith("duplicate unit code 'BKPSDM/SEKRE': also in /")
    assert found[0][3].endswith("unit.csv row 2")


def test_unknown_references_are_reported_per_cell(tmp_path, unchanged):
    path = write(
        tmp_path,
        "employee.csv",
        EMPLOYEE_HEADER,
        "199107072019032011,PNS,Siti,bkpsdm,MUTASI,,2019-03-01,BKPSDM-01",
        "198201152005011003,PNS,Rahmat,BKPSDM,GUDANG,,2005-01-01,BKPSDM-01",
        "199411302020121005,PNS,Irfan,DISKOMINFO,,199901012020121001,2020-12-01,KOMINFO-9",
    )

    assert problems(run(path)) == [
        ("employee.csv", 2, "opd_code", "unknown OPD 'bkpsdm' (did you mean 'BKPSDM'?)"),
        ("employee.csv", 3, "unit_code", "OPD 'BKPSDM' has no unit 'GUDANG'"),
        ("employee.csv", 4, "workplace_codes", "unknown workplace 'KOMINFO-9'"),
        (
            "employee.csv",
            4,
            "supervisor_nip",
            "no employee with NIP '199901012020121001' in the import or the database",
        ),
    ]


def test_one_bad_row_stops_the_whole_import(tmp_path):
    more = write(
        tmp_path,
        "employee_baru.csv",
        EMPLOYEE_HEADER,
        GOOD_EMPLOYEE.replace("199107072019032011", "198001012005011001"),
        GOOD_EMPLOYEE.replace("199107072019032011", "123"),
    )
    files = [*EXAMPLE_FILES, more]

    result = run(*files)

    assert len(problems(result)) == 1
    assert state() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("nan,112.95,100,", "center_lat", "'nan' is not a number"),
        ("-2.53,NaN,100,", "center_lon", "'NaN' is not a number"),
        ("48.8566,2.3522,100,", "center_lat", "latitude 48.8566 is outside Indonesia"),
        ("-2.53,2.3522,100,", "center_lon", "longitude 2.3522 is outside Indonesia"),
        ("-2.53,112.95,9000,", "radius_m", "radius 9000.0 m must be between 10 and 5000 m"),
        ("-2.53,112.95,,", "radius_m", "a value is required"),
        (
            ',,,"-2.53,112.95; -2.53,112.96; -2.54,112.96; -2.54,112.95"',
            "polygon",
            "the polygon does not close: the last point must repeat the first",
        ),
        (
            ',,,"POLYGON((112.95 -2.53, 112.96 -2.53, 112.96 -2.54, 112.95 -2.53"',
            "polygon",
            "the polygon does not close",
        ),
        (
            '-2.53,112.95,100,"-2.53,112.95; -2.53,112.96; -2.54,112.96; -2.53,112.95"',
            "polygon",
            "give either a polygon or center_lat, center_lon and radius_m, not both",
        ),
    ],
)
def test_bad_geofences_are_reported(tmp_path, cells, column, message, unchanged):
    path = write(tmp_path, "workplace.csv", WORKPLACE_HEADER, f"BARU-01,BKPSDM,Kantor,good,{cells}")

    name, row, found_column, found = only_problem(run(path))

    assert (name, row, found_column) == ("workplace.csv", 2, column)
    assert message in found


def test_bad_network_hints_are_reported(tmp_path, unchanged):
    path = write(
        tmp_path,
        "workplace.csv",
        WORKPLACE_HEADER + ",known_bssids,public_networks",
        "BARU-01,BKPSDM,Kantor,good,-2.53,112.95,100,,a4:2b:b0:1c:22,10.1.2.3/24",
    )

    assert [(p[2], p[3].split(" (")[0]) for p in problems(run(path))] == [
        ("known_bssids", "'a4:2b:b0:1c:22' is not a Wi-Fi BSSID"),
        ("public_networks", "'10.1.2.3/24' is not an IP address or network"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2024", "'31/02/2024' is not a real date"),
        ("kemarin", "'kemarin' is not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("1 Maretz 2019", "'1 Maretz 2019' is not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("12/31/2019", "'12/31/2019' is not a real date"),  # day first, as written in Indonesia
    ],
)
def test_bad_dates_are_reported(tmp_path, value, message, unchanged):
    path = write(
        tmp_path, "employee.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEE.replace("2019-03-01", value)
    )

    assert only_problem(run(path))[2:] == ("active_from", message)


@pytest.mark.parametrize(
    "value",
    [
        "2019-03-01",
        "2019/03/01",
        "01/03/2019",
        "1-3-2019",
        "1 Maret 2019",
        "01 Mar 2019",
        "2019-03-01 00:00:00",
    ],
)
def test_dates_are_read_in_the_usual_spellings(tmp_path, value, examples):
    path = write(
        tmp_path, "employee.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEE.replace("2019-03-01", value)
    )

    assert run(path).ok
    assert Employee.objects.get(identifier="199107072019032011").active_from == dt.date(2019, 3, 1)


def test_an_end_before_the_start_is_reported(tmp_path, unchanged):
    path = write(
        tmp_path, "employee.csv", EMPLOYEE_HEADER + ",active_to", GOOD_EMPLOYEE + ",01/01/2019"
    )

    assert only_problem(run(path))[2:] == ("active_to", "ends before active_from (2019-03-01)")


def test_a_bad_choice_lists_the_accepted_values(tmp_path, unchanged):
    path = write(tmp_path, "opd.csv", "code,name,kind", "DISHUB,Dinas Perhubungan,kantor")

    assert only_problem(run(path))[2:] == (
        "kind",
        (
            "'kantor' is not one of: badan, dinas, inspektorat, kecamatan, kelurahan, lainnya, "
            "puskesmas, rsud, satpol_pp, sekolah, sekretariat"
        ),
    )


def test_supervisor_loops_are_refused(tmp_path, unchanged):
    a, b, c = "198001012005011001", "198101012005011002", "198201012005011003"
    path = write(
        tmp_path,
        "employee.csv",
        EMPLOYEE_HEADER,
        f"{a},PNS,Ani,BKPSDM,,{b},2005-01-01,BKPSDM-01",
        f"{b},PNS,Budi,BKPSDM,,{c},2005-01-01,BKPSDM-01",
        f"{c},PNS,Citra,BKPSDM,,{a},2005-01-01,BKPSDM-01",
    )

    assert only_problem(run(path))[1:] == (
        2,
        "supervisor_nip",
        f"supervisors form a loop: {a} \u2192 {b} \u2192 {c} \u2192 {a}",
    )


def test_a_loop_through_the_database_is_refused(tmp_path, unchanged):
    # In the examples, Siti Aisyah reports to Rahmat Hidayat; make him report to her.
    path = write(
        tmp_path,
        "employee.csv",
        EMPLOYEE_HEADER,
        "198201152005011003,PNS,Rahmat,BKPSDM,MUTASI,199107072019032011,2005-01-01,BKPSDM-01",
    )

    assert "supervisors form a loop" in only_problem(run(path))[3]


def test_self_supervision_is_refused(tmp_path, unchanged):
    path = write(
        tmp_path,
        "employee.csv",
        EMPLOYEE_HEADER,
        GOOD_EMPLOYEE.replace(KEPALA, "199107072019032011"),
    )

    assert only_problem(run(path))[2:] == (
        "supervisor_nip",
        "an employee cannot supervise themselves",
    )


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example","klik")', "+62 811", "-1+1", "@SUM(A1)"]
)
def test_formula_like_text_in_a_csv_is_refused(tmp_path, name, unchanged):
    quoted = name.replace('"', '""')
    path = write(tmp_path, "unit.csv", "opd_code,code,name", f'BKPSDM,BARU,"{quoted}"')

    column, message = only_problem(run(path))[2:]

    assert column == "name"
    assert message.startswith(f"formula not allowed: text may not start with {name[0]} (")


def test_a_dash_means_an_empty_optional_cell(tmp_path, examples):
    path = write(
        tmp_path, "employee.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEE.replace(f"MUTASI,{KEPALA}", "-,-")
    )

    assert run(path).ok
    staff = Employee.objects.get(identifier="199107072019032011")
    assert (staff.unit, staff.supervisor) == (None, None)


def test_problems_beyond_the_cap_are_counted(tmp_path, unchanged):
    rows = [f"BKPSDM,U{i},=bad" for i in range(1500)]
    path = write(tmp_path, "unit.csv", "opd_code,code,name", *rows)

    result = run(path)

    assert result.problems.total == 1500
    assert len(result.problems.kept) == 1000
    assert result.problems.lines()[-1] == "... and 500 more problems not shown"


# Workbooks ------------------------------------------------------------------------------------


def workbook(tmp_path, rows: list[list], title: str = "employee") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / "master.xlsx"
    book.save(path)
    return path


XLSX_HEADER = EMPLOYEE_HEADER.split(",")
XLSX_ROW = GOOD_EMPLOYEE.split(",")


def test_a_formula_in_a_workbook_is_refused(tmp_path, unchanged):
    row = [*XLSX_ROW]
    row[2] = '=HYPERLINK("http://evil.example","Siti")'
    path = workbook(tmp_path, [XLSX_HEADER, row])

    assert only_problem(run(path)) == (
        "master.xlsx[employee]",
        2,
        "name",
        'formula not allowed (=HYPERLINK("http://evil.example","Siti")): type the value itself',
    )


def test_a_formula_in_a_number_column_is_refused(tmp_path, unchanged):
    path = workbook(
        tmp_path,
        [
            WORKPLACE_HEADER.split(","),
            ["BARU-01", "BKPSDM", "Kantor", "good", "=-2.53", 112.95, 100],
        ],
        title="workplace",
    )

    assert only_problem(run(path))[1:3] == (2, "center_lat")


def test_negative_numbers_in_a_workbook_are_numbers_not_formulas(tmp_path, examples):
    path = workbook(
        tmp_path,
        [
            WORKPLACE_HEADER.split(","),
            ["BARU-01", "BKPSDM", "Kantor", "good", -2.5375, 112.95, 100],
            ["BARU-02", "BKPSDM", "Gudang", "poor", "-2,54", "112,96", "80"],
        ],
        title="workplace",
    )

    result = run(path)

    assert result.ok, problems(result)
    assert Workplace.objects.get(code="BARU-02").geofence["lat"] == -2.54


def test_a_nip_typed_as_a_number_in_excel_is_explained(tmp_path, unchanged):
    row = [*XLSX_ROW]
    row[0] = 199107072019032011  # Excel keeps 15 significant digits
    path = workbook(tmp_path, [XLSX_HEADER, row])

    name, row_number, column, message = only_problem(run(path))

    assert (name, row_number, column) == ("master.xlsx[employee]", 2, "nip")
    assert "format the column as Text" in message


def test_excel_dates_and_day_first_text_dates_are_accepted(tmp_path, examples):
    first, second = [*XLSX_ROW], [*XLSX_ROW]
    first[6] = dt.datetime(2019, 3, 1)
    second[0], second[2], second[6] = "199411302020121005", "Irfan", "01/12/2020"
    second[3:6] = ["DISKOMINFO", "APTIKA", "197202281997031002"]
    path = workbook(tmp_path, [XLSX_HEADER, first, second])

    result = run(path)

    assert result.ok, problems(result)
    assert Employee.objects.get(identifier="199107072019032011").active_from == dt.date(2019, 3, 1)
    assert Employee.objects.get(identifier="199411302020121005").active_from == dt.date(2020, 12, 1)


def test_an_excel_error_cell_is_reported(tmp_path, unchanged):
    path = tmp_path / "master.xlsx"
    workbook(tmp_path, [XLSX_HEADER, XLSX_ROW])
    book = openpyxl.load_workbook(path)
    book["employee"]["C2"].value = "#N/A"
    book["employee"]["C2"].data_type = "e"
    book.save(path)

    assert only_problem(run(path))[1:] == (2, "name", "the cell holds the Excel error #N/A")


def test_unrelated_sheets_are_skipped_with_a_note(tmp_path, examples):
    path = workbook(tmp_path, [["Petunjuk pengisian"], ["Isi NIP sebagai teks"]], "Petunjuk")
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("employee")
    for row in (XLSX_HEADER, XLSX_ROW):
        sheet.append(row)
    book.save(path)

    result = run(path)

    assert result.ok, problems(result)
    assert [note.split("/")[-1] for note in result.problems.notes] == [
        "master.xlsx[Petunjuk]: sheet skipped (not an opd, unit, workplace or employee sheet)"
    ]


def test_workbook_rows_are_numbered_as_excel_shows_them(tmp_path, unchanged):
    bad = [*XLSX_ROW]
    bad[0], bad[1] = "198001012005011001", "ASN"
    path = workbook(tmp_path, [XLSX_HEADER, XLSX_ROW, [], [], bad])

    assert only_problem(run(path))[:3] == ("master.xlsx[employee]", 5, "employee_type")
