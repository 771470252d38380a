"""Read CSV and XLSX files into tables of raw cells, streaming, with row numbers as people see them.

The reader decides what each file (or sheet) holds and maps its header to our column names; it
does not judge the values. Problems with the file itself (encoding, size, missing columns) go to
the log with the file's name.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from hadir.org.importer.columns import (
    CIRCLE_COLUMNS,
    COLUMNS,
    Kind,
    column_lookup,
    kind_from_headers,
    kind_from_name,
    normalize_header,
)
from hadir.org.importer.report import ProblemLog

MAX_FILE_BYTES = 50 * 1024 * 1024
# An XLSX file is a zip archive; a small one can unpack into gigabytes of XML.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
CSV_DELIMITERS = (",", ";", "\t")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


@dataclass(frozen=True)
class Source:
    """A file to import: a name to report it by, and a way to open it as bytes."""

    name: str
    size: int
    open: Callable[[], BinaryIO]

    @classmethod
    def from_path(cls, path: str | os.PathLike) -> Source:
        path = os.fspath(path)
        return cls(path, os.path.getsize(path), lambda: open(path, "rb"))

    @classmethod
    def from_upload(cls, upload) -> Source:
        def reopen():
            upload.seek(0)
            return upload

        return cls(upload.name, upload.size, reopen)


@dataclass(frozen=True)
class Formula:
    """An XLSX cell holding a formula: never imported (formula injection, and no value)."""

    text: str


@dataclass(frozen=True)
class ExcelError:
    text: str  # "#N/A", "#REF!", ...


@dataclass
class Table:
    label: str  # "employee.csv" or "master.xlsx[employee]"
    kind: Kind
    columns: dict[str, tuple[int, str]]  # our column name -> (cell index, header as written)
    rows: Iterator[tuple[int, list]]  # (row number, raw cells); blank rows left out


Row = tuple[int, list]


def read_tables(source: Source, log: ProblemLog) -> Iterator[Table]:
    """The tables in a file. Consume each table's rows before asking for the next table."""
    log.register(source.name)
    if source.size > MAX_FILE_BYTES:
        log.add(
            source.name,
            None,
            None,
            _(
                "the file is {size:.1f} MB; the limit is {limit} MB: split it into several files"
            ).format(size=source.size / 1e6, limit=MAX_FILE_BYTES // (1024 * 1024)),
        )
        return
    if source.size == 0:
        log.add(source.name, None, None, _("the file is empty"))
        return
    with source.open() as raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic == OLE_MAGIC:
            log.add(
                source.name,
                None,
                None,
                _("this is an old Excel .xls file: save it as .xlsx or as 'CSV UTF-8'"),
            )
        elif magic == ZIP_MAGIC:
            yield from _read_xlsx(source.name, raw, log)
        else:
            yield from _read_csv(source.name, raw, log)


def _kind(name: str, names: list[str]) -> Kind | None:
    return kind_from_name(os.path.basename(name)) or kind_from_headers(names)


def _table(
    label: str, kind: Kind, header: Row, rows: Iterator[Row], log: ProblemLog, *, sheet: bool
) -> Table | None:
    number, cells = header
    names = [normalize_header(cell) for cell in cells]
    columns = _map_columns(label, kind, number, cells, names, log)
    if columns is None:
        return None
    return Table(label, kind, columns, _data_rows(label, rows, log, sheet=sheet))


def _map_columns(
    label: str, kind: Kind, number: int, cells: list, names: list[str], log: ProblemLog
) -> dict[str, tuple[int, str]] | None:
    lookup = column_lookup(kind)
    columns: dict[str, tuple[int, str]] = {}
    ok = True
    for index, name in enumerate(names):
        column = lookup.get(name)
        if column is None:
            continue  # extra columns ("No.", notes) are ignored
        header = str(cells[index]).strip()
        if column.name in columns:
            log.add(
                label,
                number,
                header,
                _("column '{column}' appears twice (also as '{other}')").format(
                    column=column.name, other=columns[column.name][1]
                ),
            )
            ok = False
            continue
        columns[column.name] = (index, header)
    for column in COLUMNS[kind]:
        if column.required and column.name not in columns:
            log.add(
                label,
                number,
                column.name,
                _(
                    "required column '{column}' is missing from this {kind} file (accepted "
                    "headers: {names})"
                ).format(
                    column=column.name, kind=kind, names=", ".join((column.name, *column.aliases))
                ),
            )
            ok = False
    if kind == Kind.WORKPLACE and "polygon" not in columns:
        missing = [name for name in CIRCLE_COLUMNS if name not in columns]
        for name in missing:
            log.add(
                label,
                number,
                name,
                _(
                    "column '{column}' is missing: a workplace file needs center_lat, center_lon "
                    "and radius_m, or polygon"
                ).format(column=name),
            )
        ok = ok and not missing
    return columns if ok else None


def _data_rows(label: str, rows: Iterator[Row], log: ProblemLog, *, sheet: bool) -> Iterator[Row]:
    count = 0
    for number, cells in rows:
        if _blank(cells):
            continue
        count += 1
        yield number, cells
    if count == 0:
        log.add(
            label,
            None,
            None,
            _("the sheet has a header row but no data rows")
            if sheet
            else _("the file has a header row but no data rows"),
        )


def _blank(cells: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _split_header(rows: Iterator[Row]) -> Row | None:
    for number, cells in rows:
        if not _blank(cells):
            return number, cells
    return None


# CSV ------------------------------------------------------------------------------------------


def _read_csv(label: str, raw: BinaryIO, log: ProblemLog) -> Iterator[Table]:
    if raw.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        log.add(
            label,
            None,
            None,
            _("the file is UTF-16 text ('Unicode text' in Excel): save it as 'CSV UTF-8'"),
        )
        return
    raw.seek(0)
    if problem := _utf8_problem(raw):
        log.add(label, problem[0], None, problem[1])
        return
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        # Blank lines before the header count as rows, as a spreadsheet shows them.
        peeked = []
        for line in text:
            peeked.append(line)
            if line.strip():
                break
        if not peeked or not peeked[-1].strip():
            log.add(label, None, None, _("the file is empty"))
            return
        delimiter = _sniff_delimiter(peeked[-1])
        records = csv.reader(itertools.chain(peeked, text), delimiter=delimiter)
        rows = _csv_rows(label, records, log)
        header = _split_header(rows)
        if header is None:
            return
        kind = _kind(label, [normalize_header(cell) for cell in header[1]])
        if kind is None:
            log.add(
                label,
                header[0],
                None,
                _(
                    "cannot tell what this file holds: put opd, unit, workplace or employee in its "
                    "name, or use the column names documented in docs/import.md"
                ),
            )
            return
        table = _table(label, kind, header, rows, log, sheet=False)
        if table is not None:
            table.rows = _same_width(label, table.rows, len(header[1]), delimiter, log)
            yield table
    finally:
        text.detach()  # leave the underlying file to its owner


def _utf8_problem(raw: BinaryIO) -> tuple[int, str] | None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    while chunk := raw.read(1 << 20):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            line += exc.object.count(b"\n", 0, exc.start)
            start = exc.object.rfind(b"\n", 0, exc.start) + 1
            end = exc.object.find(b"\n", exc.start)
            return line, _encoding_message(
                exc.object[start : end if end >= 0 else None], exc.object[exc.start]
            )
        line += chunk.count(b"\n")
    return None


def _encoding_message(line: bytes, byte: int) -> str:
    message = _("the file is not UTF-8 text (byte 0x{byte:02X} on this row)").format(byte=byte)
    try:
        sample = line.decode("cp1252").strip()[:60]
    except UnicodeDecodeError:
        return message + _(": save it as 'CSV UTF-8'")
    return message + _(
        "; it looks like Windows-1252/Latin-1 ('{sample}'): in Excel choose "
        "'Save as type: CSV UTF-8'"
    ).format(sample=sample)


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most cells (Indonesian Excel writes ';')."""

    def width(delimiter: str) -> int:
        return len(next(csv.reader([header_line], delimiter=delimiter), []))

    return max(CSV_DELIMITERS, key=width)


def _csv_rows(label: str, records, log: ProblemLog) -> Iterator[Row]:
    number = 0
    try:
        for number, record in enumerate(records, start=1):
            yield number, record
    except csv.Error as exc:
        log.add(
            label,
            number + 1,
            None,
            _("cannot read this row as CSV ({error}); nothing after it was read").format(error=exc),
        )


def _same_width(
    label: str, rows: Iterator[Row], width: int, delimiter: str, log: ProblemLog
) -> Iterator[Row]:
    """Leave out rows with more cells than the header: their values have shifted columns."""
    for number, cells in rows:
        if len(cells) > width and not _blank(cells[width:]):
            log.add(
                label,
                number,
                None,
                _(
                    "this row has {cells} cells but the header has {width}: a value containing "
                    "'{delimiter}' must be put in double quotes"
                ).format(
                    cells=len(cells),
                    width=width,
                    delimiter="tab" if delimiter == "\t" else delimiter,
                ),
            )
            continue
        yield number, cells


# XLSX -----------------------------------------------------------------------------------------


def _read_xlsx(name: str, raw: BinaryIO, log: ProblemLog) -> Iterator[Table]:
    import openpyxl

    try:
        with zipfile.ZipFile(raw) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        raw.seek(0)
        if unpacked > MAX_UNPACKED_BYTES:
            log.add(
                name,
                None,
                None,
                _("the workbook unpacks to {size} MB, more than {limit} MB: split it").format(
                    size=unpacked // 2**20, limit=MAX_UNPACKED_BYTES // 2**20
                ),
            )
            return
        # data_only=False: a formula must reach us as a formula, to be refused. With
        # data_only=True openpyxl hands over the cached result (or None) and hides it.
        book = openpyxl.load_workbook(raw, read_only=True, data_only=False)
    except Exception as exc:  # a broken archive fails in many library-specific ways
        log.add(
            name,
            None,
            None,
            _("not a readable .xlsx workbook ({error})").format(error=type(exc).__name__),
        )
        return
    try:
        found = 0
        for sheet in book.worksheets:
            label = f"{name}[{sheet.title}]"
            sheet.reset_dimensions()  # some writers store wrong dimensions; read every cell
            rows = _sheet_rows(sheet)
            header = _split_header(rows)
            if header is None:
                continue
            kind = _kind(sheet.title, [normalize_header(cell) for cell in header[1]])
            if kind is None:
                log.notes.append(
                    _(
                        "{label}: sheet skipped (not an opd, unit, workplace or employee sheet)"
                    ).format(label=label)
                )
                continue
            found += 1
            log.register(label)
            table = _table(label, kind, header, rows, log, sheet=True)
            if table is not None:
                yield table
        if not found:
            log.add(
                name,
                None,
                None,
                _("the workbook has no opd, unit, workplace or employee sheet with data"),
            )
    finally:
        book.close()


def _sheet_rows(sheet) -> Iterator[Row]:
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        yield number, [_cell_value(cell) for cell in cells]


def _cell_value(cell):
    if cell.data_type == "f":
        return Formula(str(getattr(cell.value, "text", cell.value)))
    if cell.data_type == "e":
        return ExcelError(str(cell.value))
    return cell.value
