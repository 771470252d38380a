from hadir.domain.signals import retry_until_accepted
from tests.domain.signals.conftest import detect, make_input, obs, text


def test_it_flags_acceptance_after_a_mock_location_rejection():
    tries = [obs(time="07:20", mock=True, verdict="rejected", reason_codes={"mock_location"})]
    accepted = obs(time="07:23")
    [hit] = detect(retry_until_accepted, make_input([*tries, accepted]))
    assert hit.evidence.event_ids == (accepted.event_id, tries[0].event_id)
    assert hit.severity == 0.6
    assert "mock location flag" in text(hit)


def test_many_rejections_then_acceptance_weigh_less():
    tries = [
        obs(time=f"07:2{i}", verdict="rejected", reason_codes={"outside_geofence"})
        for i in range(3)
    ]
    [hit] = detect(retry_until_accepted, make_input([*tries, obs(time="07:28")]))
    assert hit.severity == 0.35


def test_one_rejection_on_the_way_in_does_not_fire():
    events = [
        obs(time="07:20", verdict="rejected", reason_codes={"outside_geofence"}),
        obs(time="07:23"),
    ]
    assert detect(retry_until_accepted, make_input(events)) == []
