from datetime import timedelta

from hadir.domain.signals import clock_tampering
from tests.domain.signals.conftest import at, detect, make_input, obs, text


def test_it_flags_an_offline_check_in_whose_phone_clock_was_set_back():
    derived = at("08:10")
    event = obs(
        time=derived,
        received_at=at("08:40"),
        queued_offline=True,
        device_time=derived - timedelta(minutes=45),
    )
    [hit] = detect(clock_tampering, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert hit.severity == 0.5
    assert "-45 min" in text(hit)
    assert "set back" in text(hit)


def test_it_translates_the_ingestion_code():
    event = obs(reason_codes={"clock_tampering"})
    [hit] = detect(clock_tampering, make_input([event]))
    assert hit.severity == 0.6
    assert "marked as clock tampering on receipt" in text(hit)


def test_a_phone_set_to_the_wrong_time_zone_is_not_tampering():
    event = obs(device_time=at("07:25") + timedelta(hours=1, seconds=40))  # WITA on a WIB phone
    assert detect(clock_tampering, make_input([event])) == []


def test_a_clock_a_few_minutes_off_is_not_tampering():
    event = obs(device_time=at("07:25") - timedelta(minutes=4))
    assert detect(clock_tampering, make_input([event])) == []
