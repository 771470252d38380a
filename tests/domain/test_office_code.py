import re
from datetime import UTC, datetime, timedelta

import pytest

from hadir.domain.office_code import (
    OfficeCodeError,
    new_office_secret,
    office_code_at,
    office_code_valid,
    provisioning_uri,
    seconds_remaining,
)

# RFC 6238 appendix B: the ASCII secret "12345678901234567890", SHA-1, 30 s, 8 digits.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AT = datetime(2025, 3, 3, 0, 30, 7, tzinfo=UTC)  # 7 s into a 15 s step


@pytest.mark.parametrize(
    ("unix", "code"), [(59, "94287082"), (1111111109, "07081804"), (2000000000, "69279037")]
)
def test_codes_match_the_rfc_6238_test_vectors(unix, code):
    at = datetime.fromtimestamp(unix, UTC)
    assert office_code_at(RFC_SECRET, at, step_s=30, digits=8) == code


def test_the_current_code_is_valid():
    assert office_code_valid(SECRET, office_code_at(SECRET, AT), AT)


@pytest.mark.parametrize("steps", [-1, 1])
def test_a_code_one_step_away_is_valid_within_the_default_drift(steps):
    shown = office_code_at(SECRET, AT + timedelta(seconds=15 * steps))
    assert office_code_valid(SECRET, shown, AT)


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_steps_away_is_refused_with_the_default_drift(steps):
    shown = office_code_at(SECRET, AT + timedelta(seconds=15 * steps))
    assert not office_code_valid(SECRET, shown, AT)


def test_a_wider_drift_accepts_older_codes():
    shown = office_code_at(SECRET, AT - timedelta(seconds=60))
    assert office_code_valid(SECRET, shown, AT, drift_steps=4)


def test_a_code_from_another_workplace_is_refused():
    other = new_office_secret()
    assert not office_code_valid(SECRET, office_code_at(other, AT), AT)


@pytest.mark.parametrize("code", [None, "", "12345", "1234567", "12a456", "١٢٣٤٥٦", 123456])
def test_malformed_codes_are_refused_without_error(code):
    assert office_code_valid(SECRET, code, AT) is False


def test_codes_have_the_requested_number_of_digits():
    assert re.fullmatch(r"\d{8}", office_code_at(SECRET, AT, digits=8))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        office_code_at(SECRET, datetime(2025, 3, 3, 7, 30))


@pytest.mark.parametrize("secret", ["", "not base32!", None])
def test_an_unusable_secret_raises_office_code_error(secret):
    with pytest.raises(OfficeCodeError):
        office_code_at(secret, AT)


def test_an_unsupported_step_raises_office_code_error():
    with pytest.raises(OfficeCodeError):
        office_code_at(SECRET, AT, step_s=600)


def test_new_secrets_are_160_bit_base32_and_distinct():
    first, second = new_office_secret(), new_office_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", first)
    assert first != second


def test_the_provisioning_uri_names_the_workplace_and_the_step():
    uri = provisioning_uri(SECRET, "Puskesmas Pahandut", step_s=15)
    assert uri.startswith("otpauth://totp/")
    assert "issuer=Hadir" in uri
    assert "period=15" in uri


def test_seconds_remaining_counts_down_to_the_next_step():
    assert seconds_remaining(AT) == 8
