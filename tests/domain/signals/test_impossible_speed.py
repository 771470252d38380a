from hadir.domain.signals import impossible_speed
from tests.domain.signals.conftest import REMOTE, WORKPLACES, detect, make_input, moved, obs, text

OFFICE = WORKPLACES[1]


def test_it_flags_forty_kilometres_in_five_minutes():
    far = moved(OFFICE.lat, OFFICE.lon, north_m=40_000)
    home = obs(
        time="07:31", lat=far[0], lon=far[1], verdict="rejected", geofence_distance_m=39_900.0
    )
    office = obs(time="07:36")
    [hit] = detect(impossible_speed, make_input([home, office]))
    assert hit.evidence.event_ids == (home.event_id, office.event_id)
    assert hit.severity == 0.7
    assert "40.2 km in 5 min" in text(hit)


def test_a_commute_does_not_fire():
    start = moved(OFFICE.lat, OFFICE.lon, east_m=12_000)
    events = [
        obs(time="06:50", lat=start[0], lon=start[1], kind="presence_check"),
        obs(time="07:25"),
    ]
    assert detect(impossible_speed, make_input(events)) == []


def test_a_rough_remote_fix_within_its_accuracy_does_not_fire():
    place = WORKPLACES[REMOTE]
    off = moved(place.lat, place.lon, north_m=2_500)
    events = [
        obs(workplace_id=REMOTE, time="07:30", accuracy_m=80.0),
        obs(
            workplace_id=REMOTE,
            time="07:32",
            kind="presence_check",
            lat=off[0],
            lon=off[1],
            accuracy_m=2_000.0,
        ),
    ]
    assert detect(impossible_speed, make_input(events)) == []
