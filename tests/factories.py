"""Small builders for master data, shared by the Django-level tests."""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from hadir.domain.geo import Geofence
from hadir.org.models import Employee, EmployeeType, Opd, OpdKind, Role, Workplace

_serial = itertools.count(1)
SAMPIT = (-2.5375, 112.9500)


def nip(
    serial: int | None = None, birth: str = "19850315", appointed: str = "201001", gender: str = "1"
) -> str:
    # Serials cycle through 001-999 (000 is not a valid NIP serial) without ever repeating two
    # in a row: `% 1000 or 1` gave 1000 and 1001 the same 001, a collision in whichever test
    # happened to create its employees as the shared counter crossed a thousand.
    if serial is None:
        serial = (next(_serial) - 1) % 999 + 1
    return f"{birth}{appointed}{gender}{serial % 1000 or 1:03d}"


def make_opd(code: str = "DISDIK", name: str = "Dinas Pendidikan", kind=OpdKind.DINAS) -> Opd:
    return Opd.objects.create(code=code, name=name, kind=kind)


def make_workplace(
    opd: Opd,
    code: str | None = None,
    lat: float = SAMPIT[0],
    lon: float = SAMPIT[1],
    radius_m: float = 100,
    tier: str = "good",
    **extra,
) -> Workplace:
    return Workplace.objects.create(
        opd=opd,
        code=code or f"{opd.code}-KANTOR",
        name=f"Kantor {opd.name}",
        geofence=Geofence.circle(lat, lon, radius_m).to_dict(),
        connectivity_tier=tier,
        **extra,
    )


def make_employee(
    opd: Opd,
    workplaces=(),
    identifier: str | None = None,
    name: str = "Budi",
    employee_type=EmployeeType.PNS,
    user=None,
    **extra,
) -> Employee:
    employee = Employee.objects.create(
        identifier=identifier or nip(),
        employee_type=employee_type,
        name=name,
        opd=opd,
        active_from=date(2020, 1, 1),
        user=user,
        **extra,
    )
    employee.workplaces.set(workplaces)
    return employee


def make_user(
    username: str,
    password: str = "rahasia-kuat-123",
    *,
    role: str | None = None,
    opd: Opd | None = None,
    staff: bool = True,
    superuser: bool = False,
):
    User = get_user_model()
    user = User.objects.create_user(
        username=username, password=password, is_staff=staff, is_superuser=superuser
    )
    if role:
        Role.objects.create(user=user, kind=role, opd=opd)
    return user
