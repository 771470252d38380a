"""Today as it happens: "belum presensi" until the start passes, then the running late band,
never TK before the day is over; stored provisional, made final once the day's windows close."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from hadir.attendance import leave, selectors, services
from hadir.attendance.models import DailyStatus
from hadir.attendance.services import compute_days
from hadir.domain.coverage import NotCounted
from hadir.domain.status import Phase
from tests.attendance.conftest import PASSWORD, at, record

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY = date(2026, 10, 5)


def clock(hhmm: str, day: date = MONDAY) -> datetime:
    return at(day, hhmm)


@pytest.fixture
def frozen_clock(monkeypatch):
    """Set the clock the code reads (django.utils.timezone.now) to a moment."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def row(employee, day=MONDAY) -> DailyStatus:
    return DailyStatus.objects.get(employee=employee, date=day)


def test_a_day_in_progress_is_stored_provisional_and_never_tk(regency):
    e = regency.employee
    compute_days([e], MONDAY, MONDAY, now=clock("07:10"))
    assert (row(e).codes, row(e).final) == ("", False)  # belum presensi
    compute_days([e], MONDAY, MONDAY, now=clock("07:45"))
    assert (row(e).codes, row(e).final) == ("TL1", False)
    compute_days([e], MONDAY, MONDAY, now=clock("17:30"))
    assert (row(e).codes, row(e).final) == ("TL4", False)
    compute_days([e], MONDAY, MONDAY, now=clock("18:01"))  # the check-out window has closed
    assert (row(e).codes, row(e).final) == ("TK", True)


def test_a_provisional_day_is_rewritten_only_when_its_phase_or_codes_change(regency):
    e = regency.employee
    assert compute_days([e], MONDAY, MONDAY, now=clock("07:40")).written == 1
    assert compute_days([e], MONDAY, MONDAY, now=clock("07:50")).written == 0  # still TL1
    assert compute_days([e], MONDAY, MONDAY, now=clock("08:05")).written == 1  # TL2 now
    record(e, "check_in", clock("08:10"))
    assert compute_days([e], MONDAY, MONDAY, now=clock("08:11")).written == 1
    assert (row(e).codes, row(e).late_minutes) == ("TL2", 40)


def test_live_states_say_where_each_employee_stands(regency):
    e, boss, head = regency.employee, regency.boss, regency.head
    record(boss, "check_in", clock("07:20"))
    sick = leave.request_leave(head, kind="I", first_day=MONDAY, last_day=MONDAY)
    leave.decide_leave(sick, approve=True, by=regency.admin, now=timezone.now())
    worker = regency.contract_worker()
    worker.active_from = date(2026, 10, 6)
    worker.save()
    states = selectors.live_states([e, boss, head, worker], MONDAY, clock("07:45"))
    assert (states[e.pk].status.phase, states[e.pk].status.codes) == (
        Phase.RUNNING_LATE,
        ("TL1",),
    )
    assert states[e.pk].status.late_minutes == 15
    assert states[boss.pk].status.codes == ("H",)
    assert states[boss.pk].check_in == clock("07:20")
    assert (states[head.pk].status.codes, states[head.pk].status.final) == (("I",), False)
    assert states[worker.pk].status is None
    assert states[worker.pk].coverage.reason == NotCounted.OUTSIDE_SERVICE
    early = selectors.live_states([e], MONDAY, clock("07:25"))[e.pk]
    assert (early.status.phase, early.status.codes) == (Phase.NOT_YET, ())
    assert early.planned.start == clock("07:30")


def test_a_correction_of_today_wins_over_the_live_state(regency):
    services.record_correction(
        regency.employee, MONDAY, "DL", "tugas mendadak", regency.admin, today=MONDAY
    )
    state = selectors.live_states([regency.employee], MONDAY, clock("09:00"))
    assert state[regency.employee.pk].status.codes == ("DL",)


def test_discipline_and_tpp_ignore_a_provisional_day(regency):
    from hadir.attendance import discipline
    from hadir.attendance.tpp_report import month_tpp

    compute_days([regency.employee], MONDAY, MONDAY, now=clock("17:00"))  # TL4 so far
    item = next(
        i
        for i in discipline.year_summaries(2026, through=MONDAY)
        if i.employee_id == regency.employee.pk
    )
    assert (item.summary.tk_days, item.summary.late_minutes) == (0, 0)
    _, rows = month_tpp(date(2026, 10, 1), regency.opd)
    assert (
        next(r for r in rows if r.identifier == regency.employee.identifier).deduction.lines == ()
    )


# The admin's Status harian --------------------------------------------------------------------


def changelist(client, user, **params):
    assert client.login(username=user.username, password=PASSWORD)
    page = client.get(reverse("admin:attendance_dailystatus_changelist"), params)
    assert page.status_code == 200
    return page.content.decode()


def test_status_harian_shows_todays_live_state_without_any_command(regency, client, frozen_clock):
    frozen_clock(clock("07:10"))
    assert not DailyStatus.objects.exists()
    page = changelist(client, regency.opd_admin)
    assert DailyStatus.objects.filter(date=MONDAY).count() == 3  # the page computed today
    assert "belum presensi" in page
    assert "TK" not in page
    frozen_clock(clock("08:00"))  # no recomputation: the page reads the live state
    page = changelist(client, regency.opd_admin)
    assert "TL1 (terlambat 30 menit, masih berjalan)" in page


def test_status_harian_shows_a_checked_in_employee_as_provisional(regency, client, frozen_clock):
    frozen_clock(clock("07:10"))
    changelist(client, regency.opd_admin)  # today stored: belum presensi
    record(regency.employee, "check_in", clock("07:50"))
    frozen_clock(clock("09:00"))
    page = changelist(client, regency.opd_admin)
    assert "TL1 (sementara)" in page
