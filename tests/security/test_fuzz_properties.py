"""Property tests (hypothesis) of the pure check-in core: the body parser, the signature check
and the verification rules answer every input with a verdict, never an exception, and a
signature holds for exactly the bytes it was made over."""

import contextlib
import json
import sys
from datetime import timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hadir.client import DeviceKey
from hadir.domain import signing
from hadir.domain.events import EventBody, EventBodyError, parse_event_body
from hadir.domain.reasons import CATALOGUE
from hadir.domain.verification import verify_event
from tests.domain.test_verification import World

quick = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
FIELDS = [
    "v",
    "event_id",
    "kind",
    "employee",
    "device_time",
    "monotonic_ms",
    "boot_count",
    "seq",
    "prev_hash",
    "office_code",
    "office_qr",
    "queued_offline",
    "app_version",
    "challenge_id",
    "location",
    "wifi",
]


def parse(body: bytes):
    try:
        return parse_event_body(body)
    except EventBodyError as exc:
        refused = exc
    assert refused.errors
    assert all(isinstance(path, str) and isinstance(m, str) for path, m in refused.errors)
    return refused


@quick
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_are_refused_with_reasons(body):
    parse(body)


@quick
@given(st.dictionaries(st.sampled_from(FIELDS), json_values))
def test_any_json_object_parses_or_is_refused_with_reasons(data):
    parse(json.dumps(data).encode())


@quick
@given(st.sampled_from(FIELDS), json_values)
def test_a_valid_event_with_one_field_replaced_never_crashes(field, value):
    world = World()
    data = json.loads(world.event().body)
    data[field] = value
    result = parse(json.dumps(data).encode())
    if isinstance(result, EventBody):  # whatever passes fits the store's columns
        assert 1 <= result.seq < 2**63
        assert 0 <= result.monotonic_ms < 2**63
        assert "\x00" not in result.employee


def test_a_body_nested_far_beyond_the_recursion_limit_is_refused():
    depth = sys.getrecursionlimit() * 4
    assert isinstance(parse(b"[" * depth + b"]" * depth), EventBodyError)
    assert isinstance(parse(b'{"a":' * depth + b"1" + b"}" * depth), EventBodyError)


KEY = DeviceKey.generate("p256")
PUBLIC = signing.load_public_key(KEY.spki_b64)


@quick
@given(st.binary(max_size=200), st.text(max_size=200))
def test_any_signature_text_is_a_yes_or_no(body, signature):
    assert signing.verify_signature(PUBLIC, body, signature) in (True, False)


@quick
@given(st.binary(min_size=1, max_size=200), st.data())
def test_a_signature_holds_for_its_bytes_and_no_others(body, data):
    signature = KEY.sign(body)
    assert signing.verify_signature(PUBLIC, body, signature)
    index = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
    flipped = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
    assert not signing.verify_signature(PUBLIC, flipped, signature)


@quick
@given(st.text(max_size=300))
def test_any_public_key_text_loads_or_is_refused(text):
    with contextlib.suppress(signing.SigningError):
        signing.load_public_key(text)


@quick
@given(
    st.sampled_from(FIELDS),
    json_values,
    st.sampled_from(["good", "poor"]),
    st.integers(min_value=-3600, max_value=3600),
)
def test_the_rules_answer_any_signed_body_with_a_verdict(field, value, tier, skew_s):
    world = World(tier=tier)
    world.send(world.event())  # a device with history: sequence and clocks to compare with
    data = json.loads(world.event().body)
    data[field] = value
    body = json.dumps(data).encode()
    world.time.advance(timedelta(seconds=abs(skew_s)))
    verdict = verify_event(
        body=body,
        key_id=world.key.key_id,
        signature_b64=world.key.sign(body),
        device=world.state,
        employee=world.employee,
        workplaces=world.workplaces,
        policy=world.policy,
        received_at=world.time(),
        remote_addr=world.remote_addr,
        open_challenge_ids=frozenset(),
    )
    assert verdict.http_status in (201, 400, 401, 403, 409, 413, 422)
    assert set(verdict.codes) <= set(CATALOGUE)
    assume(verdict.outcome != "rejected")
    assert verdict.time_of_record is not None
