"""docs/api.md's worked example must stay true: these tests read its values and check them."""

import base64
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hadir.client import Device, DeviceClock, DeviceKey
from hadir.domain.events import parse_event_body
from hadir.domain.geo import Geofence
from hadir.domain.office_code import office_qr_text
from hadir.domain.reasons import CATALOGUE
from hadir.domain.signing import body_hash, key_id_for, load_public_key, verify_signature
from hadir.domain.verification import (
    DeviceState,
    EmployeeInfo,
    VerificationPolicy,
    WorkplaceInfo,
    verify_event,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example(doc) -> dict[str, str]:
    blocks = re.findall(r"<!-- example:(\w+) -->\n```\n(.*?)\n```", doc, flags=re.DOTALL)
    return dict(blocks)


def test_the_doc_gives_every_example_value(example):
    assert set(example) == {
        "private_key_hex",
        "public_key_spki_b64",
        "key_id",
        "body",
        "signature_b64",
        "body_hash",
        "office_qr",
    }


def test_the_example_signature_verifies_over_the_example_body(example):
    key = load_public_key(example["public_key_spki_b64"])
    assert verify_signature(key, example["body"].encode(), example["signature_b64"])


def test_the_example_private_key_reproduces_the_public_key_and_signature(example):
    key = DeviceKey.ed25519_from_seed(bytes.fromhex(example["private_key_hex"]))
    assert key.spki_b64 == example["public_key_spki_b64"]
    assert key.sign(example["body"].encode()) == example["signature_b64"]


def test_the_example_key_id_is_derived_from_the_spki(example):
    spki = base64.b64decode(example["public_key_spki_b64"])
    assert key_id_for(spki) == example["key_id"]


def test_the_example_body_is_a_valid_event_with_the_stated_hash_and_length(example, doc):
    body = example["body"].encode()
    event = parse_event_body(body)
    assert event.seq == 42
    assert body_hash(body) == example["body_hash"]
    assert f"exactly these {len(body)} bytes" in doc


def test_the_doc_lists_every_reason_code(doc):
    missing = [code for code in CATALOGUE if f"`{code}`" not in doc]
    assert missing == []


def test_the_doc_names_the_openapi_and_docs_urls(doc):
    assert "/api/v1/openapi.json" in doc
    assert "/api/v1/docs" in doc


def test_the_office_qr_example_is_what_the_screen_shows_and_dates_an_offline_event(example):
    secret, at = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", datetime(2025, 3, 3, 0, 29, 50, tzinfo=UTC)
    assert office_qr_text(secret, "PKM-01", at) == example["office_qr"]
    key = DeviceKey.generate()
    clock = DeviceClock(lambda: at, boot_count=None)
    signed = Device(key, "198503152010011002", clock).make_event(
        "check_in", -2.2136, 113.9108, 8.0, queued_offline=True, office_qr=example["office_qr"]
    )
    verdict = verify_event(
        body=signed.body,
        key_id=key.key_id,
        signature_b64=signed.headers["X-Hadir-Signature"],
        device=DeviceState(1, 10, "active", key.spki_b64, key.key_id),
        employee=EmployeeInfo(10, "198503152010011002"),
        workplaces=[
            WorkplaceInfo(
                5,
                "PKM-01",
                "Puskesmas Pahandut",
                Geofence.circle(-2.2136, 113.9108, 100),
                office_secret=secret,
                office_code_mode="optional",
            )
        ],
        policy=VerificationPolicy(),
        received_at=at + timedelta(hours=2),
        remote_addr="198.51.100.7",
        open_challenge_ids=frozenset(),
    )
    assert verdict.time_of_record.isoformat() == "2025-03-03T00:29:45+00:00"
    assert "offline_time_from_office_qr" in verdict.codes
