"""Group challenges: a set of phones the analysis suspects of travelling together is asked at one
moment; who answered, from where and how far apart is recorded and read by the next analysis."""

import itertools
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.attendance.models import LeaveRequest
from hadir.checkin.models import EvidenceRecord, PresenceChallenge
from hadir.domain.challenges import ChallengePolicy, plan_group_challenge
from hadir.fraud import challenges as issuer
from hadir.fraud.analysis import load_input
from hadir.fraud.models import AnalysisRun, ChallengeGroup, DayFlag
from tests.attendance.conftest import Regency
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = date(2026, 11, 2)
OFFICE = (-2.5375, 112.95)
ALWAYS = ChallengePolicy(group_rate=1.0)
_rows = itertools.count(10_000)


def wib(day: date, hhmm: str) -> datetime:
    hour, minute, *second = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, *(second or [0]), tzinfo=WIB)


def event(employee, kind, when, *, where=OFFICE, wifi=(), challenge_id=""):
    n = next(_rows)
    body = {"kind": kind, "wifi": [{"bssid": b, "rssi": r} for b, r in wifi]}
    return EvidenceRecord.objects.create(
        received_at=when,
        remote_addr="203.0.113.1",
        headers={},
        body=json.dumps(body).encode(),
        body_size=2,
        body_hash=f"{n:064x}",
        event_id=f"ev-{n}",
        kind=kind,
        employee=employee,
        outcome="accepted",
        http_status=200,
        reasons=[],
        time_of_record=when,
        lat=where[0],
        lon=where[1],
        accuracy_m=12.0,
        challenge_id=challenge_id,
        prev_hash=f"{n - 1:064x}",
        row_hash=f"{n:064x}",
    )


@pytest.fixture
def regency():
    return Regency()


@pytest.fixture
def the_set(regency):
    """Three colleagues whose phones an analysis found travelling together (Budi first)."""
    others = [
        make_employee(regency.opd, [regency.office], name=name, supervisor=regency.boss)
        for name in ("Ani", "Citra")
    ]
    members = [regency.employee, *others]
    run = AnalysisRun.objects.create(first_day=MONDAY - timedelta(days=7), last_day=MONDAY)
    for follower in others:
        DayFlag.objects.create(
            employee=follower,
            day=MONDAY - timedelta(days=3),
            score=0.7,
            level="review",
            tier="good",
            codes=["travelling_together"],
            evidence=[
                {
                    "code": "travelling_together",
                    "message": "travelling_together",
                    "events": ["#1"],
                    "values": {"members": sorted(m.pk for m in members)},
                }
            ],
            run=run,
        )
    issuer._sets_cache.clear()
    return members


def planned(members):
    return plan_group_challenge(
        members=[m.pk for m in members],
        day=MONDAY,
        planned_start=wib(MONDAY, "07:30"),
        planned_end=wib(MONDAY, "16:00"),
        secret=issuer.challenge_secret(),
        policy=ALWAYS,
    )


def test_a_suspected_set_is_asked_at_one_moment_each_member_with_their_own_challenge(the_set):
    for member in the_set:
        event(member, "check_in", wib(MONDAY, "07:12"))
    plan = planned(the_set)
    assert issuer.issue_group_challenges(plan.issued_at - timedelta(seconds=1), ALWAYS) == 0
    assert issuer.issue_group_challenges(plan.issued_at, ALWAYS) == 3
    assert issuer.issue_group_challenges(plan.issued_at + timedelta(minutes=1), ALWAYS) == 0
    group = ChallengeGroup.objects.get()
    assert group.members == sorted(m.pk for m in the_set)
    assert group.source["day"] == (MONDAY - timedelta(days=3)).isoformat()
    asked = PresenceChallenge.objects.filter(group_member__group=group)
    assert {c.employee_id for c in asked} == {m.pk for m in the_set}
    assert {(c.issued_at, c.deadline) for c in asked} == {(plan.issued_at, plan.deadline)}
    assert {c.reason for c in asked} == {"group"}
    assert group.deadline - group.issued_at == timedelta(minutes=5)


def test_only_members_in_and_due_at_work_are_asked_and_one_is_no_group(regency, the_set):
    budi, ani, citra = the_set
    event(budi, "check_in", wib(MONDAY, "07:12"))
    event(ani, "check_in", wib(MONDAY, "07:12"))
    event(ani, "check_out", wib(MONDAY, "08:00"))  # gone before the moment
    # Citra is not in at all
    plan = planned(the_set)
    assert issuer.issue_group_challenges(plan.issued_at, ALWAYS) == 0
    assert not ChallengeGroup.objects.exists()
    event(citra, "check_in", wib(MONDAY, "07:15"))
    LeaveRequest.objects.create(
        employee=citra, kind="DL", first_day=MONDAY, last_day=MONDAY, status="approved"
    )
    assert issuer.issue_group_challenges(plan.issued_at, ALWAYS) == 0  # on dinas luar


def test_who_answered_from_where_and_how_far_apart_is_recorded_and_read_back(the_set):
    aps = (("aa:bb:cc:00:00:01", -60), ("aa:bb:cc:00:00:02", -71))
    for member in the_set:
        event(member, "check_in", wib(MONDAY, "07:12"))
    plan = planned(the_set)
    issuer.issue_group_challenges(plan.issued_at, ALWAYS)
    budi, ani, citra = the_set
    for member, seconds in ((budi, 20), (ani, 35)):  # one hand, seconds apart; Citra missed
        challenge = PresenceChallenge.objects.get(employee=member, reason="group")
        answer = event(
            member,
            "presence_check",
            plan.issued_at + timedelta(seconds=seconds),
            wifi=aps,
            challenge_id=challenge.challenge_id,
        )
        PresenceChallenge.objects.filter(pk=challenge.pk).update(answered_by=answer)
    assert issuer.record_group_results(plan.deadline - timedelta(seconds=1)) == 0
    assert issuer.record_group_results(plan.deadline + timedelta(seconds=1)) == 1
    result = ChallengeGroup.objects.get().result
    assert result["asked"] == 3
    assert [a["employee"] for a in result["answered"]] == [budi.pk, ani.pk]
    assert result["missed"] == [citra.pk]
    assert result["spread_s"] == 15
    assert result["spread_m"] == 0.0
    assert result["answered"][1]["rssi_db_from_first"] == 0.0
    assert result["pairs_together"] == 1
    assert result["pairs_apart"] == 0
    facts = [c for c in load_input(MONDAY, MONDAY).challenges if c.group_id]
    assert len(facts) == 3
    assert {c.group_id for c in facts} == {plan.group_id(issuer.challenge_secret())}


def test_answers_from_desks_minutes_apart_are_recorded_as_apart(the_set):
    for member in the_set[:2]:
        event(member, "check_in", wib(MONDAY, "07:12"))
    plan = planned(the_set)
    assert issuer.issue_group_challenges(plan.issued_at, ALWAYS) == 2
    desks = ((the_set[0], 30, OFFICE), (the_set[1], 250, (-2.5378, 112.9503)))  # ~50 m apart
    for member, seconds, where in desks:
        challenge = PresenceChallenge.objects.get(employee=member, reason="group")
        answer = event(
            member,
            "presence_check",
            plan.issued_at + timedelta(seconds=seconds),
            where=where,
            challenge_id=challenge.challenge_id,
        )
        PresenceChallenge.objects.filter(pk=challenge.pk).update(answered_by=answer)
    issuer.record_group_results(plan.deadline + timedelta(seconds=1))
    result = ChallengeGroup.objects.get().result
    assert result["spread_s"] == 220
    assert result["spread_m"] > 20
    assert result["pairs_together"] == 0
    assert result["pairs_apart"] == 1
