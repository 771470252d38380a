"""Token buckets: how often a caller may knock before it is asked to wait.

A bucket holds up to `burst` tokens and gains `burst / period_s` tokens a second; each request
takes one. An honest phone that was offline for days flushes its queue in one burst, so the
burst is generous and the sustained rate low. The buckets are pure (the caller passes the
monotonic time) and bounded: beyond `max_keys` callers, the longest idle are forgotten, which
can only ever favour a caller (a forgotten bucket starts full).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    burst: int
    period_s: float

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

    @property
    def per_second(self) -> float:
        return self.burst / self.period_s


class TokenBuckets:
    def __init__(self, rate: Rate, max_keys: int = 100_000) -> None:
        self.rate = rate
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float) -> float | None:
        """Takes a token for `key`; None if there was one, else the seconds until there is."""
        with self._lock:
            tokens, since = self._buckets.pop(key, (float(self.rate.burst), now))
            tokens = min(self.rate.burst, tokens + max(0.0, now - since) * self.rate.per_second)
            if tokens >= 1:
                self._remember(key, tokens - 1, now)
                return None
            self._remember(key, tokens, now)
            return (1 - tokens) / self.rate.per_second

    def _remember(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)


def retry_after_header(seconds: float) -> str:
    """Retry-After in whole seconds, never 0 (a client told 0 would ask again at once)."""
    return str(max(1, math.ceil(seconds)))
