from hadir.domain.signals import geofence_uncertain, outside_geofence
from tests.domain.signals.conftest import REMOTE, detect, make_input, obs


def test_it_flags_an_accepted_check_in_far_outside():
    event = obs(
        geofence_distance_m=2_100.0,
        accuracy_m=15.0,
        verdict="accepted_with_warnings",
        reason_codes={"outside_geofence"},
    )
    [hit] = detect(outside_geofence, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert hit.severity == 0.6


def test_a_fix_just_outside_within_its_accuracy_is_only_uncertain():
    event = obs(geofence_distance_m=40.0, accuracy_m=60.0)
    assert detect(outside_geofence, make_input([event])) == []
    [hit] = detect(geofence_uncertain, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)


def test_a_remote_fix_gets_a_wider_margin():
    event = obs(workplace_id=REMOTE, geofence_distance_m=120.0, accuracy_m=80.0)
    assert detect(outside_geofence, make_input([event])) == []


def test_a_rejected_check_in_was_not_recorded_present():
    event = obs(geofence_distance_m=2_100.0, verdict="rejected")
    assert detect(outside_geofence, make_input([event])) == []


def test_a_network_position_just_outside_weighs_less():
    coarse = obs(geofence_distance_m=450.0, accuracy_m=300.0)
    [hit] = detect(outside_geofence, make_input([coarse]))
    assert hit.severity == 0.25
    precise = obs(geofence_distance_m=450.0, accuracy_m=20.0)
    [hit] = detect(outside_geofence, make_input([precise]))
    assert hit.severity == 0.4
