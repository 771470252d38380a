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
from django.utils import timezone

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


class PushFailed(RuntimeError):
    """No phone of the recipient could be reached this time; the outbox tries again later."""


class WebPushSender:
    """hadir.notify's sender for the employee app: the rendered notification to every active
    subscription of the recipient's active phones (settings.NOTIFY_SENDERS)."""

    name = "webpush"

    def send(self, notification, rendered) -> bool:
        from hadir.pwa.models import PushSubscription

        subscriptions = list(
            PushSubscription.objects.filter(
                device__employee__user_id=notification.recipient_id,
                device__status="active",
                active=True,
            )
        )
        if not subscriptions:
            return False  # nowhere to deliver: not an error
        message = {
            "type": notification.topic or "notification",
            "id": notification.pk,
            "title": rendered.title,
            "body": rendered.body,
            "url": rendered.link or "/app/",
        }
        outcomes = [self.push(s, message) for s in subscriptions]
        if "sent" in outcomes:
            return True
        if "failed" in outcomes:
            raise PushFailed(f"{outcomes.count('failed')} push service(s) did not answer")
        return False  # every subscription is gone

    def push(self, subscription, message: dict, ttl_s: int = 3600) -> str:
        """ "sent", "gone" (the browser dropped it: never again) or "failed" (try later)."""
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
            return self._failed(subscription, exc, gone=status in GONE)
        except Exception as exc:  # the network: the outbox retries
            return self._failed(subscription, exc, gone=False)
        subscription.failures, subscription.last_sent_at = 0, timezone.now()
        subscription.save(update_fields=["failures", "last_sent_at"])
        return "sent"

    @staticmethod
    def _failed(subscription, exc: Exception, *, gone: bool) -> str:
        subscription.failures += 1
        subscription.active = subscription.active and not gone
        subscription.save(update_fields=["failures", "active"])
        log.warning("web push to %s failed: %s", subscription.endpoint[:60], exc)
        return "gone" if gone else "failed"


def notify_challenge(challenge) -> None:
    """A presence check issued: into the outbox for the employee, whose phones the Web Push
    sender wakes (and who sees it in the app the next time it opens, push or not)."""
    from django.utils.translation import gettext_noop

    from hadir.notify.services import notify

    user = challenge.employee.user
    if user is None:
        return
    deadline = timezone.localtime(challenge.deadline).strftime("%H:%M")
    notify(
        user,
        gettext_noop("Open Hadir and answer before %(time)s."),
        {"time": deadline},
        title=gettext_noop("Presence check"),
        link="/app/#cek",
        topic="challenge",
    )
