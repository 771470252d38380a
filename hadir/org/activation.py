"""One-time activation codes: how an employee sets the first password of their account.

An administrator issues codes for an OPD (`hadir activation-codes`, or the employee list in the
admin) and hands out the printed sheets. A code is valid for a set number of days and once; only
a keyed hash of it is stored, so a lost sheet is replaced by issuing a new code, which makes the
previous unused one invalid. Activation takes the identifier, the code and the new password;
every refusal reads the same whether or not the account exists, and failures are throttled per
identifier and per address (the only throttling of activation; it lives here).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from hadir.org.models import ActivationCode, AuditEntry, Employee, LoginAttempt

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: read aloud or copied from paper without doubt. 27^10 codes.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 10
DEFAULT_VALID_DAYS = 14
MAX_VALID_DAYS = 90
# Failed activations allowed per identifier and per address within the window.
MAX_FAILURES_PER_IDENTIFIER = 5
MAX_FAILURES_PER_ADDRESS = 30
THROTTLE_WINDOW = dt.timedelta(minutes=15)
ATTEMPT_PREFIX = "activation:"  # LoginAttempt.username of activation attempts
# What the API's schema states of the input (hadir.org.api.ActivateIn), checked here too.
IDENTIFIER_MAX = 30
TYPED_CODE_MAX = 40  # as typed, before normalize()
CODE_PATTERN = r"^[ \t-]*[^ \t\x00-][^\x00]*$"  # something normalize() keeps
PASSWORD_MIN = 8  # Django's MinimumLengthValidator (settings.AUTH_PASSWORD_VALIDATORS)
PASSWORD_MAX = 128


class ActivationError(Exception):
    """Refused. `code` is stable for machines; `field` names the input at fault, if any."""

    def __init__(self, code: str, field: str | None = None, messages: list[str] | None = None):
        super().__init__(code)
        self.code, self.field, self.messages = code, field, messages or []


@dataclass(frozen=True)
class IssuedCode:
    employee: Employee
    code: str  # the only time the plain code exists
    expires_at: dt.datetime


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display(code: str) -> str:
    """ACDE-FGHJK-M…: groups of five, as printed."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def normalize(typed: str) -> str:
    """What a person types from the sheet: any case, spaces and dashes ignored."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def digest(code: str) -> str:
    return salted_hmac("hadir.activation-code", code, algorithm="sha256").hexdigest()


# Issuing ---------------------------------------------------------------------------------------


def employees_needing_codes(employees: QuerySet[Employee], now: dt.datetime) -> QuerySet[Employee]:
    """In service, with an active account that has no password yet and no valid code."""
    today = timezone.localdate(now)
    valid = ActivationCode.objects.filter(
        used_at__isnull=True, replaced_at__isnull=True, expires_at__gt=now
    )
    return (
        employees.filter(user__isnull=False, user__is_active=True, user__password__startswith="!")
        .exclude(active_to__lt=today)
        .exclude(user__in=valid.values("user"))
    )


def issue_codes(
    employees: QuerySet[Employee] | list[Employee],
    *,
    valid_days: int,
    actor: str,
    now: dt.datetime | None = None,
) -> list[IssuedCode]:
    """A new code for each employee (who must have an account); earlier unused codes die."""
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ValueError(f"valid_days must be between 1 and {MAX_VALID_DAYS}")
    now = now or timezone.now()
    expires = now + dt.timedelta(days=valid_days)
    people = [e for e in employees if e.user_id is not None]
    issued = [IssuedCode(e, new_code(), expires) for e in people]
    with transaction.atomic():
        ActivationCode.objects.filter(
            user_id__in=[e.user_id for e in people], used_at__isnull=True, replaced_at__isnull=True
        ).update(replaced_at=now)
        ActivationCode.objects.bulk_create(
            [
                ActivationCode(
                    user_id=item.employee.user_id,
                    digest=digest(item.code),
                    issued_at=now,
                    issued_by=actor[:150],
                    expires_at=expires,
                )
                for item in issued
            ],
            batch_size=1000,
        )
        if issued:
            opds = sorted({item.employee.opd.code for item in issued})
            AuditEntry.objects.create(
                actor=actor[:150],
                action="issue",
                model="org.ActivationCode",
                object_pk="",
                object_repr=f"{', '.join(opds)} ({len(issued)})"[:300],
                before=None,
                after={
                    "employees": [item.employee.identifier for item in issued][:1000],
                    "expires_at": expires.isoformat(),
                },
            )
    return issued


# Activating ------------------------------------------------------------------------------------


def is_throttled(identifier: str, remote_addr: str, now: dt.datetime) -> bool:
    failures = LoginAttempt.objects.filter(
        at__gte=now - THROTTLE_WINDOW, succeeded=False, username__startswith=ATTEMPT_PREFIX
    )
    per_identifier = failures.filter(username=(ATTEMPT_PREFIX + identifier)[:150])
    if per_identifier.count() >= MAX_FAILURES_PER_IDENTIFIER:
        return True
    per_address = failures.filter(remote_addr=remote_addr[:64])
    return bool(remote_addr) and per_address.count() >= MAX_FAILURES_PER_ADDRESS


def _attempt(identifier: str, remote_addr: str, succeeded: bool, now: dt.datetime) -> None:
    LoginAttempt.objects.create(
        username=(ATTEMPT_PREFIX + identifier)[:150],
        at=now,
        succeeded=succeeded,
        remote_addr=remote_addr[:64],
    )


def _account(identifier: str):
    """The active account of this identifier (the employee's NIP or the username), or None."""
    employee = (
        Employee.objects.filter(identifier=identifier, user__isnull=False)
        .select_related("user")
        .first()
    )
    user = employee.user if employee else None
    if user is None:
        user = get_user_model().objects.filter(username=identifier).first()
    return user if user is not None and user.is_active else None


def activate(
    identifier: str,
    code: str,
    password: str,
    *,
    remote_addr: str = "",
    now: dt.datetime | None = None,
):
    """Check the code, set the password, spend the code; returns the user. Raises
    ActivationError("invalid_input", field, messages), ("throttled") or ("invalid_code")."""
    now = now or timezone.now()
    identifier = "".join(identifier.split())
    _check_input(identifier, code, password)
    typed = normalize(code)
    if is_throttled(identifier, remote_addr, now):
        raise ActivationError("throttled")
    user = _account(identifier)
    wanted = digest(typed)
    with transaction.atomic():
        match = None
        if user is not None:
            valid = ActivationCode.objects.select_for_update().filter(
                user=user, used_at__isnull=True, replaced_at__isnull=True, expires_at__gt=now
            )
            match = next((c for c in valid if hmac.compare_digest(c.digest, wanted)), None)
        if match is not None:
            _spend(match, user, password, remote_addr, now)
            return user
    _attempt(identifier, remote_addr, False, now)
    raise ActivationError("invalid_code", "code")


def _spend(match: ActivationCode, user, password: str, remote_addr: str, now) -> None:
    # The password is judged only now, against the account (it may not resemble the NIP); a
    # refused password leaves the code valid.
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ActivationError("invalid_input", "password", list(exc.messages)) from None
    match.used_at = now
    match.save(update_fields=["used_at"])
    user.set_password(password)
    user.save(update_fields=["password"])
    _attempt(user.get_username(), remote_addr, True, now)
    AuditEntry.objects.create(
        actor=f"user:{user.get_username()}"[:150],
        action="activate",
        model="auth.User",
        object_pk=str(user.pk),
        object_repr=user.get_username()[:300],
        before=None,
        after={"activation_code": match.pk},
    )


def _check_input(identifier: str, code: str, password: str) -> None:
    from django.utils.translation import gettext as _

    if not identifier or len(identifier) > IDENTIFIER_MAX:
        raise ActivationError(
            "invalid_input", "identifier", [_("Enter your NIP or employee number.")]
        )
    if not normalize(code) or len(code) > TYPED_CODE_MAX:
        raise ActivationError(
            "invalid_input", "code", [_("Enter the activation code from your sheet.")]
        )
    if not password:
        raise ActivationError("invalid_input", "password", [_("Choose a password.")])
    if len(password) > PASSWORD_MAX:
        raise ActivationError(
            "invalid_input", "password", [_("The password may have at most 128 characters.")]
        )


def activation_url() -> str:
    """Where the printed sheet sends the employee (the public address of this server)."""
    from django.urls import reverse

    return settings.PUBLIC_URL + reverse("activate")
