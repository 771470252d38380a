"""From signal hits to a risk score per employee-day and per employee-month.

Day score. Each hit contributes weight x severity, the weight coming from the policy's tier
table for the hit's tier (the most lenient of the employee's home workplace and the workplaces
of the hit's events). Several hits of one code on one day count once, at their highest; the
codes are combined as independent pieces of evidence ("noisy-or"):

    score = 1 - prod(1 - contribution of each code)

so independent signs reinforce each other (two of 0.6 make 0.84, a strong day), while ten weak
signs of one kind on one day count as one. Codes that share one cause (policy.code_families: a
rough fix is at once weak, uncertain and outside) count once, at the strongest of them.
Hits that weigh nothing in their tier are kept aside as "discounted", visible but not counted.

Month score. The best day, or a pattern: a code that weighs at least
month_pattern_min_contribution on at least month_pattern_min_days days
scores 1 - prod(1 - factor x its contribution on each day), the highest such pattern counting,
capped below "strong" (a habit of small signs asks for a review, no more); codes in
month_pattern_excluded only corroborate and make no pattern: they are what an honest phone in an
office produces now and then (no code scanned, a rough fix, the office Wi-Fi not seen), and a
habit of them is only telling against the workplace's peers, which the no_office_evidence signal
judges with the peers' rate in hand.
Codes that tell one story over a month (policy.month_pattern_families: a challenge missed one
day, answered from home another, a check-out from far away a third) form one pattern, named by
the family, counting each day once at its strongest.
A day whose signs other than the corroborating ones weigh less than day_review_min_primary stays
below "review" whatever the corroborating signs add, unless compound_min_families independent
signs fall on it: several weak signs of different causes on one day compound.
A month with month_strong_review_days "review" days is "strong".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from hadir.domain.signals.base import TIER_LENIENCY, AnalysisInput, Evidence, SignalHit
from hadir.domain.signals.policy import DEFAULT_POLICY, SignalPolicy

MAX_CONTRIBUTION = 0.99  # no single sign is certainty


@dataclass(frozen=True)
class RankedEvidence:
    code: str
    tier: str
    severity: float
    weight: float
    contribution: float  # weight x severity
    day: date
    evidence: Evidence


@dataclass(frozen=True)
class DayFlag:
    employee_id: int
    day: date
    tier: str  # the most lenient tier among the day's hits
    score: float
    level: str  # "below_review" | "review" | "strong"
    codes: tuple[str, ...]  # counted codes, largest contribution first
    evidence: tuple[RankedEvidence, ...]  # counted hits, largest contribution first
    discounted: tuple[RankedEvidence, ...] = ()  # weightless in their tier: shown, not counted


@dataclass(frozen=True)
class MonthFlag:
    employee_id: int
    month: str  # "YYYY-MM"
    score: float
    level: str
    max_day_score: float
    pattern_score: float
    review_days: int
    strong_days: int
    patterns: dict[str, int]  # code -> days it counted on, for codes forming a pattern
    days: tuple[DayFlag, ...]  # the month's days with counted evidence, best first
    evidence: tuple[RankedEvidence, ...]  # the month's strongest evidence, one per code


def flags(
    hits: Iterable[SignalHit],
    policy: SignalPolicy = DEFAULT_POLICY,
    *,
    inp: AnalysisInput | None = None,
    tiers: Mapping[int, str] | None = None,
) -> list[DayFlag]:
    """Score every employee-day that has hits, highest score first.

    The tier of a hit comes from `inp` (workplaces of its events and the employee's home), or
    else from `tiers` (by employee), or else is policy.unknown_tier."""
    per_day: dict[tuple[int, date], list[RankedEvidence]] = defaultdict(list)
    for hit in hits:
        tier = _tier(hit, policy, inp, tiers)
        weight = policy.weight(hit.code, tier)
        contribution = min(MAX_CONTRIBUTION, max(0.0, weight * hit.severity))
        per_day[(hit.employee_id, hit.day)].append(
            RankedEvidence(
                hit.code, tier, hit.severity, weight, contribution, hit.day, hit.evidence
            )
        )
    result = [_day_flag(e, d, ranked, policy) for (e, d), ranked in per_day.items()]
    result.sort(key=lambda f: (-f.score, f.employee_id, f.day))
    return result


def _tier(hit: SignalHit, policy: SignalPolicy, inp, tiers) -> str:
    if inp is not None:
        return inp.lenient_tier(hit.employee_id, hit.evidence.event_ids, policy.unknown_tier)
    if tiers is not None and hit.employee_id in tiers:
        return tiers[hit.employee_id]
    return policy.unknown_tier


def combine(contributions: Iterable[float]) -> float:
    remaining = 1.0
    for c in contributions:
        remaining *= 1.0 - c
    return 1.0 - remaining


def _day_flag(
    employee_id: int, day: date, ranked: list[RankedEvidence], policy: SignalPolicy
) -> DayFlag:
    ranked.sort(key=lambda r: (-r.contribution, r.code))
    counted = [r for r in ranked if r.contribution > 0]
    best_per_code: dict[str, float] = {}
    for r in counted:
        best_per_code.setdefault(r.code, r.contribution)
    # Codes of one family share one cause (a rough fix is weak, uncertain and outside at once):
    # a family counts once, at its strongest code.
    best_per_family: dict[str, float] = {}
    primary_per_family: dict[str, float] = {}
    for code, c in best_per_code.items():
        family = policy.code_families.get(code, code)
        best_per_family[family] = max(best_per_family.get(family, 0.0), c)
        if code not in policy.month_pattern_excluded:
            primary_per_family[family] = max(primary_per_family.get(family, 0.0), c)
    score = combine(best_per_family.values())
    primary = combine(primary_per_family.values())
    independent = sum(c >= policy.compound_min_contribution for c in best_per_family.values())
    if primary < policy.day_review_min_primary and independent < policy.compound_min_families:
        # Only corroborating signs, or weak ones: visible, never a review on their own.
        score = min(score, _just_below(policy.review_threshold))
    score = round(score, 4)
    tier = max((r.tier for r in ranked), key=lambda t: TIER_LENIENCY.get(t, -1))
    return DayFlag(
        employee_id,
        day,
        tier,
        score,
        policy.level(score),
        tuple(best_per_code),
        tuple(counted),
        tuple(r for r in ranked if r.contribution <= 0),
    )


def _just_below(threshold: float) -> float:
    return max(0.0, threshold - 0.0001)


def month_flags(
    day_flags: Iterable[DayFlag], policy: SignalPolicy = DEFAULT_POLICY
) -> list[MonthFlag]:
    """Aggregate day flags into one flag per employee-month, highest score first."""
    per_month: dict[tuple[int, str], list[DayFlag]] = defaultdict(list)
    for f in day_flags:
        per_month[(f.employee_id, f"{f.day.year:04d}-{f.day.month:02d}")].append(f)
    result = [_month_flag(e, m, days, policy) for (e, m), days in per_month.items()]
    result.sort(key=lambda f: (-f.score, f.employee_id, f.month))
    return result


def _month_flag(
    employee_id: int, month: str, days: list[DayFlag], policy: SignalPolicy
) -> MonthFlag:
    days = sorted((d for d in days if d.evidence), key=lambda d: (-d.score, d.day))
    max_day = max((d.score for d in days), default=0.0)
    review_days = sum(d.level != "below_review" for d in days)
    strong_days = sum(d.level == "strong" for d in days)
    per_code: dict[str, list[float]] = defaultdict(list)
    best: dict[str, RankedEvidence] = {}
    for d in days:
        seen_today: dict[str, float] = {}
        for r in d.evidence:
            seen_today.setdefault(r.code, r.contribution)
            if r.code not in best or best[r.code].contribution < r.contribution:
                best[r.code] = r
        family_today: dict[str, float] = {}
        for code, c in seen_today.items():
            if (
                c >= policy.month_pattern_min_contribution
                and code not in policy.month_pattern_excluded
            ):
                family = policy.month_pattern_families.get(code, code)
                family_today[family] = max(family_today.get(family, 0.0), c)
        for family, c in family_today.items():
            per_code[family].append(c)
    patterns = {
        code: len(cs) for code, cs in per_code.items() if len(cs) >= policy.month_pattern_min_days
    }
    pattern_score = min(
        policy.month_pattern_cap,
        max(
            (combine(policy.month_pattern_factor * c for c in per_code[code]) for code in patterns),
            default=0.0,
        ),
    )
    score = max(max_day, pattern_score)
    if review_days >= policy.month_strong_review_days:
        score = max(score, policy.strong_threshold)
    score = round(score, 4)
    evidence = tuple(sorted(best.values(), key=lambda r: (-r.contribution, r.code)))
    return MonthFlag(
        employee_id,
        month,
        score,
        policy.level(score),
        max_day,
        round(pattern_score, 4),
        review_days,
        strong_days,
        patterns,
        tuple(days),
        evidence,
    )
