"""Issuing a letter: its template's text filled with the case's values, a number from the OPD's
yearly sequence, the letterhead and the signer frozen into the row."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max

from hadir.attendance.recap import long_date
from hadir.cases.letter_texts import DEFAULTS
from hadir.cases.models import DisciplineCase, Letter, Letterhead, LetterTemplate, SignerRole
from hadir.domain.letters import fill, letter_number

WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
EMPLOYEE_TYPES = {"PNS": "PNS", "PPPK": "PPPK", "NON_ASN": "Non-ASN"}
GROUNDS = {
    "flag": "temuan sistem presensi yang telah dikonfirmasi",
    "spot_check": "hasil inspeksi mendadak (sidak)",
    "threshold": "akumulasi ketidakhadiran menurut rekapitulasi presensi",
    "report": "temuan atau laporan",
}


def template_for(kind: str) -> tuple[str, str, str]:
    row = LetterTemplate.objects.filter(kind=kind).first()
    if row is not None:
        return row.title, row.body, row.signer
    default = DEFAULTS[kind]
    return default.title, default.body, default.signer


def head_title(opd) -> str:
    from hadir.attendance.recap import head_title as title

    return title(opd)


def case_values(case: DisciplineCase) -> dict[str, str]:
    employee = case.employee
    supervisor = employee.supervisor
    head = case.opd.head
    values = {
        "nama": employee.name,
        "nip": employee.identifier,
        "jenis_pegawai": EMPLOYEE_TYPES.get(employee.employee_type, employee.employee_type),
        "unit": employee.unit.name if employee.unit_id else "",
        "unit_kerja": (
            f"{employee.unit.name}, {case.opd.name}" if employee.unit_id else case.opd.name
        ),
        "opd": case.opd.name,
        "pelanggaran": case.violation,
        "dasar": GROUNDS.get(case.ground, case.ground)
        + (f" ({case.source_ref})" if case.source_ref else ""),
        "atasan_nama": supervisor.name if supervisor else "-",
        "atasan_nip": supervisor.identifier if supervisor else "-",
        "kepala_nama": head.name if head else "-",
        "kepala_nip": head.identifier if head else "-",
        "kepala_jabatan": head_title(case.opd),
    }
    if case.examination_on:
        values |= {
            "hari_pemeriksaan": WEEKDAYS[case.examination_on.weekday()],
            "tanggal_pemeriksaan": long_date(case.examination_on),
            "jam_pemeriksaan": case.examination_time or "-",
            "tempat_pemeriksaan": case.examination_place or "-",
        }
    return values


def _signer(case: DisciplineCase, role: str) -> tuple[str, str, str]:
    supervisor = case.employee.supervisor
    if role == SignerRole.SUPERVISOR and supervisor is not None:
        return "Atasan Langsung", supervisor.name, supervisor.identifier
    head = case.opd.head
    return (
        head_title(case.opd),
        head.name if head else "(belum ditetapkan)",
        (head.identifier if head else ""),
    )


def issue_letter(
    case: DisciplineCase, kind: str, *, dated: date, by: str, extra: dict | None = None
) -> Letter:
    title, body, signer_role = template_for(kind)
    heading = Letterhead.current()
    signer_title, signer_name, signer_nip = _signer(case, signer_role)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = Letter.objects.filter(opd=case.opd, year=dated.year).aggregate(m=Max("seq"))[
                    "m"
                ]
                seq = (last or 0) + 1
                number = letter_number(
                    heading.number_pattern, seq=seq, year=dated.year, opd=case.opd.code
                )
                values = case_values(case) | dict(extra or {})
                values |= {
                    "nomor": number,
                    "tanggal_surat": long_date(dated),
                    "tempat_surat": heading.place,
                }
                return Letter.objects.create(
                    case=case,
                    kind=kind,
                    opd=case.opd,
                    year=dated.year,
                    seq=seq,
                    number=number,
                    dated=dated,
                    title=fill(title, values),
                    body=fill(body, values),
                    heading={
                        "government": heading.government,
                        "agency": case.opd.name.upper(),
                        "address": heading.address,
                        "place": heading.place,
                    },
                    signer_title=signer_title,
                    signer_name=signer_name,
                    signer_nip=signer_nip,
                    issued_by=by,
                )
        except IntegrityError:  # another letter took the number meanwhile
            continue
    raise RuntimeError("could not number the letter")
