"""When a background job runs next, and when a failed one is tried again.

Three kinds of rule cover what a regency needs: every N seconds (challenges, notifications),
daily at a local time (the nightly fraud batch, reminders), monthly on a day at a local time
(closing the previous month). A cron syntax would add a parser and nothing a regency asks for.

Missed occurrences are not replayed one by one: a worker that was down over night runs a daily
job once when it comes back, then keeps to the rule from that moment. An interval counts from
the end of a run, so a run longer than its interval never piles up behind itself.

Wall-clock rules are computed in the regency's time zone; datetimes are compared in UTC, since
two aware datetimes with the same tzinfo compare by wall time, which is wrong across a
daylight-saving change (none in Indonesia, but the rule should not depend on that).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Every:
    seconds: int

    def __post_init__(self) -> None:
        if self.seconds < 1:
            raise ValueError("an interval is at least one second")


@dataclass(frozen=True)
class Daily:
    at: time


@dataclass(frozen=True)
class Monthly:
    day: int  # 1-31; a month without that day uses its last day
    at: time

    def __post_init__(self) -> None:
        if not 1 <= self.day <= 31:
            raise ValueError("a day of the month is between 1 and 31")


Rule = Every | Daily | Monthly


def next_run(rule: Rule, after: datetime, tz: tzinfo) -> datetime:
    """The first moment strictly after `after` at which the rule runs (in UTC)."""
    after = after.astimezone(UTC)
    if isinstance(rule, Every):
        return after + timedelta(seconds=rule.seconds)
    local_day = after.astimezone(tz).date()
    if isinstance(rule, Daily):
        for day in (local_day, local_day + timedelta(days=1), local_day + timedelta(days=2)):
            candidate = _at(day, rule.at, tz)
            if candidate > after:
                return candidate
    else:
        month = local_day.replace(day=1)
        for _ in range(3):
            candidate = _at(_day_in_month(month, rule.day), rule.at, tz)
            if candidate > after:
                return candidate
            month = (month + timedelta(days=32)).replace(day=1)
    raise AssertionError("unreachable: a later occurrence always exists")


def first_run(rule: Rule, now: datetime, tz: tzinfo) -> datetime:
    """When a newly created job runs first: an interval job at once, the others at their
    next occurrence (a nightly batch created at noon waits for the night)."""
    if isinstance(rule, Every):
        return now.astimezone(UTC)
    return next_run(rule, now, tz)


def retry_at(now: datetime, failures: int, base_seconds: int, cap_seconds: int = 3600) -> datetime:
    """When to try again after the `failures`-th failure in a row: the delay doubles each time
    (base, 2 x base, 4 x base, ...) up to the cap."""
    delay = min(base_seconds * 2 ** max(failures - 1, 0), cap_seconds)
    return now.astimezone(UTC) + timedelta(seconds=delay)


def _at(day: date, at: time, tz: tzinfo) -> datetime:
    # A wall time inside a daylight-saving gap maps to the instant just after the gap (fold=0).
    return datetime.combine(day, at, tz).astimezone(UTC)


def _day_in_month(month: date, day: int) -> date:
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))
