"""Signed events through the real HTTP endpoint: verdicts, evidence, idempotency, bad input."""

import json
import math

import pytest

from hadir.checkin.models import Device as DeviceRow
from hadir.checkin.models import EvidenceRecord, RefusedSample, RefusedTally
from hadir.client import DeviceKey
from tests.checkin.conftest import at_office

pytestmark = pytest.mark.django_db


def post_raw(client, body: bytes, headers: dict):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return client.post("/api/v1/events", data=body, content_type="application/json", **extra)


def test_a_check_in_at_the_office_is_accepted_and_stored(regency, device):
    status, answer = regency.http.send(at_office(device))
    assert status == 201
    assert answer["outcome"] == "accepted"
    assert answer["workplace"] == "DISDIK-KANTOR"
    record = EvidenceRecord.objects.get()
    assert (record.employee_id, record.kind, record.outcome) == (
        regency.employee.pk,
        "check_in",
        "accepted",
    )
    assert DeviceRow.objects.get().last_seq == 1


def test_the_same_event_sent_twice_gets_the_first_answer_and_stores_nothing(regency, device):
    event = at_office(device)
    first = regency.http.send(event)
    again = regency.http.send(event)
    assert again[0] == 200
    assert again[1]["record_id"] == first[1]["record_id"]
    assert again[1]["repeated"] is True
    assert EvidenceRecord.objects.count() == 1


def test_a_replayed_body_under_a_new_event_id_is_rejected_and_kept(regency, device):
    regency.http.send(at_office(device))
    replay = device.make_event("check_in", -2.5375, 112.95, 12.0, seq=1, prev_hash=None)
    status, answer = regency.http.send(replay)
    assert status == 409
    assert "sequence_replay" in {r["code"] for r in answer["reasons"]}
    assert EvidenceRecord.objects.filter(outcome="rejected").count() == 1


def test_outside_the_geofence_is_accepted_with_a_warning(regency, device):
    far = device.make_event("check_in", -2.5600, 112.9700, 10.0)
    status, answer = regency.http.send(far)
    assert status == 201
    assert answer["outcome"] == "accepted_with_warnings"
    assert "outside_geofence" in {r["code"] for r in answer["reasons"]}


def test_a_forged_signature_is_rejected_and_counted_outside_the_evidence(client, regency, device):
    event = at_office(device)
    headers = dict(event.headers, **{"X-Hadir-Signature": DeviceKey.generate().sign(event.body)})
    response = post_raw(client, event.body, headers)
    assert response.status_code == 401
    assert response.json()["outcome"] == "rejected"
    assert response.json()["record_id"] is None
    assert not EvidenceRecord.objects.exists()
    assert RefusedTally.objects.get().reason == "signature_invalid"


@pytest.mark.parametrize("signature", ["", "abc", "%%%not-base64%%%", "QUJD" * 40])
def test_a_truncated_or_garbage_signature_is_a_401(client, regency, device, signature):
    event = at_office(device)
    response = post_raw(client, event.body, dict(event.headers, **{"X-Hadir-Signature": signature}))
    assert response.status_code == 401
    assert EvidenceRecord.objects.count() == 0


def test_an_unknown_key_id_is_a_401(client, regency, device):
    event = at_office(device)
    response = post_raw(client, event.body, dict(event.headers, **{"X-Hadir-Key-Id": "f" * 32}))
    assert response.status_code == 401
    assert "device_unknown" in {r["code"] for r in response.json()["reasons"]}


def test_a_revoked_device_is_a_403(regency, device):
    row = DeviceRow.objects.get()
    row.status = "revoked"
    row.save()
    status, answer = regency.http.send(at_office(device))
    assert status == 403
    assert "device_revoked" in {r["code"] for r in answer["reasons"]}


def signed(device, data: dict) -> tuple[bytes, dict]:
    body = json.dumps(data).encode()
    return body, {"X-Hadir-Key-Id": device.key.key_id, "X-Hadir-Signature": device.key.sign(body)}


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["location"].update(lat=91.0), "location.lat"),
        (lambda d: d["location"].update(lat="north"), "location.lat"),
        (lambda d: d.pop("kind"), "kind"),
        (lambda d: d.update(seq="1"), "seq"),
        (lambda d: d["location"].update(accuracy_m=-5), "location.accuracy_m"),
    ],
)
def test_a_malformed_body_is_a_400_naming_the_field(client, regency, device, mutate, field):
    data = at_office(device).data
    mutate(data)
    response = post_raw(client, *signed(device, data))
    assert response.status_code == 400
    fields = {r["detail"].get("field") for r in response.json()["reasons"]}
    assert field in fields
    assert EvidenceRecord.objects.get().outcome == "rejected"


def test_nan_coordinates_are_refused(client, regency, device):
    data = at_office(device).data
    data["location"]["lat"] = math.nan
    body, headers = signed(device, data)
    assert b"NaN" in body
    response = post_raw(client, body, headers)
    assert response.status_code == 400
    errors = " ".join(r["detail"].get("error", "") for r in response.json()["reasons"])
    assert "NaN" in errors
    assert EvidenceRecord.objects.get().lat is None


def test_broken_json_is_a_400(client, regency, device):
    body = b'{"event_id": "abc'
    headers = {"X-Hadir-Key-Id": device.key.key_id, "X-Hadir-Signature": device.key.sign(body)}
    response = post_raw(client, body, headers)
    assert response.status_code == 400
    assert EvidenceRecord.objects.get().body == body


def test_an_oversized_body_is_a_413_counted_outside_the_evidence(client, regency, device):
    data = at_office(device).data
    data["padding"] = "x" * 20_000
    response = post_raw(client, *signed(device, data))
    assert response.status_code == 413
    assert not EvidenceRecord.objects.exists()
    assert RefusedSample.objects.get().body_size > 20_000


def test_an_event_signed_for_another_employee_is_rejected(client, regency, device):
    data = at_office(device).data
    data["employee"] = regency.boss.identifier
    response = post_raw(client, *signed(device, data))
    assert response.status_code == 403
    assert "device_employee_mismatch" in {r["code"] for r in response.json()["reasons"]}


class RejectingIntegrity:
    def check(self, token, *, event, device, received_at):
        from hadir.domain.reasons import make_reason

        return [make_reason("integrity_failed", token=token or "")]


def test_a_configured_integrity_verifier_judges_the_token(regency, device, settings):
    from hadir.checkin import policy

    settings.HADIR_INTEGRITY_VERIFIER = "tests.checkin.test_events_api.RejectingIntegrity"
    policy.current_integrity_verifier.cache_clear()
    try:
        status, answer = regency.http.send(at_office(device, integrity_token="abc"))
    finally:
        policy.current_integrity_verifier.cache_clear()
    assert status == 201
    assert "integrity_failed" in {r["code"] for r in answer["reasons"]}


def test_without_a_verifier_the_token_is_stored_and_marked_unchecked(regency, device):
    _, answer = regency.http.send(at_office(device, integrity_token="abc"))
    assert "integrity_not_checked" in {r["code"] for r in answer["reasons"]}
    assert b'"integrity_token":"abc"' in EvidenceRecord.objects.get().body
