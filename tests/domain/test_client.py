import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from hadir.client import (
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    Device,
    DeviceClock,
    DeviceKey,
    HadirClient,
    HadirClientError,
    ManualTime,
    canonical_json,
)
from hadir.domain.events import parse_event_body
from hadir.domain.signing import body_hash, key_id_for, load_public_key, verify_signature

T0 = datetime(2025, 3, 3, 0, 30, tzinfo=UTC)
NIP = "198503152010011002"


@pytest.fixture
def time() -> ManualTime:
    return ManualTime(T0)


@pytest.fixture
def phone(time) -> Device:
    return Device(DeviceKey.generate("p256"), NIP, DeviceClock(time, tz="Asia/Makassar"))


def check_in(phone: Device, **kwargs):
    return phone.make_event("check_in", -2.2136, 113.9108, 8.0, **kwargs)


@pytest.mark.parametrize("algorithm", ["p256", "ed25519"])
def test_signed_events_verify_against_the_enrolled_public_key(phone, algorithm):
    phone.key = DeviceKey.generate(algorithm)
    signed = check_in(phone)
    public = load_public_key(phone.key.spki_b64)
    assert verify_signature(public, signed.body, signed.headers[SIGNATURE_HEADER])
    assert signed.headers[KEY_ID_HEADER] == key_id_for(base64.b64decode(phone.key.spki_b64))


def test_ecdsa_signatures_are_raw_r_s_like_webcrypto(phone):
    assert len(base64.b64decode(phone.key.sign(b"x"))) == 64


def test_an_unknown_key_algorithm_is_refused():
    with pytest.raises(ValueError, match="p256"):
        DeviceKey.generate("rsa")


def test_bodies_are_compact_sorted_json_that_the_server_parses(phone):
    signed = check_in(phone, wifi=[("aa:bb:cc:dd:ee:ff", -40)], office_code="123456")
    assert signed.body == canonical_json(json.loads(signed.body))
    assert b" " not in signed.body
    event = parse_event_body(signed.body)
    assert event.office_code == "123456"
    assert event.device_time.utcoffset() == timedelta(hours=8)  # the phone's own zone


def test_events_form_a_chain_of_seq_and_previous_body_hash(phone):
    first, second = check_in(phone), check_in(phone)
    assert (first.data["seq"], first.data["prev_hash"]) == (1, None)
    assert (second.data["seq"], second.data["prev_hash"]) == (2, body_hash(first.body))
    assert first.event_id != second.event_id


def test_rewinding_a_rejected_event_reuses_its_seq(phone):
    first = check_in(phone)
    rejected = check_in(phone)
    phone.rewind(rejected)
    again = check_in(phone)
    assert (again.data["seq"], again.data["prev_hash"]) == (2, body_hash(first.body))


def test_only_the_latest_event_can_be_rewound(phone):
    first = check_in(phone)
    check_in(phone)
    with pytest.raises(ValueError, match="latest"):
        phone.rewind(first)


def test_the_device_clock_follows_simulated_time(phone, time):
    before = phone.clock.monotonic_ms()
    time.advance(minutes=5)
    assert phone.clock.monotonic_ms() - before == 300_000
    assert phone.clock.wall() == T0 + timedelta(minutes=5)


def test_a_reboot_restarts_the_monotonic_clock_and_counts_the_boot(phone, time):
    time.advance(hours=2)
    phone.clock.reboot()
    time.advance(seconds=3)
    assert phone.clock.monotonic_ms() == 3_000
    assert phone.clock.boot_count == 2


def test_a_changed_wall_clock_does_not_move_the_monotonic_clock(phone):
    before = phone.clock.monotonic_ms()
    phone.clock.set_wall_offset(timedelta(hours=-3))
    assert phone.clock.wall() == T0 - timedelta(hours=3)
    assert phone.clock.monotonic_ms() == before


def test_event_fields_can_be_overridden_for_simulations(phone):
    signed = check_in(
        phone,
        queued_offline=True,
        monotonic_ms=42,
        boot_count=None,
        device_time=T0,
        event_id="fixed-event-1",
    )
    assert signed.data["monotonic_ms"] == 42
    assert signed.data["boot_count"] is None
    assert signed.data["queued_offline"] is True
    assert signed.event_id == "fixed-event-1"


class FakeServer:
    """A transport that records requests and answers from a table."""

    def __init__(self, answers: dict[tuple[str, str], tuple[int, object]]):
        self.answers, self.requests = answers, []

    def __call__(self, method, url, headers, body):
        self.requests.append((method, url, headers, body))
        status, payload = self.answers[(method, url)]
        return status, json.dumps(payload).encode()


def test_login_posts_credentials_and_returns_the_token():
    server = FakeServer({("POST", "/api/v1/auth/login"): (200, {"token": "tok"})})
    assert HadirClient("", transport=server).login(NIP, "rahasia") == "tok"
    assert json.loads(server.requests[0][3]) == {"identifier": NIP, "password": "rahasia"}


def test_a_failed_login_raises_with_the_status():
    server = FakeServer({("POST", "/x/api/v1/auth/login"): (401, {"detail": "salah"})})
    with pytest.raises(HadirClientError) as info:
        HadirClient("/x/", transport=server).login(NIP, "wrong")
    assert info.value.status == 401


def test_enrol_sends_the_public_key_and_algorithm_with_the_bearer_token(phone):
    server = FakeServer({("POST", "/api/v1/devices"): (201, {"status": "pending"})})
    result = HadirClient("", transport=server).enrol("tok", phone.key, {"model": "Redmi 9A"})
    _, _, headers, body = server.requests[0]
    assert result == {"status": "pending"}
    assert headers["Authorization"] == "Bearer tok"
    assert json.loads(body) == {
        "public_key": phone.key.spki_b64,
        "algorithm": "p256",
        "description": {"model": "Redmi 9A"},
    }


def test_send_posts_the_exact_signed_bytes_with_both_headers(phone):
    server = FakeServer({("POST", "/api/v1/events"): (409, {"outcome": "rejected"})})
    signed = check_in(phone)
    status, payload = HadirClient("", transport=server).send(signed)
    _, _, headers, body = server.requests[0]
    assert (status, payload) == (409, {"outcome": "rejected"})
    assert body is signed.body
    assert headers[SIGNATURE_HEADER] == signed.headers[SIGNATURE_HEADER]
    assert headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("payload", [[{"id": "c1"}], {"challenges": [{"id": "c1"}]}])
def test_challenges_are_listed(payload):
    server = FakeServer({("GET", "/api/v1/challenges"): (200, payload)})
    assert HadirClient("", transport=server).challenges("tok") == [{"id": "c1"}]


def test_server_time_is_parsed():
    server = FakeServer(
        {
            ("GET", "/api/v1/time"): (
                200,
                {"server_time": "2025-03-03T00:30:00+00:00", "time_zone": "Asia/Jakarta"},
            )
        }
    )
    assert HadirClient("", transport=server).server_time() == T0
