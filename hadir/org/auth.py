"""Password login, slowed by growing delays per address and per account (never locked).

The rule is hadir.domain.login_throttle; this module counts the failures it needs. A refused
attempt is not checked and not recorded, so waiting out the delay is the only way on.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Max
from django.utils import timezone

from hadir.core.client_address import client_address
from hadir.domain.login_throttle import DelayPolicy, Failures, wait_s
from hadir.org.models import LoginAttempt


def account_policy() -> DelayPolicy:
    return DelayPolicy(
        free_failures=settings.LOGIN_MAX_FAILURES,
        first_delay_s=settings.LOGIN_FIRST_DELAY_S,
        max_delay_s=settings.LOGIN_ACCOUNT_MAX_DELAY_S,
        window=timedelta(days=1),
    )


def address_policy() -> DelayPolicy:
    return DelayPolicy(
        free_failures=settings.LOGIN_ADDRESS_FREE_FAILURES,
        first_delay_s=settings.LOGIN_FIRST_DELAY_S,
        max_delay_s=settings.LOGIN_ADDRESS_MAX_DELAY_S,
        window=timedelta(hours=1),
    )


def account_failures(username: str, now, policy: DelayPolicy) -> Failures:
    attempts = LoginAttempt.objects.filter(username=username, at__gte=now - policy.window)
    last_success = attempts.filter(succeeded=True).aggregate(at=Max("at"))["at"]
    failed = attempts.filter(succeeded=False)
    if last_success is not None:
        failed = failed.filter(at__gt=last_success)
    found = failed.aggregate(at=Max("at"))["at"]
    return Failures(count=failed.count() if found else 0, last_at=found)


def address_failures(address: str, now, policy: DelayPolicy) -> Failures:
    if not address:
        return Failures(0, None)
    failed = LoginAttempt.objects.filter(
        remote_addr=address, succeeded=False, at__gte=now - policy.window
    )
    found = failed.aggregate(at=Max("at"))["at"]
    return Failures(count=failed.count() if found else 0, last_at=found)


def login_wait_s(username: str, address: str, now=None) -> int:
    """Seconds before a login for this account from this address is checked (0: now)."""
    now = now or timezone.now()
    by_account = account_policy()
    by_address = address_policy()
    return max(
        wait_s(account_failures(username, now, by_account), now, by_account),
        wait_s(address_failures(address, now, by_address), now, by_address),
    )


class ThrottledModelBackend(ModelBackend):
    """Django's password check behind the delays. A refused attempt leaves
    request.login_wait_s for the login form to say how long to wait."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None:
            return None
        address = client_address(request)
        wait = login_wait_s(username, address)
        if wait:
            if request is not None:
                request.login_wait_s = wait
            return None
        # Recorded as failed before the password is checked, and marked a success after: the
        # check takes tens of milliseconds (argon2), and attempts sent side by side would each
        # find the failures of the others not yet written and all be checked (9 passwords
        # tried on one account over 12 connections instead of 5). Now the window between the
        # count and the record is the insert alone.
        attempt = LoginAttempt.objects.create(
            username=username[:150], succeeded=False, remote_addr=address
        )
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            LoginAttempt.objects.filter(pk=attempt.pk).update(succeeded=True)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
