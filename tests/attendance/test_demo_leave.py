"""The demo month carries leave: every column of the recap (I, S, C, DL, TB) has something in
it, on days the simulated month left without check-ins, and some of those days stay TK."""

from collections import Counter
from datetime import date

import pytest

from hadir.attendance.models import DailyStatus, LeaveRequest
from hadir.attendance.recap import month_recap
from hadir.attendance.services import recompute
from hadir.checkin.models import EvidenceRecord
from hadir.sim.behaviours import CATALOGUE
from hadir.sim.demo import build_demo
from hadir.sim.history import build_history
from hadir.sim.leave import seed_leave

pytestmark = pytest.mark.django_db
SEED = 5


@pytest.fixture
def demo_month():
    build_demo(seed=SEED, employees=84, password="hadir-demo-2026")
    sim, _counts = build_history(SEED, 2026, 10, days=10)
    honest = {who for who, label in sim.labels.items() if CATALOGUE[label].honest}
    kinds = seed_leave(2026, 10, list(sim.days), SEED, honest)
    return sim, kinds


def test_leave_of_every_kind_lands_on_days_without_check_ins(demo_month):
    _sim, kinds = demo_month
    assert {"S", "I", "CT", "DL", "TB"} <= set(kinds)
    assert sum(kinds.values()) == LeaveRequest.objects.filter(status="approved").count()
    for leave in LeaveRequest.objects.exclude(kind="TB"):
        events = EvidenceRecord.objects.filter(
            employee=leave.employee,
            time_of_record__date__gte=leave.first_day,
            time_of_record__date__lte=leave.last_day,
        )
        assert not events.exists(), leave
    duty = LeaveRequest.objects.filter(kind="DL").first()
    assert duty.assignment_letter
    assert duty.destination


def test_the_recap_columns_are_all_exercised(demo_month):
    sim, _kinds = demo_month
    recompute(sim.days[0], sim.days[-1], workers=1)
    totals = Counter()
    for section in month_recap(date(2026, 10, 1)).sections():
        totals.update(section.totals)
    for code in ("H", "TK", "I", "S", "CT", "DL", "TB"):
        assert totals[code] > 0, code
    assert any(code.startswith("TL") for code in totals)
    assert DailyStatus.objects.filter(codes="TK").exists()  # not every gap was leave
