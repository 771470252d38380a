"""What an import file may contain: the four kinds of file, their columns and header aliases.

docs/import.md documents the same table for people; tests check that the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    OPD = "opd"
    UNIT = "unit"
    WORKPLACE = "workplace"
    EMPLOYEE = "employee"


def kind_label(kind: Kind) -> str:
    """What a person calls a kind of file: the model's name, in their language."""
    from hadir.org.models import Employee, Opd, Unit, Workplace

    model = {Kind.OPD: Opd, Kind.UNIT: Unit, Kind.WORKPLACE: Workplace, Kind.EMPLOYEE: Employee}
    return str(model[kind]._meta.verbose_name)


# Written in this order, so that every reference points at something already saved.
KIND_ORDER = (Kind.OPD, Kind.UNIT, Kind.WORKPLACE, Kind.EMPLOYEE)


class ColType(StrEnum):
    TEXT = "text"  # free text, stored as written: refused when it looks like a formula
    CODE = "code"  # a short identifier: letters, digits and . _ / -
    ID = "id"  # an employee identifier (NIP or local number), spaces removed
    CHOICE = "choice"
    NUMBER = "number"
    RUPIAH = "rupiah"  # whole rupiah: 3500000, "Rp 3.500.000", "3.500.000,00"
    DATE = "date"
    LIST = "list"  # several values separated by ";" (or ",")
    POLYGON = "polygon"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColType
    required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int | None = None


OPD_COLUMNS = (
    Column("code", ColType.CODE, True, ("kode", "kode_opd", "opd_code"), 20),
    Column("name", ColType.TEXT, True, ("nama", "nama_opd"), 200),
    Column("kind", ColType.CHOICE, True, ("jenis", "jenis_opd")),
    Column("head_nip", ColType.ID, False, ("nip_kepala", "nip_kepala_opd", "kepala_nip"), 30),
)

UNIT_COLUMNS = (
    Column("opd_code", ColType.CODE, True, ("kode_opd", "opd"), 20),
    Column("code", ColType.CODE, True, ("kode", "kode_unit", "unit_code"), 20),
    Column("name", ColType.TEXT, True, ("nama", "nama_unit"), 200),
)

WORKPLACE_COLUMNS = (
    Column(
        "code", ColType.CODE, True, ("kode", "kode_lokasi", "kode_kantor", "workplace_code"), 30
    ),
    Column("opd_code", ColType.CODE, True, ("kode_opd", "opd"), 20),
    Column("name", ColType.TEXT, True, ("nama", "nama_lokasi", "nama_kantor"), 200),
    Column("address", ColType.TEXT, False, ("alamat",), 300),
    Column("connectivity_tier", ColType.CHOICE, True, ("konektivitas", "sinyal", "tier")),
    Column("time_zone", ColType.CHOICE, False, ("zona_waktu", "timezone", "tz")),
    Column("center_lat", ColType.NUMBER, False, ("lat", "latitude", "lintang")),
    Column("center_lon", ColType.NUMBER, False, ("lon", "lng", "longitude", "bujur")),
    Column("radius_m", ColType.NUMBER, False, ("radius", "radius_meter")),
    Column("polygon", ColType.POLYGON, False, ("poligon", "wkt")),
    Column("office_code_mode", ColType.CHOICE, False, ("mode_kode_kantor", "kode_kantor_mode")),
    Column("known_bssids", ColType.LIST, False, ("bssid", "bssids", "wifi_bssid")),
    Column("public_networks", ColType.LIST, False, ("jaringan_publik", "ip_publik")),
)

EMPLOYEE_COLUMNS = (
    Column("nip", ColType.ID, True, ("identifier", "nomor_pegawai", "no_pegawai"), 30),
    Column(
        "employee_type", ColType.CHOICE, True, ("jenis_pegawai", "status_pegawai", "type", "jenis")
    ),
    Column("name", ColType.TEXT, True, ("nama", "nama_pegawai", "nama_lengkap"), 200),
    Column("opd_code", ColType.CODE, True, ("kode_opd", "opd"), 20),
    Column("unit_code", ColType.CODE, False, ("kode_unit", "unit"), 20),
    Column(
        "supervisor_nip", ColType.ID, False, ("nip_atasan", "nip_atasan_langsung", "atasan_nip"), 30
    ),
    Column("active_from", ColType.DATE, True, ("aktif_dari", "mulai_aktif", "tmt")),
    Column("active_to", ColType.DATE, False, ("aktif_sampai", "selesai_aktif")),
    Column("position_class", ColType.CODE, False, ("kelas_jabatan", "kelas", "kelas_jab"), 10),
    Column(
        "tpp_amount",
        ColType.RUPIAH,
        False,
        ("tpp", "besaran_tpp", "tpp_bulanan", "nilai_tpp", "pagu_tpp", "tpp_rp"),
    ),
    Column(
        "workplace_codes",
        ColType.LIST,
        True,
        ("workplace_code", "workplaces", "kode_lokasi", "lokasi_kerja"),
    ),
)

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.OPD: OPD_COLUMNS,
    Kind.UNIT: UNIT_COLUMNS,
    Kind.WORKPLACE: WORKPLACE_COLUMNS,
    Kind.EMPLOYEE: EMPLOYEE_COLUMNS,
}

CIRCLE_COLUMNS = ("center_lat", "center_lon", "radius_m")

# File and sheet names that say what a file holds (compared word by word, lower case).
NAME_WORDS: dict[Kind, frozenset[str]] = {
    Kind.OPD: frozenset({"opd", "opds", "skpd"}),
    Kind.UNIT: frozenset({"unit", "units", "bidang", "seksi"}),
    Kind.WORKPLACE: frozenset({"workplace", "workplaces", "lokasi", "kantor"}),
    Kind.EMPLOYEE: frozenset({"employee", "employees", "pegawai", "asn"}),
}


def normalize_header(text: object) -> str:
    """'Kode OPD ' -> 'kode_opd'; 'Radius (m)' -> 'radius_m'."""
    text = str(text or "").replace("\ufeff", "").strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def column_lookup(kind: Kind) -> dict[str, Column]:
    lookup = {}
    for column in COLUMNS[kind]:
        lookup[column.name] = column
        for alias in column.aliases:
            lookup.setdefault(alias, column)
    return lookup


def kind_from_name(name: str) -> Kind | None:
    """The kind a file or sheet name announces, when it names exactly one."""
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    found = [kind for kind, names in NAME_WORDS.items() if words & names]
    return found[0] if len(found) == 1 else None


def kind_from_headers(headers: list[str]) -> Kind | None:
    """The kind a header row reveals, for files whose name does not say."""
    names = set(headers)
    if names & {"nip", "employee_type", "supervisor_nip", "workplace_codes", "nip_atasan"}:
        return Kind.EMPLOYEE
    if names & {"connectivity_tier", "polygon", "radius_m", "center_lat", "konektivitas"}:
        return Kind.WORKPLACE
    if names & {"kind", "jenis_opd", "head_nip"}:
        return Kind.OPD
    if names >= {"opd_code", "code", "name"} or names >= {"kode_opd", "kode_unit"}:
        return Kind.UNIT
    return None


def _choices(values: dict[str, str], *aliases: tuple[str, str]) -> dict[str, str]:
    table = {normalize_header(key): value for key, value in values.items()}
    table.update((normalize_header(alias), value) for alias, value in aliases)
    return table


def choice_tables() -> dict[str, dict[str, str]]:
    """Accepted spellings (normalized like headers) of each choice column, to the stored value."""
    from hadir.org.models import (
        ConnectivityTier,
        EmployeeType,
        OfficeCodeMode,
        OpdKind,
        TimeZoneName,
    )

    def own(choices) -> dict[str, str]:
        return {value: value for value in choices.values}

    return {
        "kind": _choices(own(OpdKind), ("other", OpdKind.LAINNYA), ("setda", OpdKind.SEKRETARIAT)),
        "employee_type": _choices(
            own(EmployeeType),
            ("non asn", EmployeeType.NON_ASN),
            ("nonasn", EmployeeType.NON_ASN),
            ("honorer", EmployeeType.NON_ASN),
            ("tekon", EmployeeType.NON_ASN),
            ("kontrak", EmployeeType.NON_ASN),
        ),
        "connectivity_tier": _choices(
            own(ConnectivityTier),
            ("baik", ConnectivityTier.GOOD),
            ("buruk", ConnectivityTier.POOR),
            ("lemah", ConnectivityTier.POOR),
            ("tidak ada", ConnectivityTier.NONE),
        ),
        "time_zone": _choices(
            own(TimeZoneName),
            ("WIB", TimeZoneName.WIB),
            ("WITA", TimeZoneName.WITA),
            ("WIT", TimeZoneName.WIT),
        ),
        "office_code_mode": _choices(
            own(OfficeCodeMode),
            ("wajib", OfficeCodeMode.REQUIRED),
            ("opsional", OfficeCodeMode.OPTIONAL),
            ("mati", OfficeCodeMode.OFF),
        ),
    }
