from hadir.domain.signals import same_network_burst
from tests.domain.signals.conftest import detect, make_input, obs, text, workday

HOME = "36.72.14.9"


def test_it_flags_several_employees_checked_in_from_one_address_in_a_minute():
    burst = [obs(employee_id=e, time=f"07:25:{10 * e:02d}", remote_addr=HOME) for e in (1, 2, 3)]
    hits = detect(same_network_burst, make_input(burst))
    assert sorted(h.employee_id for h in hits) == [1, 2, 3]
    hit = next(h for h in hits if h.employee_id == 2)
    assert hit.evidence.event_ids[0] == burst[1].event_id
    assert set(hit.evidence.event_ids) == {o.event_id for o in burst}
    assert HOME in text(hit)
    assert hit.severity == 0.35


def test_the_same_people_on_several_days_weigh_more():
    events = [
        obs(employee_id=e, day=workday(d), time=f"07:25:{10 * e:02d}", remote_addr=HOME)
        for d in range(3)
        for e in (1, 2)
    ]
    hits = detect(same_network_burst, make_input(events))
    assert len(hits) == 6
    assert {h.severity for h in hits} == {0.45}


def test_colleagues_arriving_together_on_the_office_network_do_not_fire():
    events = [
        obs(employee_id=e, time="07:25:30", remote_addr="103.10.1.1", workplace_network=True)
        for e in (1, 2, 3)
    ]
    assert detect(same_network_burst, make_input(events)) == []


def test_offline_events_synced_together_do_not_fire():
    events = [
        obs(
            employee_id=e,
            workplace_id=2,
            time="07:25:30",
            received_at="2025-03-04 18:00",
            queued_offline=True,
            remote_addr="114.4.4.4",
        )
        for e in (1, 2, 3)
    ]
    assert detect(same_network_burst, make_input(events)) == []


def test_the_same_address_minutes_apart_does_not_fire():
    events = [obs(employee_id=e, time=f"07:{10 + 5 * e}", remote_addr=HOME) for e in (1, 2)]
    assert detect(same_network_burst, make_input(events)) == []


def test_phones_that_saw_the_office_wifi_do_not_fire():
    events = [
        obs(employee_id=e, time=f"07:25:{10 * e:02d}", remote_addr=HOME, bssid_match=True)
        for e in (1, 2, 3)
    ]
    assert detect(same_network_burst, make_input(events)) == []


def test_a_carrier_gateway_used_by_many_employees_does_not_fire():
    gateway = "114.124.0.1"  # mobile CGNAT: the whole town behind a few addresses
    events = [
        obs(employee_id=e, day=workday(e % 5), time=f"07:{20 + e % 10}:00", remote_addr=gateway)
        for e in range(1, 13)
    ]
    events += [obs(employee_id=e, time="07:40:05", remote_addr=gateway) for e in (1, 2, 3)]
    assert detect(same_network_burst, make_input(events)) == []
