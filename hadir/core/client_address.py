"""The address a request came from. Behind the TLS proxy of production mode (HADIR_HTTPS=1 or
HADIR_TRUST_PROXY=1) every request comes from the proxy, which puts the client's address in
X-Forwarded-For; the last entry is the one the proxy itself saw, so a client cannot forge it."""

from django.conf import settings

MAX_LENGTH = 64


def client_address(request) -> str:
    if request is None:
        return ""
    if settings.HADIR_TRUST_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:MAX_LENGTH]
    return request.META.get("REMOTE_ADDR", "")[:MAX_LENGTH]
