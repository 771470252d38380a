from hadir.domain.signals import new_device, shared_device
from tests.domain.signals.conftest import detect, device, make_input, obs, text, workday


def test_it_flags_a_phone_that_checked_in_two_employees_on_one_day():
    own = obs(employee_id=1, device_id=7, time="07:21:05")
    other = obs(employee_id=2, device_id=7, time="07:22:40")
    inp = make_input(
        [own, other, obs(employee_id=2, device_id=200, day=workday(1))],
        devices=[device(7, 1), device(200, 2)],
    )
    hits = {h.employee_id: h for h in detect(shared_device, inp)}
    assert hits[2].severity == 0.85  # the absent one, checked in on a colleague's phone
    assert hits[2].evidence.event_ids == (other.event_id, own.event_id)
    assert "device 7 (enrolled to employee 1)" in text(hits[2])
    assert hits[1].severity == 0.3  # the owner who lent it


def test_it_flags_an_event_from_a_device_enrolled_to_someone_else():
    borrowed = obs(employee_id=2, device_id=7, reason_codes={"device_employee_mismatch"})
    [hit] = detect(shared_device, make_input([borrowed], devices=[device(7, 1)]))
    assert hit.employee_id == 2
    assert hit.evidence.event_ids == (borrowed.event_id,)
    assert hit.severity == 0.6


def test_an_approved_phone_replacement_is_not_sharing():
    old = [obs(employee_id=1, device_id=7, day=workday(d)) for d in range(5)]
    new = [obs(employee_id=1, device_id=8, day=workday(d)) for d in range(5, 10)]
    devices = [device(7, 1), device(8, 1, enrolled="2025-03-10 07:00")]
    inp = make_input(old + new, devices=devices)
    assert detect(shared_device, inp) == []
    assert detect(new_device, inp) == []


def test_a_phone_handed_on_to_a_colleague_the_same_day_is_not_sharing():
    before = obs(employee_id=1, device_id=7, time="07:20")
    after = obs(employee_id=2, device_id=7, time="16:10", kind="check_out")
    inp = make_input([before, after], devices=[device(7, 2, enrolled="2025-03-03 12:00")])
    assert detect(shared_device, inp) == []
