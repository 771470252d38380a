from datetime import timedelta

from hadir.domain.signals import zero_jitter
from tests.domain.signals.conftest import (
    REMOTE,
    WORKPLACES,
    at,
    detect,
    jittered,
    make_input,
    obs,
    text,
    workday,
)

OFFICE = WORKPLACES[1]


def test_it_flags_identical_coordinates_on_separate_days():
    fakes = [obs(day=workday(i), lat=-2.2101234, lon=113.9204321, accuracy_m=9.0) for i in range(4)]
    hits = detect(zero_jitter, make_input(fakes))
    assert [h.day for h in hits] == [workday(i) for i in range(4)]
    assert hits[0].evidence.event_ids[0] == fakes[0].event_id
    assert set(hits[0].evidence.event_ids) == {o.event_id for o in fakes}
    assert "(-2.2101234, 113.9204321)" in text(hits[0])


def test_it_flags_a_location_that_never_varies_by_more_than_centimetres():
    fakes = [
        obs(day=workday(i), lat=-2.2101234 + i * 1e-7, lon=113.9204321, accuracy_m=15.0)
        for i in range(6)
    ]
    hits = detect(zero_jitter, make_input(fakes))
    assert len(hits) == 6
    assert "within 0.5 m" in text(hits[0])


def test_honest_urban_gps_noise_does_not_fire(rng):
    events = []
    for i in range(22):
        for kind, time in (("check_in", f"07:2{i % 10}"), ("check_out", f"16:0{i % 10}")):
            lat, lon = jittered(rng, OFFICE.lat, OFFICE.lon, rng.uniform(5, 15))
            events.append(
                obs(
                    day=workday(i),
                    kind=kind,
                    time=time,
                    lat=lat,
                    lon=lon,
                    accuracy_m=rng.uniform(10, 30),
                )
            )
    assert detect(zero_jitter, make_input(events)) == []


def test_a_cached_fix_served_again_is_not_jitter_free_fixes():
    # Same coordinates and the same fix time: the phone re-served one fix.
    fix_time = at("07:20")
    events = [
        obs(time=t, lat=-2.21, lon=113.92, fix_time=fix_time) for t in ("07:21", "07:22", "07:24")
    ]
    assert detect(zero_jitter, make_input(events)) == []


def test_network_positions_that_repeat_are_not_jitter_free_fixes():
    place = WORKPLACES[REMOTE]
    events = [
        obs(
            workplace_id=REMOTE,
            day=workday(i),
            lat=place.lat,
            lon=place.lon,
            accuracy_m=1200.0,
            fix_time=at("07:20", workday(i)) + timedelta(seconds=i),
        )
        for i in range(8)
    ]
    assert detect(zero_jitter, make_input(events)) == []
