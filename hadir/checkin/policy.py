"""Where the verification policy comes from. Defaults live in hadir.domain.verification_policy;
a regency overrides them in settings (HADIR_VERIFICATION_POLICY), not in code."""

from functools import cache

from django.conf import settings

from hadir.domain.verification_policy import VerificationPolicy


@cache
def current_policy() -> VerificationPolicy:
    return getattr(settings, "HADIR_VERIFICATION_POLICY", None) or VerificationPolicy()
