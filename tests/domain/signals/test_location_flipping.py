from hadir.domain.signals import location_flipping
from tests.domain.signals.conftest import WORKPLACES, detect, make_input, moved, obs, text, workday

OFFICE = WORKPLACES[1]


def _day(d, north_m, east_m):
    lat, lon = moved(OFFICE.lat, OFFICE.lon, north_m, east_m)
    inside = obs(day=workday(d), time="07:28")
    away = obs(
        day=workday(d),
        time="10:05",
        kind="presence_check",
        lat=lat,
        lon=lon,
        accuracy_m=14.0,
        geofence_distance_m=(north_m**2 + east_m**2) ** 0.5 - 100,
    )
    return inside, away


def test_it_flags_the_same_off_site_place_on_several_office_days():
    days = [_day(d, 3_000 + 20 * d, 1_000) for d in range(4)]
    hits = detect(location_flipping, make_input([o for pair in days for o in pair]))
    assert [h.day for h in hits] == [workday(d) for d in range(4)]
    inside, away = days[1]
    assert hits[1].evidence.event_ids[0] == away.event_id
    assert inside.event_id in hits[1].evidence.event_ids
    assert "4 days" in text(hits[1])


def test_duty_trips_to_different_places_do_not_fire():
    days = [_day(0, 3_000, 0), _day(1, -4_000, 2_000), _day(2, 0, 6_000), _day(3, 9_000, 9_000)]
    assert detect(location_flipping, make_input([o for pair in days for o in pair])) == []
