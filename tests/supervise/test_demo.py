"""The demo's spot checks: reconciled at the showcase OPDs on days of the simulated month, with
flags of their own, and a table of which login sees what; its leave waiting for a decision."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from hadir.attendance.models import LeaveKind, LeaveRequest, LeaveStatus
from hadir.fraud.analysis import analyse
from hadir.fraud.models import DayFlag
from hadir.sim.demo import build_demo
from hadir.sim.history import build_history
from hadir.supervise.demo import describe_logins, seed_pending_leave, seed_spot_checks
from hadir.supervise.leave import pending_count
from hadir.supervise.models import SpotCheckEntry

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


def test_the_demo_seeds_reconciled_spot_checks_and_says_who_sees_what():
    logins = build_demo(seed=2026, employees=84, password="rahasia-kuat-123")
    build_history(2026, 2026, 10, days=5)
    analyse(FIRST, LAST, workers=1)
    spots = seed_spot_checks(FIRST, LAST)
    assert len(spots) >= 2
    assert all(not spot.is_open for spot in spots)
    entries = SpotCheckEntry.objects.filter(spot_check__in=spots)
    assert entries.filter(checked_in=True, seen=True).exists()
    unseen = entries.filter(checked_in=True, seen=False)
    for entry in unseen:
        flag = DayFlag.objects.get(employee=entry.employee, day=entry.spot_check.started_at.date())
        assert "spot_check_unseen" in flag.codes
    table = describe_logins([login.username for login in logins])
    assert "bkpsdm" in table
    assert "semua OPD" in table
    assert "(hanya baca)" in table  # Inspektorat
    assert " unit " in table  # an atasan langsung


def test_the_demo_seeds_pending_leave_for_the_showcase_atasan_and_kepala(client):
    logins = build_demo(seed=2026, employees=84, password="rahasia-kuat-123")
    made = seed_pending_leave(date(2026, 12, 1))
    assert len(made) >= 4
    assert all(leave.status == LeaveStatus.PENDING for leave in made)
    assert all(leave.first_day > date(2026, 12, 1) for leave in made)
    duty = [leave for leave in made if leave.kind == LeaveKind.DL]
    assert duty
    assert duty[0].destination_lat is not None
    assert duty[0].assignment_letter.startswith("094/")
    assert LeaveRequest.objects.filter(status=LeaveStatus.PENDING).count() == len(made)
    atasan = next(login for login in logins if login.role == "atasan")
    kepala = next(
        login
        for login in logins
        if login.role == "kepala_opd" and login.opd_code == atasan.opd_code
    )
    users = get_user_model().objects
    assert pending_count(users.get(username=atasan.username)) >= 2  # his staff (84: two)
    assert pending_count(users.get(username=kepala.username)) >= 3  # the atasan's own too
    client.force_login(users.get(username=atasan.username))
    page = client.get("/pantau/cuti/").content.decode()
    assert 'class="leave-map"' in page
    assert "Palangka Raya" in page
