"""Issuing presence challenges: the pure plan (hadir.domain.challenges) applied to today's
check-ins. Run every minute or so during working hours by `hadir issue-challenges --loop`.

Only employees due at work are asked (hadir.domain.signals.context.DayContext.due_at): within
their own planned hours (schedule, roster, calendar), on a counted day, and not on approved or
pending leave or dinas luar."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from hadir.checkin.models import EvidenceRecord, PresenceChallenge
from hadir.domain.challenges import ChallengePolicy, plan_challenge
from hadir.domain.signals.policy import DEFAULT_POLICY, SignalPolicy
from hadir.fraud.context import day_contexts
from hadir.fraud.models import DayFlag
from hadir.org.models import Workplace

AT_RISK_LOOKBACK = timedelta(days=30)
# Signs that the employee left after checking in: even one below "review" makes them at risk,
# since only a challenge on a later day can tell a habit from a fluke.
AWAY_FAMILY = "away_after_check_in"


def away_codes(policy: SignalPolicy = DEFAULT_POLICY) -> frozenset[str]:
    return frozenset(
        code for code, family in policy.month_pattern_families.items() if family == AWAY_FAMILY
    )


def at_risk_employees(today) -> set[int]:
    """Employees with a day flagged for review in the lookback, or with a counted sign of
    leaving after check-in (a challenge missed or answered off site, a check-out far away)."""
    recent = DayFlag.objects.filter(day__gte=today - AT_RISK_LOOKBACK, day__lt=today)
    at_risk = set(
        recent.filter(level__in=["review", "strong"]).values_list("employee_id", flat=True)
    )
    away = away_codes()
    for employee_id, codes in recent.filter(level="below_review").values_list(
        "employee_id", "codes"
    ):
        if employee_id not in at_risk and away.intersection(codes or ()):
            at_risk.add(employee_id)
    return at_risk


def challenge_secret() -> str:
    return hashlib.sha256(f"presence-challenges:{settings.SECRET_KEY}".encode()).hexdigest()


def issue_due_challenges(now: datetime, policy: ChallengePolicy | None = None) -> int:
    """Create the challenges whose time has come today. Safe to call again: each
    employee-day's challenge has a fixed id, so nothing is issued twice."""
    policy = policy or ChallengePolicy()
    tz = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(tz).date()
    start_of_day = datetime.combine(today, datetime.min.time(), tz)
    checked_in = (
        EvidenceRecord.objects.filter(
            kind="check_in",
            outcome__in=["accepted", "accepted_with_warnings"],
            time_of_record__gte=start_of_day,
            time_of_record__lte=now,
        )
        .order_by("employee_id", "time_of_record")
        .values_list("employee_id", "time_of_record", "received_at", "workplace_id")
    )
    first_check_in = {}
    for employee_id, at, received_at, workplace_id in checked_in:
        first_check_in.setdefault(employee_id, (at, received_at, workplace_id))
    checked_out = set(
        EvidenceRecord.objects.filter(
            kind="check_out",
            time_of_record__gte=start_of_day,
            time_of_record__lte=now,
            outcome__in=["accepted", "accepted_with_warnings"],
        ).values_list("employee_id", flat=True)
    )
    at_risk = at_risk_employees(today)
    tiers = dict(Workplace.objects.values_list("id", "connectivity_tier"))
    contexts = day_contexts(
        [(employee_id, today) for employee_id in first_check_in if employee_id not in checked_out],
        only_unusual=False,
    )
    secret, issued = challenge_secret(), 0
    for employee_id, (at, received_at, workplace_id) in first_check_in.items():
        if employee_id in checked_out:
            continue
        ctx = contexts.get((employee_id, today))
        if ctx is None or not ctx.counts or not ctx.working or ctx.end is None:
            continue  # not a counted working day for this employee
        tier = tiers.get(workplace_id, "good")
        plan = plan_challenge(
            employee_id=employee_id,
            day=today,
            checked_in_at=at,
            planned_end=ctx.end,
            tier=tier,
            at_risk=employee_id in at_risk,
            secret=secret,
            policy=policy,
        )
        if plan is None:
            continue
        # The whole window must lie ahead when it opens: a check-in synced late (offline)
        # must never meet a challenge that has already expired.
        opens = max(plan.issued_at, received_at)
        if opens > now:
            continue
        if opens + policy.window(tier) < now:
            # A late run (the issuer was down): ask now, never with a window already shut.
            opens = now.replace(microsecond=0)
        if ctx.due_at(opens) is not None:
            continue  # not due at work then: after hours, on leave or DL (even pending)
        try:
            with transaction.atomic():
                PresenceChallenge.objects.create(
                    challenge_id=plan.challenge_id(secret),
                    employee_id=employee_id,
                    workplace_id=workplace_id,
                    issued_at=opens,
                    deadline=opens + policy.window(tier),
                    reason="at_risk" if employee_id in at_risk else "random",
                )
            issued += 1
        except IntegrityError:
            continue  # issued by an earlier call
    return issued
