"""Presence challenges: who is asked to prove they are still on site, and when.

A sample of checked-in employees gets one challenge at a moment chosen between an hour after
check-in and half an hour before the planned end of the day; those at risk are sampled more.
The choice is a keyed hash of (employee, day) with a server secret, so it is reproducible by the
server (and by the simulator, which uses the same function) but unpredictable to employees.
Poor-network workplaces get a longer answer window. Nobody is tracked between challenges.

A *group* challenge asks a suspected set of phones (hadir.domain.signals.travelling_together)
at one and the same moment, with a short deadline: one hand holding them answers them seconds
apart from one spot, or misses some; colleagues who only ride together answer each from their
own desk at their own time. The set is challenged on a sample of its days (group_rate), at a
moment between an hour after the planned start and half an hour before the planned end.
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
    # Group challenges: the share of a suspected set's working days it is asked on, and the
    # short window its members have (wherever they work: the phones in one hand are online).
    group_rate: float = 0.5
    group_window: timedelta = timedelta(minutes=5)

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


@dataclass(frozen=True)
class PlannedGroupChallenge:
    members: tuple[int, ...]  # the suspected set, sorted (some may not be asked: not in today)
    day: date
    issued_at: datetime
    deadline: datetime

    def group_id(self, secret: str) -> str:
        key = f"{','.join(map(str, self.members))}:{self.day.isoformat()}".encode()
        return "grp_" + hmac.new(secret.encode(), key, hashlib.sha256).hexdigest()[:24]

    def challenge_id(self, employee_id: int, secret: str) -> str:
        """The member's own challenge in the group (never the id of their random one)."""
        key = f"{self.group_id(secret)}:{employee_id}".encode()
        return "chg_" + hmac.new(secret.encode(), key, hashlib.sha256).hexdigest()[:24]


def plan_group_challenge(
    *,
    members: tuple[int, ...] | list[int],
    day: date,
    planned_start: datetime,
    planned_end: datetime,
    secret: str,
    policy: ChallengePolicy,
) -> PlannedGroupChallenge | None:
    """The moment a suspected set is asked today, or None (not sampled, or no room)."""
    members = tuple(sorted(set(members)))
    if len(members) < 2:
        return None
    key = ",".join(map(str, members))
    if _fraction(secret, "group", key, day.isoformat()) >= policy.group_rate:
        return None
    earliest = planned_start + policy.not_before_check_in
    latest = planned_end - policy.not_after_planned_end - policy.group_window
    if latest <= earliest:
        return None
    offset = (latest - earliest) * _fraction(secret, "group-time", key, day.isoformat())
    issued_at = (earliest + offset).replace(microsecond=0)
    return PlannedGroupChallenge(members, day, issued_at, issued_at + policy.group_window)
