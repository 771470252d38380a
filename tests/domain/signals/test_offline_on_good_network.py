from hadir.domain.signals import offline_on_good_network
from tests.domain.signals.conftest import REMOTE, detect, make_input, obs, text


def test_it_flags_a_late_offline_check_in_at_a_town_office():
    event = obs(time="07:20", received_at="10:35", queued_offline=True)
    [hit] = detect(offline_on_good_network, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert hit.severity == 0.5
    assert "3.2 h later" in text(hit)


def test_a_queue_held_back_while_the_phone_was_online_weighs_most():
    held = obs(time="07:20", received_at="10:35", queued_offline=True)
    online = obs(time="08:02", kind="presence_check")
    [hit] = detect(offline_on_good_network, make_input([held, online]))
    assert hit.severity == 0.7
    assert hit.evidence.event_ids == (held.event_id, online.event_id)


def test_a_poor_tier_employee_syncing_forty_hours_late_does_not_fire():
    event = obs(
        workplace_id=REMOTE,
        time="07:20",
        received_at="2025-03-04 23:20",
        queued_offline=True,
        reason_codes={"offline_late"},
    )
    assert detect(offline_on_good_network, make_input([event])) == []


def test_a_town_employee_whose_home_office_is_remote_keeps_the_tolerance():
    event = obs(time="07:20", received_at="11:00", queued_offline=True)
    assert detect(offline_on_good_network, make_input([event], homes={1: REMOTE})) == []


def test_a_short_offline_spell_in_town_does_not_fire():
    event = obs(time="07:20", received_at="07:31", queued_offline=True)
    assert detect(offline_on_good_network, make_input([event])) == []
