"""Password login with a lockout after repeated failures (per username, over a time window)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from hadir.org.models import LoginAttempt


def is_locked_out(username: str, now=None) -> bool:
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = LoginAttempt.objects.filter(username=username, at__gte=since).order_by("-at")
    failures = 0
    for attempt in recent[: settings.LOGIN_MAX_FAILURES]:
        if attempt.succeeded:
            break
        failures += 1
    return failures >= settings.LOGIN_MAX_FAILURES


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or is_locked_out(username):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        remote = request.META.get("REMOTE_ADDR", "") if request is not None else ""
        LoginAttempt.objects.create(
            username=username, succeeded=user is not None, remote_addr=remote[:64]
        )
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
