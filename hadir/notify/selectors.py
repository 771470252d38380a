"""Reads: a user's notifications, for the PWA and the supervisors' web."""

from __future__ import annotations

from hadir.notify.messages import Rendered, render
from hadir.notify.models import Notification


def unread_for(user, limit: int = 50):
    """The user's unread notifications, newest first."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).order_by(
        "-created_at", "-id"
    )[:limit]


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def recent_for(user, limit: int = 50):
    """The user's notifications, read or not, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit]


def rendered(notifications, language: str | None = None) -> list[tuple[Notification, Rendered]]:
    """Each notification with its text, in `language` (the page's) or each recipient's own."""
    return [(n, render(n, language)) for n in notifications]
