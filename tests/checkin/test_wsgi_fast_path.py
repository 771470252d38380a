"""POST /api/v1/events as the server answers it: the WSGI fast path in hadir.wsgi, which must
answer exactly as the documented django-ninja route does, and leave everything else to Django."""

import json

import pytest

from hadir.checkin import wsgi_events
from hadir.checkin.models import EvidenceRecord
from tests.checkin.conftest import at_office, call_wsgi

pytestmark = pytest.mark.django_db


def post(body: bytes, headers: dict, **kwargs):
    return call_wsgi("POST", "/api/v1/events", body, headers, **kwargs)


def signed_headers(event) -> dict:
    return {"Content-Type": "application/json", **event.headers}


def test_the_fast_path_and_the_ninja_route_give_the_same_answer(client, regency, device):
    first, second = at_office(device), at_office(device)
    status, headers, content = post(first.body, signed_headers(first))
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in second.headers.items()}
    ninja = client.post(
        "/api/v1/events", data=second.body, content_type="application/json", **extra
    )
    fast, slow = json.loads(content), ninja.json()
    assert (status, ninja.status_code) == (201, 201)
    assert headers["Content-Type"] == ninja["Content-Type"] == "application/json"
    assert set(fast) == set(slow)
    assert (fast["outcome"], fast["workplace"]) == (slow["outcome"], slow["workplace"])
    assert [r["code"] for r in fast["reasons"]] == [r["code"] for r in slow["reasons"]]
    assert EvidenceRecord.objects.count() == 2


def test_the_fast_path_keeps_the_remote_address_and_the_headers_that_matter(regency, device):
    event = at_office(device)
    headers = {**signed_headers(event), "User-Agent": "okhttp/4.12.0", "Cookie": "secret=1"}
    status, _, _ = post(event.body, headers, remote_addr="203.0.113.9")
    record = EvidenceRecord.objects.get()
    assert status == 201
    assert record.remote_addr == "203.0.113.9"
    assert record.headers["user-agent"] == "okhttp/4.12.0"
    assert record.headers["x-hadir-key-id"] == device.key.key_id
    assert "cookie" not in record.headers
    assert "workplace_network" in {r["code"] for r in record.reasons}  # 203.0.113.0/28


def test_a_repeat_through_the_fast_path_is_answered_from_the_first_record(regency, device):
    event = at_office(device)
    first = json.loads(post(event.body, signed_headers(event))[2])
    status, _, content = post(event.body, signed_headers(event))
    assert status == 200
    assert json.loads(content)["record_id"] == first["record_id"]
    assert EvidenceRecord.objects.count() == 1


def test_a_body_over_the_upload_limit_is_a_413_json_error(regency, device, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    event = at_office(device)
    body = event.body + b" " * 2000
    status, headers, content = post(body, signed_headers(event))
    assert status == 413
    assert json.loads(content)["fields"][0]["field"] == "body"
    assert headers["Content-Type"] == "application/json"
    assert EvidenceRecord.objects.count() == 0


def test_a_bad_content_length_is_a_400_naming_it(regency, device):
    event = at_office(device)
    status, _, content = post(event.body, {**signed_headers(event), "Content-Length": "many"})
    assert status == 400
    assert json.loads(content)["fields"][0]["field"] == "content-length"


def test_a_crash_inside_is_a_500_json_error_and_stores_nothing(regency, device, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    before = regency.employee.devices.get().last_seq
    monkeypatch.setattr("hadir.checkin.store.insert_evidence_statement", broken)
    event = at_office(device)
    status, _, content = post(event.body, signed_headers(event))
    assert status == 500
    assert json.loads(content) == {"error": "internal_error"}
    assert EvidenceRecord.objects.count() == 0
    assert regency.employee.devices.get().last_seq == before


@pytest.mark.parametrize("wrapped", [True, False], ids=["django", "driver"])
def test_a_database_unavailable_is_a_503_with_retry_after(regency, device, monkeypatch, wrapped):
    from django.db import OperationalError, connection

    error = OperationalError if wrapped else connection.Database.OperationalError

    def unavailable(*args, **kwargs):
        raise error("the database system is shutting down")

    monkeypatch.setattr("hadir.checkin.store.insert_evidence_statement", unavailable)
    event = at_office(device)
    status, headers, content = post(event.body, signed_headers(event))
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert json.loads(content)["error"] == "unavailable"
    assert EvidenceRecord.objects.count() == 0


def test_other_methods_and_paths_go_to_django(regency):
    status, _, content = call_wsgi("GET", "/api/v1/events", b"", {})
    assert status == 405
    status, _, content = call_wsgi("GET", "/api/v1/time", b"", {})
    assert status == 200
    assert "server_time" in json.loads(content)


def test_request_headers_come_from_the_wsgi_environment():
    environ = {
        "HTTP_X_HADIR_KEY_ID": "abc",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "",
        "REMOTE_ADDR": "10.0.0.1",
    }
    assert wsgi_events.request_headers(environ) == {
        "x-hadir-key-id": "abc",
        "content-type": "application/json",
    }
