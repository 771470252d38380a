"""Web Push subscriptions: one per browser push endpoint, bound to the enrolled device."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.checkin.models import Device


class PushSubscription(models.Model):
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("push endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failed sends in a row"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.device} · {self.endpoint[:40]}"

    def info(self) -> dict:
        """What pywebpush calls subscription_info."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
