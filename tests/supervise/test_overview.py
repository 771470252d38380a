"""The regency overview: attendance and lateness per OPD (SVG charts), OPDs ranked, flags town
and remote, agreement with spot checks, exports in scope, the audit log with filters."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hadir.attendance.models import DailyStatus
from hadir.fraud.models import DayFlag
from hadir.org.models import AuditEntry
from hadir.supervise.models import SpotCheck, SpotCheckEntry

WIB = ZoneInfo("Asia/Jakarta")
OCTOBER = "2026-10"


def status(employee, day: date, codes: str) -> None:
    DailyStatus.objects.create(
        employee=employee,
        date=day,
        codes=codes,
        computed_codes=codes,
        inputs_hash="x",
        computed_at=timezone.now(),
    )


@pytest.fixture
def october(world):
    """DISDIK: four present (one late) and one absent a day; DINKES: two present."""
    for day in (date(2026, 10, 5), date(2026, 10, 6)):
        status(world.head, day, "H")
        status(world.ani, day, "H")
        status(world.budi, day, "TL2")
        status(world.citra, day, "H")
        status(world.dedi, day, "TK")
        status(world.eko, day, "H")
        status(world.fitri, day, "H")
    flag = {"score": 0.9, "level": "strong", "codes": ["zero_jitter"], "evidence": []}
    DayFlag.objects.create(employee=world.budi, day=date(2026, 10, 5), tier="good", **flag)
    DayFlag.objects.create(employee=world.eko, day=date(2026, 10, 5), tier="poor", **flag)
    spot = SpotCheck.objects.create(
        workplace=world.disdik_office,
        opd=world.disdik,
        started_at=datetime(2026, 10, 5, 9, 0, tzinfo=WIB),
        closed_at=datetime(2026, 10, 5, 9, 20, tzinfo=WIB),
        checker_name="Kepala",
    )
    for person, seen in ((world.budi, False), (world.citra, True), (world.ani, False)):
        SpotCheckEntry.objects.create(spot_check=spot, employee=person, checked_in=True, seen=seen)
    return world


def line_of(response, code):
    return next(x for x in response.context["lines"] if x.opd.code == code)


def test_it_ranks_opds_by_attendance_with_lateness_and_flags(october, login):
    response = login(october, "bkpsdm").get(f"/pantau/ikhtisar/?bulan={OCTOBER}")
    assert [x.opd.code for x in response.context["lines"]] == ["DINKES", "DISDIK"]
    disdik = line_of(response, "DISDIK")
    assert disdik.attendance == pytest.approx(80.0)
    assert disdik.lateness == pytest.approx(25.0)
    assert (disdik.flags_town, disdik.flags_remote) == (1, 0)
    assert (line_of(response, "DINKES").flags_town, line_of(response, "DINKES").flags_remote) == (
        0,
        1,
    )
    text = response.content.decode()
    assert text.count('<svg class="chart"') == 2


def test_it_counts_open_and_overdue_discipline_cases_per_opd(october, login):
    from hadir.cases.models import DisciplineCase

    def case(employee, due_on, stage="opened"):
        DisciplineCase.objects.create(
            employee=employee, opd=employee.opd, ground="flag", violation="Tidak di kantor",
            opened_by="test", stage=stage, stage_since=date(2026, 10, 1), due_on=due_on,
        )  # fmt: skip

    case(october.budi, date(2026, 10, 2))  # overdue
    case(october.citra, date(2099, 1, 1))
    case(october.dedi, date(2026, 10, 2), stage="closed")
    response = login(october, "bkpsdm").get(f"/pantau/ikhtisar/?bulan={OCTOBER}")
    disdik = line_of(response, "DISDIK")
    assert (disdik.cases_open, disdik.cases_overdue) == (2, 1)
    assert (line_of(response, "DINKES").cases_open, line_of(response, "DINKES").cases_overdue) == (
        0,
        0,
    )


def test_agreement_with_spot_checks_counts_the_detectors_own_flags(october, login):
    disdik = line_of(login(october, "bkpsdm").get(f"/pantau/ikhtisar/?bulan={OCTOBER}"), "DISDIK")
    # Budi not seen and flagged: agree; Citra seen, not flagged: agree; Ani not seen, missed.
    assert (disdik.spot_entries, disdik.spot_agreeing) == (3, 2)
    assert (disdik.spot_unseen, disdik.spot_unseen_caught) == (2, 1)


def test_a_kepala_sees_his_opd_only_and_no_audit_log(october, login):
    client = login(october, "kepala_disdik")
    response = client.get(f"/pantau/ikhtisar/?bulan={OCTOBER}")
    assert [x.opd.code for x in response.context["lines"]] == ["DISDIK"]
    assert client.get("/pantau/ikhtisar/audit/").status_code == 403


def test_an_atasan_has_no_overview(october, login):
    assert login(october, "atasan_ani").get("/pantau/ikhtisar/").status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_the_recap_exports_of_an_opd_in_scope(october, login, fmt):
    client = login(october, "kepala_disdik")
    ok = client.get(f"/pantau/ikhtisar/rekap/?bulan={OCTOBER}&opd={october.disdik.pk}&format={fmt}")
    assert ok.status_code == 200
    assert f"rekap-DISDIK-{OCTOBER}.{fmt}" in ok["Content-Disposition"]
    other = client.get(f"/pantau/ikhtisar/rekap/?bulan={OCTOBER}&opd={october.dinkes.pk}")
    assert other.status_code == 404
    assert client.get(f"/pantau/ikhtisar/rekap/?bulan={OCTOBER}").status_code == 403


def test_the_tpp_export_for_the_regency(october, login):
    response = login(october, "bkpsdm").get(f"/pantau/ikhtisar/tpp/?bulan={OCTOBER}")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")  # an XLSX is a zip
    assert login(october, "kepala_dinkes").get("/pantau/ikhtisar/tpp/").status_code == 403


def test_the_audit_log_filters(october, login):
    AuditEntry.objects.create(
        actor="user:admin_disdik", action="update", model="org.Employee", object_pk="1",
        object_repr="Budi Staf diubah", before={}, after={},
    )  # fmt: skip
    AuditEntry.objects.create(
        actor="user:kepala_disdik", action="view", model="org.Employee", object_pk="2",
        object_repr="Citra Staf dilihat", before=None, after={},
    )  # fmt: skip
    client = login(october, "inspektorat")
    text = client.get("/pantau/ikhtisar/audit/?action=view").content.decode()
    assert "Citra Staf dilihat" in text
    assert "Budi Staf diubah" not in text
    text = client.get("/pantau/ikhtisar/audit/?actor=admin_disdik").content.decode()
    assert "Budi Staf diubah" in text
    assert "Citra Staf dilihat" not in text
