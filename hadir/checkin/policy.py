"""Where the verification policy and the app-integrity verifier come from.

Defaults live in hadir.domain.verification_policy. A regency overrides them in settings, not in
code: HADIR_VERIFICATION_POLICY (a VerificationPolicy) and HADIR_INTEGRITY_VERIFIER (dotted
path of a class implementing hadir.domain.verification_types.IntegrityVerifier, e.g. a Play
Integrity checker for a future native app). The default verifier checks nothing and records
that nothing was checked.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from hadir.domain.verification_policy import VerificationPolicy
from hadir.domain.verification_types import IntegrityVerifier, NullIntegrityVerifier


@cache
def current_policy() -> VerificationPolicy:
    return getattr(settings, "HADIR_VERIFICATION_POLICY", None) or VerificationPolicy()


@cache
def current_integrity_verifier() -> IntegrityVerifier:
    path = getattr(settings, "HADIR_INTEGRITY_VERIFIER", None)
    return import_string(path)() if path else NullIntegrityVerifier()
