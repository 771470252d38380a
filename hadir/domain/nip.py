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
    """Which part of a NIP is wrong: `code` names the check (the edge says it in the user's
    language, hadir.org.messages), `values` the part's value."""

    def __init__(self, code: str, /, **values: str) -> None:
        self.code, self.values = code, values
        super().__init__(f"{code} {values}" if values else code)


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None  # None for a PPPK number
    gender: str  # "L" (laki-laki) or "P" (perempuan)
    serial: int


def parse_nip(value: str, employee_type: str = "PNS", today: date | None = None) -> Nip:
    """Parse and check a NIP; raises NipError naming the part that is wrong."""
    raw = (value or "").strip().replace(" ", "")
    if not raw.isdigit() or len(raw) != 18:
        raise NipError("length")
    try:
        birth = date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError as exc:
        raise NipError("birth_date", digits=raw[0:8]) from exc
    year, month_text = int(raw[8:12]), raw[12:14]
    if month_text == PPPK_MONTH_MARKER and employee_type == "PPPK":
        month = None
    elif 1 <= int(month_text) <= 12:
        month = int(month_text)
    else:
        raise NipError("appointment_month", month=month_text)
    if year - birth.year < MIN_AGE_AT_APPOINTMENT:
        raise NipError("appointed_too_young")
    if today is not None and (year, month or 1) > (today.year, today.month):
        raise NipError("appointment_in_future")
    if today is not None and birth > today:
        raise NipError("birth_in_future")
    if raw[14] not in "12":
        raise NipError("gender_digit", digit=raw[14])
    serial = int(raw[15:18])
    if serial == 0:
        raise NipError("serial_zero")
    gender = "L" if raw[14] == "1" else "P"
    return Nip(raw, birth, year, month, gender, serial)
