"""Regency master data: OPDs, units, workplaces, employees, roles, and the audit log."""

from __future__ import annotations

import hashlib
import secrets

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.domain import geo
from hadir.domain.nip import NipError, parse_nip
from hadir.org.messages import geofence_error_text, nip_error_text


def new_office_secret() -> str:
    return pyotp.random_base32(32)


class OpdKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    RSUD = "rsud", _("RSUD")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    SEKOLAH = "sekolah", _("Sekolah")
    SATPOL_PP = "satpol_pp", _("Satpol PP")
    LAINNYA = "lainnya", _("Other")


class Opd(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OpdKind.choices)
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("head (Kepala OPD)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_opds",
    )
    active = models.BooleanField(_("active"), default=True)
    attendance_from = models.DateField(
        _("attendance counts from"),
        null=True,
        blank=True,
        help_text=_(
            "The day this OPD joined Hadir: earlier days of its employees have no status. "
            "Empty: from the regency's go-live date."
        ),
    )

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPDs")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Unit(models.Model):
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["opd__code", "code"]
        constraints = [models.UniqueConstraint(fields=["opd", "code"], name="unit_code_per_opd")]

    def __str__(self) -> str:
        return f"{self.opd.code}/{self.code} – {self.name}"


class ConnectivityTier(models.TextChoices):
    GOOD = "good", _("good (town)")
    POOR = "poor", _("poor (remote)")
    NONE = "none", _("none (no mobile data)")


class OfficeCodeMode(models.TextChoices):
    REQUIRED = "required", _("required")
    OPTIONAL = "optional", _("optional")
    OFF = "off", _("off")


class TimeZoneName(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


class Workplace(models.Model):
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="workplaces"
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    geofence = models.JSONField(
        _("geofence"),
        help_text=_(
            'A circle <code>{"type": "circle", "lat": .., "lon": .., "radius_m": ..}</code> or a '
            'polygon <code>{"type": "polygon", "ring": [[lat, lon], ...]}</code> whose last point '
            "repeats the first."
        ),
    )
    connectivity_tier = models.CharField(
        _("connectivity tier"),
        max_length=10,
        choices=ConnectivityTier.choices,
        default=ConnectivityTier.GOOD,
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TimeZoneName.choices,
        blank=True,
        help_text=_("Empty: the regency's time zone."),
    )
    known_bssids = models.JSONField(_("known Wi-Fi BSSIDs"), default=list, blank=True)
    public_networks = models.JSONField(_("public IP ranges"), default=list, blank=True)
    office_secret = models.CharField(
        _("office code secret"), max_length=64, default=new_office_secret, editable=False
    )
    office_code_mode = models.CharField(
        _("office code"),
        max_length=10,
        choices=OfficeCodeMode.choices,
        default=OfficeCodeMode.OPTIONAL,
    )
    office_code_step_s = models.PositiveSmallIntegerField(
        _("office code step (seconds)"), default=15
    )
    office_secret_provisioned_at = models.DateTimeField(
        _("office screen provisioned at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Screens can be provisioned with the current secret for a short while after "
            "the first one; after that, only rotating the secret allows it again."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        try:
            geo.Geofence.from_dict(self.geofence or {})
        except geo.GeofenceError as exc:
            raise ValidationError({"geofence": geofence_error_text(exc)}) from exc
        except (KeyError, TypeError) as exc:
            raise ValidationError({"geofence": str(exc)}) from exc
        if not 5 <= self.office_code_step_s <= 300:
            raise ValidationError({"office_code_step_s": _("between 5 and 300 seconds")})

    def fence(self) -> geo.Geofence:
        return geo.Geofence.from_dict(self.geofence)

    def zone(self) -> str:
        return self.time_zone or settings.TIME_ZONE

    def rotate_office_secret(self) -> None:
        """A new secret: the screens provisioned with the old one stop producing valid codes."""
        self.office_secret = new_office_secret()
        self.office_secret_provisioned_at = None
        self.save(update_fields=["office_secret", "office_secret_provisioned_at"])


class EmployeeType(models.TextChoices):
    PNS = "PNS", _("PNS")
    PPPK = "PPPK", _("PPPK")
    NON_ASN = "NON_ASN", _("Non-ASN (contract)")


class Employee(models.Model):
    identifier = models.CharField(_("NIP / employee number"), max_length=30, unique=True)
    employee_type = models.CharField(
        _("employee type"), max_length=10, choices=EmployeeType.choices
    )
    name = models.CharField(_("name"), max_length=200)
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="employees"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("direct supervisor (atasan langsung)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
    )
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    position_class = models.CharField(
        _("position class (kelas jabatan)"), max_length=10, blank=True, default=""
    )
    tpp_amount = models.PositiveBigIntegerField(
        _("monthly TPP (Rp)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the amount of the position class (rules → TPP)."),
    )
    workplaces = models.ManyToManyField(
        Workplace, verbose_name=_("workplaces"), related_name="employees", blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["opd__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    def clean(self) -> None:
        errors = {}
        if self.employee_type in (EmployeeType.PNS, EmployeeType.PPPK):
            try:
                parse_nip(self.identifier, self.employee_type, today=timezone.localdate())
            except NipError as exc:
                errors["identifier"] = nip_error_text(exc)
        elif not self.identifier or not self.identifier.replace("-", "").isalnum():
            errors["identifier"] = _("Employee number must be letters, digits and dashes")
        if self.active_to and self.active_from and self.active_to < self.active_from:
            errors["active_to"] = _("ends before it starts")
        if self.unit_id and self.opd_id and self.unit.opd_id != self.opd_id:
            errors["unit"] = _("the unit belongs to another OPD")
        if self.supervisor_id and self.supervisor_id == self.pk:
            errors["supervisor"] = _("an employee cannot supervise themselves")
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class RoleKind(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    SUPERVISOR = "atasan", _("direct supervisor (atasan langsung)")
    OPD_HEAD = "kepala_opd", _("head of OPD (Kepala OPD)")
    OPD_ADMIN = "admin_opd", _("OPD administrator")
    BKPSDM_ADMIN = "admin_bkpsdm", _("BKPSDM administrator")
    INSPECTOR = "inspektorat", _("Inspektorat (auditor, read-only)")
    SUPERADMIN = "superadmin", _("superadmin")


REGENCY_WIDE_ROLES = {RoleKind.BKPSDM_ADMIN, RoleKind.INSPECTOR, RoleKind.SUPERADMIN}
OPD_SCOPED_ROLES = {RoleKind.OPD_HEAD, RoleKind.OPD_ADMIN}


class Role(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="hadir_roles",
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Required for OPD-scoped roles."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "opd"], name="unique_role")]

    def __str__(self) -> str:
        scope = self.opd.code if self.opd_id else _("regency")
        return f"{self.user} – {self.get_kind_display()} ({scope})"

    def clean(self) -> None:
        if self.kind in OPD_SCOPED_ROLES and not self.opd_id:
            raise ValidationError({"opd": _("this role needs an OPD")})


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("viewed (personal data)")
    PROVISION = "provision", _("office screen provisioned")
    ISSUE = "issue", _("activation codes issued")
    ACTIVATE = "activate", _("account activated")
    REPLAY = "replay", _("decision replayed from an archive")


class AuditEntry(models.Model):
    """What changed in master data, by whom. Written by hadir.org.audit; never edited."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    model = models.CharField(_("model"), max_length=60, db_index=True)
    object_pk = models.CharField(_("object"), max_length=60)
    object_repr = models.CharField(_("description"), max_length=300)
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"), null=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        action = self.get_action_display()
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} · {action} · {self.object_repr}"


class LoginAttempt(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    succeeded = models.BooleanField()
    remote_addr = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["remote_addr", "at"], name="login_attempt_addr_at")]

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"


class TokenKind(models.TextChoices):
    ACCESS = "access", _("access")
    REFRESH = "refresh", _("refresh")


class ApiToken(models.Model):
    """Bearer token for the mobile API; only its hash is stored.

    A login gives a short-lived access token and a long-lived refresh token of the same session;
    refreshing replaces both. A token is valid only while the account's password is the one it
    was issued under (auth_hash), so changing the password ends every session.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=TokenKind.choices, default=TokenKind.ACCESS)
    session = models.CharField(max_length=32, default="", db_index=True)
    auth_hash = models.CharField(max_length=128, default="")

    def __str__(self) -> str:
        return f"{self.kind} token of {self.user_id} until {self.expires:%Y-%m-%d}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def auth_hash_of(user) -> str:
        return user.get_session_auth_hash()

    def matches_password_of(self, user) -> bool:
        return bool(self.auth_hash) and secrets.compare_digest(
            self.auth_hash, self.auth_hash_of(user)
        )

    @classmethod
    def issue(cls, user, lifetime, kind: str = TokenKind.ACCESS, session: str = "") -> str:
        token = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            digest=cls.digest_of(token),
            expires=timezone.now() + lifetime,
            kind=kind,
            session=session or secrets.token_hex(16),
            auth_hash=cls.auth_hash_of(user),
        )
        return token


class ActivationCodeState(models.TextChoices):
    VALID = "valid", _("valid, not used yet")
    USED = "used", _("used")
    REPLACED = "replaced", _("replaced by a newer code")
    EXPIRED = "expired", _("expired")


class ActivationCode(models.Model):
    """A one-time code that lets an employee set the first password of their account.

    Only a keyed hash of the code is stored; the code itself exists on the printed sheet only.
    Written by hadir.org.activation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    digest = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.CharField(_("issued by"), max_length=150)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["user", "used_at", "replaced_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"

    def state(self, now) -> ActivationCodeState:
        if self.used_at:
            return ActivationCodeState.USED
        if self.replaced_at:
            return ActivationCodeState.REPLACED
        if self.expires_at <= now:
            return ActivationCodeState.EXPIRED
        return ActivationCodeState.VALID
