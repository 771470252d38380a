"""Web Push: a challenge issued wakes the employee's phone. The message is sent to a local
receiver that decrypts it as a browser would (RFC 8291, aes128gcm) and checks the VAPID JWT."""

from __future__ import annotations

import base64
import json
import os
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.utils import timezone

from hadir.checkin.models import Device, DeviceStatus, PresenceChallenge
from hadir.client import DeviceKey
from hadir.pwa import push
from hadir.pwa.models import PushSubscription
from tests.factories import make_employee, make_opd, make_workplace

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Receiver:
    """A push service and a browser in one: keeps what it is sent, answers `status`."""

    def __init__(self, status: int = 201):
        self.requests: list[dict] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append({"headers": headers, "body": body})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.browser_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def subscription(self, device) -> PushSubscription:
        point = self.browser_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return PushSubscription.objects.create(
            device=device,
            endpoint=f"{self.origin}/push/sub-1",
            p256dh=b64url(point),
            auth=b64url(self.auth),
        )

    def decrypt(self, index: int = 0) -> dict:
        body = self.requests[index]["body"]
        plain = http_ece.decrypt(
            body, private_key=self.browser_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def vapid_key(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY_FILE = str(tmp_path / "vapid_private.pem")
    push.private_key.cache_clear()
    yield
    push.private_key.cache_clear()


@pytest.fixture
def phone():
    opd = make_opd()
    workplace = make_workplace(opd)
    employee = make_employee(opd, [workplace])
    key = DeviceKey.generate()
    device = Device.objects.create(
        employee=employee,
        key_id=key.key_id,
        algorithm="p256",
        public_key=key.spki_b64,
        status=DeviceStatus.ACTIVE,
    )
    return employee, workplace, device


def issue(employee, workplace, minutes: int = 30) -> PresenceChallenge:
    now = timezone.now()
    return PresenceChallenge.objects.create(
        challenge_id="cek-0001",
        employee=employee,
        workplace=workplace,
        issued_at=now,
        deadline=now + timedelta(minutes=minutes),
    )


def verify_vapid(headers: dict, audience: str) -> dict:
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == push.public_key_b64()
    header, claims, signature = fields["t"].split(".")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(fields["k"]))
    public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    payload = json.loads(unb64url(claims))
    assert payload["aud"] == audience
    return payload


def test_a_new_challenge_is_pushed_encrypted_and_signed_to_the_phone(
    receiver, vapid_key, phone, django_capture_on_commit_callbacks
):
    employee, workplace, device = phone
    subscription = receiver.subscription(device)
    with django_capture_on_commit_callbacks(execute=True):
        challenge = issue(employee, workplace)
    assert len(receiver.requests) == 1
    message = receiver.decrypt()
    assert message["type"] == "challenge"
    assert message["challenge_id"] == "cek-0001"
    assert message["title"] == "Cek kehadiran"
    deadline = timezone.localtime(challenge.deadline).strftime("%H:%M")
    assert message["body"] == f"Buka Hadir dan jawab sebelum pukul {deadline}."
    headers = receiver.requests[0]["headers"]
    assert headers["content-encoding"] == "aes128gcm"
    assert 60 <= int(headers["ttl"]) <= 1800
    claims = verify_vapid(headers, receiver.origin)
    assert claims["sub"].startswith("mailto:")
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None
    assert subscription.failures == 0


def test_nothing_is_sent_for_a_challenge_that_is_only_updated(
    receiver, vapid_key, phone, django_capture_on_commit_callbacks
):
    employee, workplace, device = phone
    receiver.subscription(device)
    challenge = issue(employee, workplace)  # created outside the capture: not sent
    with django_capture_on_commit_callbacks(execute=True):
        challenge.reason = "at_risk"
        challenge.save()
    assert receiver.requests == []


def test_a_subscription_the_push_service_says_is_gone_is_dropped(vapid_key, phone):
    employee, workplace, device = phone
    gone = Receiver(status=410)
    try:
        subscription = gone.subscription(device)
        sent = push.push_challenge(issue(employee, workplace).pk)
    finally:
        gone.close()
    assert sent == 0
    subscription.refresh_from_db()
    assert not subscription.active
    assert subscription.failures == 1


def test_a_revoked_phone_is_not_woken(receiver, vapid_key, phone):
    employee, workplace, device = phone
    receiver.subscription(device)
    Device.objects.filter(pk=device.pk).update(status=DeviceStatus.REVOKED)
    assert push.push_challenge(issue(employee, workplace).pk) == 0
    assert receiver.requests == []


def test_the_vapid_key_is_made_once_and_kept_private(vapid_key, settings):
    first = push.public_key_b64()
    push.private_key.cache_clear()
    assert push.public_key_b64() == first  # read back, not made again
    assert len(unb64url(first)) == 65  # an uncompressed P-256 point, as browsers want it
    mode = os.stat(settings.VAPID_PRIVATE_KEY_FILE).st_mode & 0o777
    assert mode == 0o600
