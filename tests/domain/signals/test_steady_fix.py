from hadir.domain.signals import steady_fix
from tests.domain.signals.conftest import (
    WORKPLACES,
    detect,
    jittered,
    make_input,
    obs,
    text,
    workday,
)

OFFICE = WORKPLACES[1]


def test_it_flags_small_noise_around_a_fixed_point_with_plausible_accuracy(rng):
    fake = (-2.2101, 113.9203)
    events = []
    for d in range(10):
        lat, lon = jittered(rng, *fake, rng.uniform(0.8, 2.5))
        events.append(obs(day=workday(d), lat=lat, lon=lon, accuracy_m=rng.uniform(10, 25)))
    hits = detect(steady_fix, make_input(events))
    assert [h.day for h in hits] == [workday(d) for d in range(10)]
    assert hits[3].evidence.event_ids[0] == events[3].event_id
    assert "claim a median accuracy" in text(hits[3])
    assert hits[3].severity == 0.4


def test_honest_urban_gps_noise_does_not_fire(rng):
    events = []
    for d in range(20):
        for time in ("07:25", "16:05"):
            lat, lon = jittered(rng, OFFICE.lat, OFFICE.lon, rng.uniform(5, 15))
            events.append(
                obs(day=workday(d), time=time, lat=lat, lon=lon, accuracy_m=rng.uniform(10, 30))
            )
    assert detect(steady_fix, make_input(events)) == []


def test_a_precise_phone_claiming_precision_does_not_fire(rng):
    events = []
    for d in range(10):
        lat, lon = jittered(rng, OFFICE.lat, OFFICE.lon, rng.uniform(0.8, 2.5))
        events.append(obs(day=workday(d), lat=lat, lon=lon, accuracy_m=rng.uniform(3, 5)))
    assert detect(steady_fix, make_input(events)) == []
