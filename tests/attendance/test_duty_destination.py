"""Dinas luar with its destination's point: given through the leave API (both coordinates or
neither, within range, refused naming the field), shown back, and then used by the fraud
analysis, which judges the day's check-ins at the destination instead of the workplace."""

from datetime import date, timedelta

import pytest

from hadir.attendance.models import LeaveRequest, LeaveStatus
from hadir.org.models import ApiToken
from tests.factories import SAMPIT

pytestmark = pytest.mark.django_db
DL = {
    "kind": "DL",
    "first_day": "2026-10-06",
    "last_day": "2026-10-07",
    "reason": "rapat koordinasi",
    "assignment_letter": "094/77/DISDIK/2026",
    "destination": "Kantor Gubernur, Palangka Raya",
}
PALANGKA_RAYA = (-2.2096, 113.9136)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, timedelta(hours=1))}"}


def ask(client, user, **fields):
    return client.post("/api/v1/leave", {**DL, **fields}, **bearer(user))


def fields_of(answer) -> dict[str, str]:
    assert answer.status_code == 422, answer.content
    return {f["field"]: f["message"] for f in answer.json()["fields"]}


def test_a_dl_request_carries_its_destination_point_and_shows_it_back(regency, client):
    lat, lon = PALANGKA_RAYA
    answer = ask(client, regency.user, destination_lat=lat, destination_lon=lon,
                 destination_radius_m=800)  # fmt: skip
    assert answer.status_code == 201, answer.content
    shown = answer.json()
    assert (shown["destination_lat"], shown["destination_lon"]) == (lat, lon)
    assert shown["destination_radius_m"] == 800
    stored = LeaveRequest.objects.get()
    assert (stored.destination_lat, stored.destination_lon, stored.destination_radius_m) == (
        lat,
        lon,
        800,
    )
    pending = client.get("/api/v1/leave/to-decide", **bearer(regency.boss_user)).json()
    assert [(item["destination"], item["destination_lat"]) for item in pending] == [
        (DL["destination"], lat)
    ]


def test_a_dl_request_without_a_point_is_still_fine(regency, client):
    answer = ask(client, regency.user)
    assert answer.status_code == 201, answer.content
    assert (answer.json()["destination_lat"], answer.json()["destination_lon"]) == (None, None)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"destination_lat": -2.2}, {"destination_lon": "bersamaan"}),
        ({"destination_lon": 113.9}, {"destination_lat": "bersamaan"}),
        ({"destination_lat": -91, "destination_lon": 113.9}, {"destination_lat": "-90 dan 90"}),
        ({"destination_lat": -2.2, "destination_lon": 180.5}, {"destination_lon": "-180 dan 180"}),
        ({"destination_lat": "nan", "destination_lon": 113.9}, {"destination_lat": "-90 dan 90"}),
        ({"destination_radius_m": 500}, {"destination_radius_m": "titik tujuan"}),
        (
            {"destination_lat": -2.2, "destination_lon": 113.9, "destination_radius_m": 10},
            {"destination_radius_m": "50 dan 50000 meter"},
        ),
        (
            {"kind": "I", "destination_lat": -2.2, "destination_lon": 113.9},
            {"destination_lat": "dinas luar"},
        ),
    ],
)
def test_a_bad_destination_point_is_refused_naming_the_field(regency, client, extra, expected):
    found = fields_of(ask(client, regency.user, **extra))
    assert set(found) == set(expected), found
    for field, words in expected.items():
        assert words in found[field], found
    assert not LeaveRequest.objects.exists()


def test_a_coordinate_that_is_no_number_is_refused_naming_the_field(regency, client):
    found = fields_of(ask(client, regency.user, destination_lat="dekat pasar", destination_lon=1))
    assert any(field.endswith("destination_lat") for field in found), found


def test_the_fraud_context_then_judges_the_day_at_the_destination(regency, client):
    from hadir.domain.signals.policy import DEFAULT_POLICY
    from hadir.fraud.context import day_contexts

    lat, lon = PALANGKA_RAYA
    answer = ask(client, regency.user, destination_lat=lat, destination_lon=lon)
    url = f"/api/v1/leave/{answer.json()['id']}/approve"
    client.post(url, {}, "application/json", **bearer(regency.boss_user))
    assert LeaveRequest.objects.get().status == LeaveStatus.APPROVED

    days = [date(2026, 10, 6), date(2026, 10, 7)]
    contexts = day_contexts([(regency.employee.pk, day) for day in days])
    for day in days:
        (absence,) = contexts[(regency.employee.pk, day)].absences
        assert (absence.kind, absence.approved) == ("DL", True)
        place = absence.destination
        assert (place.lat, place.lon) == (lat, lon)
        assert place.radius_m == DEFAULT_POLICY.duty_destination_default_radius_m
        assert place.holds(lat + 0.001, lon, accuracy_m=20, slack_cap_m=100)  # ~110 m away
        assert not place.holds(*SAMPIT, accuracy_m=20, slack_cap_m=100)  # the workplace
