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


class EventKind(models.TextChoices):
    CHECK_IN = "check_in", _("check-in")
    CHECK_OUT = "check_out", _("check-out")
    PRESENCE_CHECK = "presence_check", _("presence check")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    ACCEPTED_WITH_WARNINGS = "accepted_with_warnings", _("accepted with warnings")
    REJECTED = "rejected", _("rejected")


class EvidenceSource(models.TextChoices):
    HTTP = "http", _("from the app")
    REPLAY = "replay", _("replayed from an archive")


class ChallengeReason(models.TextChoices):
    RANDOM = "random", _("random")
    AT_RISK = "at_risk", _("at risk")
    GROUP = "group", _("group (a suspected set of phones at one moment)")


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

    last_seq = models.BigIntegerField(_("last sequence number"), null=True, blank=True)
    last_body_hash = models.CharField(_("last event hash"), max_length=64, blank=True)
    last_device_time = models.DateTimeField(
        _("phone clock at the last event"), null=True, blank=True
    )
    last_monotonic_ms = models.BigIntegerField(
        _("phone uptime at the last event (ms)"), null=True, blank=True
    )
    last_boot_count = models.BigIntegerField(
        _("phone restarts at the last event"), null=True, blank=True
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_contact_monotonic_ms = models.BigIntegerField(
        _("phone uptime at the last contact (ms)"), null=True, blank=True
    )
    last_contact_boot_count = models.BigIntegerField(
        _("phone restarts at the last contact"), null=True, blank=True
    )

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
        return (
            f"{self.employee.identifier} · {model or self.key_id[:8]} ({self.get_status_display()})"
        )


class ChainHead(models.Model):
    """One row that every evidence write locks: it serialises the hash chain."""

    name = models.CharField(max_length=20, unique=True)
    last_hash = models.CharField(max_length=64)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.length} rows, last {self.last_hash[:12]}"


class ChainCheckpoint(models.Model):
    """The evidence chain's length and head hash at a moment, signed with a key kept outside
    the database (hadir.checkin.checkpoints). Also appended to a log file."""

    at = models.DateTimeField(_("signed at"), db_index=True)
    length = models.BigIntegerField(_("records"))
    head = models.CharField(_("head hash"), max_length=64)
    last_id = models.BigIntegerField(_("last record"), null=True)
    key_id = models.CharField(_("key id"), max_length=32)
    signature = models.CharField(_("signature"), max_length=200)

    class Meta:
        verbose_name = _("chain checkpoint")
        verbose_name_plural = _("chain checkpoints")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.length} · {self.head[:12]}"


class EvidenceRecord(models.Model):
    """Every request that reached the check-in pipeline, accepted or not. Never updated.

    row_hash = SHA-256 over prev_hash and the row's content (see hadir.checkin.chain), so an
    edited or deleted row breaks the chain from that row on.
    """

    received_at = models.DateTimeField(_("received at"), db_index=True)
    remote_addr = models.CharField(_("IP address"), max_length=64)
    headers = models.JSONField(_("request headers"))
    body = models.BinaryField(_("signed body"))
    body_size = models.IntegerField(_("body size (bytes)"))
    body_hash = models.CharField(_("body hash"), max_length=64)
    # Set only when the signature was verified: makes a repeated event id idempotent.
    dedupe_key = models.CharField(_("duplicate key"), max_length=140, null=True, unique=True)  # noqa: DJ001 - NULLs may repeat
    event_id = models.CharField(_("event id"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, blank=True, choices=EventKind.choices)
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        null=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    outcome = models.CharField(_("outcome"), max_length=25, db_index=True, choices=Outcome.choices)
    http_status = models.SmallIntegerField(_("HTTP status"))
    reasons = models.JSONField(_("reasons"))
    time_of_record = models.DateTimeField(_("time of the record"), null=True, db_index=True)
    derived_time = models.DateTimeField(_("time derived from the phone uptime"), null=True)
    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("workplace"),
        null=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    geofence_distance_m = models.FloatField(_("distance from the geofence (m)"), null=True)
    lat = models.FloatField(_("latitude"), null=True)
    lon = models.FloatField(_("longitude"), null=True)
    accuracy_m = models.FloatField(_("location accuracy (m)"), null=True)
    mock = models.BooleanField(_("location reported as mock"), null=True)
    queued_offline = models.BooleanField(_("sent later (offline)"), null=True)
    seq = models.BigIntegerField(_("sequence number"), null=True)
    device_time = models.DateTimeField(_("phone clock"), null=True)
    monotonic_ms = models.BigIntegerField(_("phone uptime (ms)"), null=True)
    boot_count = models.BigIntegerField(_("phone restarts"), null=True)
    fix_time = models.DateTimeField(_("time of the location fix"), null=True)
    # Positive evidence, read off the verdict: None where nothing was sent to judge.
    office_code_valid = models.BooleanField(_("office code valid"), null=True)
    bssid_match = models.BooleanField(_("office Wi-Fi seen"), null=True)
    workplace_network = models.BooleanField(_("from the office network"), default=False)
    challenge_id = models.CharField(_("presence check"), max_length=64, blank=True)
    source = models.CharField(
        _("source"), max_length=10, default="http", choices=EvidenceSource.choices
    )
    # Version 1: rows written before the hash covered every column (see hadir.checkin.chain).
    hash_version = models.SmallIntegerField(_("hash version"), default=1)
    location_digest = models.CharField(_("location digest"), max_length=64, blank=True)
    location_removed_at = models.DateTimeField(_("location removed at"), null=True, blank=True)
    prev_hash = models.CharField(_("previous row hash"), max_length=64)
    row_hash = models.CharField(_("row hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("check-in evidence")
        verbose_name_plural = _("check-in evidence")
        ordering = ["id"]
        indexes = [models.Index(fields=["employee", "time_of_record"])]

    def __str__(self) -> str:
        kind, outcome = self.get_kind_display() or "?", self.get_outcome_display()
        return f"#{self.pk} {kind} · {outcome} · {self.received_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("evidence records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("evidence records are append-only")


class PresenceChallenge(models.Model):
    """A request to the app to prove, within a window, that the employee is still on site."""

    challenge_id = models.CharField(_("presence check"), max_length=64, unique=True)
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="challenges"
    )
    workplace = models.ForeignKey(
        Workplace, verbose_name=_("workplace"), null=True, on_delete=models.PROTECT
    )
    issued_at = models.DateTimeField(_("issued at"))
    deadline = models.DateTimeField(_("answer by"))
    reason = models.CharField(
        _("why"), max_length=40, default="random", choices=ChallengeReason.choices
    )
    answered_by = models.ForeignKey(
        EvidenceRecord,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )

    class Meta:
        verbose_name = _("presence challenge")
        verbose_name_plural = _("presence challenges")
        indexes = [models.Index(fields=["employee", "deadline"])]

    def __str__(self) -> str:
        return f"{self.challenge_id} ({self.employee_id}, {self.deadline:%H:%M})"


class RefusedTally(models.Model):
    """Requests to the events endpoint that failed authentication, counted per key id, address
    and reason. They are kept out of the evidence chain (anyone can send them, and a chained
    row can never be removed); this table stays small: past FRONT_DOOR_MAX_TALLIES sources,
    new ones are counted in one overflow row (key id and address '*')."""

    key_id = models.CharField(_("key id"), max_length=64, blank=True)
    remote_addr = models.CharField(_("IP address"), max_length=64)
    reason = models.CharField(_("reason"), max_length=40)
    count = models.BigIntegerField(_("requests"), default=0)
    first_at = models.DateTimeField(_("first seen"))
    last_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("refused request count")
        verbose_name_plural = _("refused request counts")
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_id", "remote_addr", "reason"], name="one_tally_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_id or '-'} @ {self.remote_addr}: {self.reason} × {self.count}"


class RefusedSample(models.Model):
    """A sample of refused requests' bodies (truncated), in a fixed number of slots that new
    refusals overwrite at random: the table never grows past FRONT_DOOR_SAMPLES rows."""

    slot = models.IntegerField(_("slot"), unique=True)
    received_at = models.DateTimeField(_("received at"))
    key_id = models.CharField(_("key id"), max_length=64, blank=True)
    remote_addr = models.CharField(_("IP address"), max_length=64)
    reason = models.CharField(_("reason"), max_length=40)
    headers = models.JSONField(_("request headers"))
    body = models.BinaryField(_("body (truncated)"))
    body_size = models.IntegerField(_("body size (bytes)"))

    class Meta:
        verbose_name = _("refused request sample")
        verbose_name_plural = _("refused request samples")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.remote_addr} {self.reason}"
