"""NIP (Nomor Induk Pegawai): the 18-digit number of an ASN employee.

Layout: YYYYMMDD birth date, YYYYMM appointment (TMT CPNS), one gender digit (1 man, 2 woman),
a three-digit serial. PPPK numbers carry "21" in place of the appointment month, which marks the
appointment as PPPK; they are accepted for PPPK employees only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PPPK_MONTH_MARKER = "21"
MIN_AGE_AT_APPOINTMENT = 17


class NipError(ValueError):
    pass


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None  # None for a PPPK number
    gender: str  # "L" (laki-laki) or "P" (perempuan)
    serial: int


def parse_nip(value: str, employee_type: str = "PNS", today: date | None = None) -> Nip:
    """Parse and check a NIP; raises NipError saying which part is wrong."""
    raw = (value or "").strip().replace(" ", "")
    if not raw.isdigit() or len(raw) != 18:
        raise NipError("NIP must be exactly 18 digits")
    try:
        birth = date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError as exc:
        raise NipError(f"NIP birth date {raw[0:8]} is not a real date") from exc
    year, month_text = int(raw[8:12]), raw[12:14]
    if month_text == PPPK_MONTH_MARKER and employee_type == "PPPK":
        month = None
    elif 1 <= int(month_text) <= 12:
        month = int(month_text)
    else:
        raise NipError(f"NIP appointment month {month_text} is not a month")
    if year - birth.year < MIN_AGE_AT_APPOINTMENT:
        raise NipError("NIP appointment date is before the employee could have been appointed")
    if today is not None and (year, month or 1) > (today.year, today.month):
        raise NipError("NIP appointment date is in the future")
    if today is not None and birth > today:
        raise NipError("NIP birth date is in the future")
    if raw[14] not in "12":
        raise NipError(f"NIP gender digit must be 1 or 2, not {raw[14]}")
    serial = int(raw[15:18])
    if serial == 0:
        raise NipError("NIP serial number cannot be 000")
    gender = "L" if raw[14] == "1" else "P"
    return Nip(raw, birth, year, month, gender, serial)
