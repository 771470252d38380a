"""Today's board: categories from the live state, counts, filters, search, the htmx fragment,
and one employee's day (with its access logged)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from hadir.attendance.models import LeaveRequest
from hadir.fraud.models import DayFlag
from hadir.org.models import AuditEntry
from tests.attendance.conftest import at, record

MONDAY = date(2026, 10, 5)


@pytest.fixture
def clock(monkeypatch):
    def set_to(hhmm: str, day: date = MONDAY) -> None:
        moment = at(day, hhmm)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def monday(world, clock):
    """Budi on time, Citra late, Dedi not yet; Kepala on dinas luar; Ani flagged."""
    record(world.budi, "check_in", at(MONDAY, "07:20"))
    record(world.citra, "check_in", at(MONDAY, "08:10"))
    record(world.ani, "check_in", at(MONDAY, "07:25"))
    LeaveRequest.objects.create(
        employee=world.head, kind="DL", first_day=MONDAY, last_day=MONDAY, status="approved"
    )
    DayFlag.objects.create(
        employee=world.ani,
        day=MONDAY,
        score=0.9,
        level="strong",
        tier="good",
        codes=[],
        evidence=[],
    )
    clock("09:00")
    return world


def categories(response) -> dict[str, str]:
    return {row.employee.name: row.category for row in response.context["rows"]}


def test_it_sorts_each_employee_into_a_category(monday, login):
    response = login(monday, "kepala_disdik").get("/pantau/papan/")
    assert categories(response) == {
        "Ani Atasan": "present",
        "Budi Staf": "present",
        "Citra Staf": "late",
        "Dedi Lain": "not_yet",
        "Kepala Disdik": "duty",
    }
    counts = response.context["board"].counts
    assert (counts["present"], counts["late"], counts["duty"], counts["not_yet"]) == (2, 1, 1, 1)
    assert counts["flagged"] == 1
    text = response.content.decode()
    assert "Terlambat" in text or "terlambat" in text  # Indonesian labels
    assert "belum presensi" in text


def test_after_the_day_a_missing_employee_is_absent(monday, login, clock):
    clock("19:00")
    response = login(monday, "kepala_disdik").get("/pantau/papan/")
    assert categories(response)["Dedi Lain"] == "absent"


def test_it_filters_by_status_unit_and_search(monday, login):
    client = login(monday, "kepala_disdik")
    assert set(categories(client.get("/pantau/papan/?status=late"))) == {"Citra Staf"}
    assert set(categories(client.get("/pantau/papan/?status=flagged"))) == {"Ani Atasan"}
    unit = monday.budi.unit_id
    assert set(categories(client.get(f"/pantau/papan/?unit={unit}"))) == {
        "Ani Atasan",
        "Budi Staf",
        "Citra Staf",
    }
    assert set(categories(client.get("/pantau/papan/?q=citra"))) == {"Citra Staf"}
    nip = monday.dedi.identifier
    assert set(categories(client.get(f"/pantau/papan/?q={nip}"))) == {"Dedi Lain"}


def test_an_atasan_gets_his_unit_and_cannot_pick_another_opd(monday, login):
    response = login(monday, "atasan_ani").get(f"/pantau/papan/?opd={monday.dinkes.pk}")
    assert set(categories(response)) == {"Ani Atasan", "Budi Staf", "Citra Staf"}


def test_a_kepala_cannot_see_another_opds_board(monday, login):
    response = login(monday, "kepala_dinkes").get(f"/pantau/papan/?opd={monday.disdik.pk}")
    assert set(categories(response)) == {"Eko Dinkes", "Fitri Dinkes"}


def test_the_regency_picks_any_opd(monday, login):
    response = login(monday, "bkpsdm").get(f"/pantau/papan/?opd={monday.dinkes.pk}")
    assert set(categories(response)) == {"Eko Dinkes", "Fitri Dinkes"}


def test_htmx_polls_a_fragment_that_refreshes_itself(monday, login):
    response = login(monday, "kepala_disdik").get(
        "/pantau/papan/?status=late", headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert text.startswith('<div id="board"')
    assert 'hx-trigger="every 60s"' in text
    assert "status=late" in text  # the poll keeps the filters
    assert "<html" not in text


def test_one_click_to_an_employees_day_shows_events_and_reasons(monday, login):
    client = login(monday, "kepala_disdik")
    board = client.get("/pantau/papan/").content.decode()
    link = f"/pantau/pegawai/{monday.citra.pk}/"
    assert link in board
    text = client.get(f"{link}?tanggal={MONDAY}").content.decode()
    assert "Citra Staf" in text
    assert "08:10" in text
    assert "TL2" in text
    assert "terlambat" in text.lower()


def test_viewing_an_employees_day_is_written_to_the_access_log(monday, login):
    login(monday, "kepala_disdik").get(f"/pantau/pegawai/{monday.citra.pk}/")
    entry = AuditEntry.objects.get(action="view", object_pk=str(monday.citra.pk))
    assert entry.actor == "user:kepala_disdik"
    assert entry.model == "org.Employee"


@pytest.mark.parametrize("role", ["kepala_dinkes", "atasan_ani"])
def test_an_employee_outside_the_scope_is_not_found(monday, login, role):
    response = login(monday, role).get(f"/pantau/pegawai/{monday.dedi.pk}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="view").exists()
