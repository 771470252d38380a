"""How long a password login must wait after failures: growing delays, never a lock.

A hard lock after five failures lets anyone lock anyone out (the superadmin included) and keep
him out by failing again. Delays instead: failures from one address slow that address, as much
as a quarter of an hour, which costs only the one who failed; failures against one account (from
anywhere) slow the account too, but never beyond a minute, so its owner always gets in within a
minute while a guesser spread over many addresses still gets only a few tries a minute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class DelayPolicy:
    free_failures: int  # failures before the first delay
    first_delay_s: float  # doubled for every further failure
    max_delay_s: float
    window: timedelta  # failures older than this are forgotten


@dataclass(frozen=True)
class Failures:
    count: int  # failures inside the window (for an account: since its last success)
    last_at: datetime | None


def delay_s(failures: int, policy: DelayPolicy) -> float:
    """The delay owed after this many failures: 0, then first_delay_s doubling up to the cap."""
    if failures < policy.free_failures:
        return 0.0
    exponent = min(failures - policy.free_failures, 32)
    return min(policy.max_delay_s, policy.first_delay_s * 2**exponent)


def wait_s(failures: Failures, now: datetime, policy: DelayPolicy) -> int:
    """Whole seconds to wait before the next attempt is even checked (0: go ahead)."""
    if failures.last_at is None:
        return 0
    ready_at = failures.last_at + timedelta(seconds=delay_s(failures.count, policy))
    return max(0, math.ceil((ready_at - now).total_seconds()))
