"""A small regency for the attendance tests, and a way to put evidence rows in place.

October 2026 is the working month of most tests: it is in the past (the suite may run any day
after it), has no national holiday, and starts on a Thursday.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hadir.checkin.models import EvidenceRecord
from hadir.org.models import EmployeeType, RoleKind
from tests.factories import make_employee, make_opd, make_user, make_workplace

WIB = ZoneInfo("Asia/Jakarta")
PASSWORD = "rahasia-kuat-123"
_rows = itertools.count(1)


def at(day: date, hhmm: str, tz=WIB) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def record(employee, kind: str, when: datetime, outcome: str = "accepted") -> EvidenceRecord:
    """An evidence row as the pipeline would leave it (the hash chain is not under test here)."""
    n = next(_rows)
    return EvidenceRecord.objects.create(
        received_at=when,
        remote_addr="127.0.0.1",
        headers={},
        body=b"{}",
        body_size=2,
        body_hash=f"{n:064x}",
        event_id=f"ev-{n}",
        kind=kind,
        employee=employee,
        outcome=outcome,
        http_status=200 if outcome != "rejected" else 422,
        reasons=[],
        time_of_record=when,
        prev_hash=f"{n - 1:064x}",
        row_hash=f"{n:064x}",
    )


def workday(employee, day: date, check_in: str = "07:25", check_out: str = "16:05") -> None:
    if check_in:
        record(employee, "check_in", at(day, check_in))
    if check_out:
        record(employee, "check_out", at(day, check_out))


class Regency:
    def __init__(self):
        self.opd = make_opd("DISDIK", "Dinas Pendidikan")
        self.office = make_workplace(self.opd, "DISDIK-KANTOR")
        self.head_user = make_user("196501011990031001", role=RoleKind.OPD_HEAD, opd=self.opd)
        self.head = make_employee(
            self.opd,
            [self.office],
            identifier="196501011990031001",
            name="Dr. Siti Rahmah, M.Pd.",
            user=self.head_user,
        )
        self.opd.head = self.head
        self.opd.save()
        self.boss_user = make_user("196901011990031002", role=RoleKind.SUPERVISOR, staff=False)
        self.boss = make_employee(
            self.opd,
            [self.office],
            identifier="196901011990031002",
            name="Pak Atasan",
            user=self.boss_user,
            supervisor=self.head,
        )
        self.user = make_user("198707212011011003", staff=False)
        self.employee = make_employee(
            self.opd,
            [self.office],
            identifier="198707212011011003",
            name="Budi Santoso",
            supervisor=self.boss,
            user=self.user,
        )
        self.admin = make_user("bkpsdm", role=RoleKind.BKPSDM_ADMIN)
        self.opd_admin = make_user("admin_disdik", role=RoleKind.OPD_ADMIN, opd=self.opd)

    def other_opd(self, code="DINKES", name="Dinas Kesehatan"):
        opd = make_opd(code, name)
        office = make_workplace(opd, f"{code}-KANTOR")
        return opd, office

    def contract_worker(self, name="Rina", identifier="THL-0001"):
        return make_employee(
            self.opd,
            [self.office],
            identifier=identifier,
            name=name,
            employee_type=EmployeeType.NON_ASN,
            supervisor=self.boss,
        )


@pytest.fixture
def regency(db):
    return Regency()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
