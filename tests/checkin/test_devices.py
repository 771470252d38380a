"""One active phone per employee; a new phone waits for a person to approve it."""

import pytest

from hadir.checkin.models import Device as DeviceRow
from hadir.client import DeviceKey, HadirClientError
from tests.checkin.conftest import PASSWORD, at_office

pytestmark = pytest.mark.django_db


def login(regency, identifier=None):
    return regency.http.login(identifier or regency.employee.identifier, PASSWORD)


def test_the_first_device_is_active_at_once(regency):
    answer = regency.http.enrol(login(regency), DeviceKey.generate("ed25519"), {"model": "A"})
    assert answer["status"] == "active"


def test_a_second_device_waits_and_cannot_check_in_until_approved(regency, device):
    colleague_phone = DeviceKey.generate()
    answer = regency.http.enrol(login(regency), colleague_phone, {"model": "Other phone"})
    assert answer["status"] == "pending"
    from hadir.client import Device

    status, verdict = regency.http.send(
        at_office(Device(colleague_phone, regency.employee.identifier))
    )
    assert status == 403
    assert "device_pending" in {r["code"] for r in verdict["reasons"]}


def test_the_supervisor_approves_the_new_device_and_the_old_one_is_revoked(regency, device):
    new = regency.http.enrol(login(regency), DeviceKey.generate(), {"model": "New phone"})
    boss_token = login(regency, regency.boss.identifier)
    pending = regency.http._json("GET", "/api/v1/devices/pending", token=boss_token)
    assert [d["device_id"] for d in pending] == [new["device_id"]]
    approved = regency.http._json(
        "POST", f"/api/v1/devices/{new['device_id']}/approve", {}, token=boss_token
    )
    assert approved["status"] == "active"
    statuses = sorted(DeviceRow.objects.values_list("status", flat=True))
    assert statuses == ["active", "revoked"]
    status, _ = regency.http.send(at_office(device))
    assert status == 403


def test_the_employee_cannot_approve_their_own_device(regency, device):
    new = regency.http.enrol(login(regency), DeviceKey.generate(), {"model": "New phone"})
    with pytest.raises(HadirClientError) as error:
        regency.http._json(
            "POST", f"/api/v1/devices/{new['device_id']}/approve", {}, token=login(regency)
        )
    assert error.value.status == 403
    assert DeviceRow.objects.get(pk=new["device_id"]).status == "pending"


def test_the_same_key_cannot_be_enrolled_twice(regency):
    key = DeviceKey.generate()
    regency.http.enrol(login(regency), key, {})
    with pytest.raises(HadirClientError) as error:
        regency.http.enrol(login(regency), key, {})
    assert error.value.status == 409


@pytest.mark.parametrize(
    ("public_key", "algorithm", "field"),
    [
        ("bm90IGEga2V5", "p256", "public_key"),
        (None, "rsa", "algorithm"),
        (None, "ed25519", "algorithm"),
    ],
)
def test_a_bad_enrolment_names_the_field_and_stores_nothing(regency, public_key, algorithm, field):
    data = {
        "public_key": public_key or DeviceKey.generate("p256").spki_b64,
        "algorithm": algorithm,
        "description": {},
    }
    with pytest.raises(HadirClientError) as error:
        regency.http._json("POST", "/api/v1/devices", data, token=login(regency))
    assert error.value.status == 422
    assert [f["field"] for f in error.value.payload["fields"]] == [field]
    assert not DeviceRow.objects.exists()


def test_revoking_needs_a_reason_and_keeps_the_history(regency, device):
    row = DeviceRow.objects.get()
    boss_token = login(regency, regency.boss.identifier)
    with pytest.raises(HadirClientError):
        regency.http._json(
            "POST", f"/api/v1/devices/{row.pk}/revoke", {"reason": " "}, token=boss_token
        )
    regency.http._json(
        "POST", f"/api/v1/devices/{row.pk}/revoke", {"reason": "phone lost"}, token=boss_token
    )
    mine = regency.http._json("GET", "/api/v1/devices/me", token=login(regency))
    assert [(d["status"]) for d in mine] == ["revoked"]
    assert DeviceRow.objects.get().revoke_reason == "phone lost"
