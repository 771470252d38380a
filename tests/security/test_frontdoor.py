# ruff: noqa: F811 - the check-in fixtures, imported
"""The events endpoint's front door: strangers never reach the evidence chain, their traces stay
bounded, and rate limits answer 429 with Retry-After on both the fast path and the ninja route."""

import json

import pytest

from hadir.checkin import frontdoor
from hadir.checkin.models import EvidenceRecord, RefusedSample, RefusedTally
from hadir.client import DeviceKey
from tests.checkin.conftest import at_office, call_wsgi, device, regency  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def post_fast(body: bytes, headers: dict, remote_addr="198.51.100.7"):
    return call_wsgi("POST", "/api/v1/events", body, headers, remote_addr=remote_addr)


def post_ninja(client, body: bytes, headers: dict, remote_addr="198.51.100.7"):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return client.post(
        "/api/v1/events",
        data=body,
        content_type="application/json",
        REMOTE_ADDR=remote_addr,
        **extra,
    )


def stranger(n: int) -> tuple[bytes, dict]:
    body = json.dumps({"event_id": f"e{n}", "kind": "check_in", "pad": "x" * 100}).encode()
    key = DeviceKey.generate()
    return body, {"X-Hadir-Key-Id": key.key_id, "X-Hadir-Signature": key.sign(body)}


@pytest.fixture
def rates(settings):
    def set_rates(address="off", refused="off", key="off", tallies=5000, samples=200):
        settings.EVENTS_RATE_PER_ADDRESS = address
        settings.EVENTS_REFUSED_RATE_PER_ADDRESS = refused
        settings.EVENTS_RATE_PER_KEY = key
        settings.FRONT_DOOR_MAX_TALLIES = tallies
        settings.FRONT_DOOR_SAMPLES = samples
        frontdoor.reset()

    return set_rates


def test_unknown_key_ids_are_counted_not_chained(regency, device, rates):
    rates()
    for n in range(5):
        status, _, content = post_fast(*stranger(n))
        assert status == 401
        assert json.loads(content)["error"] == "unauthenticated"
    assert not EvidenceRecord.objects.exists()
    assert RefusedTally.objects.count() == 5
    assert set(RefusedTally.objects.values_list("reason", flat=True)) == {"device_unknown"}


def test_the_same_source_is_one_tally_row_counting_up(regency, device, rates):
    rates()
    body, headers = stranger(1)
    for _ in range(4):
        post_fast(body, headers)
    tally = RefusedTally.objects.get()
    assert (tally.key_id, tally.remote_addr, tally.count) == (
        headers["X-Hadir-Key-Id"],
        "198.51.100.7",
        4,
    )


def test_past_the_cap_new_sources_share_one_overflow_row(regency, device, rates):
    rates(tallies=3)
    for n in range(10):
        post_fast(*stranger(n))
    assert RefusedTally.objects.count() == 4
    overflow = RefusedTally.objects.get(key_id="*")
    assert (overflow.remote_addr, overflow.count) == ("*", 7)


def test_samples_stay_in_their_slots_and_are_truncated(regency, device, rates):
    rates(samples=3)
    big = b"{" + b" " * 10_000
    for n in range(30):
        post_fast(big, {"X-Hadir-Key-Id": f"k{n}", "X-Hadir-Signature": "x"})
    assert 1 <= RefusedSample.objects.count() <= 3
    sample = RefusedSample.objects.first()
    assert len(bytes(sample.body)) == 2048
    assert sample.body_size == 10_001


def test_an_authentic_event_is_still_chained(regency, device, rates):
    rates(refused="1/3600")
    post_fast(*stranger(1))
    assert post_fast(*stranger(2))[0] == 429
    event = at_office(device)
    status, _, _ = post_fast(event.body, event.headers)
    assert status == 201
    assert EvidenceRecord.objects.get().outcome == "accepted"


def test_refusals_beyond_the_rate_are_429_and_counted_later(regency, device, rates, monkeypatch):
    rates(refused="2/3600")
    body, headers = stranger(1)
    answers = [post_fast(body, headers) for _ in range(5)]
    assert [a[0] for a in answers] == [401, 401, 429, 429, 429]
    _, answer_headers, content = answers[-1]
    assert int(answer_headers["Retry-After"]) >= 1
    assert json.loads(content)["error"] == "throttled"
    assert RefusedTally.objects.get().count == 2
    later = frontdoor._clock() + 3600  # the bucket refills: the next refusal brings the rest
    monkeypatch.setattr(frontdoor, "_clock", lambda: later)
    post_fast(body, headers)
    assert RefusedTally.objects.get().count == 6


@pytest.mark.parametrize("path", ["fast", "ninja"])
def test_too_many_requests_from_one_address_is_a_429(client, regency, device, rates, path):
    rates(address="3/60")
    statuses = []
    for n in range(5):
        body, headers = stranger(n)
        if path == "fast":
            status, answer_headers, content = post_fast(body, headers)
        else:
            response = post_ninja(client, body, headers)
            status, answer_headers, content = response.status_code, response, response.content
        statuses.append(status)
    assert statuses == [401, 401, 401, 429, 429]
    assert int(answer_headers["Retry-After"]) >= 1
    assert json.loads(content)["error"] == "throttled"
    assert post_fast(*stranger(9), remote_addr="198.51.100.8")[0] == 401


def test_behind_the_local_proxy_the_forwarded_address_counts(regency, device, rates):
    rates(address="1/60")
    one = {"X-Forwarded-For": "203.0.113.9"}
    two = {"X-Forwarded-For": "203.0.113.10"}
    assert post_fast(*_with(stranger(1), one), remote_addr="127.0.0.1")[0] == 401
    assert post_fast(*_with(stranger(2), two), remote_addr="127.0.0.1")[0] == 401
    assert post_fast(*_with(stranger(3), one), remote_addr="127.0.0.1")[0] == 429
    # an outside caller cannot choose its address by sending the header itself
    assert post_fast(*_with(stranger(4), two), remote_addr="198.51.100.1")[0] == 401
    assert post_fast(*_with(stranger(5), one), remote_addr="198.51.100.1")[0] == 429


def _with(request: tuple[bytes, dict], extra: dict) -> tuple[bytes, dict]:
    body, headers = request
    return body, {**headers, **extra}


def test_a_phone_over_its_rate_is_429_and_its_repeats_are_still_answered(regency, device, rates):
    rates(key="2/3600")
    events = [at_office(device) for _ in range(3)]
    assert [post_fast(e.body, e.headers)[0] for e in events] == [201, 201, 429]
    assert post_fast(events[0].body, events[0].headers)[0] == 200  # a retry after a lost answer
    assert EvidenceRecord.objects.count() == 2


def test_garbage_under_a_phones_key_id_does_not_use_up_its_allowance(regency, device, rates):
    rates(key="2/3600")
    for _ in range(5):
        event = at_office(device)
        forged = dict(event.headers, **{"X-Hadir-Signature": DeviceKey.generate().sign(b"x")})
        assert post_fast(event.body, forged)[0] == 401
    assert post_fast(*_signed(at_office(device)))[0] == 201


def _signed(event) -> tuple[bytes, dict]:
    return event.body, event.headers
