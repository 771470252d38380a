from hadir.domain.signals import pending_device_attempts
from tests.domain.signals.conftest import at, detect, device, make_input, obs, workday


def attempt(n, time="07:21:00", **kw):
    values = {
        "employee_id": 1,
        "device_id": 900,
        "day": workday(n),
        "time": time,
        "verdict": "rejected",
        "reason_codes": ("device_pending",),
    }
    values.update(kw)
    return obs(**values)


DEVICES = [device(100, 1), device(900, 1, approved=False), device(200, 2)]


def test_a_refused_attempt_while_the_own_phone_is_silent_fires_weakly():
    tried = attempt(0)
    [hit] = detect(pending_device_attempts, make_input([tried], devices=DEVICES))
    assert hit.severity == 0.35
    assert hit.evidence.event_ids == (tried.event_id,)


def test_attempts_on_several_days_weigh_more():
    hits = detect(
        pending_device_attempts,
        make_input([attempt(n) for n in range(3)], devices=DEVICES),
    )
    assert [h.severity for h in hits] == [0.5, 0.5, 0.5]


def test_an_attempt_from_a_colleagues_handset_is_strong():
    theirs = obs(
        employee_id=2, device_id=200, time="07:20:00", boot_count=7, monotonic_ms=5_000_000
    )
    mine = attempt(
        0,
        time="07:21:00",
        boot_count=7,
        monotonic_ms=5_060_500,
        device_time=at("07:21:00"),
    )
    [hit] = detect(pending_device_attempts, make_input([theirs, mine], devices=DEVICES))
    assert hit.severity == 0.7
    assert hit.evidence.event_ids == (mine.event_id, theirs.event_id)
    assert hit.evidence.values["handset_of"] == 2


def test_a_new_phone_waiting_while_the_old_one_still_works_does_not_fire():
    own = obs(employee_id=1, device_id=100, day=workday(0), time="07:20:00")
    assert detect(pending_device_attempts, make_input([own, attempt(0)], devices=DEVICES)) == []


def test_a_refusal_for_another_reason_does_not_fire():
    other = attempt(0, reason_codes=("sequence_replay",))
    assert detect(pending_device_attempts, make_input([other], devices=DEVICES)) == []
