"""The outbox: one row per notification for one user.

A notification stores a catalogue message id and its values, never a rendered sentence, so each
recipient reads it in their own language (`hadir.notify.messages`). The worker's
`deliver_notifications` job hands pending rows to the senders chosen in settings
(`hadir.notify.senders`); the PWA and the supervisors' web read them in-app whether or not a
sender delivered them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    topic = models.CharField(
        _("topic"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("What it is about, for grouping (e.g. jobs.failed)."),
    )
    title = models.CharField(_("title (message id)"), max_length=200)
    message = models.CharField(_("message (message id)"), max_length=500)
    values = models.JSONField(_("values"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_via = models.JSONField(_("delivered via"), default=list, blank=True)
    last_error = models.TextField(_("last delivery error"), blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="notification_pending",
            ),
        ]

    def __str__(self) -> str:
        from hadir.notify.messages import render

        return render(self).body[:80]
