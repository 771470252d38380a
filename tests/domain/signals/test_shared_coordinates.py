from hadir.domain.signals import shared_coordinates
from tests.domain.signals.conftest import (
    WORKPLACES,
    detect,
    jittered,
    make_input,
    obs,
    text,
    workday,
)

SPOT = (-2.2099876, 113.9201234)


def test_it_flags_the_same_point_reported_by_several_employees():
    events = [
        obs(employee_id=e, day=workday(d), lat=SPOT[0], lon=SPOT[1])
        for e in (11, 12, 13, 14)
        for d in (0, 1)
    ]
    hits = detect(shared_coordinates, make_input(events))
    assert len(hits) == 8  # each employee, each day
    hit = next(h for h in hits if h.employee_id == 12 and h.day == workday(0))
    assert hit.evidence.event_ids[0] == events[2].event_id  # its own event first
    named = {o.employee_id for o in events if o.event_id in hit.evidence.event_ids}
    assert named == {11, 12, 13, 14}
    assert "4 employees" in text(hit)
    assert hit.severity == 0.7


def test_colleagues_at_one_office_with_honest_noise_do_not_fire(rng):
    office = WORKPLACES[1]
    events = []
    for e in range(20, 60):
        for d in range(20):
            lat, lon = jittered(rng, office.lat, office.lon, rng.uniform(3, 25))
            events.append(
                obs(
                    employee_id=e,
                    day=workday(d),
                    lat=round(lat, 6),
                    lon=round(lon, 6),
                    accuracy_m=rng.uniform(8, 30),
                )
            )
    assert detect(shared_coordinates, make_input(events)) == []


def test_a_cell_tower_position_shared_by_a_remote_office_does_not_fire():
    events = [
        obs(employee_id=e, workplace_id=2, lat=-1.1003, lon=112.5004, accuracy_m=900.0)
        for e in range(30, 36)
    ]
    assert detect(shared_coordinates, make_input(events)) == []
