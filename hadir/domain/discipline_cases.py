"""A discipline case's steps and deadlines (PP 94/2021 art. 24-31, Peraturan BKN 6/2022).

The atasan langsung who learns of a violation summons the employee in writing, at least
`summons_notice` working days before the examination; an employee who does not come is summoned
a second time within `second_summons_within` working days of the missed date; one who ignores
that too is decided on the evidence at hand. The examination is recorded (berita acara
pemeriksaan), the authorised official decides (a light sanction, a referral upward for heavier
ones, or no violation proven) and a sanction is handed over. An atasan who does not act is
himself liable (art. 28): every stage but the last has a due date, and a case past it is
escalated.

Stages and what moves them:

    opened     --summons I-->        summoned_1
    summoned_1 --examined-->         examined    | --did not attend--> missed_1
    missed_1   --summons II-->       summoned_2
    summoned_2 --examined-->         examined    | --did not attend--> examined (on evidence)
    examined   --decision-->         decided     (a sanction) | closed (referral, not proven)
    decided    --delivered-->        closed

Every period is a policy value (regencies and regulations differ); the dates are local dates
of the regency, and working days skip weekends and the `off_days` the caller passes in
(holidays, cuti bersama). No clock is read here: `today` / `now` and the zone come in.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Stage(StrEnum):
    OPENED = "opened"
    SUMMONED_1 = "summoned_1"
    MISSED_1 = "missed_1"
    SUMMONED_2 = "summoned_2"
    EXAMINED = "examined"
    DECIDED = "decided"
    CLOSED = "closed"


class Action(StrEnum):
    SUMMON = "summon"
    EXAMINE = "examine"  # the examination was held: berita acara
    MISSED = "missed"  # the employee did not come
    DECIDE = "decide"
    DELIVER = "deliver"


class Decision(StrEnum):
    TEGURAN_LISAN = "teguran_lisan"
    TEGURAN_TERTULIS = "teguran_tertulis"
    TIDAK_PUAS = "pernyataan_tidak_puas"
    REFERRAL = "referral"  # a medium or heavy sanction: the authorised official above decides
    NOT_PROVEN = "not_proven"


SANCTIONS = frozenset({Decision.TEGURAN_LISAN, Decision.TEGURAN_TERTULIS, Decision.TIDAK_PUAS})


class CaseRuleError(ValueError):
    """A step the case's stage does not allow, or a date the rules refuse; `code` says which."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code, self.values = code, values


@dataclass(frozen=True)
class CasePolicy:
    summon_within: int = 7  # working days from opening to the first summons
    summons_notice: int = 7  # working days at least between a summons and its examination
    record_within: int = 2  # working days after the examination date to record what happened
    second_summons_within: int = 7  # working days after a missed examination
    decide_within: int = 14  # working days after the examination
    deliver_within: int = 7  # working days after the decision
    weekend: tuple[int, ...] = (5, 6)  # Saturday, Sunday

    def __post_init__(self) -> None:
        for name in (
            "summon_within",
            "summons_notice",
            "record_within",
            "second_summons_within",
            "decide_within",
            "deliver_within",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


DEFAULT_POLICY = CasePolicy()

NEXT_ACTIONS: dict[Stage, tuple[Action, ...]] = {
    Stage.OPENED: (Action.SUMMON,),
    Stage.SUMMONED_1: (Action.EXAMINE, Action.MISSED),
    Stage.MISSED_1: (Action.SUMMON,),
    Stage.SUMMONED_2: (Action.EXAMINE, Action.MISSED),
    Stage.EXAMINED: (Action.DECIDE,),
    Stage.DECIDED: (Action.DELIVER,),
    Stage.CLOSED: (),
}


def is_working_day(day: date, off_days: Collection[date], policy: CasePolicy) -> bool:
    return day.weekday() not in policy.weekend and day not in off_days


def add_working_days(
    start: date, count: int, off_days: Collection[date], policy: CasePolicy = DEFAULT_POLICY
) -> date:
    """The `count`-th working day after `start` (start itself not counted)."""
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, off_days, policy):
            left -= 1
    return day


def working_days_between(
    first: date, last: date, off_days: Collection[date], policy: CasePolicy = DEFAULT_POLICY
) -> int:
    """Working days after `first` up to and including `last` (0 when last <= first)."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(day, off_days, policy)
    return count


def next_stage(stage: Stage, action: Action, decision: Decision | None = None) -> Stage:
    if action not in NEXT_ACTIONS[stage]:
        raise CaseRuleError("action_not_allowed", stage=stage.value, action=action.value)
    if action is Action.SUMMON:
        return Stage.SUMMONED_1 if stage is Stage.OPENED else Stage.SUMMONED_2
    if action is Action.EXAMINE:
        return Stage.EXAMINED
    if action is Action.MISSED:
        # After a second summons ignored, the decision is taken on the evidence at hand.
        return Stage.MISSED_1 if stage is Stage.SUMMONED_1 else Stage.EXAMINED
    if action is Action.DECIDE:
        if decision is None:
            raise CaseRuleError("decision_missing")
        return Stage.DECIDED if decision in SANCTIONS else Stage.CLOSED
    return Stage.CLOSED


def summons_number(stage: Stage) -> int:
    """1 for the first summons, 2 for the second."""
    return 1 if stage is Stage.OPENED else 2


def check_summons(
    issued_on: date,
    examination_on: date,
    off_days: Collection[date],
    policy: CasePolicy = DEFAULT_POLICY,
) -> None:
    """The examination must leave the employee `summons_notice` working days after the letter,
    and be held on a working day."""
    earliest = add_working_days(issued_on, policy.summons_notice, off_days, policy)
    if examination_on < earliest:
        raise CaseRuleError("summons_notice", earliest=earliest, days=policy.summons_notice)
    if not is_working_day(examination_on, off_days, policy):
        raise CaseRuleError("examination_not_working_day", day=examination_on)


def check_not_future(day: date, today: date, code: str = "date_in_future") -> None:
    if day > today:
        raise CaseRuleError(code, day=day)


def due_date(
    stage: Stage,
    since: date,
    off_days: Collection[date],
    policy: CasePolicy = DEFAULT_POLICY,
    examination_on: date | None = None,
) -> date | None:
    """The date by which the case's next step is due: `since` is the day the stage was entered
    (the missed examination's date for missed_1). None for a closed case."""
    if stage is Stage.OPENED:
        return add_working_days(since, policy.summon_within, off_days, policy)
    if stage in (Stage.SUMMONED_1, Stage.SUMMONED_2):
        if examination_on is None:
            raise CaseRuleError("examination_date_missing")
        return add_working_days(examination_on, policy.record_within, off_days, policy)
    if stage is Stage.MISSED_1:
        return add_working_days(since, policy.second_summons_within, off_days, policy)
    if stage is Stage.EXAMINED:
        return add_working_days(since, policy.decide_within, off_days, policy)
    if stage is Stage.DECIDED:
        return add_working_days(since, policy.deliver_within, off_days, policy)
    return None


def local_today(now: datetime, tz: ZoneInfo) -> date:
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    return now.astimezone(tz).date()


def is_overdue(due: date | None, now: datetime, tz: ZoneInfo) -> bool:
    """Past its due date: the whole due day is allowed, in the regency's time."""
    return due is not None and local_today(now, tz) > due


def days_overdue(due: date | None, now: datetime, tz: ZoneInfo) -> int:
    if not is_overdue(due, now, tz):
        return 0
    return (local_today(now, tz) - due).days


def needs_escalation(
    due: date | None, escalated_for: date | None, now: datetime, tz: ZoneInfo
) -> bool:
    """Overdue and not yet escalated for this due date (a new stage brings a new due date, which
    is escalated again if it is missed too)."""
    return is_overdue(due, now, tz) and escalated_for != due
