"""Two OPDs with people in every role: what each role may see on /pantau/ is tested against it.

DISDIK: Kepala (head), atasan Ani with Budi and Citra, Dedi under another atasan.
DINKES: Eko and Fitri. Regency-wide: bkpsdm, inspektorat. Plus an employee with no role.
Names are unique so a page's text tells whose data it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hadir.org.models import Employee, Opd, RoleKind, Unit, Workplace
from tests.factories import make_employee, make_opd, make_user, make_workplace

PASSWORD = "rahasia-kuat-123"


@dataclass
class World:
    disdik: Opd
    dinkes: Opd
    disdik_office: Workplace
    dinkes_office: Workplace
    head: Employee
    ani: Employee
    budi: Employee
    citra: Employee
    dedi: Employee
    eko: Employee
    fitri: Employee
    users: dict

    def names_outside(self, role: str) -> set[str]:
        """Names a user of this role must never see."""
        seen = {
            "bkpsdm": set(ALL_NAMES),
            "inspektorat": set(ALL_NAMES),
            "kepala_disdik": set(ALL_NAMES[:5]),
            "atasan_ani": {"Ani Atasan", "Budi Staf", "Citra Staf"},
            "kepala_dinkes": {"Eko Dinkes", "Fitri Dinkes"},
        }[role]
        return set(ALL_NAMES) - seen


ALL_NAMES = (
    "Kepala Disdik",
    "Ani Atasan",
    "Budi Staf",
    "Citra Staf",
    "Dedi Lain",
    "Eko Dinkes",
    "Fitri Dinkes",
)
ROLES = ("bkpsdm", "inspektorat", "kepala_disdik", "kepala_dinkes", "atasan_ani")


@pytest.fixture
def world(db) -> World:
    disdik = make_opd("DISDIK", "Dinas Pendidikan")
    dinkes = make_opd("DINKES", "Dinas Kesehatan")
    unit = Unit.objects.create(opd=disdik, code="SD", name="Bidang SD")
    disdik_office = make_workplace(disdik)
    dinkes_office = make_workplace(dinkes, lat=-2.54, lon=112.96)
    users = {
        "bkpsdm": make_user("bkpsdm", PASSWORD, role=RoleKind.BKPSDM_ADMIN),
        "inspektorat": make_user("inspektorat", PASSWORD, role=RoleKind.INSPECTOR),
        "kepala_disdik": make_user("kepala_disdik", PASSWORD, role=RoleKind.OPD_HEAD, opd=disdik),
        "kepala_dinkes": make_user("kepala_dinkes", PASSWORD, role=RoleKind.OPD_HEAD, opd=dinkes),
        "atasan_ani": make_user("atasan_ani", PASSWORD, role=RoleKind.SUPERVISOR, opd=disdik),
        "pegawai": make_user("pegawai", PASSWORD, role=RoleKind.EMPLOYEE, staff=False),
    }
    head = make_employee(disdik, [disdik_office], name="Kepala Disdik")
    ani = make_employee(
        disdik, [disdik_office], name="Ani Atasan", unit=unit, user=users["atasan_ani"]
    )
    budi = make_employee(disdik, [disdik_office], name="Budi Staf", unit=unit, supervisor=ani)
    citra = make_employee(disdik, [disdik_office], name="Citra Staf", unit=unit, supervisor=ani)
    dedi = make_employee(disdik, [disdik_office], name="Dedi Lain", supervisor=head)
    eko = make_employee(dinkes, [dinkes_office], name="Eko Dinkes", user=users["pegawai"])
    fitri = make_employee(dinkes, [dinkes_office], name="Fitri Dinkes")
    people = (head, ani, budi, citra, dedi, eko, fitri)
    return World(disdik, dinkes, disdik_office, dinkes_office, *people, users)


@pytest.fixture
def login(client):
    def as_role(world: World, role: str):
        client.force_login(world.users[role])
        return client

    return as_role
