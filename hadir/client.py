"""The Python reference client: a device key, a device clock, event building, and HTTP calls.

Used by the tests, the simulator and the benchmark, and written as the model for third-party
app developers (see docs/api.md): the body is serialized once, signed, and those exact bytes
are sent.
"""

from __future__ import annotations

import base64
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from hadir.domain.signing import body_hash, der_to_raw, key_id_for

KEY_ID_HEADER = "X-Hadir-Key-Id"
SIGNATURE_HEADER = "X-Hadir-Signature"
DEFAULT_APP_VERSION = "hadir-reference-client/1"
_UNSET: Any = object()


def canonical_json(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


class DeviceKey:
    """The phone's key pair. ECDSA signatures are emitted as raw r||s, as WebCrypto does."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        self.private_key = private_key
        self.algorithm = "ed25519" if isinstance(private_key, ed25519.Ed25519PrivateKey) else "p256"

    @classmethod
    def generate(cls, algorithm: str = "p256") -> DeviceKey:
        if algorithm == "p256":
            return cls(ec.generate_private_key(ec.SECP256R1()))
        if algorithm == "ed25519":
            return cls(ed25519.Ed25519PrivateKey.generate())
        raise ValueError(f"unknown algorithm {algorithm!r}; use 'p256' or 'ed25519'")

    @classmethod
    def ed25519_from_seed(cls, seed: bytes) -> DeviceKey:
        return cls(ed25519.Ed25519PrivateKey.from_private_bytes(seed))

    @property
    def spki_der(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @property
    def spki_b64(self) -> str:
        return base64.b64encode(self.spki_der).decode()

    @property
    def key_id(self) -> str:
        return key_id_for(self.spki_der)

    def sign_bytes(self, body: bytes, *, der: bool = False) -> bytes:
        if isinstance(self.private_key, ed25519.Ed25519PrivateKey):
            return self.private_key.sign(body)
        signature = self.private_key.sign(body, ec.ECDSA(hashes.SHA256()))
        return signature if der else der_to_raw(signature)

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.sign_bytes(body)).decode()

    def sign_der(self, body: bytes) -> str:
        """ECDSA in DER, as Android Keystore's Signature("SHA256withECDSA") returns it."""
        return base64.b64encode(self.sign_bytes(body, der=True)).decode()


class ManualTime:
    """A settable 'now' for simulations: ManualTime(start).advance(minutes=5)."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.now += delta if delta is not None else timedelta(**kwargs)
        return self.now


def _system_now() -> datetime:
    return datetime.now(UTC)


class DeviceClock:
    """A phone's clocks, driven by `now` (real time by default, or a simulation's time).

    wall(): the settable wall clock (System.currentTimeMillis), shifted by wall_offset;
    monotonic_ms(): time since boot, sleep included (SystemClock.elapsedRealtime);
    boot_count: Settings.Global.BOOT_COUNT, bumped by reboot().
    """

    def __init__(
        self,
        now: Callable[[], datetime] = _system_now,
        *,
        boot_count: int | None = 1,
        uptime: timedelta = timedelta(hours=1),
        wall_offset: timedelta = timedelta(0),
        tz: str | None = None,
    ):
        self._now = now
        self.boot_count = boot_count
        self.booted_at = now() - uptime
        self.wall_offset = wall_offset
        self.tz = tz

    def wall(self) -> datetime:
        moment = self._now() + self.wall_offset
        if self.tz:
            return moment.astimezone(ZoneInfo(self.tz))
        return moment

    def monotonic_ms(self) -> int:
        return int((self._now() - self.booted_at) / timedelta(milliseconds=1))

    def reboot(self) -> None:
        self.booted_at = self._now()
        if self.boot_count is not None:
            self.boot_count += 1

    def set_wall_offset(self, offset: timedelta) -> None:
        """Simulate a person changing the phone's clock."""
        self.wall_offset = offset


@dataclass(frozen=True)
class SignedEvent:
    body: bytes
    headers: dict[str, str]
    seq: int
    event_id: str
    previous_state: tuple[int, str | None] = field(repr=False, default=(0, None))

    @property
    def data(self) -> dict:
        return json.loads(self.body)


class Device:
    """One enrolled phone: its key, clock, and the event chain (seq and previous body hash)."""

    def __init__(
        self,
        key: DeviceKey,
        employee: str,
        clock: DeviceClock | None = None,
        *,
        app_version: str = DEFAULT_APP_VERSION,
    ):
        self.key, self.employee = key, employee
        self.clock = clock or DeviceClock()
        self.app_version = app_version
        self.seq = 0  # the last seq used
        self.prev_hash: str | None = None

    def make_event(
        self,
        kind: str,
        lat: float,
        lon: float,
        accuracy_m: float,
        *,
        provider: str = "fused",
        fix_time: datetime | None = None,
        mock: bool = False,
        altitude_m: float | None = None,
        speed_mps: float | None = None,
        bearing_deg: float | None = None,
        wifi: list[tuple[str, int]] | None = None,
        office_code: str | None = None,
        office_qr: str | None = None,
        queued_offline: bool = False,
        challenge_id: str | None = None,
        integrity_token: str | None = None,
        device_time: datetime | None = None,
        monotonic_ms: int | None = None,
        boot_count: int | None = _UNSET,
        event_id: str | None = None,
        seq: int | None = None,
        prev_hash: str | None = _UNSET,
        extra: dict | None = None,
    ) -> SignedEvent:
        """Build, serialize and sign the next event. seq/prev_hash overrides exist for tests
        of replays and broken chains; a real app never passes them. office_qr is the office
        screen's QR text exactly as scanned (a web app's time proof offline, docs/api.md)."""
        device_time = device_time or self.clock.wall()
        seq = self.seq + 1 if seq is None else seq
        data = {
            "v": 1,
            "event_id": event_id or secrets.token_urlsafe(12),
            "kind": kind,
            "employee": self.employee,
            "device_time": device_time.isoformat(),
            "monotonic_ms": self.clock.monotonic_ms() if monotonic_ms is None else monotonic_ms,
            "boot_count": self.clock.boot_count if boot_count is _UNSET else boot_count,
            "seq": seq,
            "prev_hash": (None if seq == 1 else self.prev_hash)
            if prev_hash is _UNSET
            else prev_hash,
            "location": {
                "lat": lat,
                "lon": lon,
                "accuracy_m": accuracy_m,
                "provider": provider,
                "fix_time": (fix_time or device_time).isoformat(),
                "mock": mock,
                "altitude_m": altitude_m,
                "speed_mps": speed_mps,
                "bearing_deg": bearing_deg,
            },
            "wifi": [{"bssid": b, "rssi": r} for b, r in (wifi or [])],
            "office_code": office_code,
            "queued_offline": queued_offline,
            "app_version": self.app_version,
            "integrity_token": integrity_token,
            "challenge_id": challenge_id,
            **({"office_qr": office_qr} if office_qr is not None else {}),
            **(extra or {}),
        }
        body = canonical_json(data)
        event = SignedEvent(
            body=body,
            headers={KEY_ID_HEADER: self.key.key_id, SIGNATURE_HEADER: self.key.sign(body)},
            seq=seq,
            event_id=data["event_id"],
            previous_state=(self.seq, self.prev_hash),
        )
        self.seq, self.prev_hash = seq, body_hash(body)
        return event

    def rewind(self, event: SignedEvent) -> None:
        """The server rejected `event` (outcome "rejected", not a 409 duplicate): it recorded
        nothing, so the next event reuses its seq and prev_hash."""
        if event.seq != self.seq or body_hash(event.body) != self.prev_hash:
            raise ValueError("only the latest event can be rewound")
        self.seq, self.prev_hash = event.previous_state


Transport = Callable[[str, str, dict[str, str], bytes | None], tuple[int, bytes]]


class HadirClientError(Exception):
    def __init__(self, status: int, payload: Any):
        super().__init__(f"HTTP {status}: {payload}")
        self.status, self.payload = status, payload


def urllib_transport(
    method: str, url: str, headers: dict[str, str], body: bytes | None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class HadirClient:
    """HTTP calls of the mobile API. `transport(method, url, headers, body) -> (status, body)`
    is urllib by default; tests can plug in Django's test client."""

    def __init__(self, base_url: str, transport: Transport | None = None):
        self.base_url = base_url.rstrip("/")
        self.transport = transport or urllib_transport

    def login(self, identifier: str, password: str) -> str:
        payload = self._json(
            "POST", "/api/v1/auth/login", {"identifier": identifier, "password": password}
        )
        return payload["token"]

    def enrol(self, token: str, device_key: DeviceKey, description: dict) -> dict:
        data = {
            "public_key": device_key.spki_b64,
            "algorithm": device_key.algorithm,
            "description": description,
        }
        return self._json("POST", "/api/v1/devices", data, token=token)

    def send(self, event: SignedEvent) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json", **event.headers}
        status, raw = self.transport("POST", self.base_url + "/api/v1/events", headers, event.body)
        return status, _decode(raw)

    def challenges(self, token: str) -> list:
        payload = self._json("GET", "/api/v1/challenges", token=token)
        return payload.get("challenges", []) if isinstance(payload, dict) else payload

    def server_time(self) -> datetime:
        payload = self._json("GET", "/api/v1/time")
        return datetime.fromisoformat(payload["server_time"])

    def _json(
        self, method: str, path: str, data: dict | None = None, token: str | None = None
    ) -> Any:
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None if data is None else json.dumps(data).encode()
        status, raw = self.transport(method, self.base_url + path, headers, body)
        payload = _decode(raw)
        if not 200 <= status < 300:
            raise HadirClientError(status, payload)
        return payload


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")
