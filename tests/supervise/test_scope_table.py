"""Every page, htmx fragment and export of /pantau/ (board, spot checks, overview, leave) for
every role: either refused, or showing no name from outside the role's scope."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hadir.attendance.models import DailyStatus, LeaveRequest, LeaveStatus
from hadir.supervise.models import SpotCheck, SpotCheckEntry
from tests.supervise.conftest import ALL_NAMES, ROLES

WIB = ZoneInfo("Asia/Jakarta")
HTMX = {"HX-Request": "true"}
REFUSED = (403, 404)


@pytest.fixture
def everything(world):
    """A status for everyone in October, a reconciled spot check in each OPD, and a leave
    request of everyone waiting and another decided."""
    for person in (world.head, world.ani, world.budi, world.citra, world.dedi, world.eko):
        DailyStatus.objects.create(
            employee=person, date=date(2026, 10, 5), codes="H", computed_codes="H",
            inputs_hash="x", computed_at=timezone.now(),
        )  # fmt: skip
    spots = {}
    for opd, office, people in (
        (world.disdik, world.disdik_office, (world.budi, world.dedi, world.ani)),
        (world.dinkes, world.dinkes_office, (world.eko, world.fitri)),
    ):
        spot = SpotCheck.objects.create(
            workplace=office, opd=opd, checker_name="Pemeriksa",
            started_at=datetime(2026, 10, 5, 9, tzinfo=WIB),
            closed_at=datetime(2026, 10, 5, 9, 30, tzinfo=WIB),
        )  # fmt: skip
        for person in people:
            SpotCheckEntry.objects.create(
                spot_check=spot, employee=person, checked_in=True, seen=False
            )
        spots[opd.code] = spot
    world.spots = spots
    for person in (world.head, world.ani, world.budi, world.citra, world.dedi, world.eko,
                   world.fitri):  # fmt: skip
        LeaveRequest.objects.create(
            employee=person, kind="I", first_day=date(2026, 10, 6), last_day=date(2026, 10, 6)
        )
        LeaveRequest.objects.create(
            employee=person, kind="DL", first_day=date(2026, 10, 7), last_day=date(2026, 10, 7),
            assignment_letter="094/1/ST", destination="Samuda", destination_lat=-3.1,
            destination_lon=113.1, status=LeaveStatus.APPROVED, decided_by=world.users["bkpsdm"],
            decided_at=timezone.now(), decision_reason="oke",
        )  # fmt: skip
    return world


def urls(w) -> list[tuple[str, dict]]:
    people = (w.head, w.ani, w.budi, w.citra, w.dedi, w.eko, w.fitri)
    month = "bulan=2026-10"
    return [
        ("/pantau/papan/", {}),
        ("/pantau/papan/", HTMX),
        (f"/pantau/papan/?opd={w.disdik.pk}", {}),
        (f"/pantau/papan/?opd={w.dinkes.pk}", HTMX),
        (f"/pantau/papan/?q=Staf&status=not_yet&opd={w.dinkes.pk}", HTMX),
        *[(f"/pantau/pegawai/{p.pk}/?tanggal=2026-10-05", {}) for p in people],
        ("/pantau/sidak/", {}),
        *[(f"/pantau/sidak/{spot.pk}/", {}) for spot in w.spots.values()],
        (f"/pantau/ikhtisar/?{month}", {}),
        ("/pantau/ikhtisar/audit/", {}),
        (f"/pantau/ikhtisar/rekap/?{month}&format=csv", {}),
        (f"/pantau/ikhtisar/rekap/?{month}&format=csv&opd={w.disdik.pk}", {}),
        (f"/pantau/ikhtisar/rekap/?{month}&format=csv&opd={w.dinkes.pk}", {}),
        ("/pantau/cuti/", {}),
        ("/pantau/cuti/?tab=decided", {}),
    ]


def test_the_table_covers_every_supervise_route():
    from hadir.supervise import urls as supervise_urls

    routes = {str(p.pattern) for p in supervise_urls.urlpatterns}
    covered_or_post_only = {
        "", "masuk/", "keluar/", "papan/", "pegawai/<int:employee_id>/", "sidak/",
        "sidak/<int:spot_id>/", "sidak/<int:spot_id>/tandai/<int:entry_id>/",
        "sidak/<int:spot_id>/selesai/", "sidak/<int:spot_id>/foto/", "ikhtisar/",
        "ikhtisar/rekap/", "ikhtisar/tpp/", "ikhtisar/audit/", "cuti/",
        "cuti/<int:leave_id>/putuskan/", "cuti/<int:leave_id>/lampiran/",
    }  # fmt: skip
    assert routes == covered_or_post_only  # a new route needs a line in urls() above


@pytest.mark.parametrize("role", ROLES)
def test_no_page_fragment_or_export_shows_another_scopes_data(everything, login, role):
    client = login(everything, role)
    outside = everything.names_outside(role)
    assert outside or role in ("bkpsdm", "inspektorat")
    checked = 0
    for path, headers in urls(everything):
        response = client.get(path, headers=headers)
        if response.status_code in REFUSED:
            continue
        assert response.status_code == 200, path
        text = response.content.decode()
        leaked = sorted(name for name in outside if name in text)
        assert leaked == [], f"{role} {path}: {leaked}"
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    ("role", "path", "refused"),
    [
        ("kepala_dinkes", "/pantau/pegawai/{budi}/", True),
        ("kepala_disdik", "/pantau/pegawai/{budi}/", False),
        ("atasan_ani", "/pantau/pegawai/{dedi}/", True),
        ("atasan_ani", "/pantau/pegawai/{budi}/", False),
        ("kepala_dinkes", "/pantau/sidak/{disdik_spot}/", True),
        ("atasan_ani", "/pantau/sidak/{dinkes_spot}/", True),
        ("inspektorat", "/pantau/sidak/{dinkes_spot}/", False),
        ("kepala_disdik", "/pantau/ikhtisar/rekap/?format=csv", True),
        ("kepala_disdik", "/pantau/ikhtisar/rekap/?format=csv&opd={dinkes}", True),
        ("kepala_disdik", "/pantau/ikhtisar/tpp/?opd={dinkes}", True),
        ("atasan_ani", "/pantau/ikhtisar/rekap/?format=csv&opd={disdik}", True),
        ("kepala_disdik", "/pantau/ikhtisar/audit/", True),
        ("bkpsdm", "/pantau/ikhtisar/audit/", False),
    ],
)
def test_what_is_refused_to_whom(everything, login, role, path, refused):
    w = everything
    path = path.format(
        budi=w.budi.pk, dedi=w.dedi.pk, disdik=w.disdik.pk, dinkes=w.dinkes.pk,
        disdik_spot=w.spots["DISDIK"].pk, dinkes_spot=w.spots["DINKES"].pk,
    )  # fmt: skip
    status = login(w, role).get(path).status_code
    assert (status in REFUSED) == refused, status


def test_every_name_is_known_to_the_table(everything):
    assert set(ALL_NAMES) == {
        p.name for p in (everything.head, everything.ani, everything.budi, everything.citra,
                         everything.dedi, everything.eko, everything.fitri)
    }  # fmt: skip
