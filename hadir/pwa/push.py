"""Web Push: the VAPID key pair, and sending a notification to an employee's phones.

The private key is generated once into <var>/vapid_private.pem (or read from
HADIR_VAPID_PRIVATE_KEY_FILE), like Django's secret key: a new key would orphan every
subscription, since browsers bind a subscription to the public key it was made with.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
TIMEOUT_S = 10
GONE = {404, 410}  # the browser dropped the subscription: stop sending to it


def _key_path() -> Path:
    return Path(settings.VAPID_PRIVATE_KEY_FILE)


@cache
def private_key() -> ec.EllipticCurvePrivateKey:
    path = _key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Written aside and renamed: two processes starting together keep one key.
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pem)
        partial.chmod(0o600)
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        finally:
            partial.unlink(missing_ok=True)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_b64() -> str:
    """The applicationServerKey a browser subscribes with: the uncompressed point, base64url."""
    point = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


class WebPushSender:
    """Sends one message to every active subscription of an employee's devices."""

    def send_to_employee(self, employee_id: int, message: dict, ttl_s: int = 3600) -> int:
        from hadir.pwa.models import PushSubscription

        subscriptions = PushSubscription.objects.filter(
            device__employee_id=employee_id, device__status="active", active=True
        )
        return sum(self.send(s, message, ttl_s) for s in subscriptions)

    def send(self, subscription, message: dict, ttl_s: int = 3600) -> bool:
        from py_vapid import Vapid
        from pywebpush import WebPushException, webpush

        vapid = Vapid.from_pem(
            private_key().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        try:
            webpush(
                subscription.info(),
                json.dumps(message, ensure_ascii=False),
                vapid_private_key=vapid,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=ttl_s,
                timeout=TIMEOUT_S,
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            subscription.failures += 1
            subscription.active = status not in GONE
            subscription.save(update_fields=["failures", "active"])
            log.warning("web push to %s failed: %s", subscription.endpoint[:60], exc)
            return False
        except Exception as exc:  # network errors: the app still polls, so nothing is lost
            subscription.failures += 1
            subscription.save(update_fields=["failures"])
            log.warning("web push to %s failed: %s", subscription.endpoint[:60], exc)
            return False
        subscription.failures, subscription.last_sent_at = 0, timezone.now()
        subscription.save(update_fields=["failures", "last_sent_at"])
        return True


def challenge_message(challenge) -> dict:
    """The notification of a presence check, in the regency's language."""
    with translation.override(settings.LANGUAGE_CODE):
        deadline = timezone.localtime(challenge.deadline).strftime("%H:%M")
        return {
            "type": "challenge",
            "challenge_id": challenge.challenge_id,
            "deadline": challenge.deadline.isoformat(),
            "title": _("Presence check"),
            "body": _("Open Hadir and answer before %(time)s.") % {"time": deadline},
            "url": "/app/#cek",
        }


def push_challenge(challenge_pk: int, sender: WebPushSender | None = None) -> int:
    from hadir.checkin.models import PresenceChallenge

    challenge = PresenceChallenge.objects.filter(pk=challenge_pk).first()
    if challenge is None:
        return 0
    sender = sender or WebPushSender()
    ttl = max(60, int((challenge.deadline - timezone.now()).total_seconds()))
    return sender.send_to_employee(challenge.employee_id, challenge_message(challenge), ttl)
