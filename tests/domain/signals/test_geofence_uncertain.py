from hadir.domain.signals import geofence_uncertain
from tests.domain.signals.conftest import detect, make_input, obs


def test_it_flags_the_ingestion_code():
    event = obs(reason_codes={"geofence_uncertain"}, geofence_distance_m=25.0, accuracy_m=30.0)
    [hit] = detect(geofence_uncertain, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert hit.severity == 0.15


def test_a_fix_inside_does_not_fire():
    assert detect(geofence_uncertain, make_input([obs(geofence_distance_m=-3.0)])) == []
