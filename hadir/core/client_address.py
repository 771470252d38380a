"""The address a request came from: one rule for the login throttle and the check-in front door.

The peer's address, unless the peer is a trusted proxy: then the last X-Forwarded-For entry,
the one that proxy wrote itself (what the client sent comes before it), so a client cannot
choose its address. Trusted proxies: the addresses in TRUSTED_PROXIES (loopback by default:
the TLS proxy of the README's nginx recipe, on the same machine as `hadir serve`, which listens
on 127.0.0.1), or every peer with HADIR_TRUST_PROXY=1 (implied by HADIR_HTTPS=1: the server
must then be reachable only through the proxy). An entry that is not an IP address is not
taken.
"""

import ipaddress

from django.conf import settings

MAX_LENGTH = 64


def address_from(remote_addr: str, forwarded_for: str) -> str:
    """The caller's address from the peer's address and the X-Forwarded-For header."""
    if forwarded_for.strip() and (
        settings.HADIR_TRUST_PROXY or remote_addr in settings.TRUSTED_PROXIES
    ):
        last = forwarded_for.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass
    return remote_addr[:MAX_LENGTH]


def client_address(request) -> str:
    if request is None:
        return ""
    meta = request.META
    return address_from(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""))
