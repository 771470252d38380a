import copy
import json
from datetime import timedelta

import pytest

from hadir.domain.events import EventBodyError, parse_event_body

HASH = "ab" * 32


def valid() -> dict:
    return {
        "v": 1,
        "event_id": "evt_0001-abc",
        "kind": "check_in",
        "employee": "198503152010011002",
        "device_time": "2025-03-03T07:30:00+07:00",
        "monotonic_ms": 3_600_000,
        "boot_count": 4,
        "seq": 2,
        "prev_hash": HASH,
        "location": {
            "lat": -2.2136,
            "lon": 113.9108,
            "accuracy_m": 12.5,
            "provider": "fused",
            "fix_time": "2025-03-03T07:29:55+07:00",
            "mock": False,
            "altitude_m": 30.0,
            "speed_mps": 0.0,
            "bearing_deg": None,
        },
        "wifi": [{"bssid": "AA:BB:CC:DD:EE:FF", "rssi": -60}],
        "office_code": "123456",
        "queued_offline": False,
        "app_version": "1.0.0",
        "integrity_token": None,
        "challenge_id": None,
    }


def encode(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def with_change(path: str, value=..., base: dict | None = None) -> dict:
    """A copy of the valid body with one dotted field set (or deleted when value is ...)."""
    data = copy.deepcopy(base or valid())
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        last = int(last)
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return data


def errors_of(data_or_bytes) -> list[tuple[str, str]]:
    body = data_or_bytes if isinstance(data_or_bytes, bytes) else encode(data_or_bytes)
    with pytest.raises(EventBodyError) as info:
        parse_event_body(body)
    return info.value.errors


def test_a_valid_body_parses_into_typed_values():
    event = parse_event_body(encode(valid()))
    assert event.seq == 2
    assert event.device_time.utcoffset() == timedelta(hours=7)
    assert event.location.lat == -2.2136
    assert event.location.fix_time < event.device_time
    assert event.wifi[0].bssid == "aa:bb:cc:dd:ee:ff"  # normalised to lower case
    assert event.queued_offline is False


def test_unknown_fields_are_ignored_but_kept_in_raw():
    event = parse_event_body(encode({**valid(), "battery_pct": 41}))
    assert event.raw["battery_pct"] == 41


def test_nullable_fields_may_be_omitted():
    data = valid()
    for name in ("wifi", "office_code", "integrity_token", "challenge_id", "boot_count"):
        del data[name]
    for name in ("altitude_m", "speed_mps", "bearing_deg"):
        del data["location"][name]
    event = parse_event_body(encode(data))
    assert event.wifi == ()
    assert event.boot_count is None
    assert event.location.altitude_m is None


def test_a_null_wifi_list_means_none_seen():
    assert parse_event_body(encode({**valid(), "wifi": None})).wifi == ()


def test_integer_coordinates_are_accepted_as_numbers():
    event = parse_event_body(encode(with_change("location.lat", -2)))
    assert event.location.lat == -2.0


def test_the_first_event_of_a_chain_has_no_prev_hash():
    event = parse_event_body(encode({**valid(), "seq": 1, "prev_hash": None}))
    assert event.prev_hash is None


def test_a_presence_check_with_a_challenge_id_parses():
    event = parse_event_body(encode({**valid(), "kind": "presence_check", "challenge_id": "c1"}))
    assert event.challenge_id == "c1"


def test_an_uppercase_prev_hash_is_normalised():
    assert parse_event_body(encode({**valid(), "prev_hash": HASH.upper()})).prev_hash == HASH


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("v", 2, "v"),
        ("v", True, "v"),
        ("event_id", "short", "event_id"),
        ("event_id", "has spaces in it", "event_id"),
        ("event_id", "x" * 65, "event_id"),
        ("event_id", "abcdefgh\n", "event_id"),
        ("kind", "lunch_break", "kind"),
        ("kind", ["check_in"], "kind"),
        ("employee", "", "employee"),
        ("employee", 198503152010011002, "employee"),
        ("device_time", "2025-03-03T07:30:00", "device_time"),
        ("device_time", "yesterday", "device_time"),
        ("device_time", 1741000000, "device_time"),
        ("monotonic_ms", -1, "monotonic_ms"),
        ("monotonic_ms", "5", "monotonic_ms"),
        ("monotonic_ms", True, "monotonic_ms"),
        ("monotonic_ms", 1.5, "monotonic_ms"),
        ("boot_count", -1, "boot_count"),
        ("boot_count", False, "boot_count"),
        ("seq", 0, "seq"),
        ("seq", True, "seq"),
        ("seq", None, "seq"),
        ("prev_hash", "xyz", "prev_hash"),
        ("prev_hash", None, "prev_hash"),
        ("location", "here", "location"),
        ("location", None, "location"),
        ("location.lat", 91, "location.lat"),
        ("location.lat", -90.5, "location.lat"),
        ("location.lon", -181, "location.lon"),
        ("location.lat", "1.0", "location.lat"),
        ("location.lat", True, "location.lat"),
        ("location.accuracy_m", 0, "location.accuracy_m"),
        ("location.accuracy_m", -5, "location.accuracy_m"),
        ("location.accuracy_m", 100_000, "location.accuracy_m"),
        ("location.provider", "satellite", "location.provider"),
        ("location.mock", "false", "location.mock"),
        ("location.mock", 0, "location.mock"),
        ("location.fix_time", "2025-03-03 07:29", "location.fix_time"),
        ("location.speed_mps", -1, "location.speed_mps"),
        ("location.bearing_deg", 361, "location.bearing_deg"),
        ("wifi", "aa:bb", "wifi"),
        ("wifi", [{"bssid": "aa:bb:cc:dd:ee:ff", "rssi": -1}] * 51, "wifi"),
        ("wifi.0.bssid", "aabbccddeeff", "wifi.0.bssid"),
        ("wifi.0.rssi", 5, "wifi.0.rssi"),
        ("wifi.0", "aa:bb:cc:dd:ee:ff", "wifi.0"),
        ("office_code", "12ab56", "office_code"),
        ("office_code", 123456, "office_code"),
        ("queued_offline", 0, "queued_offline"),
        ("queued_offline", None, "queued_offline"),
        ("app_version", 3, "app_version"),
        ("integrity_token", 5, "integrity_token"),
    ],
)
def test_a_malformed_field_is_reported_by_its_dotted_path(path, value, field):
    assert field in [f for f, _ in errors_of(with_change(path, value))]


@pytest.mark.parametrize(
    "path",
    [
        "v",
        "event_id",
        "kind",
        "employee",
        "device_time",
        "monotonic_ms",
        "seq",
        "location",
        "location.lat",
        "location.lon",
        "location.accuracy_m",
        "location.provider",
        "location.fix_time",
        "location.mock",
        "queued_offline",
        "app_version",
    ],
)
def test_a_missing_required_field_is_reported(path):
    assert (path, "is required") in errors_of(with_change(path))


def test_prev_hash_is_required_after_the_first_event():
    assert ("prev_hash", "required when seq is greater than 1") in errors_of(
        with_change("prev_hash")
    )


def test_prev_hash_must_be_null_on_the_first_event():
    assert "prev_hash" in dict(errors_of({**valid(), "seq": 1}))


def test_a_presence_check_needs_a_challenge_id():
    assert "challenge_id" in dict(errors_of({**valid(), "kind": "presence_check"}))


def test_all_problems_are_reported_at_once():
    data = with_change("location.lat", 200, base={**valid(), "seq": 0, "kind": "nap"})
    assert {"seq", "kind", "location.lat"} <= {f for f, _ in errors_of(data)}


@pytest.mark.parametrize(
    "literal", [b"NaN", b"Infinity", b"-Infinity"], ids=["nan", "inf", "minus-inf"]
)
def test_non_finite_json_constants_are_refused(literal):
    body = encode(valid()).replace(b'"lat":-2.2136', b'"lat":' + literal)
    assert errors_of(body)[0][0] == "body"


def test_a_number_too_large_for_a_float_is_refused():
    body = encode(valid()).replace(b'"lat":-2.2136', b'"lat":1e400')
    assert "location.lat" in dict(errors_of(body))


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"v":1}\xff', "UTF-8"),
        (b'{"seq":1,"seq":9}', "duplicate key"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
        (b"", "not valid JSON"),
    ],
    ids=["garbage", "array", "bad-utf8", "duplicate-key", "deep-nesting", "empty"],
)
def test_bodies_that_are_not_a_json_object_are_refused(body, words):
    errors = errors_of(body)
    assert errors[0][0] == "body"
    assert words in errors[0][1]
