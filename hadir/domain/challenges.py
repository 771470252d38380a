"""Presence challenges: who is asked to prove they are still on site, and when.

A sample of checked-in employees gets one challenge at a moment chosen between an hour after
check-in and half an hour before the planned end of the day; those at risk are sampled more.
The choice is a keyed hash of (employee, day) with a server secret, so it is reproducible by the
server (and by the simulator, which uses the same function) but unpredictable to employees.
Poor-network workplaces get a longer answer window. Nobody is tracked between challenges.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


def _default_windows() -> dict[str, timedelta]:
    return {
        "good": timedelta(minutes=10),
        "poor": timedelta(minutes=45),
        "none": timedelta(hours=2),
    }


@dataclass(frozen=True)
class ChallengePolicy:
    base_rate: float = 0.15  # share of checked-in employees challenged on a day
    at_risk_rate: float = 0.6  # share for employees flagged for review recently
    not_before_check_in: timedelta = timedelta(hours=1)
    not_after_planned_end: timedelta = timedelta(minutes=30)  # before the planned end
    windows: dict[str, timedelta] = field(default_factory=_default_windows)

    def window(self, tier: str) -> timedelta:
        return self.windows.get(tier, self.windows["good"])


@dataclass(frozen=True)
class PlannedChallenge:
    employee_id: int
    day: date
    issued_at: datetime
    deadline: datetime

    def challenge_id(self, secret: str) -> str:
        key = f"{self.employee_id}:{self.day.isoformat()}".encode()
        return "ch_" + hmac.new(secret.encode(), key, hashlib.sha256).hexdigest()[:24]


def _fraction(secret: str, *parts: str) -> float:
    digest = hmac.new(secret.encode(), ":".join(parts).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def plan_challenge(
    *,
    employee_id: int,
    day: date,
    checked_in_at: datetime,
    planned_end: datetime,
    tier: str,
    at_risk: bool,
    secret: str,
    policy: ChallengePolicy,
) -> PlannedChallenge | None:
    """The challenge this employee gets today, or None (not sampled, or no room in the day)."""
    rate = policy.at_risk_rate if at_risk else policy.base_rate
    if _fraction(secret, "sample", str(employee_id), day.isoformat()) >= rate:
        return None
    earliest = checked_in_at + policy.not_before_check_in
    latest = planned_end - policy.not_after_planned_end
    if latest <= earliest:
        return None
    offset = (latest - earliest) * _fraction(secret, "time", str(employee_id), day.isoformat())
    issued_at = (earliest + offset).replace(microsecond=0)
    return PlannedChallenge(employee_id, day, issued_at, issued_at + policy.window(tier))
