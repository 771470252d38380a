"""Device keys and event signatures.

A phone holds an ECDSA P-256 key (WebCrypto, Android Keystore) or an Ed25519 key and signs the
exact bytes of each event body. The server stores the public key as base64 of its
SubjectPublicKeyInfo DER and names it by a key id derived from those bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

KEY_ID_HEX_CHARS = 32
P256_COORDINATE_BYTES = 32
RAW_SIGNATURE_BYTES = 64  # ECDSA P-256 r||s (IEEE P1363, WebCrypto) and Ed25519 alike
MAX_SIGNATURE_B64_CHARS = 200  # a DER P-256 signature is at most 72 bytes (96 base64 chars)
MAX_SPKI_B64_CHARS = 400


class SigningError(ValueError):
    """A key or signature that cannot be used; the message says why."""


def decode_b64(text: str, *, limit: int) -> bytes:
    """Standard base64 (padding optional); base64url is accepted too."""
    if not isinstance(text, str) or not text or len(text) > limit:
        raise SigningError("not a base64 string of a plausible length")
    cleaned = text.strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningError(f"not valid base64: {exc}") from exc


@lru_cache(maxsize=8192)  # parsing a key costs as much as a third of verifying with it
def load_public_key(spki_b64: str) -> PublicKey:
    der = decode_b64(spki_b64, limit=MAX_SPKI_B64_CHARS)
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SigningError("not a DER SubjectPublicKeyInfo public key") from exc
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise SigningError(f"ECDSA curve {key.curve.name} is not accepted; use P-256")
        return key
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    raise SigningError(
        f"{type(key).__name__.removeprefix('_')} keys are not accepted; use ECDSA P-256 or Ed25519"
    )


def algorithm_of(key: PublicKey) -> str:
    return "ed25519" if isinstance(key, ed25519.Ed25519PublicKey) else "p256"


def spki_der(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id_for(spki_der: bytes) -> str:
    return hashlib.sha256(spki_der).hexdigest()[:KEY_ID_HEX_CHARS]


def key_id_for_b64(spki_b64: str) -> str:
    return key_id_for(decode_b64(spki_b64, limit=MAX_SPKI_B64_CHARS))


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def verify_signature(key: PublicKey, body: bytes, signature_b64: str) -> bool:
    """True only for a valid signature over exactly `body`; garbage gives False, never a crash."""
    try:
        signature = decode_b64(signature_b64, limit=MAX_SIGNATURE_B64_CHARS)
    except SigningError:
        return False
    if isinstance(key, ed25519.Ed25519PublicKey):
        return len(signature) == RAW_SIGNATURE_BYTES and _ed25519_ok(key, body, signature)
    return any(_ecdsa_ok(key, body, der) for der in _ecdsa_der_candidates(signature))


def raw_to_der(signature: bytes) -> bytes:
    r = int.from_bytes(signature[:P256_COORDINATE_BYTES], "big")
    s = int.from_bytes(signature[P256_COORDINATE_BYTES:], "big")
    return encode_dss_signature(r, s)


def der_to_raw(signature: bytes) -> bytes:
    r, s = decode_dss_signature(signature)
    return r.to_bytes(P256_COORDINATE_BYTES, "big") + s.to_bytes(P256_COORDINATE_BYTES, "big")


def _ecdsa_der_candidates(signature: bytes) -> list[bytes]:
    # WebCrypto emits raw r||s (64 bytes); Android Keystore emits DER (68-72 bytes). A DER
    # signature of exactly 64 bytes is astronomically unlikely, but trying both costs nothing.
    candidates = [signature]
    if len(signature) == RAW_SIGNATURE_BYTES:
        candidates.insert(0, raw_to_der(signature))
    return candidates


def _ecdsa_ok(key: ec.EllipticCurvePublicKey, body: bytes, der: bytes) -> bool:
    try:
        key.verify(der, body, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


def _ed25519_ok(key: ed25519.Ed25519PublicKey, body: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, body)
    except (InvalidSignature, ValueError):
        return False
    return True
