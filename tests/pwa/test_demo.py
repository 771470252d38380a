"""The demo names an employee whose first phone is active at once."""

import pytest

from hadir.checkin.devices import enrol_device
from hadir.client import DeviceKey
from hadir.pwa.demo import app_employee, app_invitation
from hadir.sim.demo import build_demo

pytestmark = pytest.mark.django_db
PASSWORD = "hadir-demo-2026"


def test_the_invitation_names_an_employee_who_can_log_in_and_check_in_at_once(client):
    build_demo(seed=11, employees=120, password=PASSWORD)
    text = app_invitation("http://127.0.0.1:8000", PASSWORD)
    employee = app_employee(PASSWORD)
    assert f"NIP {employee.identifier} / {PASSWORD}" in text
    assert "http://127.0.0.1:8000/app/" in text
    login = client.post(
        "/api/v1/auth/login",
        {"identifier": employee.identifier, "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200
    key = DeviceKey.generate()
    from django.utils import timezone

    device = enrol_device(employee, key.spki_b64, "p256", {}, timezone.now())
    assert device.status == "active"


def test_when_everyone_has_a_phone_a_fresh_employee_is_added(client):
    build_demo(seed=11, employees=120, password=PASSWORD)
    from django.utils import timezone

    from hadir.org.models import Employee

    for employee in Employee.objects.filter(opd__code="DISDIK", user__isnull=False):
        enrol_device(employee, DeviceKey.generate().spki_b64, "p256", {}, timezone.now())
    employee = app_employee(PASSWORD)
    assert employee.devices.count() == 0
    assert employee.active_from == timezone.localdate()
    assert employee.workplaces.exists()
    assert employee.supervisor is not None
    login = client.post(
        "/api/v1/auth/login",
        {"identifier": employee.identifier, "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200
