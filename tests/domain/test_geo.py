import math
import random

import pytest

from hadir.domain.geo import (
    FixPosition,
    Geofence,
    GeofenceError,
    haversine_from,
    haversine_m,
    judge_fix,
    parse_polygon_text,
)

CENTRE = (-2.5375, 112.95)
SQUARE_WKT = "POLYGON((112.95 -2.54, 112.952 -2.54, 112.952 -2.538, 112.95 -2.538, 112.95 -2.54))"


def north_of(lat, lon, metres):
    return lat + metres / 110_574.0, lon


def test_haversine_matches_one_degree_of_latitude():
    assert haversine_m(0, 110, 1, 110) == pytest.approx(111_195, rel=1e-3)


@pytest.mark.parametrize(("metres", "inside"), [(0, True), (95, True), (105, False)])
def test_a_circle_contains_points_within_its_radius(metres, inside):
    fence = Geofence.circle(*CENTRE, 100)
    assert (fence.signed_distance_m(*north_of(*CENTRE, metres)) <= 0) is inside


def test_a_wkt_polygon_measures_distance_in_metres():
    fence = parse_polygon_text(SQUARE_WKT)
    assert fence.signed_distance_m(-2.539, 112.951) == pytest.approx(-110.6, abs=1)
    assert fence.signed_distance_m(-2.541, 112.951) == pytest.approx(110.6, abs=1)


@pytest.mark.parametrize(
    "text",
    [
        SQUARE_WKT,
        "-2.54,112.95; -2.54,112.952; -2.538,112.952; -2.538,112.95; -2.54,112.95",
        '{"type": "Polygon", "coordinates": [[[112.95, -2.54], [112.952, -2.54], '
        "[112.952, -2.538], [112.95, -2.538], [112.95, -2.54]]]}",
    ],
)
def test_the_three_polygon_notations_give_the_same_fence(text):
    assert parse_polygon_text(text).shape().area == pytest.approx(49_000, rel=0.02)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("POLYGON((112.95 -2.54, 112.952 -2.54, 112.952 -2.538, 112.95 -2.538))", "not_closed"),
        ("-2.54,112.95; -2.54,112.952; -2.538,112.952; -2.54,112.95x", "not_a_number"),
        (
            "-2.54,112.95; -2.538,112.952; -2.54,112.952; -2.538,112.95; -2.54,112.95",
            "crosses_itself",
        ),
        ("1.0,10.0; 1.0,10.01; 1.01,10.01; 1.0,10.0", "lon_outside"),
        ("nan,112.95; -2.54,112.952; -2.538,112.952; nan,112.95", "not_finite"),
        ("", "empty"),
    ],
)
def test_a_bad_polygon_is_refused_with_a_reason(text, code):
    with pytest.raises(GeofenceError) as refused:
        parse_polygon_text(text)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("lat", "lon", "radius", "refusal"),
    [
        (math.nan, 112.95, 100, ("not_finite", "", {})),
        (0.0, 0.0, 100, ("lon_outside", "lon", {"lon": "0.0"})),
        (-2.5, 112.95, 5, ("radius_range", "radius", {"radius": "5", "max": "5000"})),
        (-2.5, 112.95, 50_000, ("radius_range", "radius", {"radius": "50000", "max": "5000"})),
    ],
)
def test_a_bad_circle_is_refused(lat, lon, radius, refusal):
    with pytest.raises(GeofenceError) as refused:
        Geofence.circle(lat, lon, radius)
    assert (refused.value.code, refused.value.part, refused.value.values) == refusal


@pytest.mark.parametrize(
    ("metres", "accuracy", "expected"),
    [
        (50, 10, FixPosition.INSIDE),
        (130, 50, FixPosition.UNCERTAIN),
        (130, 20, FixPosition.OUTSIDE),
        # A claimed 5 km accuracy earns at most the credit cap (100 m), not 5 km.
        (400, 5000, FixPosition.OUTSIDE),
    ],
)
def test_a_fix_gets_credit_for_its_accuracy_up_to_a_cap(metres, accuracy, expected):
    fence = Geofence.circle(*CENTRE, 100)
    assert judge_fix(fence, *north_of(*CENTRE, metres), accuracy).position is expected


def test_a_geofence_survives_a_round_trip_through_its_dict():
    fence = parse_polygon_text(SQUARE_WKT)
    assert Geofence.from_dict(fence.to_dict()) == fence


def test_distances_from_one_point_are_the_very_same_metres_as_haversine():
    rng = random.Random(5)
    for _ in range(200):
        lat, lon = rng.uniform(-11, 6), rng.uniform(95, 141)
        distance_m = haversine_from(lat, lon)
        for _ in range(20):
            other = (lat + rng.gauss(0, 0.01), lon + rng.gauss(0, 0.01))
            if rng.random() < 0.1:
                other = (rng.uniform(-11, 6), rng.uniform(95, 141))
            assert distance_m(*other) == haversine_m(lat, lon, *other)
    assert haversine_from(-2.5, 112.9)(-2.5, 112.9) == 0.0
