"""Spot checks: start at a workplace, mark seen / not seen, reconcile into flags that survive
a new analysis, and stay within the checker's scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hadir.fraud.analysis import analyse
from hadir.fraud.evidence_text import evidence_text, names_for
from hadir.fraud.models import DayFlag
from hadir.supervise.models import SpotCheck
from tests.attendance.conftest import at, record

MONDAY = date(2026, 10, 5)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def morning(world, monkeypatch, settings, tmp_path):
    """09:30 on Monday: Budi and Citra checked in at the DISDIK office, Dedi checked in and
    out again, Ani not at all."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for person, hhmm in ((world.budi, "07:20"), (world.citra, "07:25"), (world.dedi, "07:10")):
        row = record(person, "check_in", at(MONDAY, hhmm))
        row.__class__.objects.filter(pk=row.pk).update(workplace=world.disdik_office)
    record(world.dedi, "check_out", at(MONDAY, "08:00"))
    moment = at(MONDAY, "09:30")
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return world


def start(client, world) -> SpotCheck:
    response = client.post("/pantau/sidak/", {"workplace": world.disdik_office.pk, "kind": "sidak"})
    spot = SpotCheck.objects.get()
    assert response["Location"] == f"/pantau/sidak/{spot.pk}/"
    return spot


def entry_of(spot, employee):
    return spot.entries.get(employee=employee)


def test_starting_lists_who_is_checked_in_there_now(morning, login):
    client = login(morning, "kepala_disdik")
    spot = start(client, morning)
    checked_in = set(spot.entries.filter(checked_in=True).values_list("employee__name", flat=True))
    assert checked_in == {"Budi Staf", "Citra Staf"}  # Dedi checked out again
    page = client.get(f"/pantau/sidak/{spot.pk}/").content.decode()
    assert "Budi Staf" in page
    assert "Eko Dinkes" not in page  # another OPD


def test_reconciling_flags_checked_in_but_not_seen_and_lists_seen_but_not_checked_in(
    morning, login
):
    client = login(morning, "kepala_disdik")
    spot = start(client, morning)
    mark = f"/pantau/sidak/{spot.pk}/tandai/"
    client.post(f"{mark}{entry_of(spot, morning.budi).pk}/", {"seen": "1"})
    response = client.post(
        f"{mark}{entry_of(spot, morning.citra).pk}/", {"seen": "0"}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().startswith('<li class="spot-entry"')  # htmx: the row only
    client.post(f"{mark}{entry_of(spot, morning.ani).pk}/", {"seen": "1"})
    photo = SimpleUploadedFile("daftar.png", PNG, content_type="image/png")
    client.post(f"/pantau/sidak/{spot.pk}/selesai/", {"sheet_photo": photo, "note": "Apel pagi"})
    spot.refresh_from_db()
    assert not spot.is_open
    assert spot.sheet_photo
    flag = DayFlag.objects.get()
    assert (flag.employee, flag.day, flag.level, flag.codes) == (
        morning.citra,
        MONDAY,
        "strong",
        ["spot_check_unseen"],
    )
    text = evidence_text(flag.evidence[0], names_for(flag.evidence))
    assert "07:25" in text
    assert "09:30" in text
    assert "tidak terlihat" in text
    page = client.get(f"/pantau/sidak/{spot.pk}/").content.decode()
    assert "Ani Atasan" in page.split("Terlihat tetapi tidak presensi")[1]
    case_link = page.split('href="/pantau/kasus/buka/?')[1].split('"')[0].replace("&amp;", "&")
    case_form = client.get(f"/pantau/kasus/buka/?{case_link}")  # a case, one click away
    assert case_form.status_code == 200
    assert "sidak no." in case_form.content.decode()
    assert client.get(f"/pantau/sidak/{spot.pk}/foto/").status_code == 200


def test_a_new_analysis_keeps_the_spot_checks_finding(morning, login):
    client = login(morning, "kepala_disdik")
    spot = start(client, morning)
    client.post(
        f"/pantau/sidak/{spot.pk}/tandai/{entry_of(spot, morning.citra).pk}/", {"seen": "0"}
    )
    client.post(f"/pantau/sidak/{spot.pk}/selesai/")
    analyse(MONDAY, MONDAY, workers=1)
    flag = DayFlag.objects.get(employee=morning.citra, day=MONDAY)
    assert "spot_check_unseen" in flag.codes
    assert flag.level == "strong"


def test_a_closed_spot_check_cannot_be_marked_again(morning, login):
    client = login(morning, "kepala_disdik")
    spot = start(client, morning)
    client.post(f"/pantau/sidak/{spot.pk}/selesai/")
    entry = entry_of(spot, morning.budi)
    response = client.post(f"/pantau/sidak/{spot.pk}/tandai/{entry.pk}/", {"seen": "0"})
    assert response.status_code == 403


def test_inspektorat_reads_but_cannot_start_or_mark(morning, login):
    spot = start(login(morning, "kepala_disdik"), morning)
    client = login(morning, "inspektorat")
    assert client.get(f"/pantau/sidak/{spot.pk}/").status_code == 200
    assert client.post("/pantau/sidak/", {"workplace": morning.disdik_office.pk}).status_code == 403
    entry = entry_of(spot, morning.budi)
    mark = f"/pantau/sidak/{spot.pk}/tandai/{entry.pk}/"
    assert client.post(mark, {"seen": "0"}).status_code == 403


def test_another_opd_cannot_see_start_or_mark_it(morning, login):
    spot = start(login(morning, "kepala_disdik"), morning)
    client = login(morning, "kepala_dinkes")
    assert client.get(f"/pantau/sidak/{spot.pk}/").status_code == 404
    assert client.post("/pantau/sidak/", {"workplace": morning.disdik_office.pk}).status_code == 404
    entry = entry_of(spot, morning.budi)
    assert (
        client.post(f"/pantau/sidak/{spot.pk}/tandai/{entry.pk}/", {"seen": "0"}).status_code == 404
    )
    assert client.post(f"/pantau/sidak/{spot.pk}/selesai/").status_code == 404


def test_an_atasan_sees_only_his_staff_on_a_spot_check(morning, login):
    spot = start(login(morning, "kepala_disdik"), morning)
    page = login(morning, "atasan_ani").get(f"/pantau/sidak/{spot.pk}/").content.decode()
    assert "Budi Staf" in page
    assert "Dedi Lain" not in page


def test_an_atasan_looks_but_does_not_mark(morning, login):
    spot = start(login(morning, "kepala_disdik"), morning)
    client = login(morning, "atasan_ani")
    entry = entry_of(spot, morning.budi)
    assert (
        client.post(f"/pantau/sidak/{spot.pk}/tandai/{entry.pk}/", {"seen": "0"}).status_code == 403
    )
    assert client.post("/pantau/sidak/", {"workplace": morning.disdik_office.pk}).status_code == 403
