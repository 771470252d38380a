import base64
import hashlib
import random

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from hadir.client import DeviceKey
from hadir.domain.signing import (
    SigningError,
    algorithm_of,
    body_hash,
    key_id_for,
    key_id_for_b64,
    load_public_key,
    verify_signature,
)

BODY = b'{"v":1,"seq":1}'


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def spki_b64(private_key) -> str:
    return b64(
        private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


@pytest.fixture(params=["p256", "ed25519"])
def key(request) -> DeviceKey:
    return DeviceKey.generate(request.param)


def test_a_signature_over_the_exact_body_verifies(key):
    public = load_public_key(key.spki_b64)
    assert verify_signature(public, BODY, key.sign(BODY))


def test_a_signature_over_other_bytes_does_not_verify(key):
    public = load_public_key(key.spki_b64)
    assert not verify_signature(public, BODY + b" ", key.sign(BODY))


def test_a_signature_from_another_key_does_not_verify(key):
    other = DeviceKey.generate(key.algorithm)
    assert not verify_signature(load_public_key(key.spki_b64), BODY, other.sign(BODY))


def test_webcrypto_raw_ecdsa_signature_is_64_bytes_and_verifies():
    key = DeviceKey.generate("p256")
    raw = key.sign(BODY)
    assert len(base64.b64decode(raw)) == 64
    assert verify_signature(load_public_key(key.spki_b64), BODY, raw)


def test_android_keystore_der_ecdsa_signature_verifies():
    key = DeviceKey.generate("p256")
    der = key.sign_der(BODY)
    assert base64.b64decode(der)[0] == 0x30  # a DER SEQUENCE
    assert verify_signature(load_public_key(key.spki_b64), BODY, der)


def test_base64url_without_padding_is_accepted(key):
    signature = key.sign(BODY).replace("+", "-").replace("/", "_").rstrip("=")
    assert verify_signature(load_public_key(key.spki_b64), BODY, signature)


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda s: s[:-8], id="truncated"),
        pytest.param(lambda s: b64(base64.b64decode(s)[:-1]), id="one-byte-short"),
        pytest.param(lambda s: "!!not base64!!", id="garbage"),
        pytest.param(lambda s: "", id="empty"),
        pytest.param(lambda s: "A" * 5000, id="huge"),
        pytest.param(lambda s: b64(b"\xff" * 64), id="r-and-s-out-of-range"),
        pytest.param(lambda s: b64(b"\x00" * 64), id="zero-r-and-s"),
        pytest.param(lambda s: b64(b"\x30\x06\x02\x01\x01\x02\x01"), id="broken-der"),
    ],
)
def test_mangled_signatures_return_false_without_crashing(key, mangle):
    assert verify_signature(load_public_key(key.spki_b64), BODY, mangle(key.sign(BODY))) is False


def test_random_signature_bytes_never_raise(key):
    public, rng = load_public_key(key.spki_b64), random.Random(7)
    for size in [0, 1, 8, 63, 64, 65, 70, 72, 100]:
        signature = b64(bytes(rng.randrange(256) for _ in range(size)))
        assert verify_signature(public, BODY, signature) is False


def test_ed25519_rejects_a_signature_of_the_wrong_length():
    key = DeviceKey.generate("ed25519")
    signature = base64.b64decode(key.sign(BODY))
    assert not verify_signature(load_public_key(key.spki_b64), BODY, b64(signature + b"\x00"))


def test_p256_and_ed25519_keys_load_with_their_algorithm(key):
    assert algorithm_of(load_public_key(key.spki_b64)) == key.algorithm


@pytest.mark.parametrize(
    ("spki", "words"),
    [
        pytest.param(spki_b64(ec.generate_private_key(ec.SECP384R1())), "P-256", id="p384"),
        pytest.param(spki_b64(ec.generate_private_key(ec.SECP256K1())), "P-256", id="secp256k1"),
        pytest.param(
            spki_b64(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "RSA",
            id="rsa",
        ),
        pytest.param("%%%", "base64", id="not-base64"),
        pytest.param(b64(b"hello"), "SubjectPublicKeyInfo", id="not-der"),
        pytest.param("", "base64", id="empty"),
    ],
)
def test_unusable_public_keys_raise_signing_error_saying_why(spki, words):
    with pytest.raises(SigningError, match=words):
        load_public_key(spki)


def test_truncated_spki_raises_signing_error():
    spki = base64.b64decode(DeviceKey.generate("p256").spki_b64)
    with pytest.raises(SigningError):
        load_public_key(b64(spki[:-10]))


def test_key_id_is_first_32_hex_of_sha256_of_spki_der(key):
    der = base64.b64decode(key.spki_b64)
    assert key_id_for(der) == hashlib.sha256(der).hexdigest()[:32]
    assert key_id_for_b64(key.spki_b64) == key.key_id
    assert len(key.key_id) == 32


def test_different_keys_have_different_key_ids():
    assert DeviceKey.generate().key_id != DeviceKey.generate().key_id


def test_body_hash_is_hex_sha256():
    assert body_hash(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
