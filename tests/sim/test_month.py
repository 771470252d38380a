"""The simulated month, without a database: determinism, the mix, and what each practice puts
in the signed bodies."""

import json
import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest

from hadir.sim.behaviours import (
    BUDDY_PUNCHING,
    CATALOGUE,
    CHEATING_LABELS,
    FAKE_GPS_FROZEN,
    FAKE_GPS_NAIVE,
    HONEST_CARPOOL,
    HONEST_PHONE_CHANGE,
    HONEST_REMOTE,
    HONEST_SHARED_LINE,
    PASSWORD_SHARING,
    PHONE_CARRIER,
    REPLAY,
)
from hadir.sim.month import BehaviourMix, assign_practices, last_full_month, simulate_month
from hadir.sim.regency import GOOD, plan_regency

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _simulate(plan, seed=7, days=None, **kwargs):
    return simulate_month(
        plan,
        year=2025,
        month=10,
        seed=seed,
        secrets={w.code: SECRET for w in plan.workplaces},
        challenge_secret="challenge-secret",
        employee_ids={e.identifier: i + 1 for i, e in enumerate(plan.employees)},
        days=days,
        **kwargs,
    )


@pytest.fixture(scope="module")
def plan():
    return plan_regency(2026, 150)


@pytest.fixture(scope="module")
def sim(plan):
    return _simulate(plan, days=10)


def _body(request) -> dict:
    return json.loads(request.body)


def _fingerprint(sim) -> list:
    return [(r.received_at, r.remote_addr, sorted(r.headers.items()), r.body) for r in sim.requests]


def test_the_same_seed_gives_the_same_bytes(plan, sim):
    again = _simulate(plan, days=10)
    assert _fingerprint(again) == _fingerprint(sim)
    assert [d.public_key for d in again.devices] == [d.public_key for d in sim.devices]
    assert again.labels == sim.labels
    assert again.day_labels == sim.day_labels


def test_another_seed_gives_other_events(plan, sim):
    other = _simulate(plan, seed=8, days=3)
    assert {r.body for r in other.requests}.isdisjoint(r.body for r in sim.requests)


def test_every_practice_is_present_in_the_default_mix_for_300_employees():
    plan = plan_regency(2026, 300)
    labels, partners = assign_practices(plan, BehaviourMix(), random.Random(1))
    counts = Counter(labels.values())
    # An unregistered office line is a workplace's, given in simulate_month.
    assert set(counts) == set(CATALOGUE) - {HONEST_SHARED_LINE}
    assert all(counts[label] >= 3 for label in CHEATING_LABELS)
    cheaters = sum(counts[label] for label in CHEATING_LABELS)
    assert 0.12 <= cheaters / len(plan.employees) <= 0.2
    partnered = (BUDDY_PUNCHING, PASSWORD_SHARING, PHONE_CARRIER, HONEST_CARPOOL)
    assert set(partners) == {e for e, label in labels.items() if label in partnered}
    carriers = Counter(partners[e] for e, label in labels.items() if label == PHONE_CARRIER)
    assert max(carriers.values()) >= 2  # a carrier takes several phones along


def test_everybody_in_a_poor_or_none_workplace_is_honest_remote(plan, sim):
    for e in plan.employees:
        tier = plan.workplace_by_code[e.workplace_codes[0]].tier
        assert (sim.labels[e.identifier] == HONEST_REMOTE) == (tier != GOOD)


def test_partners_are_honest_colleagues_at_the_same_workplace(plan, sim):
    people = plan.employee_by_identifier
    for cheater, partner in sim.partners.items():
        assert CATALOGUE[sim.labels[partner]].honest
        assert people[cheater].workplace_codes[0] == people[partner].workplace_codes[0]


def test_requests_are_in_received_order_and_each_device_sends_its_chain_in_order(sim):
    times = [r.received_at for r in sim.requests]
    assert times == sorted(times)
    last_seq = {}
    for r in sim.requests:
        if r.meta.practice in (REPLAY, PASSWORD_SHARING):
            continue  # old bodies sent again; rejected attempts reuse their seq
        key, seq = r.headers["X-Hadir-Key-Id"], _body(r)["seq"]
        assert seq > last_seq.get(key, 0)
        last_seq[key] = seq


def test_cheaters_cheat_on_some_days_and_honest_people_never(sim):
    for employee, days in sim.day_labels.items():
        cheated = [label for label in days.values() if label is not None]
        if CATALOGUE[sim.labels[employee]].honest:
            assert not cheated
        else:
            assert set(cheated) <= {sim.labels[employee]}
    cheating_days = Counter(label for days in sim.day_labels.values() for label in days.values())
    assert all(cheating_days[label] > 0 for label in CHEATING_LABELS)


def test_fake_gps_naive_events_carry_the_mock_flag(sim):
    naive = [r for r in sim.requests if r.meta.practice == FAKE_GPS_NAIVE]
    assert naive
    assert all(_body(r)["location"]["mock"] for r in naive)


def test_fake_gps_frozen_reports_the_same_coordinates_every_day(sim):
    frozen = defaultdict(set)
    for r in sim.requests:
        if r.meta.practice == FAKE_GPS_FROZEN:
            loc = _body(r)["location"]
            frozen[r.meta.employee].add((loc["lat"], loc["lon"], loc["accuracy_m"], loc["mock"]))
    assert frozen
    assert all(len(fixes) == 1 and not next(iter(fixes))[3] for fixes in frozen.values())


def test_buddy_events_share_the_partners_address_and_time(sim):
    by_day = defaultdict(list)
    for r in sim.requests:
        by_day[(r.meta.employee, r.meta.day, r.meta.kind)].append(r)
    buddy = [
        r
        for r in sim.requests
        if r.meta.practice == BUDDY_PUNCHING and r.meta.kind != "presence_check"
    ]
    assert buddy
    for r in buddy:
        partner = sim.partners[r.meta.employee]
        mine = datetime.fromisoformat(_body(r)["device_time"])
        theirs = by_day[(partner, r.meta.day, r.meta.kind)]
        assert any(
            p.remote_addr == r.remote_addr
            and timedelta(0)
            < mine - datetime.fromisoformat(_body(p)["device_time"])
            < timedelta(seconds=100)
            for p in theirs
        )


def test_password_sharing_uses_a_pending_device_carried_by_the_colleague(sim):
    devices = {d.key_id: d for d in sim.devices}
    shared = [r for r in sim.requests if r.meta.practice == PASSWORD_SHARING]
    assert shared
    for r in shared:
        device = devices[r.headers["X-Hadir-Key-Id"]]
        assert device.status == "pending"
        assert device.employee == r.meta.employee
        assert device.holder == sim.partners[r.meta.employee]


def test_a_replay_resends_an_earlier_days_body(sim):
    sent = {}
    replays = [r for r in sim.requests if r.meta.practice == REPLAY]
    assert replays
    for r in sim.requests:
        key, seq = r.headers["X-Hadir-Key-Id"], _body(r)["seq"]
        if r.meta.practice == REPLAY:
            assert seq < sent[key]
            made = datetime.fromisoformat(_body(r)["device_time"]).date()
            assert made < r.meta.day
        else:
            sent[key] = max(seq, sent.get(key, 0))


def test_honest_remote_events_are_queued_and_received_hours_later(sim):
    offline = [
        r
        for r in sim.requests
        if sim.labels[r.meta.employee] == HONEST_REMOTE and _body(r)["queued_offline"]
    ]
    assert offline
    for r in offline:
        delay = r.received_at - datetime.fromisoformat(_body(r)["device_time"])
        assert timedelta(0) < delay <= timedelta(hours=41)
        assert 30 <= _body(r)["location"]["accuracy_m"] <= 800


def test_a_phone_change_is_approved_the_same_day(sim):
    changers = [e for e, label in sim.labels.items() if label == HONEST_PHONE_CHANGE]
    assert changers
    for employee in changers:
        devices = [d for d in sim.devices if d.employee == employee]
        if len(devices) == 1:
            continue  # the change day is later than the simulated days
        old, new = devices
        assert old.status == "revoked"
        assert new.status == "active"
        assert new.approved_at.date() == new.enrolled_at.date() == old.revoked_at.date()


def test_challenges_come_from_the_shared_planning_function(sim):
    assert sim.challenges
    groups = {g.group_id: g for g in sim.groups}
    for c in sim.challenges:
        if c.group_id:
            expected = groups[c.group_id].planned.challenge_id(c.employee_id, "challenge-secret")
        else:
            expected = c.planned.challenge_id("challenge-secret")
        assert c.challenge_id == expected
        assert c.planned.deadline > c.planned.issued_at


def test_the_archive_has_one_request_a_line(tmp_path, sim):
    path = tmp_path / "month.jsonl"
    assert sim.to_jsonl(path) == len(sim.requests)
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    assert set(first) == {"received_at", "remote_addr", "headers", "body"}
    assert first["body"].encode() == sim.requests[0].body
    assert datetime.fromisoformat(first["received_at"]) == sim.requests[0].received_at
    sim.labels_json(tmp_path / "labels.json")
    labels = json.loads((tmp_path / "labels.json").read_text())
    assert labels["employees"] == sim.labels
    assert set(labels["practices"]) == set(CATALOGUE)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 15), (2026, 2)),
        (date(2026, 1, 1), (2025, 12)),
        (date(2026, 3, 31), (2026, 2)),
    ],
)
def test_the_last_full_month_is_before_today(today, expected):
    assert last_full_month(today) == expected


def test_some_honest_people_check_out_walking_out_without_wifi_or_office_network(plan, sim):
    """The honest look-alike of a check-out sent from home: Wi-Fi off or out of reach at the
    gate, a carrier address, mostly no code; the fix is still the desk's, inside the fence."""
    walking = [r for r in sim.requests if r.meta.note == "walking out"]
    assert walking
    assert all(r.meta.practice is None and r.meta.kind == "check_out" for r in walking)
    assert all(_body(r)["wifi"] == [] for r in walking)
    assert all(r.remote_addr.startswith("100.") for r in walking)
    people = {r.meta.employee for r in walking}
    honest = {e for e, label in sim.labels.items() if CATALOGUE[label].honest}
    assert people & honest
    # A habit of some people, not of everybody.
    assert len(people) < len({r.meta.employee for r in sim.requests}) / 2
