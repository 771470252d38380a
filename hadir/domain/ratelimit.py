"""Token buckets: how often a caller may knock before it is asked to wait.

A bucket holds up to `burst` tokens and gains `burst / period_s` tokens a second; each request
takes one. An honest phone that was offline for days flushes its queue in one burst, so the
burst is generous and the sustained rate low.

A bucket is kept as one number, its theoretical arrival time (the generic cell rate algorithm):
the moment it would be full again. 0, or any time past, is a full bucket, so a table of zeros is
a table of full buckets, and the server processes can share one fixed table of such numbers
(hadir.core.rate_table). The rule is pure: the caller passes the bucket and the monotonic time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Admitting `burst` requests at one instant adds `burst` rounded intervals: allow for the rounding.
_SLACK = 1e-6


@dataclass(frozen=True)
class Rate:
    burst: int
    period_s: float
    # Derived once (a rate is read on every request): the time one token takes to come back,
    # and how far from full a bucket may be for a request to be admitted.
    interval_s: float = field(init=False, repr=False, compare=False)
    room_s: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        interval = self.period_s / self.burst
        object.__setattr__(self, "interval_s", interval)
        object.__setattr__(self, "room_s", self.period_s - interval)

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """'300/60' is 300 requests, refilled over 60 seconds; 'off' (or 0) is no limit."""
        text = text.strip().lower()
        if text in {"", "0", "off", "none"}:
            return None
        burst, _, period = text.partition("/")
        rate = cls(int(burst), float(period or 1))
        if rate.burst < 1 or rate.period_s <= 0:
            raise ValueError(f"not a rate: {text!r} (expected e.g. 300/60)")
        return rate


def take(full_at: float, now: float, rate: Rate) -> tuple[float | None, float]:
    """One request against a bucket that is full again at `full_at`.

    Admitted: (None, the bucket's new full_at), one token further away. Refused: (the seconds
    until a token is back, full_at unchanged): a refused request takes nothing, so waiting out
    the answer is enough."""
    # Tokens missing = (full_at - now) / interval; a request needs one left after it.
    ahead = full_at - now
    if ahead <= rate.room_s + rate.interval_s * _SLACK:
        return None, (full_at if ahead > 0 else now) + rate.interval_s
    return ahead - rate.room_s, full_at


def retry_after_header(seconds: float) -> str:
    """Retry-After in whole seconds, never 0 (a client told 0 would ask again at once)."""
    return str(max(1, math.ceil(seconds)))
