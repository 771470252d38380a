from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.challenges import ChallengePolicy, plan_challenge, plan_group_challenge

WIB = ZoneInfo("Asia/Jakarta")

DAY = date(2026, 11, 2)
CHECK_IN = datetime(2026, 11, 2, 0, 25, tzinfo=UTC)  # 07:25 WIB
END = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # 16:00 WIB


def plan(employee_id, *, at_risk=False, tier="good", policy=None, checked_in=CHECK_IN):
    return plan_challenge(
        employee_id=employee_id,
        day=DAY,
        checked_in_at=checked_in,
        planned_end=END,
        tier=tier,
        at_risk=at_risk,
        secret="s3cret",
        policy=policy or ChallengePolicy(),
    )


def test_about_the_base_rate_of_employees_is_challenged():
    chosen = sum(plan(i) is not None for i in range(2000))
    assert 0.12 * 2000 < chosen < 0.18 * 2000


def test_employees_at_risk_are_challenged_more_often():
    chosen = sum(plan(i, at_risk=True) is not None for i in range(2000))
    assert chosen > 0.55 * 2000


def test_the_challenge_falls_inside_the_working_day_after_the_check_in():
    for challenge in filter(None, (plan(i) for i in range(500))):
        assert challenge.issued_at >= CHECK_IN + timedelta(hours=1)
        assert challenge.issued_at <= END - timedelta(minutes=30)


def test_the_same_inputs_give_the_same_challenge_and_another_secret_another():
    first = next(c for c in (plan(i) for i in range(100)) if c)
    assert plan(first.employee_id) == first
    other = plan_challenge(
        employee_id=first.employee_id,
        day=DAY,
        checked_in_at=CHECK_IN,
        planned_end=END,
        tier="good",
        at_risk=False,
        secret="other",
        policy=ChallengePolicy(),
    )
    assert other is None or other.issued_at != first.issued_at


@pytest.mark.parametrize(("tier", "window"), [("good", 10), ("poor", 45), ("none", 120)])
def test_remote_workplaces_get_a_longer_window_to_answer(tier, window):
    challenge = plan(7, tier=tier, policy=ChallengePolicy(base_rate=1.0))
    assert challenge.deadline - challenge.issued_at == timedelta(minutes=window)


def test_no_challenge_when_the_day_leaves_no_room():
    late = END - timedelta(minutes=45)
    assert plan(7, policy=ChallengePolicy(base_rate=1.0), checked_in=late) is None


def _group(members=(3, 1, 2), day=date(2025, 3, 3), secret="s", **kw):
    start = datetime(day.year, day.month, day.day, 7, 30, tzinfo=WIB)
    end = datetime(day.year, day.month, day.day, 16, 0, tzinfo=WIB)
    return plan_group_challenge(
        members=members,
        day=day,
        planned_start=start,
        planned_end=end,
        secret=secret,
        policy=kw.pop("policy", ChallengePolicy()),
    )


def test_a_suspected_set_is_asked_on_about_the_group_rate_of_its_days_at_one_moment():
    days = [date(2025, 3, 3) + timedelta(days=n) for n in range(400)]
    planned = [g for d in days if (g := _group(day=d)) is not None]
    assert 0.4 < len(planned) / len(days) < 0.6
    for g in planned:
        assert g.members == (1, 2, 3)
        assert g.deadline - g.issued_at == timedelta(minutes=5)
        start = datetime.combine(g.day, datetime.min.time(), WIB)
        assert start + timedelta(hours=8, minutes=30) <= g.issued_at
        assert g.deadline <= start + timedelta(hours=15, minutes=30)


def test_each_member_gets_an_own_challenge_id_unlike_the_random_one():
    g = next(g for n in range(20) if (g := _group(day=date(2025, 3, 3) + timedelta(days=n))))
    ids = {g.challenge_id(e, "s") for e in g.members}
    assert len(ids) == 3
    assert g.group_id("s").startswith("grp_")
    assert g.group_id("s") != g.group_id("other")
    assert _group(members=(1, 2, 3), day=g.day) == g  # the order of the members is no matter


def test_one_phone_is_no_group():
    assert _group(members=(1,)) is None
    assert _group(members=(1, 1)) is None
