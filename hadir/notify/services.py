"""Writes: putting notifications in the outbox, delivering them, marking them read.

    from django.utils.translation import gettext_noop
    from hadir.notify.services import notify

    notify(
        user,
        gettext_noop("Your leave from %(first)s to %(last)s was approved."),
        {"first": "03-11-2026", "last": "05-11-2026"},
        link="/app/leave/17",
        topic="leave.decided",
    )

The message is checked against its values at the call (a missing value raises ValueError then,
not when a sender renders it). Delivery happens in the worker's `deliver_notifications` job.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from hadir.domain.job_schedule import retry_at
from hadir.notify.messages import DEFAULT_TITLE, check_renders, render
from hadir.notify.models import Notification
from hadir.notify.senders import Sender, configured_senders

MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32, 60 min: about two hours of trying
RETRY_SECONDS = 30
BATCH = 200


def notify(
    recipient,
    message: str,
    values: dict | None = None,
    *,
    title: str = DEFAULT_TITLE,
    link: str = "",
    topic: str = "",
    now: datetime | None = None,
) -> Notification | None:
    """None when the recipient's account is inactive (nobody would read it)."""
    rows = notify_many([recipient], message, values, title=title, link=link, topic=topic, now=now)
    return rows[0] if rows else None


def notify_many(
    recipients: Iterable,
    message: str,
    values: dict | None = None,
    *,
    title: str = DEFAULT_TITLE,
    link: str = "",
    topic: str = "",
    now: datetime | None = None,
) -> list[Notification]:
    """The same message to several users, once each (each reads it in their own language).
    Inactive accounts are left out."""
    check_renders(message, values)
    check_renders(title, None)
    now = now or timezone.now()
    rows = [
        Notification(
            recipient=user,
            message=message,
            values=dict(values or {}),
            title=title,
            link=link,
            topic=topic,
            created_at=now,
            next_attempt_at=now,
        )
        for user in _unique(recipients)
    ]
    return Notification.objects.bulk_create(rows)


def _unique(users: Iterable) -> list:
    seen, unique = set(), []
    for user in users:
        if user.is_active and user.pk not in seen:
            seen.add(user.pk)
            unique.append(user)
    return unique


def mark_read(user, ids: Iterable[int] | None = None, *, now: datetime | None = None) -> int:
    """Mark the user's own notifications read (these ids, or all); others' are untouched."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=now or timezone.now())


# Delivery --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    sent: int
    retrying: int
    given_up: int


def pending(now: datetime):
    return Notification.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")


def deliver_pending(
    now: datetime | None = None, senders: list[Sender] | None = None, limit: int = BATCH
) -> DeliveryResult:
    """Hand the due notifications to every sender that has not delivered them yet."""
    now = now or timezone.now()
    senders = configured_senders() if senders is None else senders
    sent = retrying = given_up = 0
    for notification in pending(now).select_related("recipient")[:limit]:
        outcome = _deliver(notification, senders, now)
        sent += outcome == "sent"
        retrying += outcome == "retrying"
        given_up += outcome == "given_up"
    return DeliveryResult(sent, retrying, given_up)


def _deliver(notification: Notification, senders: list[Sender], now: datetime) -> str:
    rendered = render(notification)
    done, errors = list(notification.delivered_via), []
    for sender in senders:
        if sender.name in done:
            continue
        try:
            sender.send(notification, rendered)
        except Exception as exc:  # a sender's failure is recorded and retried, never fatal
            errors.append(f"{sender.name}: {type(exc).__name__}: {exc}")
            errors.append(traceback.format_exc(limit=5))
        else:
            done.append(sender.name)
    notification.delivered_via = done
    notification.attempts += 1
    fields = ["delivered_via", "attempts", "last_error", "sent_at", "next_attempt_at", "failed_at"]
    if not errors:
        notification.sent_at, notification.last_error = now, ""
        outcome = "sent"
    else:
        notification.last_error = "\n".join(errors)[:4000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.failed_at = now
            outcome = "given_up"
        else:
            notification.next_attempt_at = retry_at(now, notification.attempts, RETRY_SECONDS)
            outcome = "retrying"
    notification.save(update_fields=fields)
    return outcome
