"""Two OPDs with their people, a flagged day with real check-in records, and a helper to log in.

DISDIK: Kepala (kepala_disdik), an atasan (Pak Atasan, the employee's supervisor), the flagged
employee Budi and his colleague Sari (one phone for both), an OPD admin. DINKES: its Kepala and an
employee Tono. Regency-wide: BKPSDM and Inspektorat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hadir.cases.models import DisciplineCase
from hadir.checkin.models import EvidenceRecord
from hadir.fraud.models import DayFlag, Level
from hadir.org.models import RoleKind
from tests.checkin.conftest import PASSWORD, Regency, at_office
from tests.factories import make_employee, make_opd, make_user, make_workplace

FAR = (-2.5200, 112.9700)  # about 2.9 km from the office


class World(Regency):
    def __init__(self, client):
        super().__init__(client)
        self.head_user = make_user("kepala_disdik", role=RoleKind.OPD_HEAD, opd=self.opd)
        self.head = make_employee(
            self.opd,
            [self.office],
            identifier="197001012000031011",
            name="Drs. Kepala Disdik",
            user=self.head_user,
        )
        self.opd.head = self.head
        self.opd.save()
        self.opd_admin = make_user("admin_disdik", role=RoleKind.OPD_ADMIN, opd=self.opd)
        self.colleague_user = make_user("sari", staff=False)
        self.colleague = make_employee(
            self.opd,
            [self.office],
            identifier="199001012015032012",
            name="Sari",
            user=self.colleague_user,
            supervisor=self.boss,
        )
        self.other_opd = make_opd("DINKES", "Dinas Kesehatan")
        self.other_office = make_workplace(self.other_opd, "DINKES-KANTOR", lat=-2.55, lon=112.93)
        self.other_head_user = make_user(
            "kepala_dinkes", role=RoleKind.OPD_HEAD, opd=self.other_opd
        )
        self.outsider = make_employee(
            self.other_opd, [self.other_office], identifier="198801012012031013", name="Tono"
        )
        self.bkpsdm = make_user("bkpsdm", role=RoleKind.BKPSDM_ADMIN)
        self.inspector = make_user("inspektur", role=RoleKind.INSPECTOR)

    def flagged_day(self, device) -> DayFlag:
        self.http.send(at_office(device))
        self.http.send(device.make_event("check_out", FAR[0], FAR[1], 15.0))
        records = list(EvidenceRecord.objects.filter(employee=self.employee).order_by("pk"))
        day = timezone.localdate()
        evidence = [
            {
                "code": "shared_device",
                "tier": "strong",
                "contribution": 0.9,
                "day": day.isoformat(),
                "message": "shared_device.same_day",
                "events": [f"#{r.pk}" for r in records],
                "values": {
                    "day": day.isoformat(),
                    "device_id": 7,
                    "owner": self.employee.pk,
                    "employee_count": 3,
                    "employees": [self.employee.pk, self.colleague.pk, self.outsider.pk],
                    "events": [],
                },
            }
        ]
        return DayFlag.objects.create(
            employee=self.employee,
            day=day,
            score=0.93,
            level=Level.STRONG,
            tier="good",
            codes=["shared_device"],
            evidence=evidence,
        )

    def quiet_flag(self, employee, level=Level.REVIEW, score=0.5, days_ago=1) -> DayFlag:
        return DayFlag.objects.create(
            employee=employee,
            day=timezone.localdate() - timedelta(days=days_ago),
            score=score,
            level=level,
            tier="good",
            codes=["outside_geofence"],
            evidence=[],
        )


@pytest.fixture
def world(db, client):
    return World(client)


@pytest.fixture
def flag(world):
    return world.flagged_day(world.enrolled_device())


@pytest.fixture
def login(client):
    def log_in(username):
        client.logout()
        assert client.login(username=username, password=PASSWORD)
        return client

    return log_in


def open_case_for(world, employee=None, by=None, **extra) -> DisciplineCase:
    from hadir.cases.access import viewer_for
    from hadir.cases.services import open_case

    return open_case(
        viewer_for(by or world.head_user),
        employee or world.employee,
        extra.pop("ground", "report"),
        extra.pop("violation", "Tidak masuk kerja tanpa keterangan"),
        **extra,
    )
