"""Issuing presence challenges: the pure plan (hadir.domain.challenges) applied to today's
check-ins. Run every minute or so during working hours by `hadir issue-challenges --loop`.

Only employees due at work are asked (hadir.domain.signals.context.DayContext.due_at): within
their own planned hours (schedule, roster, calendar), on a counted day, and not on approved or
pending leave or dinas luar.

Group challenges (issue_group_challenges) ask the sets of phones the analyses suspect of
travelling together (hadir.domain.signals.travelling_together) at one moment with a short
deadline; after the deadline record_group_results keeps who answered, from where and how far
apart, for the reviewer (the admin) and the next analysis (which judges the answers itself)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from hadir.checkin.models import ChallengeReason, EvidenceRecord, PresenceChallenge
from hadir.domain.challenges import ChallengePolicy, plan_challenge, plan_group_challenge
from hadir.domain.signals import travelling_together
from hadir.domain.signals.base import Observation
from hadir.domain.signals.policy import DEFAULT_POLICY, SignalPolicy
from hadir.fraud.analysis import wifi_scan
from hadir.fraud.context import day_contexts
from hadir.fraud.models import AnalysisRun, ChallengeGroup, ChallengeGroupMember, DayFlag
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


# --- group challenges ------------------------------------------------------------------------

SET_CODE = travelling_together.CODE
_sets_cache: dict[tuple, list[tuple[tuple[int, ...], dict]]] = {}


def suspected_sets(today) -> list[tuple[tuple[int, ...], dict]]:
    """The sets of phones the analyses of the lookback suspect of travelling together, each
    with the flag that named it ({"employee", "day"}). Read once per analysis run and day."""
    latest = AnalysisRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    key = (today, latest)
    if key not in _sets_cache:
        _sets_cache.clear()
        recent = DayFlag.objects.filter(day__gte=today - AT_RISK_LOOKBACK, day__lt=today)
        wanted = [
            pk for pk, codes in recent.values_list("pk", "codes") if SET_CODE in (codes or ())
        ]
        found: dict[tuple[int, ...], dict] = {}
        for employee_id, day, evidence in DayFlag.objects.filter(pk__in=wanted).values_list(
            "employee_id", "day", "evidence"
        ):
            for item in evidence or ():
                members = (item.get("values") or {}).get("members")
                if item.get("code") == SET_CODE and members and len(members) > 1:
                    found.setdefault(
                        tuple(sorted(members)),
                        {"employee": employee_id, "day": day.isoformat()},
                    )
        _sets_cache[key] = sorted(found.items())
    return _sets_cache[key]


def issue_group_challenges(now: datetime, policy: ChallengePolicy | None = None) -> int:
    """Ask each suspected set at its planned moment today: every member checked in and not yet
    out who is due at work then gets their own challenge, all with the same short deadline.
    Safe to call again: a group has a fixed id per set and day. Returns the challenges made."""
    policy = policy or ChallengePolicy()
    tz = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(tz).date()
    sets = suspected_sets(today)
    if not sets:
        return 0
    start_of_day = datetime.combine(today, datetime.min.time(), tz)
    members = {e for m, _ in sets for e in m}
    first_in: dict[int, tuple] = {}
    for employee_id, at, workplace_id in (
        EvidenceRecord.objects.filter(
            employee_id__in=members,
            kind="check_in",
            outcome__in=["accepted", "accepted_with_warnings"],
            time_of_record__gte=start_of_day,
            time_of_record__lte=now,
        )
        .order_by("employee_id", "time_of_record")
        .values_list("employee_id", "time_of_record", "workplace_id")
    ):
        first_in.setdefault(employee_id, (at, workplace_id))
    out_at: dict[int, datetime] = {}
    for employee_id, at in EvidenceRecord.objects.filter(
        employee_id__in=members,
        kind="check_out",
        outcome__in=["accepted", "accepted_with_warnings"],
        time_of_record__gte=start_of_day,
        time_of_record__lte=now,
    ).values_list("employee_id", "time_of_record"):
        out_at[employee_id] = min(at, out_at.get(employee_id, at))
    contexts = day_contexts([(e, today) for e in first_in], only_unusual=False)
    secret, issued = challenge_secret(), 0
    for group_members, source in sets:
        issued += _issue_group(
            group_members, source, today, now, first_in, out_at, contexts, secret, policy
        )
    return issued


def _issue_group(members, source, today, now, first_in, out_at, contexts, secret, policy) -> int:
    present = [e for e in members if e in first_in and (e, today) in contexts]
    known = [contexts[(e, today)] for e in present if contexts[(e, today)].start is not None]
    known = [c for c in known if c.end is not None]
    if len(present) < 2 or not known:
        return 0
    plan = plan_group_challenge(
        members=members,
        day=today,
        planned_start=min(c.start for c in known),
        planned_end=min(c.end for c in known),
        secret=secret,
        policy=policy,
    )
    if plan is None or plan.issued_at > now:
        return 0
    group_id = plan.group_id(secret)
    if ChallengeGroup.objects.filter(group_id=group_id).exists():
        return 0
    opens = plan.issued_at if plan.deadline >= now else now.replace(microsecond=0)
    asked = []
    for employee_id in present:
        ctx = contexts[(employee_id, today)]
        checked_in_at, workplace_id = first_in[employee_id]
        left = out_at.get(employee_id)
        if checked_in_at > opens or (left is not None and left <= opens):
            continue
        if not ctx.counts or not ctx.working or ctx.due_at(opens) is not None:
            continue  # not due at work then: after hours, on leave or DL (even pending)
        asked.append((employee_id, workplace_id))
    if len(asked) < 2:
        return 0  # one phone is no group: its own random challenge is enough
    try:
        with transaction.atomic():
            group = ChallengeGroup.objects.create(
                group_id=group_id,
                day=today,
                issued_at=opens,
                deadline=opens + policy.group_window,
                members=list(members),
                source=source,
            )
            for employee_id, workplace_id in asked:
                challenge = PresenceChallenge.objects.create(
                    challenge_id=plan.challenge_id(employee_id, secret),
                    employee_id=employee_id,
                    workplace_id=workplace_id,
                    issued_at=opens,
                    deadline=opens + policy.group_window,
                    reason=ChallengeReason.GROUP,
                )
                ChallengeGroupMember.objects.create(group=group, challenge=challenge)
    except IntegrityError:
        return 0  # issued by a concurrent call
    return len(asked)


def record_group_results(now: datetime) -> int:
    """For each group challenge past its deadline: who answered, when, from where, and how far
    apart (seconds after the first answer, metres from its fix, the scans' RSSI difference),
    judged as hadir.domain.signals.travelling_together judges answers. Returns groups recorded."""
    recorded = 0
    for group in ChallengeGroup.objects.filter(result__isnull=True, deadline__lt=now):
        group.result = group_result(group)
        group.recorded_at = now
        group.save(update_fields=["result", "recorded_at"])
        recorded += 1
    return recorded


def group_result(group: ChallengeGroup, policy: SignalPolicy = DEFAULT_POLICY) -> dict:
    asked = (
        PresenceChallenge.objects.filter(group_member__group=group)
        .select_related("answered_by")
        .order_by("employee_id")
    )
    answers, missed = [], []
    for challenge in asked:
        record = challenge.answered_by
        if record is None:
            missed.append(challenge.employee_id)
        else:
            answers.append((challenge, _answer_observation(record)))
    answers.sort(key=lambda item: item[1].time_of_record)
    first = answers[0][1] if answers else None
    members = []
    for challenge, o in answers:
        distance = travelling_together.fix_distance_m(first, o, policy) if o is not first else 0.0
        rssi = travelling_together.rssi_difference_db(
            first.wifi, o.wifi, policy.cotravel_min_common_bssids
        )
        members.append(
            {
                "employee": challenge.employee_id,
                "challenge": challenge.challenge_id,
                "event": f"#{o.event_id}",
                "at": o.time_of_record.isoformat(),
                "lat": o.lat,
                "lon": o.lon,
                "accuracy_m": o.accuracy_m,
                "seconds_after_first": round(
                    (o.time_of_record - first.time_of_record).total_seconds()
                ),
                "metres_from_first": distance,
                "rssi_db_from_first": rssi if o is not first else 0.0,
            }
        )
    together = apart = 0
    for i, (_, a) in enumerate(answers):
        for _, b in answers[i + 1 :]:
            judged = travelling_together.judge_answers(group.group_id, group.day, a, b, policy)
            together += judged.together
            apart += judged.apart
    distances = [m["metres_from_first"] for m in members if m["metres_from_first"] is not None]
    return {
        "asked": len(answers) + len(missed),
        "answered": members,
        "missed": missed,
        "spread_s": members[-1]["seconds_after_first"] if members else None,
        "spread_m": max(distances) if distances else None,
        "pairs_together": together,
        "pairs_apart": apart,
    }


def _answer_observation(record: EvidenceRecord) -> Observation:
    return Observation(
        event_id=str(record.pk),
        employee_id=record.employee_id,
        device_id=record.device_id,
        kind=record.kind,
        time_of_record=record.time_of_record or record.received_at,
        received_at=record.received_at,
        device_time=None,
        monotonic_ms=None,
        boot_count=None,
        seq=None,
        lat=record.lat,
        lon=record.lon,
        accuracy_m=record.accuracy_m,
        mock=bool(record.mock),
        fix_time=None,
        queued_offline=bool(record.queued_offline),
        office_code_valid=None,
        bssid_match=None,
        workplace_network=False,
        remote_addr=record.remote_addr or "",
        workplace_id=record.workplace_id,
        geofence_distance_m=record.geofence_distance_m,
        verdict=record.outcome,
        reason_codes=frozenset(),
        challenge_id=None,
        wifi=wifi_scan(record.body),
    )
