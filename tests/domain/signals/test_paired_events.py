from hadir.domain.signals import paired_events
from tests.domain.signals.conftest import detect, make_input, obs, text, workday


def pair_day(n, *, gap_s=40, leader=2, follower=1, addr="10.9.9.9", out_gap_s=None):
    day = workday(n)
    out_gap_s = gap_s if out_gap_s is None else out_gap_s
    return [
        obs(employee_id=leader, day=day, time="07:20:00", remote_addr=addr),
        obs(employee_id=follower, day=day, time=f"07:20:{gap_s:02d}", remote_addr=addr),
        obs(employee_id=leader, day=day, kind="check_out", time="16:05:00", remote_addr=addr),
        obs(
            employee_id=follower,
            day=day,
            kind="check_out",
            time=f"16:{5 + out_gap_s // 60:02d}:{out_gap_s % 60:02d}",
            remote_addr=addr,
        ),
    ]


def test_it_flags_the_employee_who_always_follows_the_same_colleague():
    events = [e for n in range(5) for e in pair_day(n)]
    hits = detect(paired_events, make_input(events))
    assert {h.employee_id for h in hits} == {1}
    assert len(hits) == 5
    hit = hits[0]
    assert {k: hit.evidence.values[k] for k in ("leader", "days", "together_days")} == {
        "leader": 2,
        "days": 5,
        "together_days": 5,
    }
    assert len(hit.evidence.event_ids) == 4  # both employees' check-in and check-out
    assert "always after" in text(hit)


def test_colleagues_who_arrive_together_in_either_order_do_not_fire():
    events = [e for n in range(6) for e in pair_day(n, leader=1 + n % 2, follower=2 - n % 2)]
    assert detect(paired_events, make_input(events)) == []


def test_arriving_together_but_leaving_apart_does_not_count():
    events = [e for n in range(6) for e in pair_day(n, out_gap_s=1800)]
    assert detect(paired_events, make_input(events)) == []


def test_a_few_days_together_do_not_fire():
    events = [e for n in range(3) for e in pair_day(n)]
    assert detect(paired_events, make_input(events)) == []


def test_offline_events_are_left_out():
    events = [
        obs(**{**e.__dict__, "queued_offline": True}) if e.employee_id == 1 else e
        for n in range(5)
        for e in pair_day(n)
    ]
    assert detect(paired_events, make_input(events)) == []


def test_the_workplace_network_is_no_shared_address():
    """Everyone at the office comes from its network: there the address says nothing."""
    events = [
        obs(**{**e.__dict__, "workplace_network": True}) for n in range(5) for e in pair_day(n)
    ]
    assert detect(paired_events, make_input(events)) == []
