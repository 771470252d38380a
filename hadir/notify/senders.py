"""Senders: how a notification leaves Hadir (Web Push, SMS, a log line).

A sender is a class with a `name` and one method; settings list the ones in use:

    NOTIFY_SENDERS = ["hadir.notify.senders.LogSender"]  # the default

    class WebPushSender:
        name = "webpush"  # recorded in Notification.delivered_via; keep it stable

        def send(self, notification: Notification, rendered: Rendered) -> bool:
            ...  # push `rendered.title`, `rendered.body`, `rendered.link` to the recipient

`send` returns True when it delivered, False when it has nowhere to deliver for this recipient
(no push subscription: not an error), and raises when delivery failed and is worth retrying.
`rendered` is the text in the recipient's language. A sender is constructed once per delivery
run and must not write to the Notification row itself: the delivery job records the outcome.
A notification that failed in one sender is retried later in that sender only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from hadir.notify.messages import Rendered
    from hadir.notify.models import Notification

DEFAULT_SENDERS = ["hadir.notify.senders.LogSender"]
log = logging.getLogger("hadir.notify")


class Sender(Protocol):
    name: str

    def send(self, notification: Notification, rendered: Rendered) -> bool: ...


class LogSender:
    """Writes each notification to the log (the `hadir.notify` logger, level INFO)."""

    name = "log"

    def send(self, notification: Notification, rendered: Rendered) -> bool:
        log.info(
            "notification #%s to %s: %s %s",
            notification.pk,
            notification.recipient_id,
            rendered.body,
            rendered.link,
        )
        return True


class NullSender:
    """Delivers nothing, successfully (tests, or in-app reading only)."""

    name = "null"

    def send(self, notification: Notification, rendered: Rendered) -> bool:
        return False


def configured_senders() -> list[Sender]:
    paths = getattr(settings, "NOTIFY_SENDERS", None) or DEFAULT_SENDERS
    return [import_string(path)() for path in paths]
