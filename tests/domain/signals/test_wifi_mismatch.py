from hadir.domain.signals import wifi_mismatch
from tests.domain.signals.conftest import detect, make_input, obs


def test_it_flags_gps_inside_without_the_office_wifi():
    event = obs(bssid_match=False, geofence_distance_m=-15.0)
    [hit] = detect(wifi_mismatch, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert hit.severity == 0.3


def test_it_does_not_fire_on_the_office_network_or_without_a_scan():
    events = [
        obs(bssid_match=False, workplace_network=True),
        obs(employee_id=2, bssid_match=None),
        obs(employee_id=3, bssid_match=True),
    ]
    assert detect(wifi_mismatch, make_input(events)) == []
