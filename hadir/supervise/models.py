"""Spot checks (sidak / apel): who was seen at a workplace at a moment, kept as ground truth.

A spot check lists the employees assigned to the workplace when it starts, each with whether
they were checked in there at that moment; the checker marks each seen or not seen. Closing it
reconciles: checked in but not seen becomes a flag (hadir.supervise.reconcile). Rows are never
deleted: they are what the detector is measured against.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee, Opd, Workplace


class SpotCheckKind(models.TextChoices):
    SIDAK = "sidak", _("inspection (sidak)")
    APEL = "apel", _("roll call (apel)")


class SpotCheck(models.Model):
    workplace = models.ForeignKey(
        Workplace, verbose_name=_("workplace"), on_delete=models.PROTECT, related_name="+"
    )
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=10, choices=SpotCheckKind.choices, default=SpotCheckKind.SIDAK
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checker_name = models.CharField(_("checker"), max_length=200)
    closed_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    sheet_photo = models.FileField(
        _("photo of the attendance sheet"), upload_to="spot_checks/%Y/%m/", blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.workplace.code} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SpotCheckEntry(models.Model):
    spot_check = models.ForeignKey(
        SpotCheck, verbose_name=_("spot check"), on_delete=models.PROTECT, related_name="entries"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    checked_in = models.BooleanField(_("checked in there at the start"))
    check_in_at = models.DateTimeField(_("check-in time"), null=True, blank=True)
    check_in_record = models.BigIntegerField(_("check-in record"), null=True, blank=True)
    seen = models.BooleanField(_("seen"), null=True, blank=True)  # None: not marked
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spot check entry")
        verbose_name_plural = _("spot check entries")
        ordering = ["-checked_in", "employee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["spot_check", "employee"], name="one_entry_per_employee_per_spot_check"
            )
        ]

    def __str__(self) -> str:
        return f"{self.spot_check_id} {self.employee_id} seen={self.seen}"

    @property
    def unseen(self) -> bool:
        """Checked in but not seen: the finding a spot check exists for."""
        return self.checked_in and self.seen is False

    @property
    def seen_not_checked_in(self) -> bool:
        return self.seen is True and not self.checked_in
