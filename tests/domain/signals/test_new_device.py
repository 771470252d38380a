import pytest

from hadir.domain.signals import new_device
from tests.domain.signals.conftest import detect, device, make_input, obs, text, workday


def test_it_flags_a_check_in_from_an_unregistered_device():
    odd = obs(device_id=999)
    [hit] = detect(new_device, make_input([odd, obs(day=workday(1))], devices=[device(100, 1)]))
    assert hit.evidence.event_ids == (odd.event_id,)
    assert hit.severity == 0.35
    assert "not registered" in text(hit)


def test_it_flags_an_unapproved_device():
    event = obs(device_id=101)
    [hit] = detect(new_device, make_input([event], devices=[device(101, 1, approved=False)]))
    assert hit.severity == 0.3
    assert "not approved" in text(hit)


def test_it_flags_going_back_and_forth_between_phones():
    devices_used = [100, 555, 100, 555, 100]
    events = [obs(device_id=d, day=workday(i)) for i, d in enumerate(devices_used)]
    hits = detect(new_device, make_input(events, devices=[device(100, 1), device(555, 1)]))
    assert [h.day for h in hits] == [workday(2), workday(3), workday(4)]
    assert hits[0].evidence.event_ids[0] == events[2].event_id
    assert hits[0].severity == pytest.approx(0.3)  # both phones approved: weighs less


def test_one_switch_to_an_approved_new_phone_does_not_fire():
    events = [obs(device_id=100, day=workday(0)), obs(device_id=101, day=workday(1))]
    inp = make_input(events, devices=[device(100, 1), device(101, 1, enrolled="2025-03-04 06:00")])
    assert detect(new_device, inp) == []


def test_without_device_facts_nothing_is_called_unregistered():
    assert detect(new_device, make_input([obs(), obs(day=workday(1))])) == []
