from hadir.domain.signals import weak_accuracy
from tests.domain.signals.conftest import detect, make_input, obs, text


def test_it_flags_a_check_in_with_a_very_rough_fix():
    event = obs(accuracy_m=250.0)
    [hit] = detect(weak_accuracy, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert "±250 m" in text(hit)


def test_an_ordinary_indoor_fix_does_not_fire():
    assert detect(weak_accuracy, make_input([obs(accuracy_m=65.0)])) == []
