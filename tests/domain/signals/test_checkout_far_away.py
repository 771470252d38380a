from hadir.domain.signals import checkout_far_away
from tests.domain.signals.conftest import REMOTE, detect, make_input, obs, text, workday


def test_it_flags_a_check_out_from_kilometres_away():
    check_in = obs(time="07:25")
    check_out = obs(kind="check_out", time="16:01", geofence_distance_m=8_300.0, accuracy_m=9.0)
    [hit] = detect(checkout_far_away, make_input([check_in, check_out]))
    assert hit.evidence.event_ids == (check_out.event_id, check_in.event_id)
    assert hit.severity == 0.45
    assert "8.3 km" in text(hit)


def test_a_check_out_from_the_parking_lot_does_not_fire():
    events = [obs(), obs(kind="check_out", time="16:01", geofence_distance_m=150.0)]
    assert detect(checkout_far_away, make_input(events)) == []


def test_a_wild_remote_fix_within_its_accuracy_does_not_fire():
    events = [
        obs(workplace_id=REMOTE),
        obs(
            workplace_id=REMOTE,
            kind="check_out",
            time="16:01",
            geofence_distance_m=1_400.0,
            accuracy_m=900.0,
        ),
    ]
    assert detect(checkout_far_away, make_input(events)) == []


def test_a_check_out_a_few_hundred_metres_out_with_a_precise_fix_fires():
    events = [
        obs(),
        obs(kind="check_out", time="16:01", geofence_distance_m=420.0, accuracy_m=12.0),
    ]
    [hit] = detect(checkout_far_away, make_input(events))
    assert hit.severity == 0.35


def test_check_outs_from_far_away_on_several_days_are_a_habit():
    events = []
    for n in range(3):
        events.append(obs(day=workday(n)))
        events.append(
            obs(day=workday(n), kind="check_out", time="16:01", geofence_distance_m=2_000.0)
        )
    hits = detect(checkout_far_away, make_input(events))
    assert [h.severity for h in hits] == [0.5, 0.5, 0.5]
    assert "3 days" in text(hits[0])
    # One such day stays weak.
    [one] = detect(checkout_far_away, make_input(events[:2]))
    assert one.severity == 0.35
