"""Web Push: a challenge issued is a notification in hadir.notify's outbox, which the Web Push
sender delivers to the employee's phone. The message goes to a local receiver that decrypts it
as a browser would (RFC 8291, aes128gcm) and checks the VAPID JWT."""

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
from hadir.notify.models import Notification
from hadir.notify.services import deliver_pending, notify
from hadir.pwa import push
from hadir.pwa.models import PushSubscription
from hadir.pwa.push import WebPushSender
from tests.factories import make_employee, make_opd, make_user, make_workplace

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
    employee = make_employee(opd, [workplace], user=make_user("pegawai", staff=False))
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


def deliver():
    return deliver_pending(timezone.now() + timedelta(seconds=1), senders=[WebPushSender()])


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


def test_a_new_challenge_is_pushed_through_the_outbox_encrypted_and_signed(
    receiver, vapid_key, phone, django_capture_on_commit_callbacks
):
    employee, workplace, device = phone
    subscription = receiver.subscription(device)
    with django_capture_on_commit_callbacks(execute=True):
        challenge = issue(employee, workplace)
    (queued,) = Notification.objects.filter(recipient=employee.user)
    assert queued.topic == "challenge"
    assert receiver.requests == []  # the worker delivers, not the request that issued it
    assert deliver().sent == 1
    message = receiver.decrypt()
    deadline = timezone.localtime(challenge.deadline).strftime("%H:%M")
    assert message == {
        "type": "challenge",
        "id": queued.pk,
        "title": "Cek kehadiran",
        "body": f"Buka Hadir dan jawab sebelum pukul {deadline}.",
        "url": "/app/#cek",
    }
    headers = receiver.requests[0]["headers"]
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) == 3600
    claims = verify_vapid(headers, receiver.origin)
    assert claims["sub"].startswith("mailto:")
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None
    queued.refresh_from_db()
    assert "webpush" in queued.delivered_via
    assert queued.sent_at is not None


def test_nothing_is_queued_for_a_challenge_that_is_only_updated(
    phone, django_capture_on_commit_callbacks
):
    employee, workplace, _ = phone
    challenge = issue(employee, workplace)  # created outside the capture: its callback is lost
    with django_capture_on_commit_callbacks(execute=True):
        challenge.reason = "at_risk"
        challenge.save()
    assert not Notification.objects.exists()


def notification_for(employee) -> Notification:
    return notify(employee.user, "Open Hadir and answer before %(time)s.", {"time": "10:00"})


def test_a_subscription_the_push_service_says_is_gone_is_dropped(vapid_key, phone):
    employee, _, device = phone
    gone = Receiver(status=410)
    try:
        subscription = gone.subscription(device)
        queued = notification_for(employee)
        assert deliver().sent == 1  # nowhere left to deliver is not a failure
    finally:
        gone.close()
    subscription.refresh_from_db()
    assert not subscription.active
    queued.refresh_from_db()
    assert queued.last_error == ""


def test_a_push_service_that_fails_is_tried_again_later(vapid_key, phone):
    employee, _, device = phone
    broken = Receiver(status=503)
    try:
        subscription = broken.subscription(device)
        queued = notification_for(employee)
        assert deliver().retrying == 1
    finally:
        broken.close()
    queued.refresh_from_db()
    assert "webpush" not in queued.delivered_via
    assert "PushFailed" in queued.last_error
    subscription.refresh_from_db()
    assert subscription.active
    assert subscription.failures == 1


def test_a_revoked_phone_is_not_woken(receiver, vapid_key, phone):
    employee, _, device = phone
    receiver.subscription(device)
    Device.objects.filter(pk=device.pk).update(status=DeviceStatus.REVOKED)
    notification_for(employee)
    assert deliver().sent == 1
    assert receiver.requests == []


def test_the_web_push_sender_is_configured():
    from django.conf import settings

    assert "hadir.pwa.push.WebPushSender" in settings.NOTIFY_SENDERS


def test_the_vapid_key_is_made_once_and_kept_private(vapid_key, settings):
    first = push.public_key_b64()
    push.private_key.cache_clear()
    assert push.public_key_b64() == first  # read back, not made again
    assert len(unb64url(first)) == 65  # an uncompressed P-256 point, as browsers want it
    mode = os.stat(settings.VAPID_PRIVATE_KEY_FILE).st_mode & 0o777
    assert mode == 0o600
