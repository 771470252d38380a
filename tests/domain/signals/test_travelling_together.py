"""Phones that travel together: one hand holding 2, 3 or 4 phones, against honest carpools,
colleagues keeping the same hours, and group challenges answered together or apart."""

import random
from datetime import timedelta

import pytest

from hadir.domain.signals import explain as explain_rules
from hadir.domain.signals import runner, travelling_together
from hadir.domain.signals.policy import DEFAULT_POLICY
from tests.domain.signals.conftest import (
    TOWN,
    WORKPLACES,
    at,
    challenge,
    detect,
    jittered,
    make_input,
    obs,
    text,
    workday,
)

OFFICE = (WORKPLACES[TOWN].lat, WORKPLACES[TOWN].lon)
APS = ("aa:00:00:00:00:01", "aa:00:00:00:00:02", "aa:00:00:00:00:03")


def scan(rng, base=None, jitter=2):
    """A Wi-Fi scan of the office's access points: around `base` (one hand) or independent."""
    if base is None:
        return tuple((b, rng.randint(-78, -45)) for b in APS)
    return tuple((b, r + rng.randint(-jitter, jitter)) for b, r in base)


def far_scan(wifi):
    """The same access points seen from 30-40 m away: each 10-14 dB weaker."""
    return tuple((b, r - 10 - i * 2) for i, (b, r) in enumerate(wifi))


def hand_day(rng, n, members, *, gap_s=20, spread_m=2.0, kinds=("check_in", "check_out")):
    """One hand works `members`' phones in order, `gap_s` apart, at one spot."""
    day = workday(n)
    events = []
    for kind, start in zip(("check_in", "check_out"), ("07:10:00", "16:05:00"), strict=True):
        if kind not in kinds:
            continue
        spot = jittered(rng, *OFFICE, rng.uniform(5, 20))
        base = scan(rng)
        moment = at(start, day)
        for employee in members:
            lat, lon = jittered(rng, *spot, rng.uniform(0, spread_m))
            events.append(
                obs(
                    employee_id=employee,
                    day=day,
                    kind=kind,
                    time=moment,
                    lat=lat,
                    lon=lon,
                    accuracy_m=round(rng.uniform(10, 20), 1),
                    wifi=scan(rng, base),
                    remote_addr="198.51.100.1",
                )
            )
            moment += timedelta(seconds=gap_s + rng.uniform(-3, 3))
    return events


def person_event(rng, employee, day, kind, moment, near=None):
    """One person's own phone: their own spot (or `near` someone, 10-25 m off), own scan."""
    spot = near or jittered(rng, *OFFICE, rng.uniform(20, 60))
    lat, lon = jittered(rng, *spot, rng.uniform(10, 25))
    return obs(
        employee_id=employee,
        day=day,
        kind=kind,
        time=moment,
        lat=lat,
        lon=lon,
        accuracy_m=round(rng.uniform(8, 25), 1),
        wifi=scan(rng),
        remote_addr="198.51.100.1",
    )


def carpool_day(rng, n, driver, rider, *, leave_together=False):
    """Ride in together (the rider seconds after the driver, at the door); leave apart."""
    day = workday(n)
    door = jittered(rng, *OFFICE, 15)
    come = at("07:12:00", day)
    events = [
        person_event(rng, driver, day, "check_in", come, near=door),
        person_event(rng, rider, day, "check_in", come + timedelta(seconds=25), near=door),
    ]
    leave = at("16:02:00", day)
    rider_leave = leave + timedelta(seconds=30 if leave_together else 40 * 60)
    events.append(person_event(rng, driver, day, "check_out", leave, near=door))
    events.append(person_event(rng, rider, day, "check_out", rider_leave, near=door))
    return events


def group_answers(rng, n, members, *, together=True, group="grp-1"):
    """A group challenge at 10:00 on day n: its challenges and the members' answers."""
    day = workday(n)
    challenges, events = [], []
    spot = jittered(rng, *OFFICE, 10)
    base = scan(rng)
    moment = at("10:01:00", day)
    for i, employee in enumerate(members):
        cid = f"{group}-{employee}"
        if together:
            lat, lon = jittered(rng, *spot, 1.5)
            wifi = scan(rng, base)
            answered_at = moment + timedelta(seconds=15 * i)
        else:
            lat, lon = jittered(rng, *OFFICE, 25 + 30 * i)
            wifi = scan(rng)
            answered_at = moment + timedelta(seconds=150 * i + 20)
        answer = obs(
            employee_id=employee,
            day=day,
            kind="presence_check",
            time=answered_at,
            lat=lat,
            lon=lon,
            wifi=wifi,
            challenge_id=cid,
        )
        events.append(answer)
        ch = challenge(
            cid, employee, "10:00", day, answered=answer.event_id, inside=True, minutes=5
        )
        challenges.append(ch.__class__(**{**ch.__dict__, "group_id": group}))
    return challenges, events


@pytest.mark.parametrize("size", [2, 3, 4])
def test_it_flags_every_phone_but_the_first_in_a_hand_of_two_three_or_four(rng, size):
    members = list(range(1, size + 1))
    events = [e for n in range(6) for e in hand_day(rng, n, members)]
    hits = detect(travelling_together, make_input(events))
    assert {h.employee_id for h in hits} == set(members[1:])
    assert len(hits) == 6 * (size - 1)
    hit = hits[0]
    assert hit.evidence.message == "travelling_together"
    assert hit.severity == DEFAULT_POLICY.cotravel_close_severity
    values = hit.evidence.values
    assert values["leader"] == 1
    assert values["members"] == members
    assert values["days"] == 6
    assert values["close_share"] == 1.0
    link = values["links"][0]
    assert link["distance_m"] <= DEFAULT_POLICY.cotravel_fix_m
    assert link["rssi_db"] <= DEFAULT_POLICY.cotravel_rssi_db
    assert "one hand" in text(hit)
    assert "satu tangan" in text(hit, "id")


def test_a_careful_carrier_who_spaces_four_phones_a_minute_apart_is_linked_as_a_chain(rng):
    events = [e for n in range(6) for e in hand_day(rng, n, [5, 6, 7, 8], gap_s=70)]
    hits = detect(travelling_together, make_input(events))
    assert {h.employee_id for h in hits} == {6, 7, 8}
    assert hits[0].evidence.values["members"] == [5, 6, 7, 8]


def test_a_carrier_who_stands_apart_is_only_timing_and_weighs_little(rng):
    events = [e for n in range(6) for e in hand_day(rng, n, [1, 2], spread_m=0)]
    # moved: the second phone's events 30-40 m from the first, with its own scan
    moved = []
    for o in events:
        if o.employee_id == 2:
            lat, lon = jittered(rng, o.lat, o.lon, rng.uniform(30, 40))
            o = obs(
                **{
                    **o.__dict__,
                    "event_id": o.event_id,
                    "lat": lat,
                    "lon": lon,
                    "wifi": far_scan(o.wifi),
                }
            )
        moved.append(o)
    [*hits] = detect(travelling_together, make_input(moved))
    assert {h.employee_id for h in hits} == {2}
    assert {h.evidence.message for h in hits} == {"travelling_together.timing"}
    assert {h.severity for h in hits} == {DEFAULT_POLICY.cotravel_timing_severity}


def test_a_careful_carrier_confirmed_by_a_group_challenge_weighs_as_one_hand(rng):
    """Stepping apart between phones hides the spot, not the hand: asked at one moment, the
    phones answer from one spot seconds apart."""
    events = []
    for o in (e for n in range(6) for e in hand_day(rng, n, [1, 2], spread_m=0)):
        if o.employee_id == 2:
            lat, lon = jittered(rng, o.lat, o.lon, rng.uniform(30, 40))
            o = obs(**{**o.__dict__, "lat": lat, "lon": lon, "wifi": far_scan(o.wifi)})
        events.append(o)
    challenges, answers = group_answers(rng, 4, [1, 2], together=True)
    hits = detect(travelling_together, make_input(events + answers, challenges=challenges))
    assert {h.employee_id for h in hits} == {2}
    assert len(hits) == 6
    # The day of the answers weighs as one hand; the others as what their timing weighs.
    severity = {h.day: h.severity for h in hits}
    assert severity.pop(workday(4)) == DEFAULT_POLICY.cotravel_answered_severity
    assert set(severity.values()) == {DEFAULT_POLICY.cotravel_timing_severity}
    assert {h.evidence.message for h in hits} == {"travelling_together.timing"}
    assert "Ditanya pada saat yang sama" in text(hits[0], "id")


def test_an_honest_carpool_that_leaves_apart_does_not_fire(rng):
    events = [e for n in range(10) for e in carpool_day(rng, n, 1, 2)]
    assert detect(travelling_together, make_input(events)) == []


def test_a_carpool_that_sometimes_rides_home_together_does_not_fire(rng):
    events = [e for n in range(12) for e in carpool_day(rng, n, 1, 2, leave_together=n % 3 == 0)]
    inp = make_input(events)
    assert detect(travelling_together, inp) == []
    message, values = travelling_together.describe(inp, DEFAULT_POLICY, 2, workday(0))
    assert message == "explain.travelling_together_left_apart"
    assert values["arrived_days"] == 12
    assert values["days"] == 4


def test_a_carpool_that_always_rides_home_together_is_at_most_timing(rng):
    """Both ends together every day: only fixes and scans tell two bodies from one hand."""
    events = [e for n in range(8) for e in carpool_day(rng, n, 1, 2, leave_together=True)]
    hits = detect(travelling_together, make_input(events))
    assert {h.severity for h in hits} <= {DEFAULT_POLICY.cotravel_timing_severity}


def test_a_few_days_together_do_not_fire(rng):
    events = [e for n in range(3) for e in hand_day(rng, n, [1, 2, 3])]
    assert detect(travelling_together, make_input(events)) == []


def test_morning_only_together_is_not_both_ends(rng):
    events = [e for n in range(6) for e in hand_day(rng, n, [1, 2], kinds=("check_in",))]
    assert detect(travelling_together, make_input(events)) == []


def test_offline_and_rejected_events_are_left_out(rng):
    events = [e for n in range(6) for e in hand_day(rng, n, [1, 2])]
    offline = [
        obs(**{**e.__dict__, "queued_offline": True}) if e.employee_id == 2 else e for e in events
    ]
    assert detect(travelling_together, make_input(offline)) == []
    rejected = [
        obs(**{**e.__dict__, "verdict": "rejected"}) if e.employee_id == 2 else e for e in events
    ]
    assert detect(travelling_together, make_input(rejected)) == []


def test_a_group_challenge_answered_from_one_spot_seconds_apart_is_strong(rng):
    events = [e for n in range(6) for e in hand_day(rng, n, [1, 2, 3])]
    challenges, answers = group_answers(rng, 2, [1, 2, 3], together=True)
    hits = detect(travelling_together, make_input(events + answers, challenges=challenges))
    assert {h.employee_id for h in hits} == {2, 3}
    assert {h.severity for h in hits} == {DEFAULT_POLICY.cotravel_answered_severity}
    that_day = next(h for h in hits if h.day == workday(2) and h.employee_id == 3)
    values = that_day.evidence.values
    assert [a["employee"] for a in values["group_answers"]] == [1, 2, 3]
    assert values["group_spread_s"] == 30
    assert values["group_spread_m"] <= DEFAULT_POLICY.cotravel_fix_m
    assert {a.event_id for a in answers} <= set(that_day.evidence.event_ids)
    assert "Asked at the same moment" in text(that_day)
    assert "Ditanya pada saat yang sama" in text(that_day, "id")


def test_a_group_challenge_answered_apart_exonerates_the_pair(rng):
    """Even a pair that travels at both ends every day: two people answering from their own
    desks minutes apart are two people (a carpool that also rides home)."""
    events = [e for n in range(6) for e in hand_day(rng, n, [1, 2], spread_m=0)]
    challenges, answers = group_answers(rng, 3, [1, 2], together=False)
    inp = make_input(events + answers, challenges=challenges)
    assert detect(travelling_together, inp) == []
    message, values = travelling_together.describe(inp, DEFAULT_POLICY, 2, workday(3))
    assert message == "explain.travelling_together_answered_apart"
    assert values["answered_apart"] == 1


def test_colleagues_keeping_the_same_hours_in_either_order_do_not_fire(rng):
    events = []
    for n in range(10):
        day = workday(n)
        first, second = (1, 2) if n % 2 else (2, 1)
        for kind, start in (("check_in", "07:10:00"), ("check_out", "16:05:00")):
            moment = at(start, day)
            events.append(person_event(rng, first, day, kind, moment))
            events.append(person_event(rng, second, day, kind, moment + timedelta(seconds=40)))
    inp = make_input(events)
    assert detect(travelling_together, inp) == []
    message, _ = travelling_together.describe(inp, DEFAULT_POLICY, 1, workday(0))
    assert message == "explain.travelling_together_unsteady_order"


def test_explain_says_why_for_a_lone_employee_and_for_the_leader(rng):
    events = [e for n in range(5) for e in hand_day(rng, n, [1, 2])]
    alone = person_event(rng, 9, workday(0), "check_in", at("09:30:00"))
    inp = make_input([*events, alone])
    result = runner.run(inp)
    lines = {
        line.code: line
        for line in explain_rules.explain(result, inp, 9, workday(0), DEFAULT_POLICY).lines
    }
    assert lines["travelling_together"].message == "explain.travelling_together_alone"
    lines = {
        line.code: line
        for line in explain_rules.explain(result, inp, 1, workday(0), DEFAULT_POLICY).lines
    }
    assert lines["travelling_together"].message == "explain.travelling_together_leader"
    lines = {
        line.code: line
        for line in explain_rules.explain(result, inp, 2, workday(0), DEFAULT_POLICY).lines
    }
    assert lines["travelling_together"].outcome == explain_rules.COUNTED


def test_the_grouping_is_near_linear_a_busy_office_makes_no_pairs_of_strangers():
    """300 colleagues arriving over an hour: links only within the window, and no set."""
    rng = random.Random(7)
    events = []
    for n in range(5):
        day = workday(n)
        for employee in range(100, 400):
            come = at("06:45:00", day) + timedelta(seconds=rng.uniform(0, 3600))
            leave = at("16:00:00", day) + timedelta(seconds=rng.uniform(0, 2400))
            events.append(person_event(rng, employee, day, "check_in", come))
            events.append(person_event(rng, employee, day, "check_out", leave))
    inp = make_input(events)
    index = travelling_together.build_index(inp.observations, inp.day_of)
    together = travelling_together.together_pairs(index, DEFAULT_POLICY)
    # a check-in meets ~12 others within the window, a check-out ~19: of the ~3,700 pairs
    # arriving together each day, a few hundred also leave together, by chance
    assert all(len(pairs) < 600 for pairs in together.values())
    assert travelling_together.candidates(index, DEFAULT_POLICY) == []
    assert detect(travelling_together, inp) == []


def test_days_together_that_a_crowded_office_gives_by_chance_do_not_fire(rng):
    """Thirty colleagues who all come within five minutes and leave within five minutes: any
    two meet at both ends on most days, close fixes or not."""
    events = []
    for n in range(6):
        day = workday(n)
        for employee in range(10, 40):
            for kind, start in (("check_in", "07:10:00"), ("check_out", "16:05:00")):
                moment = at(start, day) + timedelta(seconds=rng.uniform(0, 300))
                events.append(person_event(rng, employee, day, kind, moment))
    inp = make_input(events)
    assert [h for h in detect(travelling_together, inp) if h.severity > 0.2] == []
    message, values = travelling_together.describe(inp, DEFAULT_POLICY, 11, workday(0))
    assert message in (
        "explain.travelling_together_by_chance",
        "explain.travelling_together_unsteady_order",
    )
    assert values["expected_days"] > 1
