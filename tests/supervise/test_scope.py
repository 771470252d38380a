"""Each /pantau/ page for each role: no other scope's data; no entry without a supervisory role."""

from __future__ import annotations

import pytest

from hadir.supervise.access import OPD, REGENCY, UNIT, viewer_for
from tests.supervise.conftest import ROLES

PAGES = ["/pantau/papan/", "/pantau/sidak/", "/pantau/ikhtisar/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_it_shows_no_name_outside_the_roles_scope(world, login, role, path):
    response = login(world, role).get(path)
    if role == "atasan_ani" and path == "/pantau/ikhtisar/":
        assert response.status_code == 403  # whole OPDs: not for an atasan
        return
    assert response.status_code == 200
    text = response.content.decode()
    leaked = [name for name in world.names_outside(role) if name in text]
    assert leaked == []


@pytest.mark.parametrize("path", [*PAGES, "/pantau/"])
def test_it_sends_anonymous_users_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/pantau/masuk/?next=")


@pytest.mark.parametrize("path", PAGES)
def test_it_refuses_an_employee_without_a_supervisory_role(world, login, path):
    assert login(world, "pegawai").get(path).status_code == 403


@pytest.mark.parametrize(
    ("role", "level", "read_only"),
    [
        ("bkpsdm", REGENCY, False),
        ("inspektorat", REGENCY, True),
        ("kepala_disdik", OPD, False),
        ("atasan_ani", UNIT, True),  # looks at his unit; deciding is the Kepala's
    ],
)
def test_it_knows_each_roles_level(world, role, level, read_only):
    viewer = viewer_for(world.users[role])
    assert (viewer.level, viewer.read_only) == (level, read_only)


def test_an_atasan_sees_his_direct_reports_and_himself_only(world):
    names = set(viewer_for(world.users["atasan_ani"]).employees().values_list("name", flat=True))
    assert names == {"Ani Atasan", "Budi Staf", "Citra Staf"}


def test_the_login_page_logs_a_supervisor_in(client, world):
    response = client.post(
        "/pantau/masuk/?next=/pantau/papan/",
        {"username": "kepala_disdik", "password": "rahasia-kuat-123", "next": "/pantau/papan/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/pantau/papan/"


def test_logging_out_ends_the_session(world, login):
    client = login(world, "kepala_disdik")
    assert client.get("/pantau/keluar/").status_code == 200  # asks first
    assert client.post("/pantau/keluar/")["Location"] == "/pantau/masuk/"
    assert client.get("/pantau/papan/").status_code == 302


def test_the_login_page_without_next_goes_to_the_supervisors_home(client, world):
    response = client.post(
        "/pantau/masuk/", {"username": "kepala_disdik", "password": "rahasia-kuat-123"}
    )
    assert response["Location"] == "/pantau/"
