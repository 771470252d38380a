"""Devices bound to employees, and the append-only evidence store of every check-in request."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee, Workplace


class DeviceStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    ACTIVE = "active", _("active")
    REVOKED = "revoked", _("revoked")
    REJECTED = "rejected", _("enrolment rejected")


class Device(models.Model):
    """A phone's public key, bound to one employee. The private key never leaves the phone.

    The last_* columns are the device's verification state (sequence, hash chain, clocks); they
    move forward with each accepted event. The events themselves live in EvidenceRecord.
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="devices"
    )
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=10)
    public_key = models.TextField(_("public key (SPKI, base64)"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeviceStatus.choices)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    decided_at = models.DateTimeField(_("approved/rejected at"), null=True, blank=True)
    decided_by = models.CharField(_("approved/rejected by"), max_length=150, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.CharField(_("revoked by"), max_length=150, blank=True)
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)

    last_seq = models.BigIntegerField(null=True, blank=True)
    last_body_hash = models.CharField(max_length=64, blank=True)
    last_device_time = models.DateTimeField(null=True, blank=True)
    last_monotonic_ms = models.BigIntegerField(null=True, blank=True)
    last_boot_count = models.BigIntegerField(null=True, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    last_contact_monotonic_ms = models.BigIntegerField(null=True, blank=True)
    last_contact_boot_count = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["-enrolled_at"]
        constraints = [
            # The database itself refuses a second active device for an employee.
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(status="active"),
                name="one_active_device_per_employee",
            ),
        ]

    def __str__(self) -> str:
        model = self.description.get("model", "") if isinstance(self.description, dict) else ""
        return f"{self.employee.identifier} · {model or self.key_id[:8]} ({self.status})"


class ChainHead(models.Model):
    """One row that every evidence write locks: it serialises the hash chain."""

    name = models.CharField(max_length=20, unique=True)
    last_hash = models.CharField(max_length=64)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.length} rows, last {self.last_hash[:12]}"


class EvidenceRecord(models.Model):
    """Every request that reached the check-in pipeline, accepted or not. Never updated.

    row_hash = SHA-256 over prev_hash and the row's content (see hadir.checkin.chain), so an
    edited or deleted row breaks the chain from that row on.
    """

    received_at = models.DateTimeField(db_index=True)
    remote_addr = models.CharField(max_length=64)
    headers = models.JSONField()
    body = models.BinaryField()
    body_size = models.IntegerField()
    body_hash = models.CharField(max_length=64)
    # Set only when the signature was verified: makes a repeated event id idempotent.
    dedupe_key = models.CharField(max_length=140, null=True, unique=True)  # noqa: DJ001 - NULLs may repeat
    event_id = models.CharField(max_length=64, blank=True, db_index=True)
    kind = models.CharField(max_length=20, blank=True)
    device = models.ForeignKey(Device, null=True, on_delete=models.PROTECT, related_name="evidence")
    employee = models.ForeignKey(
        Employee, null=True, on_delete=models.PROTECT, related_name="evidence"
    )
    outcome = models.CharField(max_length=25, db_index=True)
    http_status = models.SmallIntegerField()
    reasons = models.JSONField()
    time_of_record = models.DateTimeField(null=True, db_index=True)
    derived_time = models.DateTimeField(null=True)
    workplace = models.ForeignKey(
        Workplace, null=True, on_delete=models.PROTECT, related_name="evidence"
    )
    geofence_distance_m = models.FloatField(null=True)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    accuracy_m = models.FloatField(null=True)
    mock = models.BooleanField(null=True)
    queued_offline = models.BooleanField(null=True)
    seq = models.BigIntegerField(null=True)
    device_time = models.DateTimeField(null=True)
    monotonic_ms = models.BigIntegerField(null=True)
    boot_count = models.BigIntegerField(null=True)
    fix_time = models.DateTimeField(null=True)
    # Positive evidence, read off the verdict: None where nothing was sent to judge.
    office_code_valid = models.BooleanField(null=True)
    bssid_match = models.BooleanField(null=True)
    workplace_network = models.BooleanField(default=False)
    challenge_id = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=10, default="http")  # http | replay
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("check-in evidence")
        verbose_name_plural = _("check-in evidence")
        ordering = ["id"]
        indexes = [models.Index(fields=["employee", "time_of_record"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind or '?'} {self.outcome} {self.received_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("evidence records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("evidence records are append-only")


class PresenceChallenge(models.Model):
    """A request to the app to prove, within a window, that the employee is still on site."""

    challenge_id = models.CharField(max_length=64, unique=True)
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="challenges")
    workplace = models.ForeignKey(Workplace, null=True, on_delete=models.PROTECT)
    issued_at = models.DateTimeField()
    deadline = models.DateTimeField()
    reason = models.CharField(max_length=40, default="random")
    answered_by = models.ForeignKey(
        EvidenceRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )

    class Meta:
        verbose_name = _("presence challenge")
        verbose_name_plural = _("presence challenges")
        indexes = [models.Index(fields=["employee", "deadline"])]

    def __str__(self) -> str:
        return f"{self.challenge_id} ({self.employee_id}, until {self.deadline:%H:%M})"
