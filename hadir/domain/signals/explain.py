"""Why a day was flagged, or was not: every signal considered for one employee-day, with its
value and the reason it did or did not count.

For a reviewer or an auditor asking "why was this day not flagged?". A signal that fired is
shown with its severity, its weight in the day's tier and what became of it (counted; weightless
in this tier; excused or held back by the day's context; counted once within its family). A
signal that did not fire is shown with the facts of the day it reads (the largest distance, the
challenges and their answers, how many check-ins carried an office code, ...) beside the
threshold it compares them with; signals that judge several days or the colleagues (patterns,
peers' rates) say so. The day's score, its level, and the rule that keeps a day of corroborating
signs below review end the explanation.

Pure and language-free like the signals: lines are message ids with values
(hadir.fraud.explain renders them through the catalogue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from hadir.domain.signals import context as ctx_rules
from hadir.domain.signals import travelling_together
from hadir.domain.signals.base import AnalysisInput, Evidence, Observation, event_items
from hadir.domain.signals.policy import SignalPolicy
from hadir.domain.signals.runner import REGISTRY, RunResult
from hadir.domain.signals.scoring import combine

COUNTED = "counted"
WEIGHTLESS = "weightless"
EXCUSED = "excused"
HELD = "held"
NOT_FIRED = "not_fired"
FAILED = "failed"


@dataclass(frozen=True)
class Line:
    """One signal on the day: its outcome and the message (id, values) that says why."""

    code: str
    outcome: str
    message: str
    values: dict = field(default_factory=dict)
    evidence: Evidence | None = None  # what it found, when it fired


@dataclass(frozen=True)
class Explanation:
    employee_id: int
    day: date
    events: list  # the day's events, as listing items
    context: tuple[str, dict]  # (message id, values) of the day's context
    lines: tuple[Line, ...]
    score: float
    level: str
    summary: tuple[str, dict]  # (message id, values): why the day ended at its level


def explain(
    result: RunResult,
    inp: AnalysisInput,
    employee_id: int,
    day: date,
    policy: SignalPolicy,
) -> Explanation:
    events = inp.by_employee_day.get((employee_id, day), [])
    flag = next((d for d in result.days if d.employee_id == employee_id and d.day == day), None)
    counted = {r.code: r for r in flag.evidence} if flag else {}
    discounted = {r.code: r for r in flag.discounted} if flag else {}
    excused = {
        e.hit.code: e
        for e in result.excused
        if e.hit.employee_id == employee_id and e.hit.day == day
    }
    lines = []
    for module in REGISTRY:
        code = module.CODE
        if code in result.signal_errors:
            lines.append(
                Line(code, FAILED, "explain.failed", {"error": result.signal_errors[code]})
            )
        elif code in counted:
            r = counted[code]
            family = policy.code_families.get(code)
            values = _weights(r.severity, r.weight, r.contribution, r.tier)
            message = "explain.counted"
            if family and any(
                policy.code_families.get(other) == family and o.contribution > r.contribution
                for other, o in counted.items()
            ):
                message = "explain.counted_in_family"
            lines.append(Line(code, COUNTED, message, values, r.evidence))
        elif code in discounted:
            r = discounted[code]
            values = _weights(r.severity, r.weight, r.contribution, r.tier)
            lines.append(Line(code, WEIGHTLESS, "explain.weightless", values, r.evidence))
        elif code in excused:
            e = excused[code]
            outcome = HELD if e.held else EXCUSED
            values = {"severity": round(e.hit.severity, 2), "reference": e.reference}
            lines.append(Line(code, outcome, f"context.{e.reason}", values, e.hit.evidence))
        else:
            message, values = _why_not(code, inp, policy, employee_id, day, events)
            lines.append(Line(code, NOT_FIRED, message, values))
    score = flag.score if flag else 0.0
    level = flag.level if flag else "below_review"
    return Explanation(
        employee_id,
        day,
        event_items(inp, events, limit=50),
        _context_line(inp.day_context.get((employee_id, day))),
        tuple(lines),
        score,
        level,
        _summary(flag, policy),
    )


def _weights(severity: float, weight: float, contribution: float, tier: str) -> dict:
    return {
        "severity": round(severity, 2),
        "weight": round(weight, 2),
        "contribution": round(contribution, 2),
        "tier": tier,
    }


def _summary(flag, policy: SignalPolicy) -> tuple[str, dict]:
    values = {
        "review": policy.review_threshold,
        "strong": policy.strong_threshold,
        "min_primary": policy.day_review_min_primary,
    }
    if flag is None:
        return "explain.summary_nothing", values
    primary = combine(
        r.contribution for r in flag.evidence if r.code not in policy.month_pattern_excluded
    )
    values.update(score=flag.score, primary=round(primary, 2))
    capped = round(policy.review_threshold - 0.0001, 4)
    if flag.level == "below_review" and flag.score == capped:
        return "explain.summary_capped", values
    return f"explain.summary_{flag.level}", values


def _context_line(ctx) -> tuple[str, dict]:
    if ctx is None:
        return "explain.context_due", {}
    if not ctx.counts:
        return "explain.context_not_counted", {"reason": ctx.not_counted_reason}
    if not ctx.working:
        return "explain.context_day_off", {}
    if ctx.absences:
        items = [
            {
                "message": "item.absence",
                "kind": a.kind,
                "status": a.status,
                "portion": a.portion,
                "reference": a.reference,
                "destination": "–"
                if a.destination is None
                else f"{a.destination.lat:.5f}, {a.destination.lon:.5f} "
                f"(±{round(a.destination.radius_m)} m)",
            }
            for a in ctx.absences
        ]
        return "explain.context_absences", {"items": items}
    return "explain.context_due", {}


# --- why a signal did not fire ------------------------------------------------------------

Check = Callable[[AnalysisInput, SignalPolicy, list[Observation]], tuple[str, dict]]


def _why_not(code, inp, policy, employee_id, day, events) -> tuple[str, dict]:
    if code in ("challenge_missed", "challenge_offsite"):
        return _challenges(inp, employee_id, day, events)
    if not events:
        return "explain.no_events", {}
    check = CHECKS.get(code)
    if check is None:
        return "explain.not_met_pattern", {}
    return check(inp, policy, events)


def _fixes(events):
    return [o for o in events if o.has_fix]


def _mock(inp, policy, events):
    return "explain.mock_location", {"fixes": len(_fixes(events)), "mocked": 0}


def _outside(inp, policy, events):
    check_ins = [o for o in events if o.kind == "check_in" and o.accepted]
    distances = [o.geofence_distance_m for o in check_ins if o.geofence_distance_m is not None]
    largest = max(distances, default=None)
    accuracy = max((o.accuracy_m or 0.0 for o in check_ins), default=0.0)
    return "explain.outside_geofence", {
        "check_ins": len(check_ins),
        "distance_m": round(largest) if largest is not None else "–",
        "accuracy_m": round(accuracy),
    }


def _checkout(inp, policy, events):
    outs = [o for o in events if o.kind == "check_out" and o.accepted]
    distances = [o.geofence_distance_m for o in outs if o.geofence_distance_m is not None]
    largest = max(distances, default=None)
    return "explain.checkout_far_away", {
        "check_outs": len(outs),
        "distance_m": round(largest) if largest is not None else "–",
        "limit_m": round(policy.checkout_far_m),
    }


def _accuracy(inp, policy, events):
    worst = max((o.accuracy_m or 0.0 for o in _fixes(events)), default=0.0)
    return "explain.weak_accuracy", {
        "accuracy_m": round(worst),
        "limit_m": round(policy.weak_accuracy_m),
    }


def _codes(inp, policy, events):
    check_ins = [o for o in events if o.kind == "check_in"]
    with_code = sum(o.office_code_valid is not None for o in check_ins)
    invalid = sum(o.office_code_valid is False for o in check_ins)
    return "explain.office_code", {
        "check_ins": len(check_ins),
        "with_code": with_code,
        "invalid": invalid,
    }


def _wifi(inp, policy, events):
    scans = [o for o in events if o.wifi]
    matched = sum(o.bssid_match is True for o in events)
    return "explain.wifi", {"scans": len(scans), "matched": matched}


def _offline(inp, policy, events):
    offline = [o for o in events if o.queued_offline]
    lag = max(
        (round((o.received_at - o.time_of_record).total_seconds() / 60) for o in offline),
        default=0,
    )
    tier = inp.lenient_tier(events[0].employee_id, [o.event_id for o in events], "poor")
    return "explain.offline", {"offline": len(offline), "lag_minutes": lag, "tier": tier}


def _clock(inp, policy, events):
    skews = [
        abs((o.device_time - o.received_at).total_seconds()) / 60
        for o in events
        if o.device_time is not None and not o.queued_offline
    ]
    return "explain.clock", {
        "skew_minutes": round(max(skews, default=0.0)),
        "limit_minutes": round(policy.clock_skew_max.total_seconds() / 60),
    }


def _devices(inp, policy, events):
    devices = sorted({str(o.device_id) for o in events if o.device_id is not None})
    return "explain.devices", {"devices": devices}


def _geofence_uncertain(inp, policy, events):
    return "explain.geofence_uncertain", _outside(inp, policy, events)[1]


def _sequence(inp, policy, events):
    return "explain.sequence", {"events": len(events)}


def _speed(inp, policy, events):
    return "explain.speed", {"fixes": len(_fixes(events)), "limit_kmh": round(policy.max_speed_kmh)}


def _travelling(inp, policy, events):
    first = events[0]
    return travelling_together.describe(inp, policy, first.employee_id, inp.day_of(first))


CHECKS: dict[str, Check] = {
    "mock_location": _mock,
    "outside_geofence": _outside,
    "geofence_uncertain": _geofence_uncertain,
    "checkout_far_away": _checkout,
    "weak_accuracy": _accuracy,
    "office_code_missing": _codes,
    "office_code_invalid": _codes,
    "wifi_mismatch": _wifi,
    "offline_on_good_network": _offline,
    "clock_tampering": _clock,
    "shared_device": _devices,
    "new_device": _devices,
    "sequence_replay": _sequence,
    "sequence_gap": _sequence,
    "impossible_speed": _speed,
    "travelling_together": _travelling,
}


def _challenges(inp, employee_id, day, events) -> tuple[str, dict]:
    zone = inp.zone_for(None, employee_id)
    today = [
        ch
        for ch in inp.challenges
        if ch.employee_id == employee_id and ch.issued_at.astimezone(zone).date() == day
    ]
    if not today:
        return "explain.no_challenge", {}
    answered = sum(ch.answered_event_id is not None for ch in today)
    outside = sum(ch.answer_inside is False for ch in today)
    return "explain.challenges", {
        "challenges": len(today),
        "answered": answered,
        "outside": outside,
    }


CONTEXT_MESSAGES = tuple(f"context.{reason}" for reason in ctx_rules.REASONS)
MESSAGES = (
    *CONTEXT_MESSAGES,
    "explain.failed",
    "explain.counted",
    "explain.counted_in_family",
    "explain.weightless",
    "explain.no_events",
    "explain.not_met_pattern",
    "explain.mock_location",
    "explain.outside_geofence",
    "explain.checkout_far_away",
    "explain.geofence_uncertain",
    "explain.weak_accuracy",
    "explain.office_code",
    "explain.wifi",
    "explain.offline",
    "explain.clock",
    "explain.devices",
    "explain.sequence",
    "explain.speed",
    *travelling_together.EXPLAIN_MESSAGES,
    "explain.no_challenge",
    "explain.challenges",
    "explain.context_due",
    "explain.context_not_counted",
    "explain.context_day_off",
    "explain.context_absences",
    "explain.summary_nothing",
    "explain.summary_capped",
    "explain.summary_below_review",
    "explain.summary_review",
    "explain.summary_strong",
)
