"""The events endpoint's front door: how often a caller may knock, and what is kept of those
who fail to prove who they are.

Only authenticated events (a known device's valid signature) enter the evidence chain, where a
row stays forever. A request that fails authentication (no or unknown key id, a bad or missing
signature, a body too large to be checked) is counted in RefusedTally per key id, address and
reason, and a few of their bodies are kept, truncated, in RefusedSample's fixed slots: both
tables are bounded whatever anyone sends.

Rate limits, answered 429 with Retry-After:
- every request, per client address (EVENTS_RATE_PER_ADDRESS), checked before any work;
- refused requests, per client address (EVENTS_REFUSED_RATE_PER_ADDRESS): beyond it a refusal
  is answered 429 and only counted, so a stranger cannot write to the database at will, while
  authentic events from the same address (an office behind one NAT) still pass;
- authenticated new events, per key id (EVENTS_RATE_PER_KEY): only a valid signature takes a
  token, so nobody can use up a phone's allowance by sending garbage under its key id, and a
  repeated event (answered from the store) takes none.
The buckets live in one fixed table in memory shared by every process of the server
(hadir.core.rate_table): the rates hold for the whole server however many processes
`hadir serve --workers` runs, without a database write or a cache server per check-in.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import OrderedDict
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hadir.checkin.locking import writer_lock
from hadir.checkin.models import RefusedSample, RefusedTally
from hadir.core import rate_table
from hadir.core.client_address import address_from
from hadir.domain.ratelimit import Rate, retry_after_header

logger = logging.getLogger("hadir.checkin")
OVERFLOW = "*"
_pending: OrderedDict[tuple, int] = OrderedDict()  # refusals answered 429, not yet counted
MAX_PENDING = 10_000
_clock = time.monotonic  # CLOCK_MONOTONIC: one clock for every process of the machine
# Each limit's region of the shared table.
LIMITS = {
    "EVENTS_RATE_PER_ADDRESS": 0,
    "EVENTS_REFUSED_RATE_PER_ADDRESS": 1,
    "EVENTS_RATE_PER_KEY": 2,
}


@cache
def _rate(setting: str) -> Rate | None:
    return Rate.parse(str(getattr(settings, setting)))


def reset() -> None:
    """Every bucket full again and the rates read again (tests; a changed setting)."""
    _rate.cache_clear()
    rate_table.table().clear()
    _pending.clear()


def _take(setting: str, key: str) -> float | None:
    rate = _rate(setting)
    return None if rate is None else rate_table.table().take(LIMITS[setting], key, rate, _clock())


def client_address(remote_addr: str, headers: dict) -> str:
    """The caller's address (hadir.core.client_address: the same rule as the login throttle)."""
    return address_from(remote_addr, headers.get("x-forwarded-for", ""))


def address_wait(address: str) -> float | None:
    """Seconds the address must wait before sending again, or None to go ahead."""
    return _take("EVENTS_RATE_PER_ADDRESS", address)


def key_wait(key_id: str) -> float | None:
    return _take("EVENTS_RATE_PER_KEY", key_id)


def throttled_answer(seconds: float) -> tuple[int, dict, tuple]:
    retry = retry_after_header(seconds)
    payload = {
        "error": "throttled",
        "message": _("Too many requests: try again in %(seconds)s seconds.") % {"seconds": retry},
        "retry_after": int(retry),
    }
    return 429, payload, (("Retry-After", retry),)


def refuse(
    *, key_id: str, address: str, reason: str, headers: dict, body: bytes, at, limited: bool
) -> float | None:
    """Records a request that failed authentication (bounded). Returns the seconds to wait when
    `limited` and the address is over its rate of refusals (then the refusal is only counted,
    with the next one recorded from the same source)."""
    source = (key_id[:64], address[:64], reason[:40])
    wait = _take("EVENTS_REFUSED_RATE_PER_ADDRESS", address) if limited else None
    if wait is not None:
        _pending[source] = _pending.pop(source, 0) + 1
        while len(_pending) > MAX_PENDING:
            _pending.popitem(last=False)
        return wait
    count = 1 + _pending.pop(source, 0)
    try:
        with writer_lock(), transaction.atomic():
            _count(source, count, at)
            _sample(source, headers, body, at)
    except Exception:  # the log is for investigation: failing to write it refuses no one
        logger.exception("could not record a refused check-in request")
    return None


def _count(source: tuple, count: int, at) -> None:
    if _add(source, count, at):
        return
    if RefusedTally.objects.count() >= settings.FRONT_DOOR_MAX_TALLIES:
        source = (OVERFLOW, OVERFLOW, source[2])
        if _add(source, count, at):
            return
    try:
        with transaction.atomic():
            RefusedTally.objects.create(
                key_id=source[0],
                remote_addr=source[1],
                reason=source[2],
                count=count,
                first_at=at,
                last_at=at,
            )
    except IntegrityError:  # created meanwhile by another process
        _add(source, count, at)


def _add(source: tuple, count: int, at) -> bool:
    key_id, address, reason = source
    rows = RefusedTally.objects.filter(key_id=key_id, remote_addr=address, reason=reason)
    return bool(rows.update(count=F("count") + count, last_at=at))


def _sample(source: tuple, headers: dict, body: bytes, at) -> None:
    key_id, address, reason = source
    values = {
        "received_at": at,
        "key_id": key_id,
        "remote_addr": address,
        "reason": reason,
        "headers": json.loads(json.dumps(headers, default=str).replace("\\u0000", "")),
        "body": bytes(body[: settings.FRONT_DOOR_SAMPLE_BYTES]),
        "body_size": len(body),
    }
    slot = random.randrange(settings.FRONT_DOOR_SAMPLES)
    if not RefusedSample.objects.filter(slot=slot).update(**values):
        try:
            with transaction.atomic():
                RefusedSample.objects.create(slot=slot, **values)
        except IntegrityError:
            RefusedSample.objects.filter(slot=slot).update(**values)
