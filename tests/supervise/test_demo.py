"""The demo's spot checks: reconciled at the showcase OPDs on days of the simulated month, with
flags of their own, and a table of which login sees what."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.fraud.analysis import analyse
from hadir.fraud.models import DayFlag
from hadir.sim.demo import build_demo
from hadir.sim.history import build_history
from hadir.supervise.demo import describe_logins, seed_spot_checks
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
